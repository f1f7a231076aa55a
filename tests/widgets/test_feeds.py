"""The incident and equipment feeds on the console's bridge, and every feed's stop.

Against a real broker and database: an event brings the incident it names, read on the feed's
lane; a database that fails is reported and read again once back; a feed stopped during a read
leaves nothing running that could touch a panel being deleted.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QObject

from console.bridge import Bridge
from console.feeds.equipment import EquipmentFeed
from console.feeds.incidents import IncidentFeed
from console.feeds.map import MapFeed
from services.domain.incidents import IncidentSource, Location, new_incident
from services.domain.operators import Role
from services.permissions import load_matrix
from services.store import incidents
from services.store.database import Database, DatabaseUnreachable
from services.store.models import EquipmentRow
from services.store.types import utcnow

DEFAULT = load_matrix()  # the bundled permission matrix


class Gate:
    """The test's database behind a gate: reads wait while it is shut, and fail while it is down."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.entered = threading.Event()  # a read has begun
        self.open = threading.Event()
        self.open.set()
        self.down = False

    def __getattr__(self, name: str):  # noqa: ANN204 - whatever the database has
        return getattr(self.db, name)

    @contextlib.contextmanager
    def read(self) -> Iterator:
        self.entered.set()
        assert self.open.wait(15)
        if self.down:
            raise DatabaseUnreachable(url="test", reason="switched off by the test")
        with self.db.read() as session:
            yield session


@pytest.fixture
def bridge() -> Iterator[Bridge]:
    bridge = Bridge()
    yield bridge
    bridge.shutdown()


def _open_incident(db: Database):
    with db.write() as s:
        return incidents.create(
            s,
            new_incident(
                source=IncidentSource.CALL,
                category="fallen_tree",
                at=utcnow(),
                place="Rue Monge",
                location=Location(47.3200, 5.0400),
            ),
            by="c.bernard",
        )


def _heard(feed: QObject) -> list[tuple]:
    """Every signal ``feed`` emits, as (name, arguments)."""
    said: list[tuple] = []
    for name in dir(type(feed)):
        if name.startswith("sig_"):
            getattr(feed, name).connect(lambda *args, name=name: said.append((name, args)))
    return said


def test_an_incident_event_brings_the_incident_read_on_the_lane(db, broker, qtbot, bridge):
    feed = IncidentFeed(db, broker.url, "feeds-event", bridge=bridge)
    read: list[list] = []
    links: list[tuple] = []
    feed.sig_incidents.connect(read.append)
    feed.sig_link.connect(lambda *link: links.append(link))
    feed.start()
    try:
        qtbot.waitUntil(lambda: feed.bus.connections >= 1, timeout=15_000)
        # the first turn read an empty record: nothing to show, the database answered
        qtbot.waitUntil(lambda: ("database", True, "") in links and not feed.busy, timeout=10_000)
        assert read == []
        incident = _open_incident(db)
        feed.announce(incident.id, incident.version, "c.bernard")
        qtbot.waitUntil(lambda: bool(read), timeout=10_000)
        assert [(i.id, i.version) for i in read[-1]] == [(incident.id, incident.version)]
    finally:
        feed.stop()


def test_a_database_that_fails_is_reported_and_read_again_once_back(db, broker, qtbot, bridge):
    incident = _open_incident(db)
    gate = Gate(db)
    gate.down = True
    feed = IncidentFeed(gate, broker.url, "feeds-down", bridge=bridge)
    read: list[list] = []
    links: list[tuple] = []
    feed.sig_incidents.connect(read.append)
    feed.sig_link.connect(lambda *link: links.append(link))
    feed.start()
    try:
        qtbot.waitUntil(lambda: ("database", False, "db.unreachable") in links, timeout=10_000)
        assert read == []
        gate.down = False
        qtbot.waitUntil(lambda: bool(read), timeout=10_000)  # at a later drain, unasked
        assert [i.id for i in read[-1]] == [incident.id]
        assert links.index(("database", True, "")) > links.index(
            ("database", False, "db.unreachable")
        )
    finally:
        feed.stop()


def test_the_equipment_feed_reports_a_failed_read_and_reads_at_the_next_period(db, qtbot, bridge):
    now = utcnow()
    with db.write() as s:
        s.add(
            EquipmentRow(
                id="cam:1",
                type="Camera",
                status="ok",
                lat=47.32,
                lon=5.04,
                attributes={},
                received_at=now,
                updated_at=now,
            )
        )
    gate = Gate(db)
    gate.down = True
    feed = EquipmentFeed(gate, bridge=bridge, period_ms=100)
    failed: list[str] = []
    devices: list[list] = []
    feed.sig_failed.connect(failed.append)
    feed.sig_equipment.connect(devices.append)
    feed.start()
    try:
        qtbot.waitUntil(lambda: failed == ["db.unreachable"], timeout=10_000)
        assert devices == []
        gate.down = False
        qtbot.waitUntil(lambda: bool(devices), timeout=10_000)
        assert [d.id for d in devices[-1]] == ["cam:1"]
    finally:
        feed.stop()


def test_the_equipment_feed_tells_the_table_what_changed_and_judges_the_rest_again(db, bridge):
    """Every device at the first read; then the rows the recorder changed since, and the devices
    not read whose state moved (here a gateway's link lost); nothing when nothing moved."""
    from services.store.models import GatewayRow

    now = utcnow()
    with db.write() as s:
        s.add(GatewayRow(id="gw:1", online=True, since=now, updated_at=now))
        for ident, gateway in (("cam:1", "gw:1"), ("cam:2", None)):
            s.add(
                EquipmentRow(
                    id=ident,
                    type="Camera",
                    status="ok",
                    gateway=gateway,
                    lat=47.32,
                    lon=5.04,
                    attributes={},
                    received_at=now,
                    updated_at=now,
                )
            )
    feed = EquipmentFeed(db, bridge=bridge)
    first = feed._read()[0]  # the lane's work, called here: no loop needed
    assert sorted((d.id, d.state) for d in first) == [("cam:1", "ok"), ("cam:2", "ok")]
    assert feed._read()[0] == []  # read again within the overlap: equal, not told again
    with db.write() as s:
        s.get(EquipmentRow, "cam:2").status = "defective"
        s.get(GatewayRow, "gw:1").online = False
    changed = sorted((d.id, d.state) for d in feed._read()[0])
    assert changed == [("cam:1", "comm_lost"), ("cam:2", "fault")]
    assert feed._read()[0] == []


def test_the_records_size_is_told_even_when_the_first_read_failed(db, bridge, monkeypatch):
    """The size decides whether the table pages (ten times Dijon): it must reach the desk."""
    from console.feeds import equipment as equipment_feed

    read = equipment_feed.read_equipment
    calls = []

    def failing_once(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls.append(1)
        if len(calls) == 1:
            raise DatabaseUnreachable(url="test", reason="gone a moment")
        return read(*args, **kwargs)

    monkeypatch.setattr(equipment_feed, "read_equipment", failing_once)
    feed = EquipmentFeed(db, bridge=bridge)
    with pytest.raises(DatabaseUnreachable):
        feed._sized_read()
    size, _ = feed._sized_read()
    assert size == 0  # counted again and told (an empty record here)
    assert feed._sized_read()[0] is None  # then not again


def test_the_feeds_whole_field_reads_hold_the_gui_threads_collections_off(db, bridge, monkeypatch):
    """A read of every device holds 340,000 of them a moment, on a lane: a collection on the GUI
    thread meanwhile would walk them all (services.collector.whole_field_pass)."""
    from console.feeds import equipment as equipment_feed
    from console.feeds import map as map_feed
    from services import collector

    passes: dict[str, list[int]] = {"equipment": [], "situation": []}

    def watched(name, read):  # noqa: ANN001, ANN202
        def reading(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            passes[name].append(collector._passes)
            return read(*args, **kwargs)

        return reading

    monkeypatch.setattr(
        equipment_feed, "read_equipment", watched("equipment", equipment_feed.read_equipment)
    )
    monkeypatch.setattr(map_feed, "read_situation", watched("situation", map_feed.read_situation))
    equipment = EquipmentFeed(db, bridge=bridge)
    equipment._read()  # the first read is whole
    equipment._read()  # then what changed since
    kinds = DEFAULT.unit_kinds(Role("technician"))
    feed = MapFeed(db, "mqtt://127.0.0.1:1", "whole", bridge=bridge, kinds=kinds)
    feed._read_snapshot(map_feed._Said())
    feed._resync(utcnow())
    assert passes == {"equipment": [1, 0], "situation": [1, 1]}
    assert collector._passes == 0  # each pass over once read


#: Each feed, and the name of the lane it reads on (its worker thread's name begins with it).
FEEDS = {
    "incident-feed": lambda db, url, bridge: IncidentFeed(db, url, "feeds-stop", bridge=bridge),
    "map-feed": lambda db, url, bridge: MapFeed(
        db, url, "feeds-stop", bridge=bridge, kinds=DEFAULT.unit_kinds(Role("dispatcher"))
    ),
    "equipment-feed": lambda db, _url, bridge: EquipmentFeed(db, bridge=bridge),
}


@pytest.mark.parametrize("lane", sorted(FEEDS))
def test_a_feed_stopped_during_a_read_leaves_nothing_running(db, broker, qtbot, bridge, lane):
    gate = Gate(db)
    gate.open.clear()
    feed = FEEDS[lane](gate, broker.url, bridge)
    said = _heard(feed)
    feed.start()
    qtbot.waitUntil(gate.entered.is_set, timeout=10_000)
    assert feed.busy
    opener = threading.Timer(0.3, gate.open.set)  # the read ends while stop() waits for it
    opener.start()
    feed.stop()
    opener.join()
    assert not [t for t in threading.enumerate() if t.name.startswith(lane)]
    qtbot.wait(300)  # the cancelled turn ends, and must not resume to emit what was read
    assert not feed.busy
    assert [name for name, args in said if args[:1] != ("broker",)] == []  # paho's own aside
    feed.deleteLater()  # as a closing console's feeds go; a turn still alive would fail the test
    qtbot.wait(100)
