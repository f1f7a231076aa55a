"""The recorder against a real broker and real databases."""

from __future__ import annotations

import gc
import json
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from sqlalchemy import func, select

from services.bus.topics import Topics
from services.recorder.incident_rules import FaultRules
from services.recorder.writer import Recorder, RecorderOptions
from services.store.models import (
    EquipmentChangeRow,
    EquipmentRow,
    GatewayRow,
    IncidentMediaRow,
    IncidentRow,
    PersonalDataRow,
    QuarantineRow,
    UnitPositionRow,
    UnitRow,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "smart-data-models"


def wait_until(condition: Callable[[], bool], timeout: float = 20.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what or condition}")


class Field:
    """A plain paho publisher standing in for the field."""

    def __init__(self, url: str, client_id: str = "field", will: tuple | None = None) -> None:
        host, port = url.removeprefix("mqtt://").split(":")
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id)
        if will:
            self.client.will_set(*will)
        self.client.connect(host, int(port))
        self.client.loop_start()

    def send(self, topic: str, payload, qos: int = 1, retain: bool = False) -> None:
        raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        self.client.publish(topic, raw, qos=qos, retain=retain).wait_for_publish(10)

    def close(self, clean: bool = True) -> None:
        if clean:
            self.client.disconnect()
        else:  # drop the socket: the broker publishes our Last Will
            self.client.socket().close()
        self.client.loop_stop()


@pytest.fixture
def root(request) -> str:
    # every test its own topic root: the session broker keeps retained messages
    return f"t{abs(hash(request.node.nodeid)) % 10**8}"


@pytest.fixture
def topics(root) -> Topics:
    return Topics(root)


@pytest.fixture
def field(broker) -> Iterator[Field]:
    f = Field(broker.url, client_id=f"field-{time.monotonic_ns()}")
    yield f
    f.close()


@pytest.fixture
def make_recorder(db, broker, root) -> Iterator[Callable[..., Recorder]]:
    made: list[Recorder] = []

    def make(client_id: str = "recorder-test", url: str | None = None, **options) -> Recorder:
        options.setdefault("sweep_every", 0.2)
        rec = Recorder(
            db, url or broker.url, root, f"{root}-{client_id}", options=RecorderOptions(**options)
        )
        rec.start()
        assert rec.bus.wait_connected(10)
        made.append(rec)
        return rec

    yield make
    for rec in made:
        rec.stop()


def count(db, model, *where) -> int:
    with db.read() as s:
        return s.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def test_every_fixture_is_recorded(db, make_recorder, field, topics):
    make_recorder()
    published = {
        "Streetlight.json": topics.state("Streetlight", "streetlight:guadalajara:4567"),
        "StreetlightGroup.json": topics.state("StreetlightGroup", "streetlightgroup:mycity:A12"),
        "StreetlightControlCabinet.json": topics.state(
            "StreetlightControlCabinet", "streetlightcontrolcabinet:A45HGJK"
        ),
        "Camera.json": topics.state("Camera", "camera:1"),
        "WeatherObserved.json": topics.state("WeatherObserved", "weather:1"),
        "TrafficFlowObserved.json": topics.state(
            "TrafficFlowObserved", "TrafficFlowObserved-Valladolid-osm-60821110"
        ),
        "Vehicle.json": topics.unit_position("vehicle:WasteManagement:1"),
        "Alert.json": topics.alerts,
        "Open311ServiceRequest.json": topics.reports,
    }
    for name, topic in published.items():
        field.send(topic, (FIXTURES / name).read_bytes())
    wait_until(
        lambda: (
            count(db, EquipmentRow) == 6 and count(db, IncidentRow) == 2 and count(db, UnitRow) == 1
        ),
        what="fixtures recorded",
    )
    assert count(db, QuarantineRow) == 0
    with db.read() as s:
        light = s.get(EquipmentRow, "streetlight:guadalajara:4567")
        assert light.outside_metropole and light.attributes["powerState"] == "off"
        report = s.execute(select(IncidentRow).where(IncidentRow.source == "report")).scalar_one()
        assert report.status == "closed"  # it arrived closed: a closed incident, notes kept
        assert s.execute(select(IncidentMediaRow.url)).scalar_one().endswith("638344.jpg")
        unit = s.get(UnitRow, "vehicle:WasteManagement:1")
        assert unit.kind == "road_crew"
        # observed in 2021, past the 60 days positions are kept: the unit is known, not where
        assert unit.lat is None
    assert count(db, UnitPositionRow) == 0


def test_malformed_payloads_are_quarantined_while_valid_traffic_flows(
    db, make_recorder, field, topics
):
    make_recorder()
    bad = [
        b"{not json",
        b"[1]",
        b'{"illuminanceLevel": "bright"}',
        b"\xff\xfe",
        b'{"powerConsumption": NaN}',
    ]
    n_bad = 10_000
    for i in range(n_bad):
        if i % 100 == 0:  # and valid traffic among them
            field.send(
                topics.state("Streetlight", f"sl:{i}"),
                {"status": "ok", "location": {"type": "Point", "coordinates": [5.04, 47.32]}},
                qos=0,
            )
        topic = topics.state("Streetlight", f"bad:{i}") if i % 2 else topics.alerts
        field.client.publish(topic, bad[i % len(bad)], qos=i % 2 ^ 1)
    field.send(f"{topics.root}/state/Streetlight/bad id", b"{}")
    wait_until(
        lambda: count(db, QuarantineRow) == n_bad + 1, timeout=120, what="10,000 quarantined"
    )
    assert count(db, EquipmentRow) == n_bad // 100
    with db.read() as s:
        reasons = set(s.execute(select(QuarantineRow.reason)).scalars())
    assert any("not JSON" in r for r in reasons) and any("UTF-8" in r for r in reasons)
    assert any("identifier" in r for r in reasons)


def light(status="ok", gateway="gw:1", power="on", **extra):
    return {
        "status": status,
        "powerState": power,
        "refGateway": gateway,
        "refCommune": "21231",
        "location": {"type": "Point", "coordinates": [5.0415, 47.3220]},
        **extra,
    }


def test_state_history_keeps_changes_not_repeats(db, make_recorder, field, topics):
    rec = make_recorder()
    for power in ("on", "on", "off", "off", "on"):
        field.send(topics.state("Streetlight", "sl:1"), light(power=power), qos=0)
    wait_until(lambda: count(db, EquipmentChangeRow) == 2, what="two changes")
    assert rec.wait_idle(10)
    with db.read() as s:
        changes = [
            (c.field, c.old, c.new)
            for c in s.execute(select(EquipmentChangeRow).order_by(EquipmentChangeRow.id)).scalars()
        ]
    assert changes == [("powerState", "on", "off"), ("powerState", "off", "on")]


def test_a_gateways_last_will_makes_its_devices_comm_lost(db, make_recorder, broker, topics):
    make_recorder()
    gateway = Field(
        broker.url,
        client_id="gw-lwt",
        will=(topics.gateway_status("gw:9"), b'{"online": false}', 1, True),
    )
    gateway.send(
        topics.gateway_status("gw:9"),
        {"online": True, "since": "2026-11-25T17:00:00Z"},
        retain=True,
    )
    gateway.send(topics.state("Streetlight", "sl:9"), light(gateway="gw:9"), qos=0)
    wait_until(lambda: count(db, GatewayRow, GatewayRow.online.is_(True)) == 1, what="online")
    gateway.close(clean=False)
    wait_until(lambda: count(db, GatewayRow, GatewayRow.online.is_(False)) == 1, what="LWT")
    from services.store.equipment_query import list_equipment

    with db.read() as s:
        (row,) = list_equipment(s, datetime.now(UTC))
    assert row.state == "comm_lost"
    back = Field(broker.url, client_id="gw-back")
    back.send(topics.gateway_status("gw:9"), {"online": True}, retain=True)
    wait_until(lambda: count(db, GatewayRow, GatewayRow.online.is_(True)) == 1, what="back")
    with db.read() as s:
        (row,) = list_equipment(s, datetime.now(UTC))
    assert row.state == "ok"
    back.close()


def test_a_cabinet_failure_opens_one_incident_and_its_return_resolves_it(
    db, make_recorder, field, topics
):
    make_recorder(rules=FaultRules(hold=timedelta(seconds=3), min_group=5))
    for i in range(20):
        field.send(topics.state("Streetlight", f"sl:{i}"), light(gateway="cab:1"), qos=0)
    field.send(topics.state("Streetlight", "lonely"), light(gateway="cab:2"), qos=0)
    wait_until(lambda: count(db, EquipmentRow) == 21, what="lights recorded")
    for i in range(15):  # 15 of 20 lights behind cab:1 go dark within the minute
        field.send(topics.state("Streetlight", f"sl:{i}"), light("defectiveLamp", "cab:1"), qos=0)
    field.send(topics.state("Streetlight", "lonely"), light("brokenLantern", "cab:2"), qos=0)
    wait_until(lambda: count(db, IncidentRow) == 2, what="two incidents", timeout=20)
    time.sleep(4)  # past the hold: still no incident per light of the failed cabinet
    with db.read() as s:
        refs = sorted(s.execute(select(IncidentRow.source_ref)).scalars())
        assert refs == ["gateway:cab:1", "lonely"]
        assert (
            s.execute(
                select(IncidentRow.category).where(IncidentRow.source_ref == "lonely")
            ).scalar_one()
            == "lighting_fault"
        )
    for i in range(15):
        field.send(topics.state("Streetlight", f"sl:{i}"), light("ok", "cab:1"), qos=0)
    field.send(topics.state("Streetlight", "lonely"), light("ok", "cab:2"), qos=0)
    wait_until(
        lambda: count(db, IncidentRow, IncidentRow.status == "resolved") == 2,
        what="resolved by the recorder",
    )
    with db.read() as s:
        assert set(s.execute(select(IncidentRow.updated_by)).scalars()) == {"system:recorder"}


def test_alerts_and_reports_update_the_incident_they_made(db, make_recorder, field, topics):
    make_recorder()
    alert = {
        "id": "alarm:school:7",
        "category": "security",
        "severity": "medium",
        "dateIssued": "2026-11-25T17:00:00Z",
        "address": "École Voltaire, Dijon",
    }
    field.send(topics.alerts, alert)
    field.send(topics.alerts, {**alert, "severity": "critical", "description": "fumée"})
    report = {
        "service_request_id": "r-1",
        "service_code": "road_damage",
        "lat": 47.32,
        "long": 5.04,
        "email": "jean@example.org",
        "first_name": "Jean",
        "media": {"contentType": "image/png", "data": "iVBORw0KGgo="},
    }
    field.send(topics.reports, report)
    field.send(topics.reports, {**report, "status": "closed", "status_notes": "réparé"})
    wait_until(
        lambda: (
            count(db, IncidentRow, IncidentRow.status == "closed") == 1
            and count(db, IncidentRow, IncidentRow.description == "fumée") == 1
        ),
        what="updates",
    )
    assert count(db, IncidentRow) == 2
    assert count(db, PersonalDataRow) == 1
    with db.read() as s:
        media = s.execute(select(IncidentMediaRow)).scalar_one()
        assert media.content_type == "image/png" and media.data.startswith(b"\x89PNG")


def report(i: int) -> dict:
    return {
        "service_request_id": f"r-{i}",
        "service_code": "cleanliness",
        "lat": 47.32,
        "long": 5.04,
    }


def alert(i: int) -> dict:
    return {
        "id": f"a-{i}",
        "category": "traffic",
        "address": "rue",
        "dateIssued": "2026-11-25T17:00:00Z",
    }


def publish_events(field: Field, topics: Topics, n: int) -> None:
    """n citizen reports and n alerts, QoS 1, without waiting for each."""
    for i in range(n):
        field.client.publish(topics.reports, json.dumps(report(i)).encode(), qos=1)
        field.client.publish(topics.alerts, json.dumps(alert(i)).encode(), qos=1)


def test_events_published_while_the_recorder_was_away_are_recorded_once(
    db, make_recorder, field, topics
):
    first = make_recorder()
    first.stop()  # its persistent session stays with the broker
    publish_events(field, topics, 500)
    field.send(
        topics.alerts,
        {
            "id": "last",
            "category": "traffic",
            "address": "rue",
            "dateIssued": "2026-11-25T17:00:00Z",
        },
    )
    make_recorder()
    wait_until(lambda: count(db, IncidentRow) == 1001, timeout=120, what="1,001 incidents")
    with db.read() as s:
        refs = list(s.execute(select(IncidentRow.source_ref)).scalars())
    assert len(refs) == len(set(refs)) == 1001


def test_a_short_cold_start_is_warned_about(db, make_recorder, field, topics):
    first = make_recorder(client_id="first")
    for i in range(10):
        field.send(topics.state("Streetlight", f"sl:{i}"), light(), qos=0)  # not retained
    wait_until(lambda: count(db, EquipmentRow) == 10, what="ten known lights")
    first.stop()
    for i in range(3):
        field.send(topics.state("Streetlight", f"sl:{i}"), light(), retain=True)
    notices = []
    second = Recorder(
        db,
        first.bus.address.url,
        topics.root,
        f"{topics.root}-second",
        options=RecorderOptions(cold_start_quiet=0.5),
        notify=lambda key, **p: notices.append((key, p)),
    )
    second.start()
    try:
        wait_until(
            lambda: any(k == "recorder.cold_start_short" for k, _ in notices), what="the warning"
        )
    finally:
        second.stop()
    (params,) = [p for k, p in notices if k == "recorder.cold_start_short"]
    assert params == {"received": 3, "known": 10}
    # On a broker known to start empty (the demo's own), the same start warns of nothing.
    quiet: list = []
    third = Recorder(
        db,
        first.bus.address.url,
        topics.root,
        f"{topics.root}-third",
        options=RecorderOptions(cold_start_quiet=0.5, check_cold_start=False),
        notify=lambda key, **p: quiet.append((key, p)),
    )
    third.start()
    try:
        wait_until(lambda: third.retained_states >= 3, what="the retained states")
        wait_until(lambda: third._cold_start_checked, what="the cold start's end")
    finally:
        third.stop()
    assert not [k for k, _ in quiet if k == "recorder.cold_start_short"]


def test_two_recorders_on_one_database_duplicate_nothing(db, make_recorder, field, topics):
    make_recorder(client_id="one")
    make_recorder(client_id="two")
    publish_events(field, topics, 100)
    for _ in range(100):
        field.client.publish(topics.alerts, b"{broken", qos=1)
    for n, power in enumerate(("on", "off", "on")):
        observed = f"2026-11-25T17:00:0{n}Z"  # devices say when: the key of a change
        field.send(
            topics.state("Streetlight", "sl:1"),
            light(power=power, observationDateTime=observed),
            qos=0,
        )
    wait_until(
        lambda: count(db, IncidentRow) == 200 and count(db, EquipmentChangeRow) >= 2,
        what="recorded",
    )
    time.sleep(1.0)  # both have had their say
    assert count(db, IncidentRow) == 200
    assert count(db, EquipmentChangeRow) == 2
    # quarantine is each recorder's own observation: both rejected the 100 broken payloads
    with db.read() as s:
        by = Counter(s.execute(select(QuarantineRow.recorder_id)).scalars())
    assert sorted(by.values()) == [100, 100] and len(by) == 2


def test_a_citys_service_codes_become_categories(db, make_recorder, field, topics):
    make_recorder()
    base = {"lat": 47.32, "long": 5.04}
    field.send(
        topics.reports, {**base, "service_request_id": "s-1", "service_code": "neige-verglas"}
    )
    field.send(topics.reports, {**base, "service_request_id": "s-2", "service_code": "fontaine"})
    wait_until(lambda: count(db, IncidentRow) == 2, what="both reports")
    with db.read() as s:
        got = dict(s.execute(select(IncidentRow.source_ref, IncidentRow.category)).all())
    assert got == {"s-1": "snow_ice", "s-2": "fontaine"}  # unknown: kept as the city sent it


def test_an_in_process_recorder_leaves_collection_to_its_host(db, make_recorder, field, topics):
    """Beside the console, only its GUI thread may collect (console.shell.gc_guard): Qt objects."""
    collectors: list[str] = []

    def note(phase: str, info: dict) -> None:
        if phase == "start":
            collectors.append(threading.current_thread().name)

    was_enabled = gc.isenabled()
    gc.disable()
    gc.callbacks.append(note)
    try:
        make_recorder()
        for i in range(300):
            field.send(topics.state("Streetlight", f"sl:gc{i}"), light(), qos=0)
        wait_until(lambda: count(db, EquipmentRow) == 300, what="300 states recorded")
    finally:
        gc.callbacks.remove(note)
        if was_enabled:
            gc.enable()
    assert "recorder-writer" not in collectors
