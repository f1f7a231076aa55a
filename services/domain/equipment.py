"""Field equipment: the contract's entity types and the rule that says ok, fault, stale or lost.

A device's state is judged on the receiver's clock, from three facts: its last ``status``, when
its last state arrived, and whether its gateway is online.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any


class EquipmentType(StrEnum):
    """Entity types of the field contract (Smart Data Models names, plus Vigie's own)."""

    STREETLIGHT = "Streetlight"
    STREETLIGHT_GROUP = "StreetlightGroup"
    STREETLIGHT_CONTROL_CABINET = "StreetlightControlCabinet"
    TRAFFIC_SIGNAL = "TrafficSignal"
    CAMERA = "Camera"
    BOLLARD = "Bollard"
    WEATHER_OBSERVED = "WeatherObserved"
    TRAFFIC_FLOW_OBSERVED = "TrafficFlowObserved"
    SALT_STOCK = "SaltStock"
    DEVICE = "Device"  # a Smart Data Models Device: here, presence sensors (occupancy)


class EquipmentState(StrEnum):
    OK = "ok"
    FAULT = "fault"
    STALE = "stale"  # nothing heard for longer than the type's age: last values shown greyed
    COMM_LOST = "comm_lost"  # its gateway's Last Will arrived: last values shown greyed


#: How long without a state before a device is stale, per type (the contract's defaults:
#: 15 minutes for lights, 2 minutes for signals and cameras). ``None``: never stale (groups and
#: depots publish on change only).
DEFAULT_STALE_AFTER: dict[EquipmentType, timedelta | None] = {
    EquipmentType.STREETLIGHT: timedelta(minutes=15),
    EquipmentType.STREETLIGHT_CONTROL_CABINET: timedelta(minutes=15),
    EquipmentType.STREETLIGHT_GROUP: None,
    EquipmentType.TRAFFIC_SIGNAL: timedelta(minutes=2),
    EquipmentType.CAMERA: timedelta(minutes=2),
    EquipmentType.BOLLARD: timedelta(minutes=2),
    EquipmentType.WEATHER_OBSERVED: timedelta(minutes=15),
    EquipmentType.TRAFFIC_FLOW_OBSERVED: timedelta(minutes=15),
    EquipmentType.SALT_STOCK: None,
    EquipmentType.DEVICE: timedelta(minutes=15),  # presence sensors repeat their state
}


def is_fault_status(status: str | None) -> bool:
    """A device with a ``status`` other than ``ok`` is in fault; one without a status never is."""
    return status is not None and status != "ok"


def assess_state(
    equipment_type: EquipmentType,
    status: str | None,
    received_at: datetime,
    now: datetime,
    *,
    gateway_online: bool | None = None,
    stale_after: dict[EquipmentType, timedelta | None] | None = None,
) -> EquipmentState:
    """The one state a device shows.

    A lost link and a silent device come first: the last status they reported cannot be trusted,
    so a fault heard before the link went down is shown as ``comm_lost`` (its last values stay
    visible). ``gateway_online`` is ``None`` when the device has no known gateway.
    """
    if gateway_online is False:
        return EquipmentState.COMM_LOST
    ages = DEFAULT_STALE_AFTER if stale_after is None else {**DEFAULT_STALE_AFTER, **stale_after}
    limit = ages.get(equipment_type)
    if limit is not None and now - received_at > limit:
        return EquipmentState.STALE
    if is_fault_status(status):
        return EquipmentState.FAULT
    return EquipmentState.OK


@dataclass(frozen=True, slots=True)
class Equipment:
    id: str
    type: EquipmentType
    received_at: datetime  # receiver's clock: what staleness is measured on
    status: str | None = None
    name: str | None = None
    commune: str | None = None  # INSEE code
    gateway: str | None = None
    lat: float | None = None
    lon: float | None = None
    outside_metropole: bool = False
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class EquipmentView:
    """A device as operators see it: its state judged (ok, fault, stale, comm_lost) at reading."""

    id: str
    type: str
    state: str
    status: str | None
    commune: str | None
    gateway: str | None
    lat: float | None
    lon: float | None
    received_at: datetime
    updated_at: datetime
    fault_since: datetime | None
    attributes: dict[str, Any]


#: A fault incident's source reference is the device's id, or this prefix and the gateway's id when
#: most of a gateway's devices fail together (one cause): the recorder writes it, the faults list
#: reads it.
GATEWAY_PREFIX = "gateway:"


@dataclass(frozen=True, slots=True)
class Fault:
    """A device in fault, with the incident it opened (its own, or its gateway's)."""

    id: str
    type: str
    status: str | None
    commune: str | None
    gateway: str | None
    since: datetime
    incident_id: int | None = None
    through_gateway: bool = False  # the incident is its gateway's: one cause, many devices
    lat: float | None = None
    lon: float | None = None
