"""Units in the field: patrols, road crews and snow vehicles, and what their crews report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


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
#: and its equipment, snow vehicles for ice. A category not named here suits every kind.
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
_SNOW_WORK = {"snow_ice", "freeze_risk", "weather"}


def suited_kinds(category: str) -> frozenset[UnitKind]:
    """The unit kinds that usually answer an incident of ``category``."""
    if category in _PATROL_WORK:
        return frozenset({UnitKind.PATROL})
    if category in _CREW_WORK:
        return frozenset({UnitKind.ROAD_CREW})
    if category in _SNOW_WORK:
        return frozenset({UnitKind.SNOW_PLOUGH, UnitKind.SALT_SPREADER, UnitKind.ROAD_CREW})
    return frozenset(UnitKind)
