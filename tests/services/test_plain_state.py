"""The codec's plain-state path gives exactly what pydantic gives, or steps aside.

``services.bus.plain_state`` decides without pydantic when a state can be built from its payload
as it is. Its checks and the pydantic models are both read from ``services.bus.entity_fields``:
these tests check that each kind of attribute's check stands for the model's type, and compare
the two decoders (plain path on, plain path off) over every fixture and over random and
malformed payloads: the same message, or the same rejection with the same reason.
"""

import json
import math
import random
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Literal, get_args, get_origin

import pytest

from services.bus import entity_fields, plain_state, schemas
from services.bus.codec import Decoder
from services.bus.messages import Rejection, StateMessage
from services.bus.topics import Topics
from services.reference import communes

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
NOW = datetime(2026, 11, 25, 17, tzinfo=UTC)
T = Topics("vigie")


def _kind_of_model_field(annotation):
    """What a field's annotation asks, in the words of the check that must stand for it."""
    args = get_args(annotation)
    assert type(None) in args, "every entity attribute may be absent"
    (inner,) = [a for a in args if a is not type(None)]
    named = {
        str: "text",
        schemas.Number: "number",
        schemas.Fraction: "fraction",
        schemas.Integer: "integer",
        schemas.Code: "code",
        schemas.StrictBool: "flag",
        schemas.Location: "point",
    }
    for kind, name in named.items():
        if inner == kind:
            return name
    if get_origin(inner) is Literal:
        return ("choice", frozenset(get_args(inner)))
    if get_origin(inner) is Annotated:
        base, *meta = get_args(inner)
        if base is str:
            (info,) = meta
            (constraint,) = info.metadata
            if hasattr(constraint, "pattern"):
                return ("pattern", constraint.pattern)
            return ("bounded", constraint.max_length)
    return None  # no plain check can stand for it


def _kind_of_check(check):
    named = {
        plain_state.text: "text",
        plain_state.number: "number",
        plain_state.integer: "integer",
        plain_state.flag: "flag",
        plain_state.fraction: "fraction",
        plain_state.point: "point",
    }
    if check in named:
        return named[check]
    if check is None:
        return None
    if hasattr(check, "pattern"):
        return ("pattern", check.pattern)
    if hasattr(check, "max_length"):
        return ("bounded", check.max_length)
    return ("choice", check.allowed)


#: A model's kind, and the stricter check that may stand for it (what it refuses goes to pydantic).
STRICTER = {("code", "text")}  # an id sent as a number: pydantic reads it as text


def test_the_plain_checks_are_the_models_fields():
    assert set(plain_state.SPECS) == set(schemas.ENTITY_MODELS)
    for name, model in schemas.ENTITY_MODELS.items():
        spec = plain_state.SPECS[name]
        assert set(spec) == set(model.model_fields), name
        decorators = model.__pydantic_decorators__
        assert not decorators.field_validators and not decorators.model_validators, name
        assert model.model_config.get("extra") == "allow"
        for field, info in model.model_fields.items():
            assert info.default is None and info.alias is None and not info.metadata
            modelled, checked = _kind_of_model_field(info.annotation), _kind_of_check(spec[field])
            assert modelled == checked or (modelled, checked) in STRICTER, (name, field)


@pytest.mark.parametrize("kind", sorted(entity_fields.KINDS))
def test_every_kind_of_attribute_has_a_model_type_and_a_check_alike(kind):
    attribute = entity_fields.Attribute(kind, allowed=("a", "b"), max_length=3, pattern="^a$")
    modelled = _kind_of_model_field(schemas.annotation_for(attribute) | None)
    checked = _kind_of_check(plain_state.check_for(attribute))
    assert modelled == checked or (modelled, checked) in STRICTER


@pytest.fixture(scope="module")
def decoders():
    return Decoder(T, communes()), Decoder(T, communes(), plain_states=False)


def _same(decoders, topic, payload: bytes):
    plain, pydantic = decoders
    fast, slow = plain.decode(topic, payload, NOW), pydantic.decode(topic, payload, NOW)
    assert fast == slow, (topic, payload)
    return fast


def _fixture_payloads():
    for path in sorted(FIXTURES.rglob("*.json")):
        yield path.name, path.read_bytes()


@pytest.mark.parametrize("type_", sorted(schemas.ENTITY_MODELS))
def test_every_fixture_decodes_alike_on_every_state_topic(decoders, type_):
    payloads = list(_fixture_payloads())
    assert len(payloads) >= 9
    for _, payload in payloads:
        _same(decoders, T.state(type_, "dev:1"), payload)
        body = json.loads(payload)
        if isinstance(body, dict):  # and as a plain payload would be, its odd parts removed
            simple = {k: v for k, v in body.items() if isinstance(v, str | int | float)}
            _same(decoders, T.state(type_, "dev:1"), json.dumps(simple).encode())


#: Values meant to hit every check's edges: right and wrong types, bounds, patterns, geometry.
VALUES = [
    None,
    "",
    "ok",
    "fault",
    "on",
    "off",
    "low",
    "up",
    "manual",
    "dry",
    "0.5",
    "12",
    "21231",
    "2A004",
    "2123",
    "\u0662\u0661\u0662\u0663\u0661",  # Arabic-Indic digits: pydantic's \\d takes them
    "cab:1",
    "bad id",
    "x" * 129,
    "s" * 40,
    "s" * 41,
    "cab:1\n",
    "2026-11-25T10:00:00Z",
    "2026-11-25T10:00:00",
    "2026-11-25T09:00:00Z/2026-11-25T10:00:00+01:00",
    "yesterday",
    0,
    1,
    -1,
    2,
    0.5,
    1.5,
    -0.0,
    1e300,
    2**53,
    2**53 + 1,
    2**70,
    True,
    False,
    [],
    ["a"],
    ["a", "b"],
    {},
    {"type": "Point", "coordinates": [5.04, 47.32]},
    {"type": "Point", "coordinates": [5, 47]},
    {"type": "Point", "coordinates": [5.04, 47.32, 250.0]},
    {"type": "Point", "coordinates": [5.04, 47.32, 1, 2]},
    {"type": "Point", "coordinates": [5.04]},
    {"type": "Point", "coordinates": [181.0, 47.32]},
    {"type": "Point", "coordinates": [5.04, -90.5]},
    {"type": "Point", "coordinates": [True, 47.32]},
    {"type": "Point", "coordinates": ["5.04", "47.32"]},
    {"type": "Point", "coordinates": (5.04, 47.32), "crs": "x"},
    {"type": "Point"},
    {"type": "point", "coordinates": [5.04, 47.32]},
    {"type": "Point", "coordinates": [-3.7, 40.4]},  # outside the métropole
    {"type": "LineString", "coordinates": [[5.0, 47.3], [5.1, 47.4]]},
    {"type": "Polygon", "coordinates": [[[5.0, 47.3], [5.1, 47.3], [5.1, 47.4], [5.0, 47.3]]]},
]
EXTRA_KEYS = ["_private", "model_config", "model_fields", "vendorField", "id", "type"]


def _random_body(rng: random.Random, type_: str) -> dict:
    fields = list(plain_state.SPECS[type_])
    body = {}
    for name in rng.sample(fields, rng.randint(0, len(fields))):
        body[name] = rng.choice(VALUES)
    if rng.random() < 0.3:
        body[rng.choice(EXTRA_KEYS)] = rng.choice(VALUES)
    return body


def _plain_body(rng: random.Random, type_: str) -> dict:
    """One that should take the plain path: each field given a value its check accepts."""
    spec = plain_state.SPECS[type_]
    body = {}
    for name, check in spec.items():
        if check is None or rng.random() < 0.4:
            continue
        good = [v for v in VALUES if v is not None and check(v)]
        body[name] = rng.choice(good) if good else None
    return body


def test_random_and_malformed_states_decode_alike(decoders):
    rng = random.Random(20261125)
    taken, rejected = 0, 0
    for i in range(3000):
        type_ = rng.choice(sorted(plain_state.SPECS))
        body = _random_body(rng, type_) if i % 2 else _plain_body(rng, type_)
        payload = json.dumps(body).encode()
        message = _same(decoders, T.state(type_, f"dev:{i}"), payload)
        taken += plain_state.is_plain(plain_state.SPECS[type_], body)
        rejected += isinstance(message, Rejection)
    # Both paths had work: many payloads went the plain way, many were quarantined.
    assert taken > 1000 and rejected > 300, (taken, rejected)


@pytest.mark.parametrize(
    "payload",
    [
        b"",
        b"[]",
        b"null",
        b'"state"',
        b"{",
        b'{"powerConsumption": NaN}',
        b'{"illuminanceLevel": 1e400}',
        b'{"status": "ok", "status": 3}',
        b'{"cameraNum": 3.0}',
        b'{"cameraNum": 123456789012345678901234567890}',
        b"\xff\xfe",
        b'{"name": "\\ud800"}',
        # Refused alike on both backends (issue 14, item 7), and read alike on both paths:
        b'{"location": {"type": "Point", "coordinates": [true, false]}}',
        b'{"location": {"type": "Point", "coordinates": [5, 47, 1e400]}}',
        b'{"location": {"type": "Point", "coordinates": [5, 47], "crs": 1e400}}',
        b'{"vendorField": 1e400}',
        b'{"vendorField": {"nested": [1, -1e400]}}',
        b'{"powerConsumption": true}',
        b'{"status": "' + b"s" * 41 + b'"}',
        b'{"refStreetlightGroup": "' + b"g" * 129 + b'"}',
        b'{"id": 42}',
        b'{"id": 42.5, "name": "a\\u0000b"}',
    ],
)
def test_malformed_payloads_are_quarantined_alike(decoders, payload):
    for type_ in sorted(plain_state.SPECS):
        _same(decoders, T.state(type_, "dev:1"), payload)
    _same(decoders, T.state("Unknown", "dev:1"), payload)


def test_a_plain_light_takes_the_plain_path_and_keeps_its_values(decoders):
    body = {
        "id": "sl:1",
        "type": "Streetlight",
        "status": "ok",
        "powerState": "on",
        "illuminanceLevel": 1,
        "refGateway": "cab:1",
        "location": {"type": "Point", "coordinates": [5, 47.32]},
    }
    assert plain_state.is_plain(plain_state.SPECS["Streetlight"], body)
    message = _same(decoders, T.state("Streetlight", "sl:1"), json.dumps(body).encode())
    assert isinstance(message, StateMessage)
    assert message.attributes["illuminanceLevel"] == 1  # as sent, as pydantic's path keeps it
    assert isinstance(message.place.lon, float) and message.place.lon == 5.0
    assert not math.isnan(message.place.lat)


@pytest.mark.parametrize(
    "body",
    [
        {"location": {"type": "Point", "coordinates": [True, False]}},
        {"vendorField": float("inf")},
        {"vendorField": [{"x": float("-inf")}]},
        {"location": {"type": "Point", "coordinates": [5, 47], "crs": float("inf")}},
        {"status": "s" * 41},
        {"refStreetlightGroup": "g" * 129},
    ],
)
def test_the_plain_check_refuses_what_the_model_refuses(body):
    """Each of these is quarantined by the model's path; the plain path must step aside."""
    assert not plain_state.is_plain(plain_state.SPECS["Streetlight"], body)
