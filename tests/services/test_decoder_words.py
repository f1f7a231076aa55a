"""What the quarantine says, and what the decoder accepts of the field's own words.

Every validation error is kept, in words a technician understands, with where; the entity's id
is named even when the payload is invalid; a report's personal values appear neither in the
reason nor in the payload kept; a NUL is removed, not a reason to lose a report; ids sent as JSON
numbers are read as text; true/false, infinite numbers and texts longer than their column are
refused alike on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json

import pytest

from services.bus.codec import Decoder, redact_personal
from services.bus.messages import Rejection, ReportMessage, StateMessage
from services.bus.reasons import MAX_REASON
from services.reference import communes
from tests.services.test_decoder_fuzz import EXAMPLES, NOW, T, encode, mutated

PERSONAL_VALUES = {
    "email": "jean.dupont@example.org",
    "first_name": "Jean-Baptiste",
    "last_name": "Dupont-Moreau",
    "phone": "+33380000000",
}


@pytest.fixture(scope="module")
def decoder():
    return Decoder(T, communes())


def _decode(decoder, topic, body):
    raw = body if isinstance(body, bytes) else encode(body)
    return decoder.decode(topic, raw, NOW)


# --- every error, in words ---------------------------------------------------------------------
def test_every_error_is_kept_with_where(decoder):
    body = {
        "id": "a1",
        "category": "traffic",
        "severity": "huge",
        "dateIssued": "2026-11-25T17:00:00Z",
        "location": {"type": "Point", "coordinates": [5.04, 147.3]},
        "refCommune": "Dijon",
        "refGateway": "a gateway",
    }
    result = _decode(decoder, T.alerts, body)
    assert isinstance(result, Rejection)
    assert result.reason.split("; ") == [
        "location.coordinates: coordinates outside ±180/±90",
        "refGateway: not an identifier (1 to 128 of A-Z a-z 0-9 : . _ -)",
        "refCommune: not an INSEE commune code (5 characters, such as 21231 or 2A004)",
        "severity: must be one of informational, low, medium, high, critical",
    ]
    assert "more)" not in result.reason


def test_pydantics_worst_wordings_are_translated(decoder):
    ngsi_location = {"type": "geo:json", "value": {"type": "Point", "coordinates": [5, 47]}}
    result = _decode(
        decoder, T.unit_position("u:1"), {"location": ngsi_location, "observationDateTime": 3}
    )
    assert result.reason == (
        "location: 'geo:json' is not a GeoJSON geometry type (Point, MultiPoint, LineString, "
        "MultiLineString, Polygon, MultiPolygon); observationDateTime: must be text"
    )
    assert "Input tag" not in result.reason
    untyped = _decode(decoder, T.state("Camera", "c:1"), {"location": {"coordinates": [5, 47]}})
    assert untyped.reason.startswith("location: has no 'type' saying which GeoJSON geometry")
    short = _decode(decoder, T.state("Camera", "c:1"), {"location": {"type": "Point"}})
    assert short.reason == "location.coordinates: required, missing"
    missing = _decode(decoder, T.alerts, {"category": 3})
    assert missing.reason == (
        "id: required, missing; category: must be text; dateIssued: required, missing"
    )


def test_a_reason_is_bounded(decoder):
    body = {f"vendor{i}": "INF" for i in range(500)}
    raw = json.dumps(body).replace('"INF"', "1e400").encode()
    result = _decode(decoder, T.state("Streetlight", "sl:1"), raw)
    assert isinstance(result, Rejection)
    assert result.reason.startswith("vendor0: not a finite number; vendor1: not a finite")
    assert len(result.reason) <= MAX_REASON and result.reason.endswith(" more)")


# --- the entity named --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("topic", "body", "entity"),
    [
        (T.state("Streetlight", "sl:9"), {"status": 3}, "sl:9"),
        (T.state("Streetlight", "sl:9"), b"{not json", "sl:9"),
        (T.unit_position("unit:pm-1"), {"location": 1}, "unit:pm-1"),
        (T.unit_status("unit:pm-1"), {"status": "asleep"}, "unit:pm-1"),
        (T.gateway_status("gw:1"), {"online": "yes"}, "gw:1"),
        (T.alerts, {"id": "alert:42", "category": "x"}, "alert:42"),
        (T.alerts, {"id": 42, "severity": "x"}, "42"),
        (T.reports, {"service_request_id": "r-7", "lat": "north"}, "r-7"),
        (T.reports, {"service_request_id": 638344.0}, "638344"),
        (T.ack("console-1"), {"request_id": "req-5", "status": "done"}, "req-5"),
        (T.alerts, b'{"id": "a1", ', None),
        (T.alerts, {"category": "x"}, None),
        (T.alerts, {"id": {"deep": 1}}, None),
        (T.reports, {"service_request_id": "r\u0000-8"}, "r-8"),
    ],
)
def test_a_rejection_names_the_entity_it_spoke_of(decoder, topic, body, entity):
    result = _decode(decoder, topic, body)
    assert isinstance(result, Rejection), result
    assert result.entity_id == entity


def test_reject_stays_callable_as_the_recorder_calls_it():
    old = Decoder.reject(T.alerts, b"x", "why", NOW)
    assert old.entity_id is None and old.payload == b"x" and old.size == 1
    new = Decoder.reject(T.alerts, b"x", "why", NOW, entity_id="a1")
    assert new.entity_id == "a1"


# --- personal data -----------------------------------------------------------------------------
def _report(**changes):
    body = {**EXAMPLES["report"][1], **PERSONAL_VALUES}
    body.update(changes)
    return body


@pytest.mark.parametrize(
    "changes",
    [
        {"lat": "north"},  # another field is wrong
        {"email": ["jean.dupont@example.org"]},  # a personal field itself is wrong
        {"phone": {"number": "+33380000000"}},
        {"first_name": 12, "service_code": None},
        {"media": {"contentType": "image/png", "data": "not base64!"}},
    ],
)
def test_no_personal_value_in_a_rejected_reports_reason_or_payload(decoder, changes):
    body = _report(**changes)
    result = _decode(decoder, T.reports, body)
    assert isinstance(result, Rejection), result
    for value in PERSONAL_VALUES.values():
        assert value not in result.reason
        assert value.encode() not in result.payload
    kept = json.loads(result.payload)
    assert all(kept[k] == "[redacted]" for k in PERSONAL_VALUES)
    assert kept["service_request_id"] == "r-1" and kept["description"] == body["description"]
    assert result.size == len(encode(body))


def test_a_report_that_is_not_json_is_redacted_by_pattern(decoder):
    raw = (
        b'{"service_request_id": "r-1", "email" : "jean.dupont@example.org", '
        b'"phone": +33380000000, "first_name": "Jean-Baptiste", "last_name": "Dupont-Mor'
    )
    result = _decode(decoder, T.reports, raw)
    assert isinstance(result, Rejection) and result.reason.startswith("not JSON")
    for value in PERSONAL_VALUES.values():
        assert value[:8].encode() not in result.payload
    assert result.payload.count(b'"[redacted]"') == 4
    assert result.entity_id is None  # the JSON did not parse


def test_redaction_is_for_reports_and_leaves_the_rest_as_it_was():
    other = b'{"email": "x@example.org"}'
    assert redact_personal(T.alerts, other) is other
    clean = b'{"service_request_id": "r-1"}'
    assert redact_personal(T.reports, clean) is clean
    nested = json.dumps({"reporter": {"email": {"type": "Text", "value": "a@b.org"}}}).encode()
    assert b"a@b.org" not in redact_personal(T.reports, nested)


def test_a_nul_is_removed_and_flagged_not_a_reason_to_lose_a_report(decoder):
    body = _report(first_name="Je\u0000an", description="Lampe\u0000 éteinte")
    message = _decode(decoder, T.reports, body)
    assert isinstance(message, ReportMessage), message
    assert message.personal["first_name"] == "Jean"
    assert message.description == "Lampe éteinte"
    assert "nul_removed" in message.flags
    light = _decode(
        decoder, T.state("Streetlight", "sl:1"), {"name": "rue\u0000", "vendor\u0000": ["\u0000"]}
    )
    assert light.name == "rue" and light.attributes["vendor"] == [""]
    assert "nul_removed" in light.flags
    ack = _decode(
        decoder,
        T.ack("c"),
        {"request_id": "r", "device_id": "d", "status": "failed", "reason": "no\u0000 power"},
    )
    assert ack.reason == "no power"


def test_a_plain_state_without_nul_is_not_flagged(decoder):
    topic, body = EXAMPLES["light"]
    message = _decode(decoder, topic, {**body, "name": "\\u0000 as text"})
    assert message.name == "\\u0000 as text" and "nul_removed" not in message.flags


# --- the field's own words ---------------------------------------------------------------------
def test_a_numeric_id_in_a_state_is_read_as_text_and_the_topic_wins(decoder):
    same = _decode(decoder, T.state("Camera", "4567"), {"id": 4567, "status": "ok"})
    assert isinstance(same, StateMessage) and same.id == "4567"
    assert "id_differs_from_topic" not in same.flags
    as_float = _decode(decoder, T.state("Camera", "4567"), {"id": 4567.0})
    assert "id_differs_from_topic" not in as_float.flags
    other = _decode(decoder, T.state("Camera", "cam:1"), {"id": 4567})
    assert other.id == "cam:1" and "id_differs_from_topic" in other.flags
    assert "id" not in other.attributes
    flag = _decode(decoder, T.state("Camera", "cam:1"), {"id": True})
    assert isinstance(flag, Rejection) and flag.reason == "id: must be text"


def test_open311_codes_sent_as_numbers_are_read_as_text(decoder):
    body = {**_report(), "service_request_id": 638344, "service_code": 234.0}
    message = _decode(decoder, T.reports, body)
    assert isinstance(message, ReportMessage), message
    assert (message.service_request_id, message.service_code) == ("638344", "234")
    fraction = _decode(decoder, T.reports, {**body, "service_code": 2.5})
    assert fraction.service_code == "2.5"


# --- both backends decide alike ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("topic", "body", "why"),
    [
        (
            T.state("Streetlight", "sl:1"),
            {"location": {"type": "Point", "coordinates": [True, False]}},
            "location.coordinates: coordinates must be numbers, not true or false",
        ),
        (
            T.alerts,
            {**EXAMPLES["alert"][1], "location": {"type": "Point", "coordinates": [True, False]}},
            "location.coordinates: coordinates must be numbers, not true or false",
        ),
        (
            T.reports,
            {**EXAMPLES["report"][1], "lat": True, "long": False},
            "lat: must be a number, not true or false; long: must be a number",
        ),
        (
            T.unit_position("u:1"),
            {**EXAMPLES["position"][1], "speed": True},
            "speed: must be a number, not true or false",
        ),
        (
            T.state("Streetlight", "sl:1"),
            {"powerConsumption": True},
            "powerConsumption: must be a number, not true or false",
        ),
        (
            T.state("Camera", "c:1"),
            {"cameraNum": False},
            "cameraNum: must be a number, not true or false",
        ),
        (
            T.unit_status("u:1"),
            {"status": "en_route", "incident_id": True, "ts": "2026-11-25T17:00:00Z"},
            "incident_id: must be a number, not true or false",
        ),
        (
            T.state("Streetlight", "sl:1"),
            {"status": "s" * 41},
            "status: longer than 40 characters (the record keeps at most 40)",
        ),
        (
            T.state("Streetlight", "sl:1"),
            {"refStreetlightGroup": "g" * 129},
            "refStreetlightGroup: longer than 128 characters (the record keeps at most 128)",
        ),
        (
            T.alerts,
            {**EXAMPLES["alert"][1], "category": "c" * 65},
            "category: longer than 64 characters (the record keeps at most 64)",
        ),
        (
            T.alerts,
            {**EXAMPLES["alert"][1], "id": "a" * 257},
            "id: longer than 256 characters (the record keeps at most 256)",
        ),
        (
            T.ack("c"),
            {**EXAMPLES["device ack"][1], "request_id": "r" * 37},
            "request_id: longer than 36 characters (the record keeps at most 36)",
        ),
        (
            T.ack("c"),
            {**EXAMPLES["dispatch ack"][1], "unit_id": "u" * 129},
            "unit_id: longer than 128 characters (the record keeps at most 128)",
        ),
        (
            T.ack("c"),
            {**EXAMPLES["gateway ack"][1], "succeeded": 2**31},
            "succeeded: must be at most 2147483647",
        ),
        (
            T.unit_status("u:1"),
            {"status": "en_route", "incident_id": 2**63, "ts": "2026-11-25T17:00:00Z"},
            "incident_id: must be at most 9223372036854775807",
        ),
    ],
)
def test_doubtful_values_are_refused_with_the_field_and_the_limit(decoder, topic, body, why):
    result = _decode(decoder, topic, body)
    assert isinstance(result, Rejection), result
    assert result.reason.startswith(why)


@pytest.mark.parametrize(
    ("topic", "raw", "where"),
    [
        (T.state("Streetlight", "sl:1"), b'{"powerConsumption": 1e400}', "powerConsumption"),
        (T.state("Streetlight", "sl:1"), b'{"vendor": {"speed": [1, -1e400]}}', "vendor.speed.1"),
        (
            T.state("Streetlight", "sl:1"),
            b'{"location": {"type": "Point", "coordinates": [5, 47], "alt": 1e999}}',
            "location.alt",
        ),
        (
            T.unit_position("u:1"),
            b'{"location": {"type": "Point", "coordinates": [5, 47]}, "speed": 1e400,'
            b' "observationDateTime": "2026-11-25T17:00:00Z"}',
            "speed",
        ),
        (
            T.alerts,
            b'{"id": "a", "category": "c", "dateIssued": "2026-11-25T17:00:00Z",'
            b' "address": "rue", "extra": [1e400]}',
            "extra.0",
        ),
        (T.ack("c"), b'{"request_id": "r", "device_id": "d", "status": "done", "x": 1e400}', "x"),
    ],
)
def test_a_number_that_is_not_finite_is_refused_anywhere(decoder, topic, raw, where):
    result = _decode(decoder, topic, raw)
    assert isinstance(result, Rejection), result
    assert f"{where}: not a finite number" in result.reason.split("; ")


def test_bounds_are_inclusive(decoder):
    ok = _decode(decoder, T.state("Streetlight", "sl:1"), {"status": "s" * 40})
    assert isinstance(ok, StateMessage) and ok.status == "s" * 40
    ack = _decode(decoder, T.ack("c"), {**EXAMPLES["device ack"][1], "request_id": "r" * 36})
    assert not isinstance(ack, Rejection)
    body = mutated(EXAMPLES["report"][1], ("service_request_id",), "r" * 128)
    assert not isinstance(_decode(decoder, T.reports, body), Rejection)
