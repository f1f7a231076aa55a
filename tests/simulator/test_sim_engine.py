"""The field's behaviour without a broker: the engine driven by hand on a fake clock."""

from __future__ import annotations

import base64
import json
import struct
import zlib
from datetime import UTC, datetime

import pytest

from services.bus.topics import Topics
from services.domain.commands import parse_group, valid_identifier
from services.domain.equipment import EquipmentType
from services.domain.geography import locate
from services.domain.units import UnitKind, UnitStatus
from services.simulator import SimulatorOptions, build_world
from services.simulator.engine import FieldEngine
from services.simulator.outputs import DropLink, Message
from services.simulator.payloads import iso
from services.simulator.png import tiny_png
from services.simulator.routine import is_dark, signal_plan
from tests.simulator.support import QUIET

ROOT = "v"
ACK = "v/ack/test"
#: Thursday 15 January 2026, 13:00 in Paris: daylight, lights off, signals on their day plan.
NOON = datetime(2026, 1, 15, 12, 0, tzinfo=UTC).timestamp()
MIDNIGHT = datetime(2026, 1, 15, 23, 0, tzinfo=UTC).timestamp()


def make(start: float = NOON, scale: str = "small", **options) -> FieldEngine:
    opts = SimulatorOptions(**{"scale": scale, "seed": 5, "run_id": "T", **QUIET, **options})
    return FieldEngine(build_world(opts.seed, scale), Topics(ROOT), opts, start)


def cmd(name, params, rid, *, now=NOON, expires_in=30.0, reply_to=ACK):
    return json.dumps(
        {
            "request_id": rid,
            "command": name,
            "params": params,
            "reply_to": reply_to,
            "issued_at": iso(now),
            "expires_at": iso(now + expires_in),
        }
    ).encode()


def run_until(engine: FieldEngine, until: float, step: float = 0.25) -> list:
    out, now = [], engine._last_tick
    while now < until:
        now = min(until, now + step)
        out += engine.advance(now)
    return out


def acks(outputs, rid=None):
    return [
        o.payload
        for o in outputs
        if isinstance(o, Message)
        and o.topic == ACK
        and (rid is None or o.payload["request_id"] == rid)
    ]


def states(outputs, entity_id):
    return [
        o.payload for o in outputs if isinstance(o, Message) and o.topic.endswith("/" + entity_id)
    ]


def first(engine, t, commune="21231"):
    return next(e for e in engine.world.by_type[t] if e.commune == commune)


# --- the initial state ---------------------------------------------------------------------------
def test_every_published_state_is_contract_json():
    engine = make()
    outputs = engine.initial(NOON)
    world = engine.world
    n_states = 0
    for out in outputs:
        assert isinstance(out, Message)
        body = json.loads(json.dumps(out.payload, allow_nan=False))
        parts = out.topic.split("/")
        if parts[1] == "state":
            n_states += 1
            assert out.qos == 1 and out.retain
            assert {"id", "type", "location", "refCommune"} <= set(body)
            assert (parts[2], parts[3]) == (body["type"], body["id"])
            assert all(valid_identifier(p) for p in parts[2:])
            lon, lat = body["location"]["coordinates"]
            assert body["location"]["type"] == "Point"
            assert not locate(lat, lon, list(world.communes.values())).outside
            assert body["refCommune"] in world.communes
            if body["type"] in ("Streetlight", "TrafficSignal", "Camera", "Bollard"):
                assert body["refGateway"] in world.gateways
                assert body["status"] == "ok"
            if body["type"] == "Streetlight":
                assert body["powerState"] == "off"  # daylight
                assert body["refStreetlightGroup"].startswith("streetlightgroup:")
            if body["type"] == "TrafficSignal":
                assert body["plan"] == "P1" and body["operatingMode"] in ("coordinated", "isolated")
                assert isinstance(body["busPriority"], bool)
            if body["type"] == "WeatherObserved":
                assert {"roadSurfaceTemperature", "roadSurfaceState"} <= set(body)
            if body["type"] == "SaltStock":
                assert {"saltTonnes", "brineCubicMetres", "capacityTonnes"} <= set(body)
            assert not any(k.startswith("_") for k in body)
        elif parts[1] == "gateways":
            assert out.retain and body["online"] is True and "since" in body
        elif parts[-1] == "position":
            assert out.qos == 0 and out.retain
            assert {"location", "observationDateTime", "speed", "bearing", "category"} <= set(body)
            if set(body["category"]) & {"snowPlough", "saltSpreader"}:
                assert {"plowDown", "spreading", "spreadRate", "material"} <= set(body)
        else:
            assert parts[-1] == "status" and body["status"] == "available" and "ts" in body
    assert n_states == len(world.entities)


def test_lights_follow_the_sun_and_signals_their_plans():
    assert not is_dark(NOON) and is_dark(MIDNIGHT)
    assert signal_plan(MIDNIGHT) == "P3" and signal_plan(NOON) == "P1"
    assert signal_plan(datetime(2026, 1, 15, 7, 30, tzinfo=UTC).timestamp()) == "P2"
    engine = make(MIDNIGHT)
    light = engine.world.by_type[EquipmentType.STREETLIGHT][0]
    assert light.attrs["powerState"] == "on"
    assert engine.world.by_type[EquipmentType.TRAFFIC_SIGNAL][0].attrs["plan"] == "P3"


# --- device commands -----------------------------------------------------------------------------
def test_a_device_command_is_accepted_then_done_after_its_latency_with_the_new_state():
    engine = make(latency_ms=(100.0, 100.0))
    light = first(engine, EquipmentType.STREETLIGHT)
    engine.receive(f"v/cmd/Streetlight/{light.id}", cmd("switch", {"powerState": "on"}, "r1"), NOON)
    now_out = engine.advance(NOON)
    assert [a["status"] for a in acks(now_out)] == ["accepted"]
    assert acks(engine.advance(NOON + 0.05)) == []
    later = engine.advance(NOON + 0.1)
    (done,) = acks(later)
    assert done == {
        "request_id": "r1",
        "device_id": light.id,
        "status": "done",
        "ts": iso(NOON + 0.1),
    }
    assert states(later, light.id)[-1]["powerState"] == "on"
    # The new retained state goes out before the final ack.
    topics = [o.topic for o in later]
    assert topics.index(f"v/state/Streetlight/{light.id}") < topics.index(ACK)


def test_a_redelivery_is_acknowledged_again_never_executed_again():
    engine = make()
    light = first(engine, EquipmentType.STREETLIGHT)
    topic = f"v/cmd/Streetlight/{light.id}"
    engine.receive(topic, cmd("switch", {"powerState": "on"}, "x"), NOON)
    out = run_until(engine, NOON + 1)
    engine.receive(topic, cmd("switch", {"powerState": "off"}, "y"), NOON + 1)
    out = run_until(engine, NOON + 2)
    assert light.attrs["powerState"] == "off"
    engine.receive(topic, cmd("switch", {"powerState": "on"}, "x"), NOON + 2)
    out = run_until(engine, NOON + 3)
    assert [a["status"] for a in acks(out, "x")] == ["done"]
    assert light.attrs["powerState"] == "off" and states(out, light.id) == []


def test_a_late_command_is_answered_expired_and_not_executed():
    engine = make()
    light = first(engine, EquipmentType.STREETLIGHT)
    engine.receive(
        f"v/cmd/Streetlight/{light.id}",
        cmd("switch", {"powerState": "on"}, "old", now=NOON - 60, expires_in=30),
        NOON,
    )
    out = run_until(engine, NOON + 1)
    assert [a["status"] for a in acks(out)] == ["expired"]
    assert light.attrs["powerState"] == "off"


@pytest.mark.parametrize(
    ("entity_type", "name", "params", "reason"),
    [
        (EquipmentType.TRAFFIC_SIGNAL, "dim", {"illuminanceLevel": 0.5}, "not_applicable"),
        (EquipmentType.STREETLIGHT, "dim", {"illuminanceLevel": 3}, "invalid_params"),
        (EquipmentType.STREETLIGHT, "warp", {}, "unknown_command"),
        (
            EquipmentType.STREETLIGHT,
            "switch",
            {"powerState": "on", "until": "soon"},
            "invalid_until",
        ),
    ],
)
def test_a_command_that_cannot_run_is_rejected_with_a_reason(entity_type, name, params, reason):
    engine = make()
    device = first(engine, entity_type)
    engine.receive(f"v/cmd/{entity_type.value}/{device.id}", cmd(name, params, "r"), NOON)
    (ack,) = acks(engine.advance(NOON))
    assert (ack["status"], ack["reason"]) == ("rejected", reason)


def test_unknown_devices_and_other_types_get_no_answer():
    engine = make()
    light = first(engine, EquipmentType.STREETLIGHT)
    engine.receive(
        "v/cmd/Streetlight/streetlight:nowhere", cmd("switch", {"powerState": "on"}, "a"), NOON
    )
    engine.receive(f"v/cmd/Camera/{light.id}", cmd("reboot", {}, "b"), NOON)
    engine.receive(f"v/cmd/Streetlight/{light.id}", b"not json", NOON)
    assert acks(run_until(engine, NOON + 1)) == []


def test_until_returns_the_device_to_automatic_unless_a_later_override_took_over():
    engine = make()
    a, b = engine.world.by_type[EquipmentType.TRAFFIC_SIGNAL][:2]
    until = iso(NOON + 5)
    engine.receive(
        f"v/cmd/TrafficSignal/{a.id}",
        cmd("set_plan", {"plan": "flashing", "until": until}, "1"),
        NOON,
    )
    engine.receive(
        f"v/cmd/TrafficSignal/{b.id}", cmd("set_plan", {"plan": "dark", "until": until}, "2"), NOON
    )
    run_until(engine, NOON + 1)
    assert (a.attrs["plan"], b.attrs["plan"]) == ("flashing", "dark")
    engine.receive(
        f"v/cmd/TrafficSignal/{b.id}", cmd("set_plan", {"plan": "P9"}, "3", now=NOON + 1), NOON + 1
    )
    out = run_until(engine, NOON + 6)
    assert a.attrs["plan"] == "P1" and not a.overrides  # back to its time-of-day plan
    assert states(out, a.id)[-1]["plan"] == "P1"
    assert b.attrs["plan"] == "P9"  # the later override has no until


def test_bollards_move_then_settle_and_cameras_take_presets_and_reboot():
    engine = make(latency_ms=(100.0, 100.0))
    bollard = first(engine, EquipmentType.BOLLARD)
    engine.receive(f"v/cmd/Bollard/{bollard.id}", cmd("lower", {}, "b"), NOON)
    assert states(engine.advance(NOON), bollard.id)[-1]["position"] == "moving"
    assert states(engine.advance(NOON + 0.1), bollard.id)[-1]["position"] == "down"
    camera = first(engine, EquipmentType.CAMERA)
    camera.status = "fault"
    engine.receive(f"v/cmd/Camera/{camera.id}", cmd("preset", {"preset": 4}, "c1"), NOON)
    out = run_until(engine, NOON + 1)
    last = acks(out, "c1")[-1]
    assert (last["status"], last["reason"]) == ("failed", "fault:fault")
    engine.receive(f"v/cmd/Camera/{camera.id}", cmd("reboot", {}, "c2"), NOON + 1)
    engine.receive(f"v/cmd/Camera/{camera.id}", cmd("preset", {"preset": 4}, "c3"), NOON + 1.5)
    out = run_until(engine, NOON + 3)
    assert [acks(out, r)[-1]["status"] for r in ("c2", "c3")] == ["done", "done"]
    assert camera.status == "ok" and camera.attrs["preset"] == 4


def test_failure_modes_first_attempt_ignored_and_lost_ack():
    engine = make(first_attempt_ignored=1.0)
    light = first(engine, EquipmentType.STREETLIGHT)
    topic = f"v/cmd/Streetlight/{light.id}"
    engine.receive(topic, cmd("switch", {"powerState": "on"}, "f"), NOON)
    assert acks(run_until(engine, NOON + 1)) == [] and light.attrs["powerState"] == "off"
    engine.receive(topic, cmd("switch", {"powerState": "on"}, "f"), NOON + 1)
    assert [a["status"] for a in acks(run_until(engine, NOON + 2))] == ["accepted", "done"]

    engine = make(lost_ack=1.0)
    light = first(engine, EquipmentType.STREETLIGHT)
    engine.receive(f"v/cmd/Streetlight/{light.id}", cmd("switch", {"powerState": "on"}, "l"), NOON)
    out = run_until(engine, NOON + 1)
    assert acks(out) == [] and states(out, light.id)[-1]["powerState"] == "on"  # executed
    # A resend is acknowledged: only that ack was lost.
    engine.receive(
        f"v/cmd/Streetlight/{light.id}", cmd("switch", {"powerState": "on"}, "l"), NOON + 1
    )
    assert [a["status"] for a in acks(run_until(engine, NOON + 2))] == ["done"]


# --- group commands ------------------------------------------------------------------------------
def test_a_group_is_answered_once_per_gateway_serving_its_members():
    engine = make(failure_rate=0.5)
    engine.receive("v/cmd/group/commune:21231", cmd("switch", {"powerState": "on"}, "g"), NOON)
    out = run_until(engine, NOON + 1)
    answers = acks(out, "g")
    expected = engine.world.members(parse_group("commune:21231"), {EquipmentType.STREETLIGHT})
    assert sorted(a["gateway"] for a in answers) == sorted(expected)
    failed_total = 0
    for answer in answers:
        members = {e.id for e in expected[answer["gateway"]]}
        failed = {f["id"] for f in answer["failed"]}
        assert failed <= members
        assert answer["succeeded"] + len(failed) == len(members)
        assert answer["status"] == ("failed" if failed else "done")
        assert all(f["reason"] == "device_not_responding" for f in answer["failed"])
        failed_total += len(failed)
    assert 0 < failed_total < sum(len(m) for m in expected.values())


def test_a_group_reaches_only_the_types_its_command_applies_to_and_group_states_follow():
    engine = make()
    world = engine.world
    engine.receive("v/cmd/group/commune:21231", cmd("set_plan", {"plan": "P4"}, "p"), NOON)
    out = run_until(engine, NOON + 1)
    gateways = {a["gateway"] for a in acks(out, "p")}
    assert gateways == {
        s.gateway for s in world.by_type[EquipmentType.TRAFFIC_SIGNAL] if s.commune == "21231"
    }
    assert all(
        light.attrs["powerState"] == "off" for light in world.by_type[EquipmentType.STREETLIGHT]
    )
    group = world.by_type[EquipmentType.STREETLIGHT_GROUP][0]
    engine.receive(f"v/cmd/group/{group.id}", cmd("switch", {"powerState": "on"}, "s"), NOON + 1)
    out = run_until(engine, NOON + 2)
    (answer,) = acks(out, "s")
    assert (
        answer["succeeded"] == len(world.lights_of_group(group.id))
        and answer["gateway"] == group.gateway
    )
    assert group.attrs["powerState"] == "on" and states(out, group.id)
    engine.receive(
        "v/cmd/group/commune:21231",
        cmd("switch", {"powerState": "on"}, "e", now=NOON - 99),
        NOON + 2,
    )
    assert {a["status"] for a in acks(run_until(engine, NOON + 3), "e")} == {"expired"}


# --- dispatch and movement -----------------------------------------------------------------------
def dispatch(rid, incident, lat, lon, now=NOON, **extra):
    return json.dumps(
        {
            **extra,
            "request_id": rid,
            "incident_id": incident,
            "location": {"type": "Point", "coordinates": [lon, lat]},
            "summary": "Accident",
            "reply_to": ACK,
            "issued_by": "c.bernard",
            "issued_at": iso(now),
            "expires_at": iso(now + 30),
        }
    ).encode()


def test_a_dispatched_unit_goes_en_route_reaches_the_scene_and_becomes_available():
    engine = make(speed=20.0)
    unit = next(u for u in engine.world.units.values() if u.kind is UnitKind.PATROL)
    target = (unit.lat + 0.005, unit.lon)  # about 550 m north
    engine.receive(f"v/units/{unit.id}/dispatch", dispatch("d1", 42, *target), NOON)
    out = run_until(engine, NOON + 1)
    assert [a["status"] for a in acks(out, "d1")] == ["accepted"]
    engine.receive(f"v/units/{unit.id}/dispatch", dispatch("d2", 43, *target), NOON + 1)
    out += run_until(engine, NOON + 120)
    (busy,) = acks(out, "d2")
    assert (busy["status"], busy["reason"]) == ("rejected", "unit_busy")
    statuses = [o.payload for o in out if o.topic == f"v/units/{unit.id}/status"]
    assert [(s["status"], s.get("incident_id")) for s in statuses][:2] == [
        ("en_route", 42),
        ("on_scene", 42),
    ]
    assert statuses[-1] == {"status": "available", "ts": statuses[-1]["ts"]}
    positions = [o.payload for o in out if o.topic == f"v/units/{unit.id}/position"]
    assert len(positions) > 5 and any(p["speed"] > 0 for p in positions)


def test_a_busy_crew_accepts_a_re_tasking_off_its_own_mission():
    engine = make(speed=20.0)
    unit = next(u for u in engine.world.units.values() if u.kind is UnitKind.PATROL)
    target = (unit.lat + 0.005, unit.lon)
    engine.receive(f"v/units/{unit.id}/dispatch", dispatch("r1", 42, *target), NOON)
    out = run_until(engine, NOON + 1)
    engine.receive(f"v/units/{unit.id}/dispatch", dispatch("r2", 7, *target), NOON + 1)
    engine.receive(
        f"v/units/{unit.id}/dispatch", dispatch("r3", 8, *target, retask_from=41), NOON + 1
    )
    engine.receive(
        f"v/units/{unit.id}/dispatch", dispatch("r4", 9, *target, retask_from=42), NOON + 1
    )
    out += run_until(engine, NOON + 3)
    assert acks(out, "r2")[0]["reason"] == "unit_busy"
    assert acks(out, "r3")[0]["reason"] == "unit_busy"  # not the mission it is on
    assert [a["status"] for a in acks(out, "r4")] == ["accepted"]
    assert unit.mission.incident_id == 9


def test_unavailable_units_refuse_and_bad_locations_are_rejected():
    engine = make()
    unit = next(iter(engine.world.units.values()))
    unit.status = UnitStatus.UNAVAILABLE
    engine.receive(f"v/units/{unit.id}/dispatch", dispatch("u1", 1, unit.lat, unit.lon), NOON)
    engine.receive(f"v/units/{unit.id}/dispatch", dispatch("u2", 1, 200.0, 0.0), NOON)
    out = run_until(engine, NOON + 1)
    assert acks(out, "u1")[0]["reason"] == "unit_unavailable"
    assert acks(out, "u2")[0]["reason"] == "invalid_location"


def test_vehicles_move_at_urban_speeds_inside_the_metropole():
    engine = make(speed=10.0)
    start = {u.id: (u.lat, u.lon) for u in engine.world.units.values()}
    out = run_until(engine, NOON + 60)
    positions = [o.payload for o in out if o.topic.endswith("/position")]
    assert positions and all(0 <= p["speed"] <= 70 and 0 <= p["bearing"] < 360 for p in positions)
    moved = [u for u in engine.world.units.values() if (u.lat, u.lon) != start[u.id]]
    assert moved
    communes = list(engine.world.communes.values())
    for p in positions:
        lon, lat = p["location"]["coordinates"]
        assert not locate(lat, lon, communes).outside


# --- what happens by chance ----------------------------------------------------------------------
def test_faults_happen_and_are_repaired():
    engine = make(speed=3600.0, fault_rate=5.0)
    out = run_until(engine, NOON + 3, step=0.25)
    faulty = [e for e in engine.world.entities.values() if e.status not in (None, "ok")]
    assert faulty
    light_states = {
        s["status"]
        for o in out
        if isinstance(o, Message)
        for s in [o.payload]
        if s.get("type") == "Streetlight"
    }
    assert light_states & {"defectiveLamp", "brokenLantern", "columnIssue"}
    run_until(engine, NOON + 10)  # repairs come within 6 simulated hours: 6 s at this speed
    assert any(e.status == "ok" for e in faulty)


def test_a_cabinet_failure_darkens_most_of_its_lights_within_a_minute():
    engine = make(cabinet_failures_per_day=86_400.0)  # about one a second
    run_until(engine, NOON + 5)
    failed = [
        e
        for e in engine.world.by_type[EquipmentType.STREETLIGHT_CONTROL_CABINET]
        if e.status == "fault"
    ]
    assert failed
    engine = make(scale="dijon")  # about a hundred lights behind each cabinet
    engine.happenings._cabinet_failure(NOON)
    (cabinet,) = [
        e
        for e in engine.world.by_type[EquipmentType.STREETLIGHT_CONTROL_CABINET]
        if e.status == "fault"
    ]
    lights = [
        e
        for e in engine.world.gateways[cabinet.gateway].members
        if e.type is EquipmentType.STREETLIGHT
    ]
    out = run_until(engine, NOON + 60)
    dark = [e for e in lights if e.status == "columnIssue"]
    assert 0.75 * len(lights) <= len(dark) < len(lights)  # most, not all
    assert all(states(out, e.id)[-1]["status"] == "columnIssue" for e in dark)
    engine.scheduler.run_due(NOON + 4 * 3600 + 1)  # repaired within four hours
    assert cabinet.status == "ok" and all(e.status == "ok" for e in lights)


def test_citizens_report_with_photos_and_alerts_arrive():
    engine = make(
        speed=100.0, reports_per_day=86_400.0, alerts_per_day=8_640.0, alarms_per_day=8_640.0
    )
    out = run_until(engine, NOON + 5)
    reports = [o.payload for o in out if o.topic == "v/reports"]
    alerts = [o.payload for o in out if o.topic == "v/alerts"]
    assert len(reports) > 100 and len(alerts) > 10
    assert len({r["service_request_id"] for r in reports}) == len(reports)
    for r in reports:
        assert r["service_code"] and r["location"]["type"] == "Point" and r["refCommune"]
    photos = [r["media"] for r in reports if "media" in r]
    assert photos and all(p["contentType"] == "image/png" for p in photos)
    png = base64.b64decode(photos[0]["data"])
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert {"security"} <= {a["category"] for a in alerts}
    for a in alerts:
        assert {"id", "category", "dateIssued", "location", "severity"} <= set(a)


def test_the_tiny_png_is_a_valid_image():
    data = tiny_png(5, 3, (10, 20, 30))
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks = 8, {}
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert crc == zlib.crc32(kind + body) & 0xFFFFFFFF
        chunks[kind] = body
        pos += 12 + length
    assert struct.unpack(">II", chunks[b"IHDR"][:8]) == (5, 3)
    assert len(zlib.decompress(chunks[b"IDAT"])) == 3 * (1 + 5 * 3)
    assert list(chunks)[-1] == b"IEND"


# --- gateways and determinism --------------------------------------------------------------------
def test_a_dropped_gateway_goes_silent_then_comes_back_with_its_states():
    engine = make()
    light = first(engine, EquipmentType.STREETLIGHT)
    gateway = engine.world.gateways[light.gateway]
    assert engine.drop_gateway(gateway.id, 5.0, NOON)
    (drop,) = [o for o in engine.advance(NOON) if isinstance(o, DropLink)]
    assert drop == DropLink(gateway.id, f"v/gateways/{gateway.id}/status", {"online": False})
    engine.receive(f"v/cmd/Streetlight/{light.id}", cmd("switch", {"powerState": "on"}, "z"), NOON)
    out = run_until(engine, NOON + 4)
    assert acks(out) == [] and states(out, light.id) == []
    out = run_until(engine, NOON + 6)
    back = [o.payload for o in out if o.topic == drop.topic]
    assert back == [{"online": True, "since": iso(NOON + 5)}]
    assert {s["id"] for o in out if "/state/" in o.topic for s in [o.payload]} >= {
        e.id for e in gateway.members
    }


def test_the_gateway_offline_mode_drops_gateways_by_itself():
    engine = make(
        gateway_offline=True, gateway_offline_first_s=1.0, gateway_offline_for_s=(3.0, 3.0)
    )
    out = run_until(engine, NOON + 2)
    drops = [o for o in out if isinstance(o, DropLink)]
    assert len(drops) == 1 and not engine.world.gateways[drops[0].gateway].online
    run_until(engine, NOON + 6)
    assert engine.world.gateways[drops[0].gateway].online


def test_the_engine_is_deterministic_for_a_seed():
    def trace():
        engine = make(speed=50.0, fault_rate=1.0, reports_per_day=5000.0, failure_rate=0.3)
        engine.initial(NOON)
        engine.receive(
            "v/cmd/group/all:Streetlight", cmd("switch", {"powerState": "on"}, "g"), NOON
        )
        return [
            (o.topic, json.dumps(o.payload, sort_keys=True))
            for o in run_until(engine, NOON + 20)
            if isinstance(o, Message)
        ]

    assert trace() == trace()


def test_buses_priority_is_served_unless_the_traffic_mode_turns_it_off():
    engine = make()
    equipped = [
        e for e in engine.world.by_type[EquipmentType.TRAFFIC_SIGNAL] if e.attrs.get("busPriority")
    ]
    assert equipped

    def requests(outputs) -> list[bool]:
        served = []
        for o in outputs:
            if isinstance(o, Message) and "lastPriorityServed" in o.payload:
                served.append(o.payload["lastPriorityServed"])
        return served

    engine.happenings._bus_requests(NOON, engine.sim_time(NOON), days=1.0)
    normal = requests(engine.advance(NOON + 0.01))
    assert normal and all(normal)  # every equipped signal, on its day plan, serves them
    snow = {"mode": "snow", "state": "applied", "bus_priority": False}
    engine.receive(f"{ROOT}/modes/traffic", json.dumps(snow).encode(), NOON, retained=True)
    engine.happenings._bus_requests(NOON, engine.sim_time(NOON), days=1.0)
    refused = requests(engine.advance(NOON + 0.02))
    assert refused and not any(refused)
