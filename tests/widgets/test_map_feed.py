"""The map's live feed against a real broker and database: privacy, faults, links, coverage.

Units reach the feed from the database once a second, never from the bus (docs/security.md):
here they are recorded as the recorder records them, or by the recorder itself.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest

from console.bridge import Bridge
from console.feeds.map import MapFeed
from services.bus.messages import Place, PositionMessage, UnitStatusMessage
from services.domain.operators import Role
from services.domain.snow import Network, PassState, Segment
from services.domain.snow_watch import SnowWatch
from services.domain.units import UnitKind, UnitStatus
from services.permissions import load_matrix
from services.recorder.units import record_positions, record_statuses
from services.recorder.writer import Recorder, RecorderOptions
from services.store import pg_authority
from services.store.database import Database
from services.store.models import UnitPositionRow
from services.store.schema import upgrade
from tests.conftest import ROOM, ROOM_PASSWORD
from tests.pg_scram import available as scram_available
from tests.services.test_recorder import Field

DIJON, TALANT = "21231", "21617"

DEFAULT = load_matrix()  # the bundled permission matrix
KEPT = timedelta(days=60)
CATEGORY = {"patrol": "police", "crew": "roadMaintenance", "plough": "snowPlough"}


def vehicle(ident: str, category: str, lat: float, lon: float) -> dict:
    return {
        "id": ident,
        "type": "Vehicle",
        "name": ident,
        "category": [category],
        "location": {"type": "Point", "coordinates": [lon, lat]},
        "observationDateTime": datetime.now(UTC).isoformat(),
        "bearing": 45,
    }


def recorded(
    db: Database, unit: str, kind: str, lat: float, lon: float, **attributes: bool
) -> None:
    """A unit's position written as the recorder writes it."""
    message = PositionMessage(
        unit,
        Place(lat, lon, None),
        datetime.now(UTC),
        unit,
        (CATEGORY[kind],),
        20.0,
        45.0,
        attributes,
    )
    with db.write() as session:
        record_positions(session, [message], datetime.now(UTC) - KEPT)


def recorded_status(db: Database, unit: str, status: str, incident: int | None = None) -> None:
    message = UnitStatusMessage(unit, status, incident, datetime.now(UTC))
    with db.write() as session:
        record_statuses(session, [message])


def told_units(said: dict) -> dict[str, list]:
    """Each unit's every version the feed told, in order."""
    units: dict[str, list] = {}
    for changes in said["changes"]:
        for unit in changes.units:
            units.setdefault(unit.id, []).append(unit)
    return units


@pytest.fixture
def bridge() -> Iterator[Bridge]:
    bridge = Bridge()
    yield bridge
    bridge.shutdown()


@pytest.fixture
def heard(qtbot, bridge):
    """Start a feed and collect what it says."""
    feeds, said = [], {"snapshots": [], "changes": []}

    def start(feed: MapFeed) -> MapFeed:
        feed.sig_snapshot.connect(said["snapshots"].append)
        feed.sig_changes.connect(said["changes"].append)
        feed.start()
        feeds.append(feed)
        qtbot.waitUntil(lambda: len(said["snapshots"]) == 1, timeout=15_000)
        return feed

    yield start, said
    for feed in feeds:
        feed.stop()


def test_a_technician_sees_crews_faults_and_lost_links_but_no_patrol(
    db, broker, qtbot, heard, bridge
):
    start, said = heard
    root = "mapfeed-tech"
    feed = start(
        MapFeed(db, broker.url, root, bridge=bridge, kinds=DEFAULT.unit_kinds(Role("technician")))
    )
    qtbot.waitUntil(lambda: feed.bus.connections >= 1, timeout=15_000)
    field = Field(broker.url, client_id="field-mapfeed-tech")
    try:
        # what the recorder quarantines, the map's feed ignores without stopping
        field.send(f"{root}/state/Streetlight/light:x", b"not json")
        recorded(db, "vehicle:pm-01", "patrol", 47.32, 5.04)
        recorded(db, "vehicle:ve-01", "crew", 47.33, 5.05)
        light = {
            "id": "light:1",
            "type": "Streetlight",
            "status": "ok",
            "refGateway": "gw:9",
            "location": {"type": "Point", "coordinates": [5.04, 47.32]},
        }
        field.send(f"{root}/state/Streetlight/light:1", light)

        def units() -> set[str]:
            return {u.id for c in said["changes"] for u in c.units}

        def device_states() -> list[str]:
            return [d[2] for c in said["changes"] for d in c.devices if d[0] == "light:1"]

        qtbot.waitUntil(
            lambda: units() == {"vehicle:ve-01"} and bool(device_states()), timeout=10_000
        )
        field.send(f"{root}/state/Streetlight/light:1", {**light, "status": "defectiveLamp"})
        qtbot.waitUntil(lambda: device_states()[-1:] == ["fault"], timeout=10_000)
        field.send(f"{root}/gateways/gw:9/status", {"online": False})
        qtbot.waitUntil(lambda: device_states()[-1:] == ["comm_lost"], timeout=10_000)
        field.send(
            f"{root}/gateways/gw:9/status", {"online": True, "since": "2026-11-25T20:00:00Z"}
        )
        qtbot.waitUntil(lambda: device_states()[-1:] == ["fault"], timeout=10_000)
        assert device_states() == ["ok", "fault", "comm_lost", "fault"]  # each change once
        assert "vehicle:pm-01" not in units()  # privacy: never even kept
    finally:
        field.close()


def test_a_commune_without_an_available_patrol_is_reported(db, broker, qtbot, heard, bridge):
    start, said = heard
    root = "mapfeed-cover"
    feed = start(
        MapFeed(
            db,
            broker.url,
            root,
            bridge=bridge,
            kinds=DEFAULT.unit_kinds(Role("dispatcher")),
            watched_communes={DIJON, TALANT},
            coverage_gap=timedelta(0),
            sweep_ms=300,
        )
    )
    qtbot.waitUntil(lambda: feed.bus.connections >= 1, timeout=15_000)

    def last_gaps() -> list[str] | None:
        reported = [c.coverage for c in said["changes"] if c.coverage is not None]
        return [g.insee for g in reported[-1]] if reported else None

    qtbot.waitUntil(lambda: last_gaps() == [DIJON, TALANT], timeout=10_000)
    recorded(db, "vehicle:pm-01", "patrol", 47.3220, 5.0415)  # in Dijon's centre, available
    qtbot.waitUntil(lambda: last_gaps() == [TALANT], timeout=10_000)
    recorded_status(db, "vehicle:pm-01", "en_route", incident=4)
    # Talant's gap is the older one: it comes first
    qtbot.waitUntil(lambda: last_gaps() == [TALANT, DIJON], timeout=10_000)
    assert any(u.kind is UnitKind.PATROL for c in said["changes"] for u in c.units)


def test_what_the_live_flow_missed_is_read_again_from_the_database(
    db, broker, qtbot, heard, bridge
):
    from services.store.models import EquipmentRow
    from services.store.types import utcnow

    start, said = heard
    start(
        MapFeed(
            db,
            broker.url,
            "mapfeed-resync",
            bridge=bridge,
            kinds=DEFAULT.unit_kinds(Role("technician")),
            sweep_ms=100,
        )
    )
    now = utcnow()
    with db.write() as s:  # recorded, but its message never reached this console
        s.add(
            EquipmentRow(
                id="cam:7",
                type="Camera",
                status="fault",
                lat=47.32,
                lon=5.04,
                attributes={},
                received_at=now,
                updated_at=now,
            )
        )
    qtbot.waitUntil(
        lambda: (
            ("cam:7", "Camera", "fault", 47.32, 5.04)
            in [d for c in said["changes"] for d in c.devices]
        ),
        timeout=10_000,
    )


def test_the_map_shows_what_the_contract_accepts_and_nothing_else(db, bridge):
    """The one decoder's judgement, on the model's lane: run here, the feed not started."""
    feed = MapFeed(
        db,
        "mqtt://127.0.0.1:1",
        "direct",
        bridge=bridge,
        kinds=DEFAULT.unit_kinds(Role("dispatcher")),
    )
    at = datetime.now(UTC)
    point = {"type": "Point", "coordinates": [5.04, 47.32]}
    good = json.dumps({"status": "ok", "location": point}).encode()
    refused = json.dumps({"status": "ok", "location": point, "illuminanceLevel": 7}).encode()
    ngsi_v2 = json.dumps(
        {
            "id": "sl:3",
            "type": "Streetlight",
            "status": {"type": "Text", "value": "defectiveLamp"},
            "location": {"type": "geo:point", "value": "47.33, 5.05"},
        }
    ).encode()
    moving = vehicle("vehicle:ve-01", "roadMaintenance", 47.33, 5.05)
    changes = feed._apply(
        {
            "direct/state/Streetlight/sl:1": (good, at),
            "direct/state/Streetlight/sl:2": (refused, at),  # a fraction of 7: not shown
            "direct/state/Streetlight/sl:3": (ngsi_v2, at),
            # a unit's word on the bus is the recorder's to record, not the map's to show
            "direct/units/vehicle:ve-01/position": (json.dumps(moving).encode(), at),
            "direct/units/vehicle:ve-01/status": (
                json.dumps({"status": "en_route", "ts": at.isoformat()}).encode(),
                at,
            ),
        }
    )
    assert sorted((d[0], d[2], d[3], d[4]) for d in changes.devices) == [
        ("sl:1", "ok", 47.32, 5.04),
        ("sl:3", "fault", 47.33, 5.05),
    ]
    assert changes.units == []


def test_a_position_recorded_in_the_database_moves_the_unit_within_a_couple_of_seconds(
    db, broker, qtbot, heard, bridge
):
    start, said = heard
    start(
        MapFeed(db, broker.url, "mapfeed-moves", bridge=bridge, kinds=frozenset(UnitKind))
    )  # a refresh every second, as in the room
    recorded(db, "vehicle:ve-01", "crew", 47.33, 5.05)
    qtbot.waitUntil(lambda: "vehicle:ve-01" in told_units(said), timeout=2_500)
    recorded(db, "vehicle:ve-01", "crew", 47.34, 5.06)
    qtbot.waitUntil(lambda: len(told_units(said)["vehicle:ve-01"]) == 2, timeout=2_500)
    first, moved = told_units(said)["vehicle:ve-01"]
    assert (first.lat, first.lon, first.kind, first.bearing) == (
        47.33,
        5.05,
        UnitKind.ROAD_CREW,
        45,
    )
    assert (moved.lat, moved.lon) == (47.34, 5.06)
    qtbot.wait(2_200)  # two more refreshes: nothing moved, nothing told again
    assert len(told_units(said)["vehicle:ve-01"]) == 2


def test_a_status_changed_in_the_record_changes_the_units(db, broker, qtbot, heard, bridge):
    start, said = heard
    recorded(db, "vehicle:pm-01", "patrol", 47.32, 5.04)
    feed = start(
        MapFeed(
            db,
            broker.url,
            "mapfeed-status",
            bridge=bridge,
            kinds=DEFAULT.unit_kinds(Role("dispatcher")),
            units_ms=200,
        )
    )
    assert [u.id for u in said["snapshots"][0].units] == ["vehicle:pm-01"]
    recorded_status(db, "vehicle:pm-01", "en_route", incident=7)

    def statuses() -> list[tuple[UnitStatus, int | None]]:
        return [(u.status, u.incident_id) for u in told_units(said).get("vehicle:pm-01", [])]

    qtbot.waitUntil(lambda: statuses() == [(UnitStatus.EN_ROUTE, 7)], timeout=10_000)
    recorded_status(db, "vehicle:pm-01", "on_scene", incident=7)
    qtbot.waitUntil(lambda: statuses()[-1:] == [(UnitStatus.ON_SCENE, 7)], timeout=10_000)
    assert feed.unit_name("vehicle:pm-01") == "vehicle:pm-01"


def test_a_position_on_the_bus_that_is_not_recorded_never_reaches_the_map(
    db, broker, qtbot, heard, bridge
):
    start, said = heard
    root = "mapfeed-bus"
    feed = start(
        MapFeed(db, broker.url, root, bridge=bridge, kinds=frozenset(UnitKind), units_ms=200)
    )
    assert not [t for t, _qos in feed.bus.subscriptions if "/units/" in t]
    qtbot.waitUntil(lambda: feed.bus.connections >= 1, timeout=15_000)
    field = Field(broker.url, client_id="field-mapfeed-bus")
    try:  # retained, as the field publishes positions: even a late subscriber would get it
        unheard = vehicle("vehicle:ve-09", "roadMaintenance", 47.33, 5.05)
        field.send(f"{root}/units/vehicle:ve-09/position", unheard, qos=0, retain=True)
        now = datetime.now(UTC).isoformat()
        field.send(f"{root}/units/vehicle:ve-09/status", {"status": "en_route", "ts": now})
        recorded(db, "vehicle:ve-01", "crew", 47.32, 5.04)  # what the recorder did record
        qtbot.waitUntil(lambda: "vehicle:ve-01" in told_units(said), timeout=10_000)
        qtbot.wait(1_000)  # five more refreshes
        assert set(told_units(said)) == {"vehicle:ve-01"}
    finally:
        field.send(f"{root}/units/vehicle:ve-09/position", b"", qos=0, retain=True)
        field.close()


def test_the_recorder_records_a_unit_and_the_map_follows_it(db, broker, qtbot, heard, bridge):
    """The whole path: the field's message, the recorder's commit, the map's next reading."""
    start, said = heard
    root = "mapfeed-recorded"
    recorder = Recorder(db, broker.url, root, f"{root}-recorder", options=RecorderOptions())
    recorder.start()
    field = Field(broker.url, client_id=f"field-{root}")
    try:
        assert recorder.bus.wait_connected(10)
        start(MapFeed(db, broker.url, root, bridge=bridge, kinds=frozenset(UnitKind), units_ms=250))
        plough = {**vehicle("vehicle:sn-01", "snowPlough", 47.33, 5.05), "plowDown": True}
        field.send(f"{root}/units/vehicle:sn-01/position", plough, qos=0)
        qtbot.waitUntil(lambda: "vehicle:sn-01" in told_units(said), timeout=10_000)
        (unit,) = told_units(said)["vehicle:sn-01"]
        assert (unit.kind, unit.work, unit.status) == (
            UnitKind.SNOW_PLOUGH,
            "plough",
            UnitStatus.AVAILABLE,
        )
        now = datetime.now(UTC).isoformat()
        field.send(f"{root}/units/vehicle:sn-01/status", {"status": "unavailable", "ts": now})
        qtbot.waitUntil(
            lambda: told_units(said)["vehicle:sn-01"][-1].status is UnitStatus.UNAVAILABLE,
            timeout=10_000,
        )
    finally:
        field.close()
        recorder.stop()


#: A principal road through Dijon's centre (about 200 m), and a lane far from it.
AXIS = Segment(
    "prin:a", "Liberté", Network.PRINCIPAL, ((47.3220, 5.0400), (47.3220, 5.0430)),
    timedelta(hours=2),
)  # fmt: skip
LANE = Segment(
    "seco:b", "Talant", Network.SECONDARY, ((47.3370, 4.9990), (47.3380, 5.0010)),
    timedelta(hours=4),
)  # fmt: skip


def test_the_snow_watch_counts_passes_from_the_recorded_work(db, broker, qtbot, heard, bridge):
    start, said = heard
    snow = SnowWatch([AXIS, LANE], datetime.now(UTC) - timedelta(minutes=1))
    kinds = DEFAULT.unit_kinds(Role("snow_coordinator"))
    feed = start(
        MapFeed(db, broker.url, "mapfeed-snow", bridge=bridge, kinds=kinds, units_ms=200, snow=snow)
    )
    recorded(db, "vehicle:sn-01", "plough", 47.3221, 5.0415, plowDown=True, spreading=True)
    recorded(db, "vehicle:sn-02", "plough", 47.3375, 5.0000)  # on the lane, blade up

    def passes() -> dict[str, PassState]:
        return {
            ident: state for ident, (_m, state) in snow.states(feed.now(), snow.started_at).items()
        }

    both = {"vehicle:sn-01", "vehicle:sn-02"}
    qtbot.waitUntil(lambda: both <= told_units(said).keys(), timeout=10_000)
    assert told_units(said)["vehicle:sn-01"][-1].work == "plough+spread"
    assert snow.vehicles(feed.now()) == (1, 2)  # fed on the lane, before the map is told
    assert passes() == {"prin:a": PassState.FRESH, "seco:b": PassState.NEVER}
    recorded(db, "vehicle:sn-01", "plough", 47.3300, 5.0600)  # further on, blade up
    qtbot.waitUntil(lambda: snow.vehicles(feed.now()) == (0, 2), timeout=10_000)


class CountingSnowWatch(SnowWatch):
    def __init__(self) -> None:
        super().__init__([AXIS], datetime.now(UTC))
        self.treated: list[tuple[str, datetime]] = []

    def observe(self, unit: str, lat: float, lon: float, at: datetime, treating: bool) -> None:
        self.treated.append((unit, at))
        super().observe(unit, lat, lon, at, treating)


def test_a_treating_position_committed_late_is_counted_once(db, bridge):
    """Ids are given at insert: a recorder's batch may commit after a later one's, lower."""
    snow = CountingSnowWatch()
    feed = MapFeed(
        db, "mqtt://127.0.0.1:1", "direct", bridge=bridge, kinds=frozenset(UnitKind), snow=snow
    )  # not started: the lane's work, called here
    now = datetime.now(UTC)
    recorded(db, "vehicle:sn-01", "plough", 47.3221, 5.0415, plowDown=True)
    with db.write() as session:  # rows 10 and 12 committed; 11 not yet
        for ident, seconds in ((10, 1), (12, 3)):
            at = now + timedelta(seconds=seconds)
            session.add(
                UnitPositionRow(
                    id=ident, unit_id="vehicle:sn-01", observed_at=at, lat=47.3221, lon=5.0415,
                    work="plough",
                )
            )  # fmt: skip
    feed._read_units()
    first = len(snow.treated)
    with db.write() as session:  # the late one
        at = now + timedelta(seconds=2)
        session.add(
            UnitPositionRow(
                id=11, unit_id="vehicle:sn-01", observed_at=at, lat=47.3221, lon=5.0415,
                work="spread",
            )
        )  # fmt: skip
    feed._read_units()
    feed._read_units()
    assert first == 3  # the recorder's own row, 10 and 12
    assert snow.treated[first:] == [("vehicle:sn-01", now + timedelta(seconds=2))]


def test_a_treating_position_from_before_the_console_started_is_no_pass(db, bridge):
    snow = CountingSnowWatch()
    feed = MapFeed(
        db, "mqtt://127.0.0.1:1", "direct", bridge=bridge, kinds=frozenset(UnitKind), snow=snow
    )  # not started: the lane's work, called here
    recorded(db, "vehicle:sn-01", "plough", 47.3221, 5.0415, plowDown=True)
    with db.write() as session:  # recorded now, observed before this console started
        session.add(
            UnitPositionRow(
                unit_id="vehicle:sn-01", observed_at=snow.started_at - timedelta(minutes=5),
                lat=47.3221, lon=5.0415, work="plough",
            )
        )  # fmt: skip
    feed._read_units()
    assert [at >= snow.started_at for _unit, at in snow.treated] == [True]


@pytest.fixture(scope="module")
def authority_room() -> Iterator[tuple[Database, Callable[[str], Database]]]:
    """A private PostgreSQL that checks passwords, installed as a room.

    Gives the superuser's database (the recorder's stand-in, which row-level security does not
    restrict) and a way to log in as an operator.
    """
    from tests.pg_scram import scram_cluster

    with scram_cluster() as cluster:
        name = f"vigie_{uuid.uuid4().hex[:6]}"
        owner = Database(cluster.create_database(name))
        upgrade(owner)
        with owner.engine.begin() as connection:
            pg_authority.install(connection, DEFAULT, "vigie_")
        with owner.write() as session:
            for operator in ("t.roux", "c.bernard"):
                verifier = pg_authority.scram_verifier(session, operator, ROOM_PASSWORD)
                pg_authority.call(
                    session, "vigie_operator_create", name=operator,
                    role=ROOM[operator].value, verifier=verifier,
                )  # fmt: skip
        logins: list[Database] = []

        def login(operator: str) -> Database:
            logins.append(Database(cluster.url(operator, ROOM_PASSWORD, name)))
            return logins[-1]

        yield owner, login
        for database in [owner, *logins]:
            database.dispose()


@pytest.mark.skipif(not scram_available(), reason="no PostgreSQL server installed here")
def test_a_technicians_map_never_gets_a_patrol_even_when_it_asks(
    authority_room, broker, qtbot, heard, bridge
):
    """The database decides: a technician's feed asking for every kind still gets no patrol."""
    owner, login = authority_room
    start, said = heard
    recorded(owner, "vehicle:pm-01", "patrol", 47.32, 5.04, plowDown=True)
    recorded(owner, "vehicle:sn-01", "plough", 47.3221, 5.0415, plowDown=True)
    snow = SnowWatch([AXIS, LANE], datetime.now(UTC) - timedelta(minutes=1))
    every_kind = frozenset(UnitKind)
    technician = MapFeed(
        login("t.roux"), broker.url, "mapfeed-rls", bridge=bridge, kinds=every_kind,
        units_ms=200, snow=snow,
    )  # fmt: skip
    start(technician)
    assert [u.id for u in said["snapshots"][0].units] == ["vehicle:sn-01"]
    assert set(said["snapshots"][0].trails) == {"vehicle:sn-01"}
    recorded(owner, "vehicle:pm-01", "patrol", 47.33, 5.05)
    recorded(owner, "vehicle:sn-01", "plough", 47.3222, 5.0420, spreading=True)
    qtbot.waitUntil(lambda: "vehicle:sn-01" in told_units(said), timeout=10_000)
    qtbot.wait(600)  # three more readings
    assert set(told_units(said)) == {"vehicle:sn-01"}
    assert snow.vehicles(technician.now()) == (1, 1)  # the plough only, treating
    # The same reading as a dispatcher's login: the patrol is there, so its absence above is
    # the database's doing.
    dispatcher = MapFeed(
        login("c.bernard"), broker.url, "mapfeed-rls", bridge=bridge, kinds=every_kind
    )  # not started: the lane's work, called here
    assert {u.id for u in dispatcher._read_units().units} == {"vehicle:pm-01", "vehicle:sn-01"}
