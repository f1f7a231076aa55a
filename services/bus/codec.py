"""Decoding: bytes on a topic become a validated message, or a rejection for the quarantine.

Runs on paho's network thread, so it only decodes and validates: no I/O, no database.
"""

from __future__ import annotations

import base64
import binascii
import functools
import importlib
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic_core import ValidationError, from_json  # pydantic's own ValidationError

from services.bus import plain_state
from services.bus.messages import (
    AckMessage,
    AlertMessage,
    GatewayMessage,
    Message,
    Photo,
    Place,
    PositionMessage,
    Rejection,
    ReportMessage,
    StateMessage,
    UnitStatusMessage,
)
from services.bus.timestamps import BadTime, parse_time
from services.bus.topics import BadTopic, Kind, Topics
from services.domain.equipment import EquipmentType
from services.domain.geography import Commune, CommuneIndex, by_insee

if TYPE_CHECKING:
    from pydantic import BaseModel

    from services.bus import schemas

MAX_PAYLOAD = 4 * 1024 * 1024
QUARANTINE_HEAD = 64 * 1024  # what is kept of a payload over MAX_PAYLOAD
MAX_PHOTO = 2 * 1024 * 1024

#: Topics the field publishes and Vigie reads; the others (commands, events…) are not decoded here.
DECODED = {
    Kind.STATE,
    Kind.GATEWAY,
    Kind.POSITION,
    Kind.UNIT_STATUS,
    Kind.ALERT,
    Kind.REPORT,
    Kind.ACK,
}


def _schemas():  # noqa: ANN202 - the module services.bus.schemas
    """The pydantic models, imported at their first use.

    Importing pydantic and building them cost the recorder's writer about a tenth of a second
    of processor at start-up, and a cold start of plain states (``plain_state``) may never
    need them.
    """
    return importlib.import_module("services.bus.schemas")


class Invalid(ValueError):
    """The payload breaks the contract; the message says how, for the quarantine."""


def _describe(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "payload"
    extra = f" (and {error.error_count() - 1} more)" if error.error_count() > 1 else ""
    return f"{where}: {first['msg']}{extra}"


class Decoder:
    def __init__(
        self, topics: Topics, communes: Sequence[Commune], *, plain_states: bool = True
    ) -> None:
        """``plain_states=False`` sends every state through pydantic (for the tests' comparison)."""
        self.topics = topics
        self.plain_states = plain_states
        self.communes = tuple(communes)
        self._insee = by_insee(communes)
        self._index = CommuneIndex(self.communes)

    def decode(
        self, topic: str, payload: bytes, received_at: datetime
    ) -> Message | Rejection | None:
        """The message, a rejection, or None for a topic that is not the field's to send."""
        try:
            where = self.topics.parse(topic)
            if where.kind not in DECODED:
                return None
            if len(payload) > MAX_PAYLOAD:
                raise Invalid(f"payload of {len(payload)} bytes exceeds the 4 MiB limit")
            body = self._json_object(payload)
            return self._decode(where.kind, where.type, where.id, body)
        except (Invalid, BadTopic, BadTime) as exc:
            return self.reject(topic, payload, str(exc), received_at)
        except ValidationError as exc:
            return self.reject(topic, payload, _describe(exc), received_at)

    @staticmethod
    def reject(topic: str, payload: bytes, reason: str, received_at: datetime) -> Rejection:
        kept = payload if len(payload) <= MAX_PAYLOAD else payload[:QUARANTINE_HEAD]
        return Rejection(topic, reason, kept, len(payload), received_at)

    @staticmethod
    def _json_object(payload: bytes) -> dict[str, Any]:
        try:
            text = payload.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise Invalid(f"not UTF-8 (byte {exc.start})") from None
        try:
            # pydantic-core's parser: twice as fast as json's, and refuses NaN and Infinity
            body = from_json(text, allow_inf_nan=False)
        except ValueError as exc:
            raise Invalid(f"not JSON: {exc}") from None
        if not isinstance(body, dict):
            raise Invalid(f"a JSON {type(body).__name__}, not an object")
        return body

    # --- per topic ---------------------------------------------------------------------------
    def _decode(self, kind: Kind, type_: str | None, ident: str | None, body: dict) -> Message:
        match kind:
            case Kind.STATE:
                return self._state(type_ or "", ident or "", body)
            case Kind.GATEWAY:
                gw = _schemas().GatewayStatus.model_validate(body)
                since = parse_time(gw.since)[0] if gw.since else None
                return GatewayMessage(ident or "", gw.online, since)
            case Kind.POSITION:
                return self._position(ident or "", body)
            case Kind.UNIT_STATUS:
                st = _schemas().UnitStatus.model_validate(body)
                return UnitStatusMessage(
                    ident or "", st.status, st.incident_id, parse_time(st.ts)[0]
                )
            case Kind.ALERT:
                return self._alert(body)
            case Kind.REPORT:
                return self._report(body)
            case Kind.ACK:
                return self._ack(body)
        raise Invalid("not a field topic")  # pragma: no cover - DECODED guards it

    def place(
        self, location: schemas.PointGeometry | schemas.GeoJSON | None, ref_commune: str | None
    ) -> Place | None:
        if location is None:
            return None
        return self._place_at(*location.representative(), ref_commune)

    def _place_at(self, lat: float, lon: float, ref_commune: str | None) -> Place:
        nearest, outside = self._index.commune_of(lat, lon)
        commune = ref_commune if ref_commune in self._insee else nearest.insee
        return Place(lat, lon, commune, outside)

    @staticmethod
    def _time_of(values: Sequence[str | None], flags: list[str]) -> datetime | None:
        for value in values:
            if value:
                at, naive = parse_time(value, interval_ok=True)
                if naive:
                    flags.append("time_without_offset")
                return at
        return None

    def _state(self, type_: str, ident: str, body: dict) -> StateMessage:
        spec = plain_state.SPECS.get(type_)
        if spec is None:
            raise Invalid(f"unknown entity type {type_!r}")
        if self.plain_states and plain_state.is_plain(spec, body):
            # What the model would hold, read from the payload itself (see plain_state).
            get = body.get
            location = get("location")
            place = (
                None
                if location is None
                else self._place_at(*plain_state.point_lat_lon(location), get("refCommune"))
            )
            return self._state_message(
                type_,
                ident,
                (get("id"), get("type"), get("name"), get("status"), get("refGateway")),
                place,
                (get("observationDateTime"), get("dateObserved"), get("dateModified")),
                {k: v for k, v in body.items() if k not in ("id", "type")},
            )
        entity = _schemas().ENTITY_MODELS[type_].model_validate(body)
        return self._state_message(
            type_,
            ident,
            (entity.id, entity.type, entity.name, entity.status, entity.refGateway),
            self.place(entity.location, entity.refCommune),
            (entity.observationDateTime, entity.dateObserved, entity.dateModified),
            _attributes_of(body, entity, drop=("id", "type")),
        )

    def _state_message(
        self,
        type_: str,
        ident: str,
        said: tuple[str | None, str | None, str | None, str | None, str | None],
        place: Place | None,
        times: tuple[str | None, str | None, str | None],
        attributes: dict[str, Any],
    ) -> StateMessage:
        said_id, said_type, name, status, gateway = said
        flags: list[str] = []
        if said_id is not None and said_id != ident:
            flags.append("id_differs_from_topic")
        if said_type is not None and said_type != type_:
            flags.append("type_differs_from_topic")
        if place and place.outside:
            flags.append("outside_metropole")
        observed = self._time_of(times, flags)
        return StateMessage(
            type=EquipmentType(type_),
            id=ident,
            attributes=attributes,
            status=status,
            name=name,
            place=place,
            gateway=gateway,
            observed_at=observed,
            flags=tuple(flags),
        )

    def _position(self, unit: str, body: dict) -> PositionMessage:
        vehicle = _schemas().Vehicle.model_validate(body)
        flags: list[str] = []
        observed = self._time_of((vehicle.observationDateTime,), flags)
        place = self.place(vehicle.location, vehicle.refCommune)
        assert place is not None and observed is not None  # both required by the model
        return PositionMessage(
            unit_id=unit,
            place=place,
            observed_at=observed,
            name=vehicle.name,
            categories=tuple(vehicle.category or ()),
            speed=vehicle.speed,
            bearing=vehicle.bearing,
            attributes=_attributes(vehicle, drop=("id", "type", "location")),
            flags=tuple(flags),
        )

    def _alert(self, body: dict) -> AlertMessage:
        alert = _schemas().Alert.model_validate(body)
        flags: list[str] = []
        issued = self._time_of((alert.dateIssued,), flags)
        assert issued is not None
        place = self.place(alert.location, alert.refCommune)
        if place and place.outside:
            flags.append("outside_metropole")
        return AlertMessage(
            alert_id=alert.id,
            category=alert.category,
            sub_category=alert.subCategory,
            severity=alert.severity,
            issued_at=issued,
            place=place,
            address=_address_text(alert.address),
            description=alert.description,
            attributes=_attributes(alert, drop=("id", "type")),
            flags=tuple(flags),
        )

    def _report(self, body: dict) -> ReportMessage:
        report = _schemas().Report.model_validate(body)
        flags: list[str] = []
        location = report.location or _schemas().PointGeometry(
            type="Point", coordinates=(report.long, report.lat)
        )
        place = self.place(location, report.refCommune)
        assert place is not None
        if place.outside:
            flags.append("outside_metropole")
        photo = None
        if report.media is not None:
            try:
                data = base64.b64decode(report.media.data, validate=True)
            except (binascii.Error, ValueError):
                raise Invalid("media.data: not base64") from None
            if len(data) > MAX_PHOTO:
                raise Invalid(f"media.data: photo of {len(data)} bytes exceeds 2 MiB")
            photo = Photo(report.media.contentType, data)
        personal = {
            k: v for k in ("email", "first_name", "last_name", "phone") if (v := getattr(report, k))
        }
        attributes = _attributes(
            report, drop=("media", "email", "first_name", "last_name", "phone")
        )
        return ReportMessage(
            service_request_id=report.service_request_id,
            service_code=report.service_code,
            service_name=report.service_name,
            status=report.status,
            status_notes=report.status_notes,
            description=report.description,
            place=place,
            address=report.address_string,
            requested_at=self._time_of((report.requested_datetime,), flags),
            photo=photo,
            media_url=report.media_url,
            personal=personal,
            attributes=attributes,
            flags=tuple(flags),
        )

    def _ack(self, body: dict) -> AckMessage:
        if "gateway" in body:
            ack = _schemas().GatewayAck.model_validate(body)
            return AckMessage(
                request_id=ack.request_id,
                responder=ack.gateway,
                responder_kind="gateway",
                status=ack.status,
                succeeded=ack.succeeded,
                failed=tuple((f.id, f.reason) for f in ack.failed),
                ts=parse_time(ack.ts)[0] if ack.ts else None,
            )
        dev = _schemas().DeviceAck.model_validate(body)
        return AckMessage(
            request_id=dev.request_id,
            responder=dev.device_id or dev.unit_id or "",
            responder_kind="device" if dev.device_id else "unit",
            status=dev.status,
            reason=dev.reason,
            ts=parse_time(dev.ts)[0] if dev.ts else None,
        )


def _attributes_of(body: dict[str, Any], model: BaseModel, drop: Sequence[str]) -> dict[str, Any]:
    """The payload as received, less ``drop``, with known numbers read from numeric strings.

    Cheaper than dumping the model (this runs for every state of a 34,000-light burst): only a
    text value where the model holds a number needs replacing.
    """
    out = {k: v for k, v in body.items() if k not in drop}
    for name in _numeric_fields(type(model)).intersection(out):
        if isinstance(out[name], str):
            value = getattr(model, name)
            if isinstance(value, int | float) and not isinstance(value, bool):
                out[name] = value
    return out


@functools.cache
def _numeric_fields(model: type[BaseModel]) -> frozenset[str]:
    """Fields that may hold a number: those whose annotation names int or float."""
    return frozenset(
        name
        for name, info in model.model_fields.items()
        if "int" in str(info.annotation) or "float" in str(info.annotation)
    )


def _attributes(model: BaseModel, drop: Sequence[str]) -> dict[str, Any]:
    data = model.model_dump(mode="json", exclude_none=True, exclude=set(drop))
    return data


def _address_text(address: Any) -> str | None:
    if address is None or isinstance(address, str):
        return address
    if isinstance(address, dict):
        parts = [address.get(k) for k in ("streetAddress", "addressLocality", "addressCountry")]
        return ", ".join(str(p) for p in parts if p) or None
    return str(address)
