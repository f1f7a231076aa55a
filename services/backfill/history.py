"""``backfill``: a month of the city's history, written straight into the database.

One transaction: the history is drawn (deterministic for a seed, a scale, a number of days and an
end), then written table by table in bulk (``sink``), then the audit journal's entries chained
after its head. A database that already holds history is refused (``backfill.not_empty``): the
month would be mixed with another one (two meters' timelines, two sets of incident numbers).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from services.backfill import (
    acts,
    aggregates,
    energy,
    equipment,
    incidents,
    mode_periods,
    snow,
    units,
    watch,
)
from services.backfill import city as city_plan
from services.backfill.auditing import AuditBook
from services.backfill.commands import Commands
from services.backfill.faults import plan_faults
from services.backfill.lighting import Lighting
from services.backfill.period import Period
from services.backfill.sink import Sink
from services.domain.errors import InvalidInput
from services.domain.retention import Retention
from services.lighting_policy import load_policy
from services.playbooks import load_playbook
from services.simulator.generation import build_world
from services.simulator.scales import SCALES
from services.snow_network import load_network
from services.store import partitions
from services.store.database import Database
from services.store.energy import night_of, rebuild_nights

#: The tables a backfill writes history into: any row there and it refuses.
HISTORY_TABLES = (
    "incidents",
    "equipment_changes",
    "unit_positions",
    "units",
    "energy_readings",
    "commands",
    "camera_views",
    "journal",
    "traffic_flow_hours",
    "bus_priority_days",
    "mode_periods",
    "snow_passes",
    "salt_readings",
)
#: The longest history a backfill writes (the meter readings' retention).
MAX_DAYS = 400
#: A backfill's own name in the audit journal, unless the caller names who runs it.
BACKFILL = "system:backfill"
#: The big tables PostgreSQL is asked to analyse afterwards (their plans need statistics).
ANALYSED = ("energy_readings", "energy_nights", "unit_positions", "incidents", "incident_changes",
            "equipment_changes", "audit_log", "commands", "command_acks", "traffic_flow_hours",
            "bus_priority_days", "mode_periods", "snow_passes", "salt_readings")  # fmt: skip

Progress = Callable[[str, int, int], None]


class NotEmpty(InvalidInput):
    key = "backfill.not_empty"


@dataclass(frozen=True)
class BackfillReport:
    """What was written: rows per table, from when to when, and how long it took."""

    start: datetime
    end: datetime
    scale: str
    seed: int
    rows: dict[str, int]
    seconds: float
    phases: dict[str, float] = field(default_factory=dict)
    policy_at: datetime | None = None

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def backfill(
    db: Database,
    *,
    days: int,
    scale: str = "dijon",
    seed: int = 1,
    end: datetime | None = None,
    incidents_per_day: float = 1000,
    on_progress: Progress | None = None,
    operator: str = BACKFILL,
    snow_network: str = "",
) -> BackfillReport:
    """Write ``days`` of the city's history ending at ``end`` (now by default) into ``db``.

    The same seed, scale, days, end and rate write the same history. ``on_progress(phase, n,
    of)`` is told each phase as it starts. Raises ``InvalidInput`` for an impossible request
    (``backfill.bad_days``, ``backfill.bad_scale``, ``backfill.end_in_future``) and ``NotEmpty``
    for a database that holds history already. ``snow_network``: the winter network's file
    (the bundled one by default), whose segments the snow passes are counted over.
    """
    began = time.perf_counter()
    now = datetime.now(UTC)
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise InvalidInput("backfill.bad_days", value=days, maximum=MAX_DAYS)
    if scale not in SCALES:
        raise InvalidInput("backfill.bad_scale", value=scale, known=", ".join(SCALES))
    if incidents_per_day < 0:
        raise InvalidInput("backfill.bad_rate", value=incidents_per_day)
    end = (end or now).astimezone(UTC).replace(microsecond=0)
    if end > now:
        raise InvalidInput("backfill.end_in_future", value=end.isoformat())
    period = Period(end - timedelta(days=days), end)
    phases: dict[str, float] = {}
    steps = [
        "world",
        "history",
        "incidents",
        "energy",
        "equipment",
        "aggregates",
        "record",
        "audit",
    ]

    def phase(name: str) -> None:
        phases[name] = time.perf_counter()
        if on_progress is not None:
            on_progress(name, steps.index(name) + 1, len(steps))

    phase("world")
    world = build_world(seed, scale)
    policy = load_policy()
    playbook = load_playbook()
    segments, _ = load_network(snow_network)
    kept = Retention().positions_kept.days
    with db.write() as session:
        sink = Sink(session)
        _refuse_history(sink)
        # PostgreSQL: the period's partitions, before its rows (else they go to DEFAULT).
        partitions.ensure_partitions(session, end, since=period.start)
        phase("history")
        plan = city_plan.plan(period, seed)
        faults = plan_faults(world, period, seed)
        audit = AuditBook()
        commands = Commands(world, faults, audit, seed, period.t1)
        switches = acts.switch_modes(plan, playbook, commands, audit, period, seed)
        periods = mode_periods.mode_periods(plan, switches, playbook, period)
        lighting = Lighting(world, period, plan, policy, playbook, seed)
        acts.apply_policy(world, plan, policy, lighting, commands, audit)
        presets = acts.everyday(world, period, faults, commands, seed)
        lighting.apply_effects(commands.effects)
        phase("incidents")
        room = incidents.Room(
            world=world,
            period=period,
            city=plan,
            faults=faults,
            commands=commands,
            audit=audit,
            seed=seed,
            per_day=incidents_per_day,
            first_id=sink.next_id("incidents"),
        )
        room.run()
        tracks = list(room.tracks.values())
        units.snow_rounds(plan, period, world, tracks)
        depots = snow.Depots(world, tracks, period)
        depots.settle()
        views = watch.camera_views(
            world, period, plan, room.cases, audit, sink.next_id("camera_views"), seed
        )
        journal = watch.logbook(period, switches, room.cases, audit, sink.next_id("journal"), seed)
        phase("energy")
        last: dict[str, float] = {}
        sink.write(
            "energy_readings",
            energy.COLUMNS,
            energy.readings(world, period, lighting, faults, sink, last),
        )
        marks = energy.reading_times(period)
        if marks:
            sink.counts["energy_nights"] = rebuild_nights(
                session, night_of(datetime.fromtimestamp(marks[0], UTC)), end
            )
        phase("equipment")
        history = equipment.History(world, period, faults, lighting, commands.effects, seed)
        history.build()
        states = equipment.final_states(
            world, period, plan, history, lighting, last, True, presets, seed
        )
        equipment.write_rows(sink, states, world, period, faults)
        history.write(sink)
        phase("aggregates")
        aggregates.write_traffic(sink, world, period, seed)
        served = mode_periods.bus_priority(periods)
        aggregates.write_bus_priority(sink, world, period, faults, history, served, seed)
        mode_periods.write(sink, periods)
        # From the month's start: the recorder counted the passes as the positions came, before
        # retention thinned the positions out after 60 days.
        passes = snow.passes(tracks, periods, segments, period.t0, period.t1)
        snow.write_passes(sink, passes, segments)
        depots.write(sink, states)
        phase("record")
        commands.write(sink)
        incidents.write(sink, room)
        units.write_units(sink, tracks, period)
        units.write_positions(sink, tracks, period, kept)
        watch.write_views(sink, views)
        watch.write_logbook(sink, journal)
        acts.write_modes(sink, switches)
        phase("audit")
        closing = {
            "from": period.start.isoformat(),
            "to": period.end.isoformat(),
            "days": days,
            "scale": scale,
            "seed": seed,
            "incidents_per_day": incidents_per_day,
        }
        sink.counts["audit_log"] = audit.write(
            sink, (datetime.now(UTC), operator, "history.backfill", closing)
        )
        if sink.pg:
            for table in ANALYSED:
                session.execute(text(f"ANALYZE {table}"))
    done = time.perf_counter()
    marks_in_order = list(phases.items()) + [("end", done)]
    durations = {
        name: round(marks_in_order[n + 1][1] - at_, 3)
        for n, (name, at_) in enumerate(marks_in_order[:-1])
    }
    return BackfillReport(
        start=period.start,
        end=period.end,
        scale=scale,
        seed=seed,
        rows=dict(sorted(sink.counts.items())),
        seconds=round(done - began, 3),
        phases=durations,
        policy_at=datetime.fromtimestamp(plan.policy_at, UTC),
    )


def _refuse_history(sink: Sink) -> None:
    full = [t for t in HISTORY_TABLES if sink.scalar(f"SELECT EXISTS (SELECT 1 FROM {t})")]
    if full:
        raise NotEmpty(tables=", ".join(full))
