"""Which entity states pydantic would take exactly as they are, told without pydantic.

A cold start decodes 34,000 retained states, nearly all of one plain shape: known attributes of
the right type, a GeoJSON Point. For those, validating with the entity's pydantic model
(``services.bus.schemas``) costs most of the decoding and changes nothing: every value comes out
as it went in (numbers aside, which the codec takes from the payload anyway). ``is_plain`` says
when that holds; the codec then builds the message from the payload, and sends anything else
(a numeric string, a polygon, a bad value, an attribute we have no check for) through pydantic,
which alone decides what is accepted and what is quarantined and why.

So a check here may refuse more than the model does, never less. ``SPECS`` is read, as the
models are, from the one declaration of the entities' attributes (``services.bus.entity_fields``),
without importing pydantic: the writer need not load it at all for plain states.
tests/services/test_plain_state.py checks that each kind's check stands for the model's type and
compares both paths' messages over the fixtures and over random and malformed payloads.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from services.bus.entity_fields import ENTITY_TYPES, Attribute, attributes_of

Check = Callable[[Any], bool]

_BIG = 2**53  # an integer beyond this may not survive float() unchanged: leave it to pydantic


def text(value: Any) -> bool:
    return type(value) is str


def number(value: Any) -> bool:
    kind = type(value)
    if kind is float:
        return math.isfinite(value)
    return kind is int and -_BIG <= value <= _BIG


def fraction(value: Any) -> bool:
    return number(value) and 0 <= value <= 1


def integer(value: Any) -> bool:
    return type(value) is int and -_BIG <= value <= _BIG


def flag(value: Any) -> bool:
    return type(value) is bool


def bounded(length: int) -> Check:
    """Text of at most ``length`` characters (the column that stores it)."""

    def check(value: Any) -> bool:
        return type(value) is str and len(value) <= length

    check.max_length = length  # type: ignore[attr-defined]  # for the test against the models
    return check


def finite(value: Any) -> bool:
    """Whether no number in ``value`` (a JSON value, nested or not) is infinite or NaN."""
    kind = type(value)
    if kind is float:
        return math.isfinite(value)
    if kind is dict:
        return all(finite(v) for v in value.values())
    if kind is list:
        return all(finite(v) for v in value)
    return True


def choice(*allowed: str) -> Check:
    names = frozenset(allowed)

    def check(value: Any) -> bool:
        return type(value) is str and value in names

    check.allowed = names  # type: ignore[attr-defined]  # for the test against the models
    return check


def matching(expression: str) -> Check:
    """Text matching ``expression`` whole."""
    # ASCII only: pydantic's ``\d`` takes any Unicode digit; such a rarity goes to pydantic.
    compiled = re.compile(expression, re.ASCII)

    def check(value: Any) -> bool:
        return type(value) is str and compiled.fullmatch(value) is not None

    check.pattern = expression  # type: ignore[attr-defined]  # for the test against the models
    return check


def point(value: Any) -> bool:
    """A GeoJSON Point within ±180/±90 (any other geometry goes to pydantic)."""
    if type(value) is not dict or value.get("type") != "Point":
        return False
    coordinates = value.get("coordinates")
    if type(coordinates) is not list or not 2 <= len(coordinates) <= 3:
        return False
    lon, lat = coordinates[0], coordinates[1]
    # Spelled out: a generator over the coordinates cost 0.3 µs a state (of 11 to decode one).
    if not (number(lon) and number(lat) and (len(coordinates) == 2 or number(coordinates[2]))):
        return False
    if len(value) != 2 and not finite(value):  # a member beside type and coordinates
        return False
    return -180 <= lon <= 180 and -90 <= lat <= 90


def point_lat_lon(location: dict[str, Any]) -> tuple[float, float]:
    """(lat, lon) of a location ``point`` accepted, as pydantic's model would give them."""
    coordinates = location["coordinates"]
    return float(coordinates[1]), float(coordinates[0])


def check_for(attribute: Attribute) -> Check | None:
    """The plain check standing for one kind of attribute; None: always pydantic's to read."""
    match attribute.kind:
        case "text" | "code":  # an id sent as a number is pydantic's to turn into text
            return text
        case "number":
            return number
        case "fraction":
            return fraction
        case "integer":
            return integer
        case "flag":
            return flag
        case "location":
            return point
        case "choice":
            return choice(*attribute.allowed)
        case "bounded":
            assert attribute.max_length is not None
            return bounded(attribute.max_length)
        case "pattern":
            assert attribute.pattern is not None
            return matching(attribute.pattern)
        case "one_or_many":  # one or many: pydantic's to normalise
            return None
    raise ValueError(f"no plain check for an attribute of kind {attribute.kind!r}")


#: Each entity type's attributes and their checks; None: present at all, the payload goes to
#: pydantic.
SPECS: dict[str, dict[str, Check | None]] = {
    name: {key: check_for(attribute) for key, attribute in attributes_of(name).items()}
    for name in ENTITY_TYPES
}


def is_plain(spec: dict[str, Check | None], body: dict[str, Any]) -> bool:
    """Whether the entity model would accept ``body`` and hold each known value unchanged."""
    for key, value in body.items():
        if key in spec:
            check = spec[key]
            if check is None or (value is not None and not check(value)):
                return False
        elif key[:1] == "_" or key.startswith("model_"):
            return False  # an extra attribute pydantic might treat specially: let it decide
        elif type(value) is not str and not finite(value):
            return False  # the codec refuses a number that is not finite, anywhere
    return True
