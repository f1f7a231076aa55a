"""``vigie simulate --backfill``: a month of history written straight into the database.

At the small scale and over two days (fast), on SQLite and on PostgreSQL when
``VIGIE_TEST_PG_URL`` is set: the energy nights equal sums over the raw readings (computed here in
SQL), the readings are what the recorder's ``record_readings`` makes of them, the same seed writes
the same history (on either database), nothing is dated after the end, the audit journal verifies,
and the rows are as many as the report says.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import Date, select, text

from services.backfill import NotEmpty, backfill
from services.backfill.period import PARIS
from services.domain.dimming import dark_seconds
from services.domain.equipment import EquipmentType
from services.domain.errors import InvalidInput
from services.domain.snow import (
    PASS_RADIUS_M,
    SegmentPasses,
    distance_to_segment_m,
    fold_pass,
)
from services.playbooks import load_playbook
from services.simulator.happenings import (
    BUS_HOURS,
    DEPOT_REFILL_BELOW,
    WEATHER_EVERY_S,
    traffic_level,
)
from services.simulator.routine import HEARTBEAT_S
from services.snow_network import load_network
from services.store import audit
from services.store.database import Database
from services.store.energy import MeterReading, night_of, record_readings
from services.store.models import (
    AuditRow,
    Base,
    EnergyReadingRow,
    EquipmentRow,
    ModePeriodRow,
    SaltReadingRow,
    SnowPassRow,
    TrafficFlowHourRow,
    UnitPositionRow,
)
from services.store.schema import upgrade
from services.store.types import UTCDateTime

END = datetime(2026, 12, 6, 3, 0, tzinfo=UTC)
SMALL = {"days": 2, "scale": "small", "seed": 7, "end": END, "incidents_per_day": 80}
#: Tables of recorded aggregates (issue 21) the backfill fills as the recorder would.
AGGREGATES = (
    "traffic_flow_hours",
    "bus_priority_days",
    "mode_periods",
    "snow_passes",
    "salt_readings",
)
#: Three days with an episode under way (alert, then intervention, then alert again), traffic
#: switched for the snow and for events, buses served part of the time; three days with an
#: episode beginning (0 to 1). Both small and fast.
SNOWY = {**SMALL, "days": 3}
BEGINNING = {**SMALL, "days": 3, "seed": 5}
#: Deadlines, not events: an open camera view or a command still expires after the end.
DEADLINES = {"expires_at", "claimed_until"}
#: Columns of rows the backfill does not write (the migration's, the room's operators).
NOT_WRITTEN = {"operators", "city_modes", "permission_matrix", "db_authority", "approvals"}


def _rows(db: Database, sql: str, **params: object) -> list:
    with db.read() as session:
        return session.execute(text(sql), params).all()


def test_nights_are_sums_of_the_raw_readings(db: Database) -> None:
    report = backfill(db, **SMALL)
    assert report.rows["energy_readings"] > 0
    mismatched = _rows(
        db,
        "SELECT n.night, n.commune, n.kwh, s.kwh, n.baseline_kwh, s.baseline, n.readings, s.n "
        "FROM energy_nights n FULL OUTER JOIN (SELECT night, commune, SUM(delta_kwh) AS kwh, "
        "SUM(baseline_kwh) AS baseline, COUNT(*) AS n FROM energy_readings "
        "GROUP BY night, commune) s ON s.night = n.night AND s.commune = n.commune "
        "WHERE s.n IS NULL OR n.readings IS NULL OR n.readings <> s.n "
        "OR ABS(n.kwh - s.kwh) > 1e-6 OR ABS(n.baseline_kwh - s.baseline) > 1e-6",
    )
    assert mismatched == []
    # Each delta is the difference with its cabinet's previous reading (0 for the first).
    wrong_deltas = _rows(
        db,
        "SELECT cabinet_id, observed_at FROM (SELECT cabinet_id, observed_at, delta_kwh, "
        "energy_kwh - LAG(energy_kwh) OVER (PARTITION BY cabinet_id ORDER BY observed_at) AS d "
        "FROM energy_readings) r WHERE ABS(COALESCE(d, 0) - delta_kwh) > 1e-9",
    )
    assert wrong_deltas == []
    # Each baseline is full power over the night's seconds since the previous reading.
    with db.read() as session:
        readings = (
            session.execute(
                select(EnergyReadingRow).order_by(
                    EnergyReadingRow.cabinet_id, EnergyReadingRow.observed_at
                )
            )
            .scalars()
            .all()
        )
    previous = None
    for row in readings:
        assert row.night == night_of(row.observed_at)
        assert row.observed_at <= END
        if previous is None or previous.cabinet_id != row.cabinet_id:
            assert (row.delta_kwh, row.baseline_kwh) == (0.0, 0.0)
        else:
            dark = dark_seconds(previous.observed_at, row.observed_at, row.lat, row.lon)
            assert row.baseline_kwh == (row.rated_power_w or 0.0) / 1000 * dark / 3600
        previous = row
    # Lights burn at night: some energy, and the policy saves some of it after its start.
    totals = _rows(db, "SELECT SUM(kwh), SUM(baseline_kwh) FROM energy_nights")[0]
    assert 0 < totals[0] < totals[1]


def test_readings_are_what_the_recorder_makes_of_them(db: Database, tmp_path) -> None:
    backfill(db, **SMALL)
    with db.read() as session:
        written = (
            session.execute(
                select(EnergyReadingRow).order_by(
                    EnergyReadingRow.observed_at, EnergyReadingRow.cabinet_id
                )
            )
            .scalars()
            .all()
        )
    oracle = Database(f"sqlite:///{tmp_path / 'oracle.db'}")
    upgrade(oracle)
    with oracle.write() as session:
        record_readings(
            session,
            [
                MeterReading(
                    cabinet_id=r.cabinet_id,
                    observed_at=r.observed_at,
                    energy_kwh=r.energy_kwh,
                    commune=r.commune,
                    lat=r.lat,
                    lon=r.lon,
                    metering_started=r.metering_started,
                    rated_power_w=r.rated_power_w,
                )
                for r in written
            ],
        )
    with oracle.read() as session:
        recorded = {
            (r.cabinet_id, r.observed_at): (r.delta_kwh, r.baseline_kwh, r.night)
            for r in session.execute(select(EnergyReadingRow)).scalars()
        }
    oracle.dispose()
    assert len(recorded) == len(written)
    for r in written:
        assert recorded[(r.cabinet_id, r.observed_at)] == (r.delta_kwh, r.baseline_kwh, r.night)


def _dump(db: Database) -> dict[str, list[tuple]]:
    """Every table's rows, ids aside, in an order of their own (the same on both databases)."""
    out = {}
    with db.read() as session:
        for table in Base.metadata.sorted_tables:
            if table.name in NOT_WRITTEN or table.name == "audit_chain":  # its head: the closing
                continue
            columns = [c for c in table.columns if not (c.primary_key and c.autoincrement is True)]
            if table.name == "audit_log":  # the last entry is dated when the backfill ran
                rows = session.execute(
                    select(*columns).where(table.c.action != "history.backfill")
                ).all()
            else:
                rows = session.execute(select(*columns)).all()
            out[table.name] = sorted((tuple(map(_plain, r)) for r in rows), key=repr)
    return out


def _plain(value: object) -> object:
    if isinstance(value, float):
        return round(value, 9)
    return value


def test_the_same_seed_writes_the_same_history(db: Database, tmp_path) -> None:
    backfill(db, **SMALL)
    other = Database(f"sqlite:///{tmp_path / 'again.db'}")
    upgrade(other)
    try:
        backfill(other, **SMALL)
        first, second = _dump(db), _dump(other)
        assert first.keys() == second.keys()
        for table in first:
            assert first[table] == second[table], table
        assert first["incidents"] and first["unit_positions"] and first["commands"]
        for table in AGGREGATES:
            assert first[table], table
    finally:
        other.dispose()


def test_nothing_is_dated_after_the_end(db: Database) -> None:
    backfill(db, **SMALL)
    late = []
    with db.read() as session:
        for table in Base.metadata.sorted_tables:
            if table.name in NOT_WRITTEN:
                continue
            for column in table.columns:
                if isinstance(column.type, UTCDateTime) and column.name not in DEADLINES:
                    query = select(column).where(column > END)
                    if table.name == "audit_log":
                        query = query.where(table.c.action != "history.backfill")
                    late += [(table.name, column.name, v) for v in session.execute(query).scalars()]
                if isinstance(column.type, Date) and table.name == "energy_nights":
                    assert session.execute(select(column).where(column > END.date())).all() == []
        closing = session.execute(
            select(AuditRow.ts).where(AuditRow.action == "history.backfill")
        ).scalar_one()
    assert late == []
    assert closing <= datetime.now(UTC)


def test_rows_are_as_many_as_reported(db: Database) -> None:
    report = backfill(db, **SMALL)
    assert report.start == END - timedelta(days=2) and report.end == END
    counted = {}
    with db.read() as session:
        for table in report.rows:
            counted[table] = session.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar()
    assert counted == report.rows
    # About the rate asked (faults, freeze risks and citizens together), over two days.
    assert 0.6 * 160 < report.rows["incidents"] < 1.5 * 160
    assert report.seconds > 0 and report.total_rows == sum(report.rows.values())


def test_the_history_holds_together(db: Database) -> None:
    backfill(db, **SMALL)
    with db.read() as session:
        verdict = audit.verify(session)
        closing = session.execute(
            select(AuditRow).where(AuditRow.action == "history.backfill")
        ).scalar_one()
    assert verdict.ok, verdict
    assert verdict.head is not None and verdict.head.seq == closing.seq
    assert '"first_seq":1' in closing.details
    # Every command was sent already (a live recorder finds nothing to publish), and every
    # incident's history begins with its creation.
    assert _rows(db, "SELECT request_id FROM commands WHERE sent_at IS NULL") == []
    assert (
        _rows(
            db,
            "SELECT id FROM incidents i WHERE NOT EXISTS (SELECT 1 FROM incident_changes c "
            "WHERE c.incident_id = i.id AND c.field = 'created')",
        )
        == []
    )
    # An incident's version counts its saves; its last change is its updated_at.
    wrong = _rows(
        db,
        "SELECT i.id FROM incidents i JOIN (SELECT incident_id, COUNT(DISTINCT at) AS saves, "
        "MAX(at) AS last FROM incident_changes GROUP BY incident_id) c ON c.incident_id = i.id "
        "WHERE i.version <> c.saves OR i.updated_at <> c.last",
    )
    assert wrong == []
    # Positions are a minute apart at least, per unit.
    close = _rows(
        db,
        "SELECT unit_id FROM (SELECT unit_id, observed_at, LAG(observed_at) OVER "
        "(PARTITION BY unit_id ORDER BY observed_at) AS before FROM unit_positions) p "
        "WHERE before IS NOT NULL AND observed_at = before",
    )
    assert close == []


def test_a_database_with_history_is_refused(db: Database) -> None:
    backfill(db, **SMALL)
    with pytest.raises(NotEmpty):
        backfill(db, **SMALL)


@pytest.mark.parametrize(
    "asked",
    [
        {"end": datetime.now(UTC) + timedelta(hours=1)},
        {"days": 0},
        {"scale": "lyon"},
    ],
)
def test_impossible_requests_are_refused(db: Database, asked: dict) -> None:
    with pytest.raises(InvalidInput):
        backfill(db, **{**SMALL, **asked})
    assert _rows(db, "SELECT id FROM incidents") == []


def test_readings_cover_the_period_every_quarter_hour(db: Database) -> None:
    report = backfill(db, **SMALL)
    cabinets = _rows(db, "SELECT COUNT(DISTINCT cabinet_id) FROM energy_readings")[0][0]
    quarter_hours = math.floor((2 * 86_400 - 1) / 900) + 1
    assert report.rows["energy_readings"] == cabinets * quarter_hours


# --- the recorded aggregates (issue 21) -----------------------------------------------------------
def _periods(db: Database) -> list[ModePeriodRow]:
    with db.read() as session:
        return list(
            session.execute(select(ModePeriodRow).order_by(ModePeriodRow.id)).scalars().all()
        )


@pytest.mark.parametrize("asked", [SNOWY, BEGINNING], ids=["under-way", "beginning"])
def test_each_mode_switch_has_a_period_and_periods_follow_each_other(
    db: Database, asked: dict
) -> None:
    report = backfill(db, **asked)
    periods = _periods(db)
    with db.read() as session:
        results = session.execute(
            select(AuditRow.ts, AuditRow.target).where(AuditRow.action == "mode.result")
        ).all()
    assert results, "a switch at least in these days"
    # The month's start opens one period of each kind; every switch (its result) opens one more
    # (none when its mode was in force already), and the period in force then is its mode.
    started = [p for p in periods if p.started_at > report.start]
    assert {(p.started_at, f"{p.kind}:{p.value}") for p in started} <= set(results)
    for ts, target in results:
        kind, value = target.split(":")
        in_force = [
            p
            for p in periods
            if p.kind == kind and p.started_at <= ts and (p.ended_at is None or ts < p.ended_at)
        ]
        assert [p.value for p in in_force] == [value], (ts, target)
    assert sorted(p.kind for p in periods if p.started_at == report.start) == ["snow", "traffic"]
    # The ids follow time; per kind, each period ends when the next begins; one open per kind.
    assert [p.started_at for p in periods] == sorted(p.started_at for p in periods)
    for kind in ("snow", "traffic"):
        mine = [p for p in periods if p.kind == kind]
        for before, after in zip(mine, mine[1:], strict=False):
            assert before.ended_at == after.started_at
            assert before.started_at <= before.ended_at
        assert mine[-1].ended_at is None
    # An episode begins when the plan leaves level 0 (or with the month, already under way).
    before = None
    for p in (p for p in periods if p.kind == "snow"):
        if p.value == "0":
            assert p.episode_start is None
        elif before is None or before.value == "0":
            assert p.episode_start == p.started_at
        else:
            assert p.episode_start == before.episode_start
        before = p
    assert all(p.episode_start is None for p in periods if p.kind == "traffic")


@pytest.mark.parametrize("asked", [SNOWY, BEGINNING], ids=["under-way", "beginning"])
def test_snow_passes_are_the_recorders_fold_of_the_treating_positions(
    db: Database, asked: dict
) -> None:
    backfill(db, **asked)
    segments, _ = load_network()
    periods = [p for p in _periods(db) if p.kind == "snow"]
    with db.read() as session:
        treating = session.execute(
            select(UnitPositionRow.observed_at, UnitPositionRow.lat, UnitPositionRow.lon)
            .where(UnitPositionRow.work.is_not(None))
            .order_by(UnitPositionRow.observed_at, UnitPositionRow.unit_id)
        ).all()
        written = {
            (r.episode_start, r.segment_id): r
            for r in session.execute(select(SnowPassRow)).scalars()
        }
    # The oracle: every treating position, every segment measured, the recorder's rule.
    expected: dict[tuple[datetime, str], SegmentPasses] = {}
    for observed, lat, lon in treating:
        episode = next(
            (
                p.episode_start
                for p in periods
                if p.started_at <= observed and (p.ended_at is None or observed < p.ended_at)
            ),
            None,
        )
        if episode is None:
            continue  # no episode in force: no pass
        for segment in segments:
            if distance_to_segment_m(lat, lon, segment) > PASS_RADIUS_M:
                continue
            key = (episode, segment.id)
            expected[key] = fold_pass(expected.get(key), observed, episode)
    assert expected, "some passes in these days"
    assert written.keys() == expected.keys()
    by_id = {s.id: s for s in segments}
    episodes = {p.episode_start for p in periods if p.episode_start is not None}
    for key, row in written.items():
        folded = expected[key]
        assert (row.first_pass_at, row.last_pass_at, row.passes, row.longest_gap_s) == (
            folded.first_pass_at,
            folded.last_pass_at,
            folded.passes,
            folded.longest_gap_s,
        )
        assert row.episode_start in episodes
        assert row.episode_start <= row.first_pass_at <= row.last_pass_at <= END
        assert row.network == by_id[row.segment_id].network.value
        assert row.target_s == by_id[row.segment_id].target.total_seconds()


def test_bus_priority_is_served_only_when_the_modes_allow_it(db: Database) -> None:
    backfill(db, **SNOWY)
    rows = _rows(db, "SELECT device_id, day, requests, served FROM bus_priority_days")
    assert rows
    assert all(0 <= served <= requests and requests > 0 for _, _, requests, served in rows)
    signals = {d for (d,) in _rows(db, "SELECT id FROM equipment WHERE type = 'TrafficSignal'")}
    assert {d for d, *_ in rows} <= signals
    total, served = (sum(r[2] for r in rows), sum(r[3] for r in rows))
    assert 0 < served < total  # some days buses are served, not at intervention
    # A day the snow plan stood at intervention (no bus priority) all through buses' hours.
    playbook = load_playbook()
    periods = _periods(db)
    for device, day, _requests, count in rows:
        day = day if isinstance(day, date) else date.fromisoformat(day)
        opens = datetime.combine(day, time(BUS_HOURS[0]), PARIS).astimezone(UTC)
        closes = datetime.combine(day, time(BUS_HOURS[1]), PARIS).astimezone(UTC)
        blocked = any(
            p.started_at <= opens
            and (p.ended_at is None or p.ended_at >= closes)
            and playbook.entry(p.kind, p.value).bus_priority is False
            for p in periods
        )
        if blocked:
            assert count == 0, (device, day)


def test_traffic_flow_follows_the_simulators_daily_curve(db: Database) -> None:
    report = backfill(db, **SMALL)
    loops = _rows(db, "SELECT id FROM equipment WHERE type = 'TrafficFlowObserved'")
    # A reading every five minutes after the start, up to the end included, each in its hour.
    t0, t1 = report.start.timestamp(), report.end.timestamp()
    step = int(WEATHER_EVERY_S)
    moments = range((int(t0) // step + 1) * step, int(t1) + 1, step)
    hours = {m // 3600 for m in moments}
    assert report.rows["traffic_flow_hours"] == len(loops) * len(hours)
    with db.read() as session:
        rows = session.execute(select(TrafficFlowHourRow)).scalars().all()
    per_hour = 3600 // step
    for row in rows:
        assert row.hour <= row.last_observed_at < row.hour + timedelta(hours=1)
        assert 0 < row.readings <= per_hour and row.vehicles_sum >= 0
        if report.start < row.hour and row.hour + timedelta(hours=1) <= report.end:
            assert row.readings == per_hour  # every five minutes, a whole hour
    mean = {(r.device_id, r.hour.astimezone(PARIS).hour): r.vehicles_sum / r.readings for r in rows}
    for (device,) in loops:  # the morning peak over the small hours
        assert mean[(device, 8)] > 3 * mean[(device, 3)]
        assert (
            abs(mean[(device, 8)] / mean[(device, 3)] - traffic_level(8.5) / traffic_level(3.5))
            < 1.5
        )


def test_salt_readings_never_go_negative_and_end_with_the_depots_state(db: Database) -> None:
    backfill(db, **SNOWY)
    with db.read() as session:
        readings = (
            session.execute(
                select(SaltReadingRow).order_by(SaltReadingRow.depot_id, SaltReadingRow.observed_at)
            )
            .scalars()
            .all()
        )
        depots = {
            r.id: r
            for r in session.execute(
                select(EquipmentRow).where(EquipmentRow.type == "SaltStock")
            ).scalars()
        }
    assert readings and {r.depot_id for r in readings} == set(depots)
    for depot_id, depot in depots.items():
        mine = [r for r in readings if r.depot_id == depot_id]
        capacity = depot.attributes["capacityTonnes"]
        assert all(r.salt_tonnes >= 0 and r.brine_m3 >= 0 for r in mine)
        # Delivered below the threshold: never seen under it.
        assert all(r.salt_tonnes >= DEPOT_REFILL_BELOW * capacity - 0.1 for r in mine)
        gaps = [
            (b.observed_at - a.observed_at).total_seconds()
            for a, b in zip(mine, mine[1:], strict=False)
        ]
        assert max(gaps) <= HEARTBEAT_S[EquipmentType.SALT_STOCK] + 300
        last = mine[-1]
        assert last.observed_at == depot.observed_at
        assert (last.salt_tonnes, last.brine_m3) == (
            depot.attributes["saltTonnes"],
            depot.attributes["brineCubicMetres"],
        )
    # The spreaders drew from them during the episode.
    assert any(a.salt_tonnes > b.salt_tonnes for a, b in zip(readings, readings[1:], strict=False))


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_a_full_disk_is_said_as_a_full_database(db: Database) -> None:
    """psycopg's own errors from its COPY reach the command as the store's (DatabaseFull)."""
    from services.store.database import DatabaseFull
    from tests.services.test_equipment_record import no_room

    upgrade(db)
    with db.write() as session:
        for statement in no_room("equipment_changes"):  # written by COPY
            session.execute(text(statement))
    with pytest.raises(DatabaseFull):
        backfill(db, **SMALL)
