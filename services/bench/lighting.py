"""The lighting policy at Dijon's scale: its preview, its push to every cabinet, the Energy view.

A private mosquitto, a scratch database, ``vigie simulate`` at Dijon's scale and the real ``vigie
recorder``; once the field's cold start is recorded, three figures, each against a baseline run
alongside (these machines are noisy: ratios, not absolute times, are what compares):

- ``preview_ms``: previewing the policy for every light (projection and one command per group),
  against reading the same lights' rows bare (goal: ≤ 1,000 ms);
- ``push_s``: the profiles pushed to every group and every cabinet's answer collected, against the
  same groups sent a ``dim`` through the same path (the command path's usual time);
- ``energy_30d_ms``: the Energy panel's 30 nights for every commune from a month of meter
  readings (written by the backfill), against its view of one night (goal: ≤ 1,000 ms; it grows
  with the nights shown, 30 times the rows, not with the readings), and against what summing the
  raw readings for the same nights costs (``scan_ms``): the view reads the nightly sums only.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from services import lighting
from services.backfill import backfill
from services.bench.audit import scratch_database
from services.bench.mosquitto import PrivateMosquitto
from services.bench.outbox import settle_field
from services.bench.processes import bench_env, vigie_process
from services.commands import outbox
from services.commands.sender import CommandSender, Plan
from services.domain.commands import CommandName
from services.domain.energy import by_commune, by_night
from services.lighting_policy import load_policy
from services.playbooks import load_playbook
from services.store import energy
from services.store.database import Database
from services.store.models import EnergyReadingRow, EquipmentRow
from services.store.schema import upgrade

ROOT = "vigie"
BENCH = "system:bench"
PREVIEW_GOAL_MS = 1_000.0
ENERGY_GOAL_MS = 1_000.0
ROUNDS = 3


@dataclass(frozen=True)
class LightingBench:
    backend: str
    lights: int
    groups: int
    preview_ms: float  # median of the rounds
    read_ms: float  # baseline: the same lights' rows read bare
    push_s: float  # every profile answered (or expired)
    push_lights_done: int
    dim_s: float  # baseline: a dim to the same groups, same path
    dim_lights_done: int
    energy_30d_ms: float
    energy_1d_ms: float  # baseline: one night
    scan_ms: float  # contrast: the same 30 nights summed from the raw readings
    readings: int  # raw meter readings in the month

    @property
    def preview_ratio(self) -> float:
        return self.preview_ms / max(self.read_ms, 0.001)

    @property
    def push_ratio(self) -> float:
        return self.push_s / max(self.dim_s, 0.001)

    @property
    def energy_ratio(self) -> float:
        return self.energy_30d_ms / max(self.energy_1d_ms, 0.001)

    @property
    def passed(self) -> bool:
        return (
            self.preview_ms <= PREVIEW_GOAL_MS
            and self.energy_30d_ms <= ENERGY_GOAL_MS
            and self.push_lights_done == self.lights
        )


def _median_ms(work: Callable[[], object], rounds: int = ROUNDS) -> float:
    times = []
    for _ in range(rounds):
        began = time.perf_counter()
        work()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def _read_lights(db: Database) -> int:
    """The baseline of a preview: every grouped light's row, read bare."""
    with db.read() as session:
        rows = session.execute(
            select(EquipmentRow.id, EquipmentRow.gateway, EquipmentRow.group_ref).where(
                EquipmentRow.type == "Streetlight", EquipmentRow.group_ref.is_not(None)
            )
        ).all()
    return len(rows)


def _dims(sender: CommandSender, preview: lighting.LightingPreview) -> list[Plan]:
    """The baseline of a push: each group of the preview sent a dim, on the same path."""
    now = datetime.now(UTC)
    return [
        Plan(
            outbox.prepare(
                "group",
                plan.request.target,
                CommandName.DIM.value,
                {"illuminanceLevel": 1.0},
                issued_by=BENCH,
                reply_to=sender.reply_to,
                now=now,
                expires_in=lighting.PROFILE_EXPIRY,
            ),
            plan.members,
            True,
            plan.communes,
        )
        for plan in preview.plans
    ]


def _push(
    db: Database, sender: CommandSender, preview: lighting.LightingPreview
) -> tuple[float, int]:
    began = time.perf_counter()
    applied = lighting.apply(db, sender, preview, BENCH, "bench")
    state = lighting.wait(sender, applied)
    return time.perf_counter() - began, state.lights_done


def _dim(
    db: Database, sender: CommandSender, preview: lighting.LightingPreview
) -> tuple[float, int]:
    plans = _dims(sender, preview)
    dimmed = lighting.LightingPreview(preview.policy, preview.projection, tuple(plans))
    began = time.perf_counter()
    requests = sender.send_together(plans, lambda _session: None)
    applied = lighting.LightingApply(dimmed, tuple(requests), BENCH, "bench")
    state = lighting.wait(sender, applied)
    return time.perf_counter() - began, state.lights_done


def _energy_view(db: Database, nights: int) -> None:
    since = energy.night_of(datetime.now(UTC)) - timedelta(days=nights)
    with db.read() as session:
        rows = energy.nights(session, since=since)
    by_commune(rows)
    by_night(rows)


def measure_field(db: Database, broker: PrivateMosquitto) -> dict[str, float | int]:
    """Preview and push against the live field (the recorder has recorded its cold start)."""
    policy, playbook = load_policy(), load_playbook()
    sender = CommandSender(db, broker.url, ROOT, client_id="bench-lighting-sender")
    sender.connect(10)
    try:
        lights = _read_lights(db)
        read_ms = _median_ms(lambda: _read_lights(db))
        preview_ms = _median_ms(lambda: lighting.preview(db, sender, policy, playbook, BENCH))
        preview = lighting.preview(db, sender, policy, playbook, BENCH)
        dim_s, dim_done = _dim(db, sender, preview)
        push_s, push_done = _push(db, sender, preview)
    finally:
        sender.close()
    return {
        "lights": lights,
        "groups": len(preview.plans),
        "preview_ms": preview_ms,
        "read_ms": read_ms,
        "push_s": push_s,
        "push_lights_done": push_done,
        "dim_s": dim_s,
        "dim_lights_done": dim_done,
    }


def _scan(db: Database, nights: int) -> None:
    """What the view would cost if it summed the readings (it does not)."""
    since = energy.night_of(datetime.now(UTC)) - timedelta(days=nights)
    with db.read() as session:
        session.execute(
            select(
                EnergyReadingRow.night,
                EnergyReadingRow.commune,
                func.sum(EnergyReadingRow.delta_kwh),
                func.sum(EnergyReadingRow.baseline_kwh),
            )
            .where(EnergyReadingRow.night >= since)
            .group_by(EnergyReadingRow.night, EnergyReadingRow.commune)
        ).all()


def measure_energy(db_url: str | None, days: int = 30) -> dict[str, float | int]:
    """The Energy view from a month of readings, on a database of its own."""
    with scratch_database(db_url) as db:
        upgrade(db)
        backfill(db, days=days, incidents_per_day=0)
        with db.read() as session:
            readings = session.execute(
                select(func.count()).select_from(EnergyReadingRow)
            ).scalar_one()
        return {
            "energy_30d_ms": _median_ms(lambda: _energy_view(db, 30)),
            "energy_1d_ms": _median_ms(lambda: _energy_view(db, 1)),
            "scan_ms": _median_ms(lambda: _scan(db, 30)),
            "readings": readings,
        }


def run(db_url: str | None, days: int = 30) -> LightingBench:
    with tempfile.TemporaryDirectory(prefix="vigie-lighting-") as tmp:
        folder = Path(tmp)
        broker = PrivateMosquitto(folder)
        broker.start()
        try:
            with scratch_database(db_url) as db:
                upgrade(db)
                env = bench_env(db.url, broker.url, ROOT, folder)
                with (
                    vigie_process(["recorder", "--id", "bench-lighting-recorder"], env),
                    vigie_process(["simulate", "--scale", "dijon"], env),
                ):
                    settle_field(db)
                    field = measure_field(db, broker)
                backend = db.dialect
        finally:
            broker.stop()
    return LightingBench(backend=backend, **field, **measure_energy(db_url, days))  # type: ignore[arg-type]


__all__ = ["ENERGY_GOAL_MS", "PREVIEW_GOAL_MS", "LightingBench", "run"]
