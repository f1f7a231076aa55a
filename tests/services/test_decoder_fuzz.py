"""The decoder never raises: every field of every message type, fed hostile values.

One date once stopped the whole record (``parse_time``'s OverflowError escaped the decoder and
killed the recorder's writer). Here hypothesis mutates valid examples of each message type (the
published Smart Data Models, the simulator's payloads) field by field with huge and tiny dates,
NUL characters, markup, huge and infinite numbers, booleans, nested objects, long texts and
numeric ids, and checks that ``Decoder.decode`` returns a message or a quarantine row, never
raises, and that what it returns is storable alike on both backends.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.bus import plain_state
from services.bus.codec import TIME_FLOOR, Decoder
from services.bus.messages import Rejection
from services.bus.redact import PERSONAL
from services.bus.topics import Topics
from services.reference import communes

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "smart-data-models"
NOW = datetime(2026, 11, 25, 17, tzinfo=UTC)
AT = "2026-11-25T16:59:00.000Z"
T = Topics("vigie")
POINT = {"type": "Point", "coordinates": [5.041, 47.322]}


def _fixture(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text())


#: A valid example of every message type the decoder reads: (topic, body).
EXAMPLES: dict[str, tuple[str, dict[str, Any]]] = {
    "light": (
        T.state("Streetlight", "streetlight:21231-00001"),
        {
            "id": "streetlight:21231-00001",
            "type": "Streetlight",
            "location": POINT,
            "status": "ok",
            "powerState": "on",
            "illuminanceLevel": 1.0,
            "refStreetlightGroup": "streetlightgroup:21231-001-A",
            "areaServed": "chemin des Vignes",
            "lanternHeight": 6,
            "powerConsumption": 40.0,
            "refGateway": "cabinet:21231-001",
            "refCommune": "21231",
            "observationDateTime": AT,
        },
    ),
    "weather": (
        T.state("WeatherObserved", "weather:21231"),
        {"temperature": -2.5, "roadSurfaceState": "ice", "location": POINT, "dateObserved": AT},
    ),
    "salt": (
        T.state("SaltStock", "salt:1"),
        {"saltTonnes": 120, "capacityTonnes": 400, "location": POINT, "dateModified": AT},
    ),
    "signal": (
        T.state("TrafficSignal", "signal:1"),
        {"status": "ok", "plan": "P1", "operatingMode": "coordinated", "busPriority": True},
    ),
    "published light": (T.state("Streetlight", "sl:1"), _fixture("Streetlight.json")),
    "published cabinet": (
        T.state("StreetlightControlCabinet", "cab:1"),
        _fixture("StreetlightControlCabinet.json"),
    ),
    "published group": (T.state("StreetlightGroup", "grp:1"), _fixture("StreetlightGroup.json")),
    "published weather": (T.state("WeatherObserved", "w:1"), _fixture("WeatherObserved.json")),
    "gateway": (T.gateway_status("gw:1"), {"online": True, "since": AT}),
    "position": (
        T.unit_position("unit:pm-1"),
        {
            "id": "unit:pm-1",
            "type": "Vehicle",
            "name": "PM 1",
            "vehicleType": "car",
            "category": "police",
            "location": POINT,
            "speed": 42.5,
            "bearing": 180.0,
            "observationDateTime": AT,
            "refCommune": "21231",
            "plowDown": False,
            "spreadRate": 0.0,
        },
    ),
    "published vehicle": (T.unit_position("vehicle:1"), _fixture("Vehicle.json")),
    "unit status": (
        T.unit_status("unit:pm-1"),
        {"status": "en_route", "incident_id": 12, "ts": AT},
    ),
    "alert": (T.alerts, _fixture("Alert.json")),
    "report": (
        T.reports,
        {
            "service_request_id": "r-1",
            "service_code": "lighting_fault",
            "service_name": "Éclairage",
            "description": "Lampadaire éteint",
            "lat": 47.32,
            "long": 5.04,
            "requested_datetime": AT,
            "email": "jean.dupont@example.org",
            "first_name": "Jean",
            "last_name": "Dupont",
            "phone": "0380000000",
        },
    ),
    "published report": (T.reports, _fixture("Open311ServiceRequest.json")),
    "device ack": (
        T.ack("console-1"),
        {"request_id": "r-1", "device_id": "sl:1", "status": "done", "ts": AT},
    ),
    "dispatch ack": (
        T.ack("console-1"),
        {"request_id": "r-2", "unit_id": "unit:pm-1", "status": "accepted", "ts": AT},
    ),
    "gateway ack": (
        T.ack("console-1"),
        {
            "request_id": "r-3",
            "gateway": "gw:1",
            "status": "failed",
            "succeeded": 3,
            "failed": [{"id": "sl:2", "reason": "no answer"}],
            "ts": AT,
        },
    ),
}

INF = "\u2063inf\u2063"  # stands for a number literal JSON cannot write: 1e400 (parsed as inf)

HOSTILE: list[Any] = [
    "9999-12-31T23:59:59-01:00",
    "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:59:59Z",
    "0001-01-01T00:00:00Z",
    "1999-12-31T23:59:59Z",
    "2026-11-25T17:00:00",
    "2026-11-25T17:00:00Z/9999-12-31T23:59:59-01:00",
    "\u0000",
    "a\u0000b",
    "<h1 style=color:red>FAUSSE ALERTE</h1><a href=file:///etc/passwd>x</a>",
    "x" * 5000,
    "\ud800",
    1e308,
    -1e308,
    5e-324,
    2**63,
    2**64 + 1,
    10**300,
    INF,
    True,
    False,
    None,
    0,
    -1,
    42,
    42.0,
    [],
    {},
    [True, False],
    [INF, 47.3],
    {"type": "geo:json", "value": {"type": "Point", "coordinates": [5, 47]}},
    {"type": "Point", "coordinates": [True, False]},
    {"type": "Point", "coordinates": [5.0, 47.3, INF]},
    {"type": "Text", "value": "ok"},
    {"nested": {"deeper": [1, {"x": INF}]}},
]

_scalars = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
)
_values = st.recursive(
    _scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=8,
)


def paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path to a value in ``node`` (dict keys and list indexes), the root's members first."""
    found = []
    if isinstance(node, dict):
        items = node.items()
    elif isinstance(node, list):
        items = enumerate(node)
    else:
        return found
    for key, value in items:
        found.append((*prefix, key))
        found += paths(value, (*prefix, key))
    return found


def mutated(body: Any, path: tuple, value: Any) -> Any:
    """A deep copy of ``body`` with the value at ``path`` replaced (``...``: removed)."""
    copy = json.loads(json.dumps(body))
    parent = copy
    for key in path[:-1]:
        parent = parent[key]
    if value is ...:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return copy


def encode(body: Any) -> bytes:
    """JSON bytes, with INF written as a number that parses as infinity."""
    text = json.dumps(body, ensure_ascii=False)
    return text.replace(json.dumps(INF, ensure_ascii=False), "1e400").encode(
        "utf-8", "surrogatepass"
    )


@pytest.fixture(scope="module")
def decoders() -> tuple[Decoder, Decoder]:
    return Decoder(T, communes()), Decoder(T, communes(), plain_states=False)


def check_outcome(result: Any, topic: str, payload: bytes, body: Any) -> None:
    """What any decoding must give: a message storable alike on both backends, or a row."""
    assert result is not None
    if isinstance(result, Rejection):
        assert result.reason and "Traceback" not in result.reason
        assert len(result.reason) <= 2300
        assert "\x00" not in result.reason and "\x00" not in (result.entity_id or "")
        assert result.size == len(payload)
        if topic == T.reports:
            for value in _personal_values(body):
                assert value not in result.reason
                assert value.encode() not in result.payload
        return
    _check_storable(dataclasses.asdict(result), received_bound=NOW + timedelta(minutes=5))


def _personal_values(body: Any) -> list[str]:
    """A report's personal texts, those the rest of it does not also carry (then not personal)."""
    if not isinstance(body, dict):
        return []
    rest = json.dumps({k: v for k, v in body.items() if k not in PERSONAL}, ensure_ascii=False)
    return [
        v
        for k, v in body.items()
        if k in PERSONAL and isinstance(v, str) and len(v.strip()) >= 6 and v not in rest
    ]


def _check_storable(value: Any, received_bound: datetime) -> None:
    if isinstance(value, str):
        assert "\x00" not in value
    elif isinstance(value, float):
        assert value == value and value not in (float("inf"), float("-inf"))
    elif isinstance(value, datetime):
        assert value.tzinfo is not None and TIME_FLOOR <= value <= received_bound
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_storable(key, received_bound)
            _check_storable(item, received_bound)
    elif isinstance(value, list | tuple):
        for item in value:
            _check_storable(item, received_bound)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_the_examples_are_valid(decoders, name):
    topic, body = EXAMPLES[name]
    result = decoders[0].decode(topic, encode(body), NOW)
    assert result is not None and not isinstance(result, Rejection), result


@pytest.mark.parametrize("name", sorted(EXAMPLES))
@settings(
    max_examples=200,
    deadline=None,
    database=None,  # no .hypothesis/ left in the work tree: each run draws afresh
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_hostile_fields_never_make_the_decoder_raise(decoders, name, data):
    topic, example = EXAMPLES[name]
    body = example
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        where = paths(body)
        choice = data.draw(st.integers(0, 9), label="how")
        if choice == 0 or not where:  # a new attribute
            key = data.draw(st.sampled_from(["vendorField", "_private", "@context", "id"]))
            body = mutated(body, (key,), data.draw(_values, label="value"))
        elif choice == 1:
            body = mutated(body, data.draw(st.sampled_from(where), label="removed"), ...)
        else:
            path = data.draw(st.sampled_from(where), label="path")
            body = mutated(body, path, data.draw(_values, label="value"))
    payload = encode(body)
    plain, pydantic = decoders
    result = plain.decode(topic, payload, NOW)  # must not raise
    check_outcome(result, topic, payload, body)
    if topic.startswith(T.root + "/state/"):  # both state paths decide alike
        assert pydantic.decode(topic, payload, NOW) == result


def test_a_decoder_bug_is_one_messages_rejection(monkeypatch, decoders):
    """Whatever a decoder raises quarantines the message, named in words, never a traceback."""

    def bug(*_: Any) -> None:
        raise OverflowError("date value out of range\n  File x, line 1")

    monkeypatch.setattr(Decoder, "_place_at", bug)
    topic, body = EXAMPLES["light"]
    result = decoders[0].decode(topic, encode(body), NOW)
    assert isinstance(result, Rejection)
    assert result.reason == "could not be decoded: OverflowError: date value out of range"
    assert result.entity_id == "streetlight:21231-00001"


def test_the_plain_path_is_taken_by_the_examples_meant_for_it():
    """The fuzzing's light starts on the plain path, so both paths are compared from there."""
    _, body = EXAMPLES["light"]
    assert plain_state.is_plain(plain_state.SPECS["Streetlight"], body)
