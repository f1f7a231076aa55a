"""The open-data aggregates the recorder keeps: counted once, in order, per episode.

On real databases (SQLite, and PostgreSQL when VIGIE_TEST_PG_URL is set), through the function
the writer calls in its transaction (``record_aggregates``) and the store's own. "Two recorders"
are two transactions recording the same states: what a second recorder, a retained replay at a
restart or a redelivery does.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import inspect, select, text

from services.bus.messages import Place, PositionMessage, StateMessage
from services.commands.outcome import Outcome
from services.domain.commands import CommandStatus
from services.domain.equipment import EquipmentType
from services.domain.retention import Retention
from services.domain.segment_grid import SegmentGrid
from services.domain.snow import PASS_RADIUS_M, Network, Segment, distance_to_segment_m
from services.modes import ModeSwitcher
from services.recorder import retention
from services.recorder.aggregates import SnowWatch, record_aggregates
from services.snow_network import load_network
from services.store import mode_periods, snow_passes
from services.store.database import Database
from services.store.models import (
    BusPriorityDayRow,
    ModePeriodRow,
    SaltReadingRow,
    TrafficFlowHourRow,
)
from services.store.schema import upgrade

NOW = datetime(2026, 12, 15, 10, 30, tzinfo=UTC)
DIJON = Place(47.3220, 5.0415, "21231")
#: A straight east-west street, 750 m long, and another 2 km north of it.
MAIN = Segment(
    "prin:test-1", "Rue principale", Network.PRINCIPAL, ((47.30, 5.00), (47.30, 5.01)),
    timedelta(minutes=120),
)  # fmt: skip
NORTH = Segment(
    "sec:test-2", "Rue du nord", Network.SECONDARY, ((47.32, 5.00), (47.32, 5.01)),
    timedelta(minutes=360),
)  # fmt: skip


def state(kind: EquipmentType, ident: str, at: datetime | None, **attributes) -> StateMessage:
    return StateMessage(kind, ident, dict(attributes), None, None, DIJON, None, at)


def flow(vehicles, at: datetime | None, ident: str = "trafficflow:21231-001") -> StateMessage:
    return state(EquipmentType.TRAFFIC_FLOW_OBSERVED, ident, at, intensity=vehicles)


def signal(
    requested: datetime | None, served: bool, at: datetime = NOW, **who: str
) -> StateMessage:
    attributes: dict = {"lastPriorityServed": served, **who}
    if requested is not None:
        attributes["lastPriorityRequest"] = requested.isoformat().replace("+00:00", "Z")
    return state(EquipmentType.TRAFFIC_SIGNAL, "trafficsignal:21231-001", at, **attributes)


def depot(tonnes, at: datetime | None) -> StateMessage:
    return state(
        EquipmentType.SALT_STOCK, "saltstock:21231-01", at, saltTonnes=tonnes, brineCubicMetres=80.0
    )


def plough(at: datetime, lat: float = 47.30, lon: float = 5.005, **work) -> PositionMessage:
    attributes = {"plowDown": True} if not work else work
    return PositionMessage(
        "vehicle:sn-01", Place(lat, lon, "21231"), at, "sn-01", ("snowPlough",), 20.0, 90.0,
        attributes,
    )  # fmt: skip


def record(db, states=(), positions=(), snow=None, now=NOW) -> None:
    """One recorder's batch, in its own transaction."""
    with db.write() as session:
        record_aggregates(
            session,
            [(m, False) for m in states],
            list(positions),
            now,
            snow=snow,
            trusted_until=now + timedelta(minutes=5),
        )


def rows(db, model) -> list:
    with db.read() as session:
        return list(session.execute(select(model)).scalars())


# --- traffic flow per hour -----------------------------------------------------------------------
def test_a_flow_reading_heard_twice_or_by_two_recorders_counts_once(db):
    at = NOW.replace(minute=5)
    record(db, [flow(600, at), flow(600, at)])  # twice in one batch
    record(db, [flow(600, at)])  # the second recorder, a retained replay
    record(db, [flow(900, at + timedelta(minutes=10))])
    (hour,) = rows(db, TrafficFlowHourRow)
    assert (hour.hour, hour.readings, hour.vehicles_sum) == (NOW.replace(minute=0), 2, 1500.0)
    assert hour.last_observed_at == at + timedelta(minutes=10) and hour.commune == "21231"


def test_an_older_flow_reading_is_not_counted_and_the_next_hour_is_its_own(db):
    record(db, [flow(600, NOW), flow(300, NOW - timedelta(minutes=10))])  # out of order, one batch
    record(db, [flow(100, NOW - timedelta(minutes=20))])  # late, after newer ones counted
    record(db, [flow(1200, NOW + timedelta(hours=1))])
    by_hour = {r.hour: (r.readings, r.vehicles_sum) for r in rows(db, TrafficFlowHourRow)}
    assert by_hour == {
        NOW.replace(minute=0): (2, 900.0),  # oldest first in its batch: both count
        NOW.replace(minute=0) + timedelta(hours=1): (1, 1200.0),
    }


def test_what_is_no_flow_reading_is_not_counted(db):
    with db.write() as session:  # a retained state without its own time: a replay of any age
        record_aggregates(session, [(flow(500, None), True)], [], NOW)
    record(db, [flow(-1, NOW), flow("many", NOW), flow(True, NOW), flow(float("nan"), NOW)])
    record(db, [flow(1e308, NOW), flow(1e308, NOW + timedelta(minutes=1))])  # a sensor gone mad
    assert rows(db, TrafficFlowHourRow) == []
    record(db, [flow(500, None)])  # live, without a time: the time it was received
    assert [(r.hour, r.readings) for r in rows(db, TrafficFlowHourRow)] == [
        (NOW.replace(minute=0), 1)
    ]


# --- bus priority per day ------------------------------------------------------------------------
def test_a_bus_priority_request_counts_once_however_often_its_signal_reports_it(db):
    first = NOW - timedelta(minutes=30)
    # The signal's state every minute repeats its latest request: one request.
    record(db, [signal(first, True, NOW - timedelta(minutes=m)) for m in (29, 28, 27)])
    record(db, [signal(first, True)])  # another recorder
    record(db, [signal(NOW - timedelta(minutes=5), False), signal(None, False)])
    record(db, [signal(NOW - timedelta(minutes=40), True)])  # older than the last counted
    record(db, [signal(NOW + timedelta(hours=2), True)])  # a clock ahead: not counted
    (day,) = rows(db, BusPriorityDayRow)
    assert (day.day, day.requests, day.served) == (date(2026, 12, 15), 2, 1)
    assert day.last_request_at == NOW - timedelta(minutes=5)


def test_a_units_priority_request_is_never_a_bus_s(db):
    """An emergency vehicle's green (the ``priority`` command) would tell where a unit went."""
    unit = {"lastPriorityKind": "unit", "lastPriorityUnit": "vehicle:amb-02"}
    record(db, [signal(NOW - timedelta(minutes=9), True, NOW - timedelta(minutes=9), **unit)])
    # a controller that does not say the kind, but names the unit
    unnamed = {"lastPriorityUnit": "vehicle:pm-01"}
    record(db, [signal(NOW - timedelta(minutes=7), True, NOW - timedelta(minutes=7), **unnamed)])
    assert rows(db, BusPriorityDayRow) == []
    record(db, [signal(NOW - timedelta(minutes=5), False, lastPriorityKind="bus")])
    (day,) = rows(db, BusPriorityDayRow)
    assert (day.requests, day.served) == (1, 0)


def test_a_request_counts_on_the_rooms_day(db):
    late = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)  # 00:30 on New Year's Day in Dijon
    record(db, [signal(late, True, late)], now=late)
    (day,) = rows(db, BusPriorityDayRow)
    assert day.day == date(2027, 1, 1)


# --- salt ----------------------------------------------------------------------------------------
def test_salt_readings_are_kept_once_each_then_purged_after_400_days(db):
    record(db, [depot(120.0, NOW), depot(120.0, NOW)])
    record(db, [depot(120.0, NOW), depot(118.5, NOW + timedelta(minutes=5)), depot(None, NOW)])
    assert sorted(r.salt_tonnes for r in rows(db, SaltReadingRow)) == [118.5, 120.0]
    with db.write() as session:
        purged = retention.purge(session, NOW + timedelta(days=400, minutes=1), Retention())
    assert purged["salt_readings"] == 1
    assert [r.salt_tonnes for r in rows(db, SaltReadingRow)] == [118.5]


# --- the modes' periods --------------------------------------------------------------------------
def follow(db, kind: str, value: str, at: datetime) -> None:
    with db.write() as session:
        mode_periods.follow(session, kind, value, at)


def test_mode_periods_follow_the_switches_and_the_episodes(db):
    t = [NOW + timedelta(hours=h) for h in range(6)]
    follow(db, "snow", "1", t[0])
    follow(db, "traffic", "snow", t[0])
    follow(db, "snow", "2", t[1])
    follow(db, "snow", "2", t[2])  # the same level again: the period goes on
    follow(db, "snow", "0", t[3])
    follow(db, "snow", "1", t[4])
    with db.read() as session:
        snow = [
            (p.value, p.started_at, p.ended_at, p.episode_start)
            for p in mode_periods.periods(session, "snow")
        ]
        traffic = mode_periods.periods(session, "traffic")
        during = [mode_periods.episode_in_force(session, at) for at in t]
        before = mode_periods.episode_in_force(session, t[0] - timedelta(seconds=1))
    assert snow == [
        ("1", t[0], t[1], t[0]),
        ("2", t[1], t[3], t[0]),  # raised within the episode: the same episode
        ("0", t[3], t[4], None),
        ("1", t[4], None, t[4]),  # a new episode
    ]
    assert [(p.value, p.ended_at) for p in traffic] == [("snow", None)]
    assert during == [t[0], t[0], t[0], None, t[4], t[4]] and before is None


def test_a_switch_finished_records_its_period_whatever_its_commands_did(db):
    """``finish`` puts the target in force even when every command failed: so does the period."""
    modes = ModeSwitcher(db, None, None)  # finish sends nothing

    def finish(value: str, previous: str, status: CommandStatus) -> None:
        preview = SimpleNamespace(
            kind="snow", value=value, current=SimpleNamespace(value=previous), rollback=False,
            entry=SimpleNamespace(bus_priority=None), plans=(),
        )  # fmt: skip
        switch = SimpleNamespace(
            preview=preview, by="c.morel", reason="neige", motive="", requests=(), actor="c.morel"
        )
        record = modes.finish(switch, SimpleNamespace(outcome=Outcome(status, 0, ())))
        assert record.value == value

    finish("2", "0", CommandStatus.DONE)
    finish("3", "2", CommandStatus.FAILED)  # nothing done in the field; the record says 3
    finish("3", "3", CommandStatus.DONE)  # applied again: the same period
    with db.read() as session:
        periods = mode_periods.periods(session, "snow")
        (city,) = session.execute(text("SELECT value FROM city_modes WHERE kind = 'snow'")).all()
    assert [(p.value, p.ended_at is None) for p in periods] == [("2", False), ("3", True)]
    assert periods[1].episode_start == periods[0].started_at
    assert city.value == periods[-1].value  # the periods never disagree with the record


# --- snow passes ---------------------------------------------------------------------------------
@pytest.fixture
def snow() -> SnowWatch:
    watch = SnowWatch([MAIN, NORTH])
    watch.REFRESH_S = 0.0  # every batch reads the episodes: the tests switch between batches
    return watch


def test_no_pass_is_counted_outside_an_episode(db, snow):
    record(db, positions=[plough(NOW)], snow=snow)
    follow(db, "snow", "0", NOW - timedelta(hours=1))
    record(db, positions=[plough(NOW)], snow=snow)
    assert rows(db, snow_passes.SnowPassRow) == []


def test_passes_gaps_and_the_first_pass_of_an_episode(db, snow):
    start = NOW - timedelta(hours=3)
    follow(db, "snow", "2", start)
    first = NOW - timedelta(hours=2)
    record(db, positions=[plough(first), plough(first + timedelta(minutes=4))], snow=snow)
    record(db, positions=[plough(first + timedelta(minutes=4))], snow=snow)  # heard twice
    record(db, positions=[plough(first + timedelta(minutes=12))], snow=snow)  # extends (≤ 10 min)
    record(db, positions=[plough(NOW, spreading=True)], snow=snow)  # a new pass, 108 min later
    # Not treatments: blade up, another vehicle's point 200 m off the street.
    record(db, positions=[plough(NOW + timedelta(minutes=30), plowDown=False)], snow=snow)
    record(db, positions=[plough(NOW + timedelta(minutes=30), lat=47.3018)], snow=snow)
    # Late, out of order: only moves the first pass earlier.
    record(db, positions=[plough(first - timedelta(minutes=30))], snow=snow)
    (row,) = rows(db, snow_passes.SnowPassRow)
    assert (row.episode_start, row.segment_id, row.network, row.target_s) == (
        start, MAIN.id, "principal", 7200,
    )  # fmt: skip
    assert (row.first_pass_at, row.last_pass_at, row.passes) == (
        first - timedelta(minutes=30), NOW, 2,
    )  # fmt: skip
    assert row.longest_gap_s == 108 * 60  # more than the 60 min before the first pass


def test_two_recorders_folding_the_same_treatments_count_them_once(db, snow):
    follow(db, "snow", "1", NOW - timedelta(hours=1))
    points = [plough(NOW + timedelta(minutes=m)) for m in (0, 15, 30)]
    other = SnowWatch([MAIN, NORTH])
    record(db, positions=points[:2], snow=snow)
    record(db, positions=points, snow=other)
    record(db, positions=list(reversed(points)), snow=snow)
    (row,) = rows(db, snow_passes.SnowPassRow)
    assert (row.passes, row.first_pass_at, row.last_pass_at) == (3, NOW, points[-1].observed_at)
    assert row.longest_gap_s == 3600


def test_each_episode_has_its_own_passes(db, snow):
    one, two = NOW - timedelta(hours=5), NOW - timedelta(hours=1)
    follow(db, "snow", "1", one)
    follow(db, "snow", "0", NOW - timedelta(hours=3))
    follow(db, "snow", "3", two)
    record(
        db,
        positions=[
            plough(one + timedelta(minutes=30)),
            plough(NOW - timedelta(hours=2)),  # between the episodes: level 0
            plough(NOW, lat=47.32),  # the north street, in the second episode
        ],
        snow=snow,
    )
    got = {
        (r.episode_start, r.segment_id): r.longest_gap_s for r in rows(db, snow_passes.SnowPassRow)
    }
    assert got == {(one, MAIN.id): 1800, (two, NORTH.id): 3600}


def test_the_episodes_are_read_again_only_every_few_seconds(db):
    clock = [0.0]
    watch = SnowWatch([MAIN], clock=lambda: clock[0])
    record(db, positions=[plough(NOW)], snow=watch)  # read: no episode
    follow(db, "snow", "1", NOW - timedelta(hours=1))
    record(db, positions=[plough(NOW + timedelta(minutes=1))], snow=watch)
    assert rows(db, snow_passes.SnowPassRow) == []  # the cache has not seen the switch yet
    clock[0] += SnowWatch.REFRESH_S
    record(db, positions=[plough(NOW + timedelta(minutes=2))], snow=watch)
    assert len(rows(db, snow_passes.SnowPassRow)) == 1


def test_the_grid_finds_what_a_scan_of_every_segment_finds():
    segments, _ = load_network("")
    grid = SegmentGrid(segments)
    lats = [lat for s in segments for lat, _ in s.points]
    lons = [lon for s in segments for _, lon in s.points]
    steps = 60
    for i in range(steps + 1):
        for j in range(steps + 1):
            lat = min(lats) + (max(lats) - min(lats)) * i / steps
            lon = min(lons) + (max(lons) - min(lons)) * j / steps
            scanned = [
                s.id for s in segments if distance_to_segment_m(lat, lon, s) <= PASS_RADIUS_M
            ]
            assert [s.id for s in grid.near(lat, lon)] == scanned
    # and on the segments themselves (the points a plough drives through)
    for s in segments:
        for lat, lon in s.points:
            assert s in grid.near(lat, lon)


# --- the export's views --------------------------------------------------------------------------
EXPORT_COLUMNS = {
    "export_incidents": ["category", "commune", "created_at", "lat", "lon"],
    "export_equipment": ["id", "type", "name", "commune", "lat", "lon"],
    "export_status_changes": ["equipment_id", "at", "old", "new"],
}


def test_the_views_hold_no_description_and_no_personal_column(db):
    with db.read() as session:
        names = inspect(session.connection()).get_view_names()
        got = {
            view: [c["name"] for c in inspect(session.connection()).get_columns(view)]
            for view in EXPORT_COLUMNS
        }
    assert set(EXPORT_COLUMNS) <= set(names)
    assert got == EXPORT_COLUMNS


def test_the_views_read_what_they_say(db):
    with db.write() as session:
        for ident, duplicate in ((1, None), (2, 1)):
            session.execute(
                text(
                    "INSERT INTO incidents (id, source, category, priority, status, commune, lat, "
                    "lon, description, duplicate_of, created_at, updated_at, updated_by, version, "
                    "alert_count) VALUES (:id, 'call', 'voirie', 3, 'new', '21231', 47.3, 5.04, "
                    "'Mme Martin, 06 00 00 00 00', :dup, :at, :at, 'c.bernard', 1, 0)"
                ),
                {"id": ident, "dup": duplicate, "at": NOW},
            )
        for field, new in (("status", "fault"), ("plan", "SNOW")):
            session.execute(
                text(
                    "INSERT INTO equipment_changes (equipment_id, at, field, old, new) "
                    "VALUES ('streetlight:1', :at, :field, 'ok', :new)"
                ),
                {"at": NOW, "field": field, "new": new},
            )
    with db.read() as session:
        incidents = session.execute(text("SELECT category, commune FROM export_incidents")).all()
        changes = session.execute(text("SELECT old, new FROM export_status_changes")).all()
    assert [tuple(r) for r in incidents] == [("voirie", "21231")]  # the duplicate is no more
    assert [tuple(r) for r in changes] == [("ok", "fault")]


def test_a_mode_period_is_one_open_per_kind(db):
    follow(db, "snow", "1", NOW)
    with pytest.raises(Exception), db.write() as session:  # noqa: B017, PT011 - either driver's
        session.add(ModePeriodRow(kind="snow", value="2", started_at=NOW))
        session.flush()


def test_the_upgrade_keeps_a_snow_episode_in_force(db_url):
    """A city upgrading at snow level 2 keeps its episode: passes count from the upgrade on."""
    database = Database(db_url)
    try:
        upgrade(database, "0016")
        with database.engine.begin() as connection:
            connection.execute(
                text("UPDATE city_modes SET value = '2', since = :at WHERE kind = 'snow'"),
                {"at": NOW},
            )
        upgrade(database)
        with database.read() as session:
            periods = mode_periods.periods(session)
            assert mode_periods.episode_in_force(session, NOW + timedelta(hours=1)) == NOW
        assert [(p.kind, p.value, p.ended_at) for p in periods] == [("snow", "2", None)]
    finally:
        database.dispose()
