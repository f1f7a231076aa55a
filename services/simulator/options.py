"""What a simulation run may be asked: scale, seed, speed, latency and failure modes.

Options are one frozen value, checked when built. By default the field is healthy: every command
is answered correctly within 50 to 300 ms, nothing faults and no gateway drops. ``MIXES`` holds the
presets (``mild`` is what ``vigie demo`` runs); explicit options override a preset's values.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace
from typing import Any


@dataclass(frozen=True, slots=True)
class SimulatorOptions:
    """A simulation run's settings.

    Rates "per day" are per simulated day: ``speed`` multiplies them, as it multiplies vehicle
    movement. ``expires_at``, ``until``, command latency and the heartbeats that keep states from
    going stale stay on the wall clock. Without ``start_at`` the field's clock (its timestamps,
    dusk and dawn, signal plans) is the wall clock too; with it, the field's clock starts at
    ``start_at`` (seconds since the epoch, in the past) and runs ``speed`` times faster than the
    wall clock until it catches up with it, then at real speed (``FieldEngine.field_time``).
    """

    scale: str = "dijon"
    seed: int = 1
    speed: float = 1.0
    latency_ms: tuple[float, float] = (50.0, 300.0)
    #: Fraction of device executions that fail (the device answers ``failed``).
    failure_rate: float = 0.0
    #: Probability per device and simulated day of a fault (lamp, column, controller...).
    fault_rate: float = 0.0
    #: Cabinet failures per simulated day (most of one cabinet's lights fault within a minute).
    cabinet_failures_per_day: float = 0.0
    #: Fraction of commands and dispatches executed but never acknowledged.
    lost_ack: float = 0.0
    #: Fraction of request ids whose first delivery is dropped silently (a resend is handled).
    first_attempt_ignored: float = 0.0
    #: Gateways drop off now and then through a real Last Will, and come back later.
    gateway_offline: bool = False
    gateway_offline_first_s: float = 600.0  # simulated seconds before the first drop
    gateway_offline_every_s: float = 7_200.0  # simulated seconds between drops (on average)
    gateway_offline_for_s: tuple[float, float] = (120.0, 600.0)  # simulated seconds offline
    #: Citizen reports (hotline and app), field alerts and building alarms per simulated day.
    reports_per_day: float = 850.0
    alerts_per_day: float = 120.0
    alarms_per_day: float = 12.0
    #: Breaks per patrol or road crew and simulated day (the unit is ``unavailable`` meanwhile).
    breaks_per_day: float = 1.0
    #: Multiplies how often people pass the presence sensors (0: nobody passes).
    presence_rate: float = 1.0
    #: Degrees added to the seasonal weather (negative: a cold snap, when the snow plan matters).
    temperature_offset_c: float = 0.0
    #: Simulation step on the wall clock, in seconds.
    tick_s: float = 0.25
    #: Prefix of generated report and alert ids; by default the start time, so runs never clash.
    run_id: str | None = None
    #: Where the field's clock starts (seconds since the epoch); None: on the wall clock.
    start_at: float | None = None

    def __post_init__(self) -> None:
        low, high = self.latency_ms
        checks = {
            "speed": math.isfinite(self.speed) and self.speed > 0,
            "latency_ms": 0 <= low <= high < 3_600_000,
            "tick_s": 0 < self.tick_s <= 5,
            "gateway_offline_for_s": 0
            < self.gateway_offline_for_s[0]
            <= self.gateway_offline_for_s[1],
            "gateway_offline_every_s": self.gateway_offline_every_s > 0,
            "gateway_offline_first_s": self.gateway_offline_first_s >= 0,
            "temperature_offset_c": -40 <= self.temperature_offset_c <= 40,
            "start_at": self.start_at is None
            or (math.isfinite(self.start_at) and self.start_at >= 946_684_800),  # 2000
        }
        for name in ("failure_rate", "lost_ack", "first_attempt_ignored"):
            checks[name] = 0.0 <= getattr(self, name) <= 1.0
        for name in ("fault_rate", "cabinet_failures_per_day", "reports_per_day", "breaks_per_day"):
            checks[name] = getattr(self, name) >= 0
        checks["presence_rate"] = math.isfinite(self.presence_rate) and self.presence_rate >= 0
        checks["alerts_per_day"] = self.alerts_per_day >= 0 and self.alarms_per_day >= 0
        bad = [name for name, ok in checks.items() if not ok]
        if bad:
            raise ValueError(f"invalid simulator option(s): {', '.join(bad)}")

    def with_mix(self, name: str, **overrides: Any) -> SimulatorOptions:
        """These options with a preset applied, then ``overrides`` (those not ``None``) on top."""
        if name not in MIXES:
            raise ValueError(f"unknown mix {name!r} (known: {', '.join(MIXES)})")
        known = {f.name for f in fields(self)}
        unknown = set(overrides) - known
        if unknown:
            raise ValueError(f"unknown simulator option(s): {', '.join(sorted(unknown))}")
        given = {k: v for k, v in overrides.items() if v is not None}
        return replace(self, **{**MIXES[name], **given})


#: Presets of failure modes. ``mild`` is a plausible working day: a few faults, the odd cabinet
#: failure, one command in a hundred failing, one ack in two hundred lost, a gateway dropping
#: off every few hours.
MIXES: dict[str, dict[str, Any]] = {
    "none": {},
    "mild": {
        "failure_rate": 0.01,
        "fault_rate": 0.001,
        "cabinet_failures_per_day": 2.0,
        "lost_ack": 0.005,
        "gateway_offline": True,
        "gateway_offline_first_s": 900.0,
        "gateway_offline_every_s": 4 * 3600.0,
    },
}
