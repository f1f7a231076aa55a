"""A plausible telemetry history of Dijon Métropole at dusk, for the panel's tests and screenshot.

34,000 lights switch on between 17:00 and 17:30, a cabinet's 100 lights lose their link for
twenty minutes, the evening rush peaks at 17:45 on 12 counting points, and the 8 weather stations
cool towards freezing. Built as samples directly: drawing is what is tested, not sampling.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from datetime import datetime, timedelta

from services.domain.telemetry import (
    CounterReading,
    LightCounts,
    TelemetryHistory,
    TelemetrySample,
)

LIGHTS = 34_000
POINTS = [f"urn:ngsi-ld:TrafficFlowObserved:dijon-{n:02d}" for n in range(1, 13)]
STATIONS = [f"urn:ngsi-ld:WeatherObserved:{c}" for c in ("21231", "21166", "21515", "21617")]


def _share(clock: datetime, start_hour: float, minutes: float) -> float:
    """0 before ``start_hour``, 1 after ``minutes`` more: how far the dusk switch-on went."""
    hours = clock.hour + clock.minute / 60 + clock.second / 3600
    return min(1.0, max(0.0, (hours - start_hour) * 60 / minutes))


def dusk_sample(at: datetime, communes: Sequence[str], rng: random.Random) -> TelemetrySample:
    lit_share = _share(at, 17.0, 30)
    minutes = (at.hour - 17) * 60 + at.minute
    lost = 100 if 50 <= minutes < 70 else 0  # a cabinet's link down for twenty minutes
    fault = 260 + int(40 * lit_share) + rng.randint(-3, 3)  # lamps that fail at switch-on
    stale = 35 + rng.randint(0, 10) + lost
    heard = LIGHTS - fault - stale
    on = int(heard * lit_share)
    total = LightCounts(on=on, off=heard - on, fault=fault, stale=stale)
    per_commune = {c: LightCounts() for c in communes}
    # Dijon holds about half the lights; the other communes share the rest.
    weights = [12 if i == 0 else 1 for i in range(len(communes))]
    for bucket, count in total._asdict().items():
        left = count
        for index, commune in enumerate(communes):
            part = left if index == len(communes) - 1 else count * weights[index] // sum(weights)
            left -= part
            per_commune[commune] = per_commune[commune]._replace(
                **{bucket: getattr(per_commune[commune], bucket) + part}
            )
    rush = math.exp(-(((minutes - 45) / 50) ** 2))
    traffic = {
        p: round((300 + 500 * rush) * (0.6 + 0.08 * i) + rng.gauss(0, 20))
        for i, p in enumerate(POINTS)
    }
    cooling = minutes / 120
    air = {
        s: round(3.5 - 2.5 * cooling - 0.4 * i + rng.gauss(0, 0.1), 1)
        for i, s in enumerate(STATIONS)
    }
    road = {s: round(a - 0.8 - 0.5 * cooling + rng.gauss(0, 0.1), 1) for s, a in air.items()}
    return TelemetrySample(
        at=at,
        lights=per_commune,
        lights_total=total,
        energy_w=on * 48.0 + (total.fault * 5.0),
        energy_reporting=heard,
        traffic_intensity=traffic,
        road_temperature=road,
        air_temperature=air,
    )


def dusk_history(
    start: datetime,
    span: timedelta,
    communes: Sequence[str],
    step: timedelta = timedelta(seconds=15),
    seed: int = 6,
) -> TelemetryHistory:
    rng = random.Random(seed)
    history = TelemetryHistory()
    received = quarantined = 0
    at = start
    while at <= start + span:
        taken = dusk_sample(at, communes, rng)
        history.add_sample(taken)
        lit_now = taken.lights_total.on / LIGHTS
        minutes = (at - start).total_seconds() / 60
        # About 130 messages a second, more once the lights are on and report their power;
        # a burst of malformed payloads from one gateway for five minutes.
        received += int(step.total_seconds() * (130 + 40 * lit_now + rng.gauss(0, 4)))
        quarantined += rng.choice((0, 0, 0, 1)) + (12 if 80 <= minutes < 85 else 0)
        history.add_counters(CounterReading(at, received, quarantined))
        at += step
    return history
