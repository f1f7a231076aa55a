"""Units in the field: patrols, road crews and snow vehicles, and what their crews report."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any


class UnitKind(StrEnum):
    PATROL = "patrol"  # municipal police
    ROAD_CREW = "road_crew"
    SNOW_PLOUGH = "snow_plough"
    SALT_SPREADER = "salt_spreader"
    OTHER = "other"

    @property
    def is_snow_vehicle(self) -> bool:
        return self in (UnitKind.SNOW_PLOUGH, UnitKind.SALT_SPREADER)


class UnitStatus(StrEnum):
    AVAILABLE = "available"
    EN_ROUTE = "en_route"
    ON_SCENE = "on_scene"
    UNAVAILABLE = "unavailable"


#: ``Vehicle.category`` values (Smart Data Models, plus the contract's) and the unit kind they mean.
_KIND_BY_CATEGORY: dict[str, UnitKind] = {
    "police": UnitKind.PATROL,
    "municipalServices": UnitKind.ROAD_CREW,
    "roadMaintenance": UnitKind.ROAD_CREW,
    "snowPlough": UnitKind.SNOW_PLOUGH,
    "saltSpreader": UnitKind.SALT_SPREADER,
}


def unit_kind(categories: str | list[str] | None) -> UnitKind:
    """The kind of a vehicle from its ``category`` (a list in the published example)."""
    if categories is None:
        return UnitKind.OTHER
    if isinstance(categories, str):
        categories = [categories]
    kinds = [_KIND_BY_CATEGORY[c] for c in categories if c in _KIND_BY_CATEGORY]
    # A snow vehicle that is also a municipal-services truck is followed as a snow vehicle.
    kinds.sort(key=lambda k: (not k.is_snow_vehicle, k is UnitKind.ROAD_CREW))
    return kinds[0] if kinds else UnitKind.OTHER


#: A snow vehicle's attributes (field contract) that say it is treating, and the word for each.
_TREATING = (("plough", "plowDown"), ("spread", "spreading"))


def vehicle_work(attributes: Mapping[str, Any]) -> str:
    """What a snow vehicle was doing where a position was sent: "plough", "spread" or both.

    "plough" is the blade down (``plowDown``), "spread" the spreader on (``spreading``), both
    "plough+spread"; "" when neither, or when the position does not say.
    """
    return "+".join(word for word, key in _TREATING if attributes.get(key) is True)


@dataclass(frozen=True, slots=True)
class Unit:
    id: str
    kind: UnitKind
    status: UnitStatus = UnitStatus.AVAILABLE
    name: str | None = None
    incident_id: int | None = None
    lat: float | None = None
    lon: float | None = None
    observed_at: datetime | None = None
    bearing: float | None = None  # degrees from north, as the last position said
    work: str = ""  # a snow vehicle's: "plough" (blade down), "spread", both ("plough+spread")


@dataclass(frozen=True, slots=True)
class Position:
    unit_id: str
    observed_at: datetime
    lat: float
    lon: float
    speed_kmh: float | None = None
    bearing: float | None = None


def visible_kinds(*, patrols: bool, vehicles: bool) -> frozenset[UnitKind]:
    """The unit kinds whose positions an operator is shown.

    Police patrols only to those the permission matrix lets see them (the roles that send them),
    the other vehicles to those it lets see vehicles (a crew's position is personal data; CNIL).
    """
    return frozenset(k for k in UnitKind if (patrols if k is UnitKind.PATROL else vehicles))


#: Who is usually sent for a category: police for people and order, road crews for the street
#: and its equipment, snow vehicles for ice (road crews next). A category not named here suits
#: every kind.
_PATROL_WORK = {
    "security",
    "fire",
    "health",
    "public_order",
    "road_accident",
    "noise",
    "abandoned_vehicle",
    "parking",
    "traffic",
}
_CREW_WORK = {
    "road_damage",
    "fallen_tree",
    "signage",
    "lighting_fault",
    "signal_fault",
    "bollard_fault",
    "camera_fault",
    "cabinet_fault",
    "gateway_fault",
    "equipment_fault",
    "cleanliness",
    "graffiti",
    "green_spaces",
    "street_furniture",
    "water",
    "environment",
    "naturalDisaster",
}
#: Snow and ice: a plough or a spreader treats the road, a road crew only helps (README).
_ICE_WORK = {"snow_ice", "freeze_risk"}
#: A field's weather alert may be ice as much as a storm: snow vehicles and road crews alike.
_WEATHER_WORK = {"weather"}
_SNOW_VEHICLES = frozenset({UnitKind.SNOW_PLOUGH, UnitKind.SALT_SPREADER})


def usual_kinds(category: str) -> tuple[frozenset[UnitKind], ...]:
    """The unit kinds that usually answer ``category``, in tiers: the first tier first."""
    if category in _PATROL_WORK:
        return (frozenset({UnitKind.PATROL}),)
    if category in _CREW_WORK:
        return (frozenset({UnitKind.ROAD_CREW}),)
    if category in _ICE_WORK:
        return (_SNOW_VEHICLES, frozenset({UnitKind.ROAD_CREW}))
    if category in _WEATHER_WORK:
        return (_SNOW_VEHICLES | {UnitKind.ROAD_CREW},)
    return (frozenset(UnitKind),)


def suited_kinds(category: str) -> frozenset[UnitKind]:
    """The unit kinds that usually answer an incident of ``category`` (every tier)."""
    return frozenset().union(*usual_kinds(category))


def offer_order(category: str, kind: str, distance_m: float) -> tuple[int, float]:
    """Where a unit comes in the list offered for ``category``: by tier, then nearest first.

    A kind outside every tier comes after them all (still offered: it may be all there is).
    """
    tiers = usual_kinds(category)
    tier = next((n for n, kinds in enumerate(tiers) if kind in kinds), len(tiers))
    return tier, distance_m


#: A typical speed through town, lights and all, for an ETA that is honest about being rough.
URBAN_SPEED_KMH = 25.0
#: A unit this close is at the incident already: the radius within which two reports are one
#: place (``incidents.DUPLICATE_RADIUS_M``), well within a GPS fix's and a caller's precision.
ON_SITE_M = 100.0


class Arrival(StrEnum):
    """How soon a unit can be there, as an operator reads it."""

    ON_SITE = "on_site"  # nothing to wait for
    UNDER_A_MINUTE = "under_a_minute"
    MINUTES = "minutes"  # about ``Eta.minutes``, at least 1


@dataclass(frozen=True, slots=True)
class Eta:
    arrival: Arrival
    minutes: int = 0  # rounded; at least 1, and only for ``Arrival.MINUTES``


def travel_eta(distance_m: float, speed_kmh: float = URBAN_SPEED_KMH) -> Eta:
    """A rough travel time: never "about 0 min", which reads as a unit already there or a bug."""
    if distance_m <= ON_SITE_M:
        return Eta(Arrival.ON_SITE)
    minutes = distance_m / 1000 / speed_kmh * 60
    if minutes < 1:
        return Eta(Arrival.UNDER_A_MINUTE)
    return Eta(Arrival.MINUTES, math.floor(minutes + 0.5))  # half up, not to the even
