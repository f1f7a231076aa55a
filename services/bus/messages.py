"""What the bus hands to the recorder and the console: decoded messages as plain dataclasses.

``flags`` carries what was accepted but is worth knowing (a time without offset read as UTC, an
id in the payload that differs from the topic's, a place outside the métropole, a time ahead of
the receiver's clock or before 2000 replaced by the time it was received, a NUL character
removed from a text).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from services.domain.equipment import EquipmentType


# Place and StateMessage are not frozen: a frozen dataclass's __init__ costs three times as
# much, and the recorder builds them for each of a cold start's 34,000 states (1.5 µs of the
# 11.7 a decoding took, with Topic). Nothing changes one once built.
@dataclass(slots=True)
class Place:
    lat: float
    lon: float
    commune: str | None  # INSEE code: refCommune, else the nearest reference point
    outside: bool = False  # farther than 5 km from every reference point


@dataclass(slots=True)
class StateMessage:
    type: EquipmentType
    id: str
    attributes: dict[str, Any]  # the payload as received (normalised values), id/type aside
    status: str | None
    name: str | None
    place: Place | None
    gateway: str | None
    observed_at: datetime | None
    flags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class GatewayMessage:
    gateway: str
    online: bool
    since: datetime | None


@dataclass(frozen=True, slots=True)
class PositionMessage:
    unit_id: str
    place: Place
    observed_at: datetime
    name: str | None
    categories: tuple[str, ...]
    speed: float | None
    bearing: float | None
    attributes: dict[str, Any] = field(default_factory=dict)
    flags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class UnitStatusMessage:
    unit_id: str
    status: str
    incident_id: int | None
    ts: datetime


@dataclass(frozen=True, slots=True)
class AlertMessage:
    alert_id: str
    category: str
    sub_category: str | None
    severity: str
    issued_at: datetime
    place: Place | None
    address: str | None
    description: str | None
    attributes: dict[str, Any]
    flags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Photo:
    content_type: str
    data: bytes


@dataclass(frozen=True, slots=True)
class ReportMessage:
    service_request_id: str
    service_code: str
    service_name: str | None
    status: str | None  # Open311: open or closed
    status_notes: str | None
    description: str | None
    place: Place
    address: str | None
    requested_at: datetime | None
    photo: Photo | None
    media_url: str | None
    personal: dict[str, str]  # email, names, phone: stored apart, never exported
    attributes: dict[str, Any]
    flags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AckMessage:
    request_id: str
    responder: str  # device, unit or gateway id
    responder_kind: str  # "device", "unit" or "gateway"
    status: str
    reason: str | None = None
    succeeded: int | None = None
    failed: tuple[tuple[str, str], ...] = ()  # (device id, reason), gateway acks only
    ts: datetime | None = None


@dataclass(frozen=True, slots=True)
class Rejection:
    """A payload that broke the contract: kept for quarantine, never dropped in silence."""

    topic: str
    reason: str
    payload: bytes  # whole up to 4 MiB; the first 64 KiB of a larger one
    size: int
    received_at: datetime
    entity_id: str | None = None  # the id the message spoke of (topic's or payload's), if told


Message = (
    StateMessage
    | GatewayMessage
    | PositionMessage
    | UnitStatusMessage
    | AlertMessage
    | ReportMessage
    | AckMessage
)
