"""Decoding: bytes on a topic become a validated message, or a rejection for the quarantine.

The one decoder of the field contract: the recorder's writer and the console's map feed read
every message with it, each on a thread of its own, so it only decodes and validates: no I/O,
no database, and nothing another thread could see half-changed. Nothing
it raises escapes ``Decoder.decode``: whatever goes wrong with one message quarantines that
message, with a reason in words (every error, where), the id it spoke of, and a report's
personal values redacted. Times that order things (a unit's position and status, an ack) are
bounded by the receiver's clock; others out of bounds are replaced by it and flagged.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import functools
import importlib
import math
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar, get_args

from pydantic_core import ValidationError, from_json  # pydantic's own ValidationError

from services.bus import plain_state, reasons
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
from services.bus.presence import ConsoleStatusMessage
from services.bus.redact import PERSONAL, is_report_topic, redact_personal, scrub
from services.bus.timestamps import BadTime, TimeOutOfRange, parse_time
from services.bus.topics import BadTopic, Kind, Topics
from services.domain.equipment import EquipmentType
from services.domain.geography import Commune, CommuneIndex, by_insee
from services.domain.open311 import REQUEST_ID_PREFIX

if TYPE_CHECKING:
    from pydantic import BaseModel

    from services.bus import schemas

MAX_PAYLOAD = 4 * 1024 * 1024
QUARANTINE_HEAD = 64 * 1024  # what is kept of a payload over MAX_PAYLOAD
MAX_PHOTO = 2 * 1024 * 1024
#: The times a state may be dated by, the first given wins; ``dateLastValueReported`` only for a
#: ``Device`` (Smart Data Models' time of its ``value``), which other types may carry undeclared.
_STATE_TIMES = ("dateLastValueReported", "observationDateTime", "dateObserved", "dateModified")
_VALUE_REPORTED = "Device"
#: No time before this is a real observation: a clock that was never set.
TIME_FLOOR = datetime(2000, 1, 1, tzinfo=UTC)
FUTURE_TOLERANCE = timedelta(minutes=5)

__all__ = ["Decoder", "Invalid", "redact_personal"]  # the recorder redacts what it quarantines

#: Topics the field publishes and Vigie reads, and the consoles' presence (the recorder closes a
#: dead console's camera views); the others (commands, events…) are not decoded here.
DECODED = {
    Kind.STATE,
    Kind.GATEWAY,
    Kind.POSITION,
    Kind.UNIT_STATUS,
    Kind.ALERT,
    Kind.REPORT,
    Kind.ACK,
    Kind.CONSOLE,
}


def _no_ngsi(body: Any) -> Any:
    return body


def _ngsi_reader() -> Callable[[Any], Any]:
    """``services.bus.ngsi.to_key_values``, or the body as it is while that module is absent."""
    try:
        return importlib.import_module("services.bus.ngsi").to_key_values
    except ImportError:  # pragma: no cover - the module is written apart from this one
        return _no_ngsi


_to_key_values = _ngsi_reader()


def _schemas():  # noqa: ANN202 - the module services.bus.schemas
    """The pydantic models, imported at their first use.

    Importing pydantic and building them cost the recorder's writer about a tenth of a second
    of processor at start-up, and a cold start of plain states (``plain_state``) may never
    need them.
    """
    return importlib.import_module("services.bus.schemas")


M = TypeVar("M", bound="BaseModel")


class Invalid(ValueError):
    """The payload breaks the contract; the message says how, for the quarantine."""


def _validate(model: type[M], body: dict[str, Any]) -> M:
    """``body`` read by ``model``; else Invalid with every error, non-finite numbers included."""
    try:
        result = model.model_validate(body)
    except ValidationError as exc:
        problems = reasons.describe(exc)
        if not plain_state.finite(body):
            problems += reasons.non_finite(body)
        raise Invalid(reasons.joined(problems)) from None
    if not plain_state.finite(body):  # an attribute the model does not know
        raise Invalid(reasons.joined(reasons.non_finite(body)))
    return result


class Decoder:
    def __init__(
        self,
        topics: Topics,
        communes: Sequence[Commune],
        *,
        plain_states: bool = True,
        future_tolerance: timedelta = FUTURE_TOLERANCE,
    ) -> None:
        """A decoder for the field's topics under ``topics``.

        Args:
            topics: The topic tree.
            communes: The reference points places are found among.
            plain_states: False sends every state through pydantic (the tests' comparison).
            future_tolerance: How far ahead of the receiver's clock a time may be: the field's
                clocks drift a little; beyond this a time is not believed.
        """
        self.topics = topics
        self.plain_states = plain_states
        self.future_tolerance = future_tolerance
        self.communes = tuple(communes)
        self._insee = by_insee(communes)
        self._index = CommuneIndex(self.communes)

    @property
    def future_tolerance(self) -> timedelta:
        """How far ahead of the receiver's clock a time is believed."""
        return self._future_tolerance

    @future_tolerance.setter
    def future_tolerance(self, value: timedelta) -> None:
        self._future_tolerance = value
        # (received_at, received_at + tolerance) of the last message read: one sum a batch
        self._bound: tuple[datetime | None, datetime] = (None, datetime.max.replace(tzinfo=UTC))

    def decode(
        self, topic: str, payload: bytes, received_at: datetime
    ) -> Message | ConsoleStatusMessage | Rejection | None:
        """The message, a rejection, or None for a topic that is not the field's to send.

        Never raises: anything that goes wrong decoding one message is that message's rejection.
        """
        where, body = None, None
        try:
            where = self.topics.parse(topic)
            if where.kind not in DECODED:
                return None
            if len(payload) > MAX_PAYLOAD:
                raise Invalid(f"payload of {len(payload)} bytes exceeds the 4 MiB limit")
            body, nul = self._json_object(payload)
            message = self._decode(where.kind, where.type, where.id, body, received_at)
            return _flagged(message, "nul_removed") if nul else message
        except (Invalid, BadTopic, BadTime) as exc:
            reason = str(exc)
        except ValidationError as exc:  # a model validated outside _validate
            reason = reasons.joined(reasons.describe(exc))
        except Exception as exc:  # noqa: BLE001 - a decoder's bug is this one message's
            reason = f"could not be decoded: {type(exc).__name__}: {_first_line(exc)}"
        return self._rejection(topic, payload, reason, received_at, where, body)

    def _rejection(
        self,
        topic: str,
        payload: bytes,
        reason: str,
        received_at: datetime,
        where: Any,
        body: dict[str, Any] | None,
    ) -> Rejection:
        """The quarantine's row: the reason bounded, NUL-free and without personal values."""
        reason = reason[: reasons.MAX_REASON + 200].replace("\x00", "")
        if is_report_topic(topic):
            reason = scrub(reason, body)
            payload_kept = redact_personal(topic, payload)
        else:
            payload_kept = payload
        entity = _entity_id(where, body)
        rejection = self.reject(topic, payload_kept, reason, received_at, entity_id=entity)
        if len(payload_kept) != len(payload):  # redacted: the size is what was received
            rejection = dataclasses.replace(rejection, size=len(payload))
        return rejection

    @staticmethod
    def reject(
        topic: str,
        payload: bytes,
        reason: str,
        received_at: datetime,
        *,
        entity_id: str | None = None,
    ) -> Rejection:
        """A rejection keeping ``payload`` whole up to 4 MiB, else its first 64 KiB."""
        kept = payload if len(payload) <= MAX_PAYLOAD else payload[:QUARANTINE_HEAD]
        return Rejection(topic, reason, kept, len(payload), received_at, entity_id)

    @staticmethod
    def _json_object(payload: bytes) -> tuple[dict[str, Any], bool]:
        """The payload's JSON object, and whether a NUL character was removed from it."""
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
        # A NUL can only come escaped. Looking for the first backslash is twenty times cheaper
        # (most payloads have none) than for the escape, then only what follows it is searched.
        first = text.find("\\")
        if first >= 0 and text.find("\\u0000", first) >= 0:
            return _without_nul(body)
        return body, False

    # --- per topic ---------------------------------------------------------------------------
    def _decode(
        self, kind: Kind, type_: str | None, ident: str | None, body: dict, received_at: datetime
    ) -> Message | ConsoleStatusMessage:
        match kind:
            case Kind.STATE:
                return self._state(type_ or "", ident or "", body, received_at)
            case Kind.GATEWAY:
                gw = _validate(_schemas().GatewayStatus, body)
                # Shown as "online since": a clock off its bounds gives the receiver's time.
                since = self._observed((gw.since,), [], received_at, ("since",))
                return GatewayMessage(ident or "", gw.online, since)
            case Kind.POSITION:
                return self._position(ident or "", _to_key_values(body), received_at)
            case Kind.UNIT_STATUS:
                st = _validate(_schemas().UnitStatus, body)
                ts = self._ordering("ts", st.ts, received_at)
                return UnitStatusMessage(ident or "", st.status, st.incident_id, ts)
            case Kind.ALERT:
                return self._alert(_to_key_values(body), received_at)
            case Kind.REPORT:
                return self._report(_to_key_values(body), received_at)
            case Kind.ACK:
                return self._ack(body, received_at)
            case Kind.CONSOLE:
                console = _validate(_schemas().ConsoleStatus, body)
                since = self._observed((console.since,), [], received_at, ("since",))
                return ConsoleStatusMessage(
                    ident or "", console.online, console.session, console.operator, since
                )
        raise Invalid("not a field topic")  # pragma: no cover - DECODED guards it

    # --- times -------------------------------------------------------------------------------
    def _ordering(
        self,
        name: str,
        value: str,
        received_at: datetime,
        flags: list[str] | None = None,
        *,
        interval_ok: bool = False,
    ) -> datetime:
        """A time that orders a unit's or a command's record: refused when not believable.

        A unit's row is never moved back by an older message, so one dated 9999 would pin it
        for ever; one before 2000 is a clock that was never set.
        """
        at = self._time_of((value,), [] if flags is None else flags, (name,), interval_ok)
        if at is None:  # an empty text
            raise BadTime(f"{name}: not an ISO 8601 time")
        if at > received_at + self._future_tolerance:
            raise Invalid(
                f"time_in_future: {name} {_iso(at)} is more than {_span(self._future_tolerance)}"
                f" ahead of the receiver's clock ({_iso(received_at)})"
            )
        if at < TIME_FLOOR:
            raise Invalid(f"time_in_past: {name} {_iso(at)} is before {_iso(TIME_FLOOR)}")
        return at

    def _observed(
        self,
        values: Sequence[Any],
        flags: list[str],
        received_at: datetime,
        names: Sequence[str],
    ) -> datetime | None:
        """The first time given, or the receiver's when it is not believable (then flagged).

        Reports, alerts and device states are never lost for a bad clock.
        """
        try:
            at = self._time_of(values, flags, names)
        except TimeOutOfRange as exc:  # a clock off by millennia is still a clock's error
            flags.append("time_in_future" if exc.ahead else "time_in_past")
            return received_at
        if at is None:
            return None
        bound = self._bound  # one attribute: read and replaced whole, whichever thread decodes
        if bound[0] is not received_at:  # a batch's messages share their clock reading
            bound = self._bound = (received_at, received_at + self._future_tolerance)
        if at > bound[1]:
            flags.append("time_in_future")
            return received_at
        if at < TIME_FLOOR:
            flags.append("time_in_past")
            return received_at
        return at

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
    def _time_of(
        values: Sequence[Any], flags: list[str], names: Sequence[str], interval_ok: bool = True
    ) -> datetime | None:
        """The first of ``values`` given, read as UTC (``names``: theirs, for the reason)."""
        for value in values:
            if value:
                try:
                    at, naive = parse_time(value, interval_ok=interval_ok)
                except TimeOutOfRange as exc:
                    where = names[list(values).index(value)]
                    raise TimeOutOfRange(f"{where}: {exc}", ahead=exc.ahead) from None
                except BadTime as exc:
                    raise BadTime(f"{names[list(values).index(value)]}: {exc}") from None
                if naive:
                    flags.append("time_without_offset")
                return at
        return None

    def _state(self, type_: str, ident: str, body: dict, received_at: datetime) -> StateMessage:
        spec = plain_state.SPECS.get(type_)
        if spec is None:
            raise Invalid(f"unknown entity type {type_!r}")
        # A plain keyValues state is told first: the NGSI forms' reading costs it nothing.
        plain = self.plain_states and plain_state.is_plain(spec, body)
        if not plain or "@context" in body:
            normalized = _to_key_values(body)
            if normalized is not body:
                body = normalized
                plain = self.plain_states and plain_state.is_plain(spec, body)
        if plain:
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
                (
                    get("dateLastValueReported") if type_ == _VALUE_REPORTED else None,
                    get("observationDateTime"),
                    get("dateObserved"),
                    get("dateModified"),
                ),
                _without_id_and_type(body),
                received_at,
            )
        entity = _validate(_schemas().ENTITY_MODELS[type_], body)
        reported = getattr(entity, "dateLastValueReported", None)
        return self._state_message(
            type_,
            ident,
            (entity.id, entity.type, entity.name, entity.status, entity.refGateway),
            self.place(entity.location, entity.refCommune),
            (
                reported if type_ == _VALUE_REPORTED else None,
                entity.observationDateTime,
                entity.dateObserved,
                entity.dateModified,
            ),
            _attributes_of(body, entity, drop=("id", "type")),
            received_at,
        )

    def _state_message(
        self,
        type_: str,
        ident: str,
        said: tuple[str | None, str | None, str | None, str | None, str | None],
        place: Place | None,
        times: tuple[str | None, str | None, str | None, str | None],
        attributes: dict[str, Any],
        received_at: datetime,
    ) -> StateMessage:
        said_id, said_type, name, status, gateway = said
        flags: list[str] = []
        if said_id is not None and said_id != ident:
            flags.append("id_differs_from_topic")
        if said_type is not None and said_type != type_:
            flags.append("type_differs_from_topic")
        if place and place.outside:
            flags.append("outside_metropole")
        observed = self._observed(times, flags, received_at, _STATE_TIMES)
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

    def _position(self, unit: str, body: dict, received_at: datetime) -> PositionMessage:
        vehicle = _validate(_schemas().Vehicle, body)
        flags: list[str] = []
        observed = self._ordering(
            "observationDateTime", vehicle.observationDateTime, received_at, flags, interval_ok=True
        )
        place = self.place(vehicle.location, vehicle.refCommune)
        assert place is not None  # required by the model
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

    def _alert(self, body: dict, received_at: datetime) -> AlertMessage:
        alert = _validate(_schemas().Alert, body)
        flags: list[str] = []
        issued = self._observed((alert.dateIssued,), flags, received_at, ("dateIssued",))
        assert issued is not None  # required by the model
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

    def _report(self, body: dict, received_at: datetime) -> ReportMessage:
        report = _validate(_schemas().Report, body)
        if report.service_request_id.startswith(REQUEST_ID_PREFIX):
            # The Open311 service names its requests so: another's would take one of them.
            raise Invalid(
                f"service_request_id: {REQUEST_ID_PREFIX}… names the Open311 service's own requests"
            )
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
        personal = {k: v for k in sorted(PERSONAL) if (v := getattr(report, k))}
        attributes = _attributes(report, drop=("media", *PERSONAL))
        requested = self._observed(
            (report.requested_datetime,), flags, received_at, ("requested_datetime",)
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
            requested_at=requested,
            photo=photo,
            media_url=report.media_url,
            personal=personal,
            attributes=attributes,
            flags=tuple(flags),
        )

    def _ack(self, body: dict, received_at: datetime) -> AckMessage:
        if "gateway" in body:
            ack = _validate(_schemas().GatewayAck, body)
            return AckMessage(
                request_id=ack.request_id,
                responder=ack.gateway,
                responder_kind="gateway",
                status=ack.status,
                succeeded=ack.succeeded,
                failed=tuple((f.id, f.reason) for f in ack.failed),
                ts=self._ordering("ts", ack.ts, received_at) if ack.ts else None,
            )
        dev = _validate(_schemas().DeviceAck, body)
        return AckMessage(
            request_id=dev.request_id,
            responder=dev.device_id or dev.unit_id or "",
            responder_kind="device" if dev.device_id else "unit",
            status=dev.status,
            reason=dev.reason,
            ts=self._ordering("ts", dev.ts, received_at) if dev.ts else None,
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
    """Fields that may hold a number: those whose annotation is, or holds, int or float."""
    return frozenset(
        name for name, info in model.model_fields.items() if _names_a_number(info.annotation)
    )


def _names_a_number(annotation: Any) -> bool:
    if annotation is int or annotation is float:
        return True
    return any(_names_a_number(arg) for arg in get_args(annotation))


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


# --- what a rejection says -----------------------------------------------------------------------
#: Where each kind of message names the entity it speaks of (states and positions: the topic).
_ID_IN_PAYLOAD = {Kind.ALERT: "id", Kind.REPORT: "service_request_id", Kind.ACK: "request_id"}
_ID_IN_TOPIC = {Kind.STATE, Kind.GATEWAY, Kind.POSITION, Kind.UNIT_STATUS, Kind.CONSOLE}


def _entity_id(where: Any, body: dict[str, Any] | None) -> str | None:
    """The id a rejected message spoke of, when it can be told (its payload may be invalid)."""
    if where is None:
        return None
    if where.kind in _ID_IN_TOPIC:
        return where.id
    key = _ID_IN_PAYLOAD.get(where.kind)
    if key is None or body is None:
        return None
    value = body.get(key)
    if isinstance(value, dict):  # an NGSI attribute: {"type": …, "value": …}
        value = value.get("value")
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    return text.replace("\x00", "")[:256] or None


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [""])[0][:300]


def _iso(at: datetime) -> str:
    return at.isoformat().replace("+00:00", "Z")


def _span(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    return f"{seconds // 60} min" if seconds % 60 == 0 else f"{seconds} s"


# --- NUL characters ------------------------------------------------------------------------------
def _without_nul(value: Any) -> tuple[Any, bool]:
    """``value`` with every NUL removed from its texts and names; whether one was.

    PostgreSQL refuses a NUL in text where SQLite stores it: removed, both store the same, and
    a report is not lost for one.
    """
    kind = type(value)
    if kind is str:
        return (value.replace("\x00", ""), True) if "\x00" in value else (value, False)
    if kind is dict:
        out: dict[str, Any] = {}
        changed = False
        for key, item in value.items():
            clean_key, key_changed = _without_nul(key)
            out[clean_key], item_changed = _without_nul(item)
            changed = changed or key_changed or item_changed
        return (out, True) if changed else (value, False)
    if kind is list:
        pairs = [_without_nul(item) for item in value]
        if any(changed for _, changed in pairs):
            return [item for item, _ in pairs], True
        return value, False
    return value, False


def _flagged(message: Message, flag: str) -> Message:
    """``message`` with ``flag`` added, for the kinds that carry flags."""
    flags = getattr(message, "flags", None)
    if flags is None or flag in flags:
        return message
    return dataclasses.replace(message, flags=(*flags, flag))  # type: ignore[type-var]


def _without_id_and_type(body: dict[str, Any]) -> dict[str, Any]:
    """A plain state's attributes: its payload less ``id`` and ``type``, in the same order.

    A copy then two removals: a third of what a comprehension over every attribute cost.
    """
    attributes = dict(body)
    attributes.pop("id", None)
    attributes.pop("type", None)
    return attributes
