"""The simulated field as plain mutable objects: gateways, entities, vehicles, buildings.

Only the simulation thread changes these objects; nothing here does I/O or knows about MQTT.
``World`` indexes them the ways the engine asks (by id, by type, by commune and type, by group),
and resolves a group command's target to the devices each gateway serves.
"""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from services.domain.commands import GroupKind, GroupTarget
from services.domain.equipment import EquipmentType
from services.domain.geography import Commune
from services.domain.units import UnitKind, UnitStatus

#: How many request ids a device, gateway or unit remembers (oldest forgotten first).
REMEMBERED_REQUESTS = 2_000


class Remembered(OrderedDict[str, "dict[str, Any] | None"]):
    """Request ids already handled, with their final answer (``None`` while still running)."""

    def __init__(self, limit: int = REMEMBERED_REQUESTS) -> None:
        super().__init__()
        self.limit = limit

    def remember(self, request_id: str, answer: dict[str, Any] | None) -> None:
        self[request_id] = answer
        self.move_to_end(request_id)
        while len(self) > self.limit:
            self.popitem(last=False)


@dataclass(slots=True, eq=False)
class Entity:
    """Anything published on ``{root}/state/{Type}/{id}``.

    ``attrs`` holds the payload's other attributes, current values included; ``overrides`` maps a
    controllable attribute under an operator's override to the override's token (so that a
    later override cancels an earlier one's ``until``).
    """

    id: str
    type: EquipmentType
    commune: str
    lat: float
    lon: float
    gateway: str | None = None
    name: str | None = None
    status: str | None = None  # ``None``: the entity has no status, so is never in fault
    attrs: dict[str, Any] = field(default_factory=dict)
    overrides: dict[str, int] | None = None
    executed: Remembered | None = None

    def remembered(self) -> Remembered:
        if self.executed is None:
            self.executed = Remembered()
        return self.executed


@dataclass(slots=True, eq=False)
class Gateway:
    """A cabinet's or a controller rack's link to the broker; it answers group commands."""

    id: str
    kind: str  # "cabinet", "signals", "cameras" or "bollards"
    commune: str
    lat: float
    lon: float
    online: bool = True
    since: float = 0.0
    members: list[Entity] = field(default_factory=list)
    executed: Remembered = field(default_factory=Remembered)


@dataclass(slots=True, eq=False)
class SnowGear:
    """A snow vehicle's equipment and duty: out on its circuit, or parked at its depot."""

    depot: str  # SaltStock id
    material: str = "salt"
    spread_rate: float = 15.0  # g/m² while spreading
    plow_down: bool = False
    spreading: bool = False
    on_duty: bool = False
    duty_until: float = 0.0  # simulated time
    circuit: list[tuple[float, float]] = field(default_factory=list)
    circuit_index: int = 0


@dataclass(slots=True, eq=False)
class Mission:
    """Where a dispatched unit is going, and until when it stays on scene."""

    incident_id: Any
    lat: float
    lon: float
    on_scene_until: float | None = None  # simulated time, once on scene


@dataclass(slots=True, eq=False)
class Unit:
    id: str
    kind: UnitKind
    name: str
    category: list[str]
    vehicle_type: str
    plate: str
    home: str  # INSEE code of the commune it patrols or serves
    lat: float
    lon: float
    cruise_kmh: float
    speed_kmh: float = 0.0
    bearing: float = 0.0
    status: UnitStatus = UnitStatus.AVAILABLE
    target: tuple[float, float] | None = None
    pause_until: float = 0.0  # simulated time
    unavailable_until: float | None = None  # simulated time, on a break
    mission: Mission | None = None
    snow: SnowGear | None = None
    report_every: float = 3.0  # wall-clock seconds between positions while moving
    next_report: float = 0.0
    executed: Remembered = field(default_factory=Remembered)


@dataclass(frozen=True, slots=True)
class Building:
    """A monitored public building: its intrusion and fire alarms arrive as alerts."""

    id: str
    name: str
    commune: str
    lat: float
    lon: float
    street: str


#: The entity types a group command can reach, in the order gateways list them.
DEVICE_TYPES = (
    EquipmentType.STREETLIGHT,
    EquipmentType.TRAFFIC_SIGNAL,
    EquipmentType.CAMERA,
    EquipmentType.BOLLARD,
)


class World:
    def __init__(
        self,
        *,
        seed: int,
        scale: str,
        communes: Iterable[Commune],
        gateways: Iterable[Gateway],
        entities: Iterable[Entity],
        units: Iterable[Unit],
        buildings: Iterable[Building],
    ) -> None:
        self.seed = seed
        self.scale = scale
        self.communes = {c.insee: c for c in communes}
        self.gateways = {g.id: g for g in gateways}
        self.entities: dict[str, Entity] = {}
        self.by_type: dict[EquipmentType, list[Entity]] = {t: [] for t in EquipmentType}
        self._by_commune_type: dict[tuple[str, EquipmentType], list[Entity]] = defaultdict(list)
        self._by_group: dict[str, list[Entity]] = defaultdict(list)
        for entity in entities:
            if entity.id in self.entities:
                raise ValueError(f"duplicate entity id {entity.id}")
            self.entities[entity.id] = entity
            self.by_type[entity.type].append(entity)
            self._by_commune_type[(entity.commune, entity.type)].append(entity)
            group = entity.attrs.get("refStreetlightGroup")
            if entity.type is EquipmentType.STREETLIGHT and isinstance(group, str):
                self._by_group[group].append(entity)
            if entity.gateway is not None:
                self.gateways[entity.gateway].members.append(entity)
        self.units = {u.id: u for u in units}
        self.buildings = list(buildings)

    def members(
        self, target: GroupTarget, applies_to: Iterable[EquipmentType]
    ) -> dict[str, list[Entity]]:
        """The devices of a group that a command reaches, by the gateway that serves them."""
        types = [t for t in DEVICE_TYPES if t in set(applies_to)]
        found: list[Entity] = []
        if target.kind is GroupKind.COMMUNE:
            for t in types:
                found += self._by_commune_type.get((target.value, t), [])
        elif target.kind is GroupKind.ALL_OF_TYPE:
            if target.value in {t.value for t in types}:
                found = self.by_type[EquipmentType(target.value)]
        elif EquipmentType.STREETLIGHT in types:
            found = self._by_group.get(target.value, [])
        by_gateway: dict[str, list[Entity]] = {}
        for entity in found:
            if entity.gateway is not None:
                by_gateway.setdefault(entity.gateway, []).append(entity)
        return by_gateway

    def lights_of_group(self, group_id: str) -> list[Entity]:
        return self._by_group.get(group_id, [])

    def summary(self) -> dict[str, int]:
        """How many of each thing: what the command line announces at start."""
        counts = {t.value: len(v) for t, v in self.by_type.items() if v}
        counts["gateways"] = len(self.gateways)
        counts["vehicles"] = len(self.units)
        for kind in UnitKind:
            n = sum(1 for u in self.units.values() if u.kind is kind)
            if n:
                counts[f"vehicles.{kind.value}"] = n
        counts["buildings"] = len(self.buildings)
        counts["communes"] = len(self.communes)
        return counts
