import base64
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from services.bus.codec import MAX_PAYLOAD, QUARANTINE_HEAD, Decoder
from services.bus.messages import (
    AckMessage,
    AlertMessage,
    GatewayMessage,
    PositionMessage,
    Rejection,
    ReportMessage,
    StateMessage,
)
from services.bus.topics import Topics
from services.domain.equipment import EquipmentType
from services.reference import communes

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "smart-data-models"
NOW = datetime(2026, 11, 25, 17, tzinfo=UTC)
T = Topics("vigie")

#: Each published example and the topic the fixtures' README gives it.
PUBLISHED = {
    "Streetlight.json": T.state("Streetlight", "streetlight:guadalajara:4567"),
    "StreetlightGroup.json": T.state("StreetlightGroup", "streetlightgroup:mycity:A12"),
    "StreetlightControlCabinet.json": T.state(
        "StreetlightControlCabinet", "streetlightcontrolcabinet:A45HGJK"
    ),
    "Camera.json": T.state("Camera", "camera:dijon:cam2"),
    "WeatherObserved.json": T.state("WeatherObserved", "weather:valladolid"),
    "TrafficFlowObserved.json": T.state(
        "TrafficFlowObserved", "TrafficFlowObserved-Valladolid-osm-60821110"
    ),
    "Vehicle.json": T.unit_position("vehicle:WasteManagement:1"),
    "Alert.json": T.alerts,
    "Open311ServiceRequest.json": T.reports,
}


@pytest.fixture(scope="module")
def decoder():
    return Decoder(T, communes())


def decode(decoder, topic, body):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return decoder.decode(topic, raw, NOW)


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_every_published_example_is_ingested(decoder, name):
    message = decoder.decode(PUBLISHED[name], (FIXTURES / name).read_bytes(), NOW)
    assert not isinstance(message, Rejection), message
    assert message is not None


def test_published_quirks_survive(decoder):
    light = decode(
        decoder,
        PUBLISHED["Streetlight.json"],
        json.loads((FIXTURES / "Streetlight.json").read_bytes()),
    )
    assert isinstance(light, StateMessage) and light.type is EquipmentType.STREETLIGHT
    assert light.status == "ok" and light.attributes["powerState"] == "off"
    assert light.attributes["municipalityInfo"]["cityName"] == "Bangalore"  # unknown: kept
    assert light.place.outside and "outside_metropole" in light.flags
    camera = decode(
        decoder, PUBLISHED["Camera.json"], json.loads((FIXTURES / "Camera.json").read_bytes())
    )
    assert camera.id == "camera:dijon:cam2"  # no id in the payload: the topic's
    group = decode(
        decoder,
        PUBLISHED["StreetlightGroup.json"],
        json.loads((FIXTURES / "StreetlightGroup.json").read_bytes()),
    )
    assert (group.place.lat, group.place.lon) == (0.5, 100.5)  # a MultiLineString, placed
    flow = decode(
        decoder,
        PUBLISHED["TrafficFlowObserved.json"],
        json.loads((FIXTURES / "TrafficFlowObserved.json").read_bytes()),
    )
    assert flow.observed_at == datetime(2016, 12, 7, 11, 15, tzinfo=UTC)  # interval's end
    assert "time_without_offset" in flow.flags
    vehicle = decode(
        decoder, PUBLISHED["Vehicle.json"], json.loads((FIXTURES / "Vehicle.json").read_bytes())
    )
    assert isinstance(vehicle, PositionMessage)
    assert vehicle.categories == ("municipalServices",)
    assert vehicle.attributes["vehicleAltitude"] == 600.0  # "600" read as a number
    assert vehicle.observed_at == datetime(2021, 3, 11, 10, 21, 2, tzinfo=UTC)
    alert = decode(decoder, T.alerts, json.loads((FIXTURES / "Alert.json").read_bytes()))
    assert isinstance(alert, AlertMessage) and alert.severity == "high"
    report = decode(
        decoder, T.reports, json.loads((FIXTURES / "Open311ServiceRequest.json").read_bytes())
    )
    assert isinstance(report, ReportMessage)
    assert report.status == "closed" and report.status_notes == "Duplicate request."


def test_places_take_ref_commune_or_the_nearest(decoder):
    light = {"location": {"type": "Point", "coordinates": [5.0060, 47.2930]}, "status": "ok"}
    msg = decode(decoder, T.state("Streetlight", "sl:1"), light)
    assert msg.place.commune == "21166" and not msg.place.outside  # Chenôve, by proximity
    msg = decode(decoder, T.state("Streetlight", "sl:1"), {**light, "refCommune": "21231"})
    assert msg.place.commune == "21231"


def test_topic_wins_and_the_difference_is_flagged(decoder):
    msg = decode(
        decoder,
        T.state("Bollard", "bollard:7"),
        {"id": "bollard:8", "type": "Bollard", "position": "up"},
    )
    assert (msg.id, msg.type) == ("bollard:7", EquipmentType.BOLLARD)
    assert "id_differs_from_topic" in msg.flags


def test_report_photo_and_personal_data(decoder):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    body = {
        "service_request_id": "r1",
        "service_code": "lighting_fault",
        "lat": 47.32,
        "long": 5.04,
        "media": {"contentType": "image/png", "data": base64.b64encode(png).decode()},
        "email": "jean@example.org",
        "phone": "0380000000",
    }
    msg = decode(decoder, T.reports, body)
    assert msg.photo.data == png and msg.photo.content_type == "image/png"
    assert msg.personal == {"email": "jean@example.org", "phone": "0380000000"}
    assert "email" not in msg.attributes and "media" not in msg.attributes
    too_big = {
        **body,
        "media": {
            "contentType": "image/png",
            "data": base64.b64encode(b"x" * (2 * 1024 * 1024 + 1)).decode(),
        },
    }
    assert "2 MiB" in decode(decoder, T.reports, too_big).reason


def test_acks(decoder):
    dev = decode(
        decoder,
        T.ack("console-1"),
        {"request_id": "r", "device_id": "sl:1", "status": "done", "ts": "2026-11-25T17:00:00Z"},
    )
    assert isinstance(dev, AckMessage) and dev.responder_kind == "device"
    gw = decode(
        decoder,
        T.ack("console-1"),
        {
            "request_id": "r",
            "gateway": "gw:1",
            "status": "failed",
            "succeeded": 3,
            "failed": [{"id": "sl:2", "reason": "no answer"}],
            "ts": "2026-11-25T17:00:00Z",
        },
    )
    assert gw.responder_kind == "gateway" and gw.failed == (("sl:2", "no answer"),)
    gw_status = decode(decoder, T.gateway_status("gw:1"), {"online": False})
    assert isinstance(gw_status, GatewayMessage) and gw_status.online is False


def test_topics_that_are_not_the_fields_are_not_decoded(decoder):
    assert decode(decoder, T.command("Streetlight", "sl:1"), {"x": 1}) is None
    assert decode(decoder, T.event("incidents"), {"x": 1}) is None


BAD = [
    ("not json", T.alerts, b"{not json", "not JSON"),
    ("not utf-8", T.alerts, b'{"id": "\xff\xfe"}', "not UTF-8"),
    ("not an object", T.alerts, b"[1, 2]", "not an object"),
    ("NaN", T.state("Streetlight", "sl:1"), b'{"powerConsumption": NaN}', "not JSON"),
    ("Infinity", T.state("Streetlight", "sl:1"), b'{"powerConsumption": Infinity}', "not JSON"),
    (
        "wrong type",
        T.state("Streetlight", "sl:1"),
        b'{"illuminanceLevel": "bright"}',
        "illuminanceLevel",
    ),
    (
        "out of range",
        T.state("Streetlight", "sl:1"),
        b'{"illuminanceLevel": 4}',
        "illuminanceLevel",
    ),
    ("bad enum", T.state("Bollard", "b:1"), b'{"position": "sideways"}', "position"),
    ("bad geojson", T.state("Camera", "c:1"), b'{"location": {"type": "Point"}}', "location"),
    (
        "outside the earth",
        T.state("Camera", "c:1"),
        b'{"location": {"type": "Point", "coordinates": [200, 47]}}',
        "coordinates",
    ),
    ("missing field", T.alerts, b'{"id": "a1", "category": "security"}', "dateIssued"),
    (
        "no place",
        T.alerts,
        b'{"id": "a1", "category": "security", "dateIssued": "2026-11-25T17:00:00Z"}',
        "location",
    ),
    (
        "bad time",
        T.alerts,
        b'{"id": "a1", "category": "x", "dateIssued": "yesterday", "address": "rue"}',
        "ISO 8601",
    ),
    ("bad id in topic", "vigie/state/Streetlight/bad id", b"{}", "identifier"),
    ("unknown type", T.state("Toaster", "t:1"), b"{}", "unknown entity type"),
    ("unknown topic", "vigie/whatever", b"{}", "not a topic"),
    ("string bool", T.gateway_status("gw:1"), b'{"online": "yes"}', "online"),
    (
        "position not a point",
        T.unit_position("u:1"),
        b'{"location": {"type": "LineString", "coordinates": [[5, 47], [5.1, 47.1]]},'
        b' "observationDateTime": "2026-11-25T17:00:00Z"}',
        "Point",
    ),
    ("bad ref commune", T.state("Streetlight", "sl:1"), b'{"refCommune": "Dijon"}', "refCommune"),
]


@pytest.mark.parametrize(("label", "topic", "raw", "why"), BAD, ids=[b[0] for b in BAD])
def test_malformed_payloads_are_rejected_with_a_reason(decoder, label, topic, raw, why):
    result = decoder.decode(topic, raw, NOW)
    assert isinstance(result, Rejection), result
    assert why in result.reason
    assert result.payload == raw and result.size == len(raw) and result.topic == topic


def test_oversized_payloads_keep_their_head_and_size(decoder):
    raw = b'{"x": "' + b"a" * MAX_PAYLOAD + b'"}'
    result = decoder.decode(T.alerts, raw, NOW)
    assert isinstance(result, Rejection) and "4 MiB" in result.reason
    assert result.size == len(raw) and result.payload == raw[:QUARANTINE_HEAD]


def test_a_cameras_stream_preset_and_mask_version_are_read_as_the_contract_says(decoder):
    state = {
        "location": {"type": "Point", "coordinates": [5.0415, 47.3220]},
        "status": "ok",
        "streamURL": "http://127.0.0.1:8554/cameras/camera:21231-001/stream",
        "preset": 2,
        "maskVersion": "3f2a9c0d1e7b",
        "refCommune": "21231",
    }
    camera = decode(decoder, T.state("Camera", "camera:21231-001"), state)
    assert isinstance(camera, StateMessage), camera
    assert camera.attributes["streamURL"] == state["streamURL"]
    assert (camera.attributes["preset"], camera.attributes["maskVersion"]) == (2, "3f2a9c0d1e7b")
    unmasked = {k: v for k, v in state.items() if k != "maskVersion"} | {"preset": 9}
    decoded = decode(decoder, T.state("Camera", "camera:21231-001"), unmasked)
    assert isinstance(decoded, StateMessage) and "maskVersion" not in decoded.attributes
    words = decode(decoder, T.state("Camera", "camera:21231-001"), {**state, "preset": "home"})
    assert isinstance(words, Rejection) and "preset" in str(words)
