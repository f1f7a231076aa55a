"""Pydantic models of the field contract's payloads (Smart Data Models keyValues and Vigie's own).

Tolerant where the published examples are: unknown attributes are kept (``extra="allow"``), a
number sent as a numeric string is read as a number (pydantic's lax mode), a single value stands
for a list and the reverse (``OneOrMany``/``FirstOf``). Strict where meaning would be lost: a
``location`` that is not GeoJSON or lies outside ±180/±90, a missing required field, a known
attribute that cannot be read as its type, true or false where a number is expected, a number
that is not finite, a text longer than the column that stores it (``services.bus.limits``).
Identifiers the field sends as JSON numbers (a state's ``id``, a report's ``service_request_id``
and ``service_code``, as GeoReport v2's own examples have them) are read as text. The entity
states' models are built from ``services.bus.entity_fields``, their one declaration.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    ValidatorFunctionWrapHandler,
    create_model,
    field_validator,
    model_validator,
)

from services.bus import entity_fields, limits
from services.bus.entity_fields import Attribute


def _not_a_flag(value: Any) -> Any:
    """Refuses true and false where a number is expected (pydantic's lax mode reads 1 and 0)."""
    if type(value) is bool:
        raise ValueError("must be a number, not true or false")
    return value


def _as_code(value: Any) -> Any:
    """An identifier sent as a JSON number, as text: 42 and 42.0 are "42"."""
    if type(value) is int:
        return str(value)
    if type(value) is float and math.isfinite(value):
        return str(int(value)) if value.is_integer() else repr(value)
    return value  # text stays text; anything else is refused as not text


Number = Annotated[float, BeforeValidator(_not_a_flag), Field(allow_inf_nan=False)]
Fraction = Annotated[float, BeforeValidator(_not_a_flag), Field(ge=0, le=1, allow_inf_nan=False)]
Integer = Annotated[int, BeforeValidator(_not_a_flag)]
Code = Annotated[str, BeforeValidator(_as_code)]


def _one_or_many(value: Any) -> Any:
    return value if isinstance(value, list) else [value]


def _first_of(value: Any) -> Any:
    if isinstance(value, list):
        if len(value) != 1:
            raise ValueError("expected one value")
        return value[0]
    return value


OneOrMany = Annotated[list[str], BeforeValidator(_one_or_many)]
FirstOf = Annotated[str, BeforeValidator(_first_of)]
DeviceRef = Annotated[str, Field(max_length=limits.DEVICE_ID)]


class Open(BaseModel):
    """A payload that keeps the attributes it does not know."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)


def _check_position(position: Any) -> None:
    if not isinstance(position, list | tuple) or len(position) < 2:
        raise ValueError("a position is [longitude, latitude]")
    lon, lat = position[0], position[1]
    for v in (lon, lat):
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            raise ValueError("coordinates must be numbers")
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValueError("coordinates outside ±180/±90")


_DEPTH = {
    "Point": 0,
    "MultiPoint": 1,
    "LineString": 1,
    "MultiLineString": 2,
    "Polygon": 2,
    "MultiPolygon": 3,
}


Finite = Annotated[float, Field(allow_inf_nan=False)]


class PointGeometry(BaseModel):
    """A GeoJSON Point, checked by pydantic-core alone.

    Nearly every entity has one, and the recorder validates 34,000 at a cold start: this is four
    times cheaper than walking positions in Python.
    """

    model_config = ConfigDict(extra="allow")
    type: Literal["Point"]
    coordinates: Annotated[list[Finite], Field(min_length=2, max_length=3)]

    @field_validator("coordinates", mode="wrap")
    @classmethod
    def _position(cls, value: Any, numbers: ValidatorFunctionWrapHandler) -> list[float]:
        # One Python call for the whole position (a validator per number cost a microsecond a
        # Point), and one error for it, where a union of tuples gave pydantic's three.
        if type(value) is list and any(type(v) is bool for v in value):
            raise ValueError("coordinates must be numbers, not true or false")
        position = numbers(value)
        if not (-180 <= position[0] <= 180 and -90 <= position[1] <= 90):
            raise ValueError("coordinates outside ±180/±90")
        return position

    def representative(self) -> tuple[float, float]:
        """(lat, lon) of the point."""
        return self.coordinates[1], self.coordinates[0]


class GeoJSON(BaseModel):
    """The other GeoJSON geometries, whose nested positions are checked in Python."""

    model_config = ConfigDict(extra="allow")
    type: Literal["MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"]
    coordinates: list[Any]

    @model_validator(mode="after")
    def _valid_coordinates(self) -> GeoJSON:
        def walk(node: Any, depth: int) -> None:
            if depth == 0:
                _check_position(node)
                return
            if not isinstance(node, list) or not node:
                raise ValueError(f"{self.type} coordinates are nested {_DEPTH[self.type]} deep")
            for child in node:
                walk(child, depth - 1)

        walk(self.coordinates, _DEPTH[self.type])
        return self

    def representative(self) -> tuple[float, float]:
        """(lat, lon) to place the entity: the middle of its first positions."""
        node: Any = self.coordinates
        for _ in range(_DEPTH[self.type] - 1):
            node = node[0]
        lon = sum(p[0] for p in node) / len(node)
        lat = sum(p[1] for p in node) / len(node)
        return lat, lon


Location = Annotated[PointGeometry | GeoJSON, Field(discriminator="type")]


def annotation_for(attribute: Attribute) -> Any:
    """The pydantic type for one kind of attribute of ``services.bus.entity_fields``."""
    match attribute.kind:
        case "text":
            return str
        case "code":
            return Code
        case "number":
            return Number
        case "fraction":
            return Fraction
        case "integer":
            return Integer
        case "flag":
            return StrictBool
        case "location":
            return Location
        case "one_or_many":
            return OneOrMany
        case "choice":
            return Literal[attribute.allowed]
        case "bounded":
            return Annotated[str, Field(max_length=attribute.max_length)]
        case "pattern":
            return Annotated[str, Field(pattern=attribute.pattern)]
    raise ValueError(f"no pydantic type for an attribute of kind {attribute.kind!r}")


Insee = annotation_for(entity_fields.INSEE)  # a report's refCommune, as a state's


def _optional(attributes: dict[str, Attribute]) -> dict[str, Any]:
    """Each attribute as a model field that may be absent (an entity state says what it has)."""
    return {name: (annotation_for(a) | None, None) for name, a in attributes.items()}


# The entity models are built from the one declaration of their attributes, which the plain
# path reads too (services.bus.plain_state): a field added there is added to both.
Entity = create_model(
    "Entity",
    __base__=Open,
    __module__=__name__,
    __doc__="What every entity may carry; the topic's type and id are authoritative.",
    **_optional(entity_fields.ENTITY),
)

ENTITY_MODELS: dict[str, type[BaseModel]] = {
    name: create_model(name, __base__=Entity, __module__=__name__, **_optional(own))
    for name, own in entity_fields.ENTITY_TYPES.items()
}


class GatewayStatus(Open):
    online: StrictBool
    since: str | None = None


class ConsoleStatus(Open):
    """``consoles/{workstation}/status``: a console's presence (``services/bus/presence.py``)."""

    online: StrictBool
    # One console instance's: absent from a console that predates sessions.
    session: Annotated[str, Field(pattern=entity_fields.IDENTIFIER.pattern)] | None = None
    operator: Annotated[str, Field(max_length=64)] | None = None  # an operator's name
    since: str | None = None


class Vehicle(Entity):
    location: Location
    observationDateTime: str  # noqa: N815
    vehicleType: str | None = None  # noqa: N815
    category: OneOrMany | None = None
    speed: Number | None = None
    bearing: Number | None = None
    plowDown: StrictBool | None = None  # noqa: N815
    spreading: StrictBool | None = None
    spreadRate: Number | None = None  # noqa: N815
    material: Literal["salt", "brine"] | None = None
    vehicleAltitude: Number | None = None  # noqa: N815 - sent as "600" in the published example

    @field_validator("location")
    @classmethod
    def _point(cls, value: PointGeometry | GeoJSON) -> PointGeometry | GeoJSON:
        if value.type != "Point":
            raise ValueError("a vehicle's location is a GeoJSON Point")
        return value


class UnitStatus(Open):
    status: Literal["available", "en_route", "on_scene", "unavailable"]
    # units.incident_id is a BIGINT: a larger number fails on both backends (differently)
    incident_id: Annotated[Integer, Field(ge=-limits.BIGINT_MAX, le=limits.BIGINT_MAX)] | None = (
        None
    )
    ts: str


class Alert(Entity):
    # The constraint before the validator: it then applies to the text the number became.
    id: Annotated[str, Field(max_length=limits.SOURCE_REF), BeforeValidator(_as_code)]  # type: ignore[assignment]
    category: Annotated[str, Field(max_length=limits.INCIDENT_CATEGORY)]
    subCategory: str | None = None  # noqa: N815
    severity: Literal["informational", "low", "medium", "high", "critical"] = "medium"
    dateIssued: str  # noqa: N815
    address: Any | None = None
    description: str | None = None

    @model_validator(mode="after")
    def _somewhere(self) -> Alert:
        if self.location is None and not self.address:
            raise ValueError("an alert needs a location or an address")
        return self


class Media(BaseModel):
    contentType: Literal["image/jpeg", "image/png"]  # noqa: N815
    data: str


class Report(Open):
    service_request_id: Annotated[
        str, Field(pattern=entity_fields.IDENTIFIER.pattern), BeforeValidator(_as_code)
    ]
    service_code: Code
    service_name: str | None = None
    status: str | None = None
    status_notes: str | None = None
    description: str | None = None
    address_string: str | None = None
    requested_datetime: str | None = None
    location: Location | None = None
    lat: Number | None = None
    long: Number | None = None
    media_url: str | None = None
    media: Media | None = None
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    phone: str | None = None
    refCommune: Insee | None = None  # noqa: N815

    @model_validator(mode="after")
    def _somewhere(self) -> Report:
        if self.location is None and (self.lat is None or self.long is None):
            raise ValueError("a report needs a location or lat/long")
        if self.location is None:
            _check_position([self.long, self.lat])
        return self


class IncidentEvent(Open):
    """``events/incidents``: a hint that an incident changed; the database has the record."""

    incident_id: int
    version: int
    kind: Literal["created", "updated"]
    by: str


RequestId = Annotated[str, Field(max_length=limits.REQUEST_ID)]


class DeviceAck(Open):
    request_id: RequestId
    device_id: DeviceRef | None = None
    unit_id: DeviceRef | None = None  # dispatch answers name the unit
    status: Literal["accepted", "done", "rejected", "failed", "expired"]
    reason: str | None = None
    ts: str | None = None

    @model_validator(mode="after")
    def _responder(self) -> DeviceAck:
        if not (self.device_id or self.unit_id):
            raise ValueError("an ack names its device_id (or unit_id)")
        return self


class FailedDevice(BaseModel):
    id: str
    reason: str = ""


class GatewayAck(Open):
    request_id: RequestId
    gateway: DeviceRef
    status: Literal["done", "failed", "expired"]
    succeeded: Annotated[Integer, Field(ge=0, le=limits.INTEGER_MAX)]
    failed: list[FailedDevice] = []
    ts: str | None = None
