"""Vehicles on the move: patrols roam, road crews work, snow vehicles run circuits, missions.

Each step moves every vehicle in simulated time: towards its current waypoint at an urban speed
(with some variation), pausing when it gets there; a dispatched unit drives to the incident at
a faster pace, stays on scene and becomes available again. Snow vehicles alternate between duty
on a circuit (spreading when roads are cold, plough down when snow lies) and their depot, drawing
salt or brine from it. Positions go out every 1 to 5 s while moving, every 30 s when parked.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from services.domain.equipment import EquipmentType
from services.domain.geography import distance_m
from services.domain.snow import Segment
from services.domain.units import UnitKind, UnitStatus
from services.simulator.geo import random_in_disc, step_towards
from services.simulator.world import Entity, Unit
from services.snow_network import load_network

if TYPE_CHECKING:
    from services.simulator.field import Field

PARKED_REPORT_S = 30.0
#: Simulated seconds a unit pauses at a waypoint, by kind (a patrol stops briefly, a crew works).
PAUSE_S: dict[UnitKind, tuple[float, float]] = {
    UnitKind.PATROL: (120.0, 600.0),
    UnitKind.ROAD_CREW: (1_200.0, 3_600.0),
}
ON_SCENE_S = (600.0, 1_800.0)
DUTY_S = (2 * 3_600.0, 4 * 3_600.0)
OFF_DUTY_S = (2 * 3_600.0, 6 * 3_600.0)
SPREAD_WIDTH_M = 6.0


def drawn(material: str, spread_rate: float, metres: float) -> tuple[str, float]:
    """What spreading ``metres`` of road takes from the depot: its attribute, and how much."""
    grams = spread_rate * SPREAD_WIDTH_M * metres
    if material == "brine":
        return "brineCubicMetres", grams / 1.2e6  # brine weighs about 1.2 t/m³
    return "saltTonnes", grams / 1e6


def along_network(centre: tuple[float, float]) -> list[tuple[float, float]]:
    """A snow vehicle's circuit: out and back along each network segment from its commune.

    The bundled network joins communes' reference points, where vehicles are based; a segment
    is driven from whichever of its ends is home.
    """
    circuit: list[tuple[float, float]] = []
    for segment in _network():
        for path in (segment.points, segment.points[::-1]):
            if distance_m(*path[0], *centre) < 50:
                circuit += list(path[1:]) + list(path[::-1][1:])
    return circuit


@functools.cache
def _network() -> tuple[Segment, ...]:
    return tuple(load_network()[0])


class Motion:
    def __init__(self, engine: Field) -> None:
        self.engine = engine
        rng = engine.chance
        start = engine.sim_time(engine.start)
        for unit in engine.world.units.values():
            if unit.snow is not None:
                commune = engine.world.communes[unit.home]
                unit.snow.circuit = along_network((commune.lat, commune.lon)) or [
                    random_in_disc(rng, commune.lat, commune.lon, 1_500.0) for _ in range(5)
                ]
                unit.snow.on_duty = rng.random() < 1 / 3
                unit.snow.duty_until = start + rng.uniform(
                    *(DUTY_S if unit.snow.on_duty else OFF_DUTY_S)
                )
            if unit.status is UnitStatus.UNAVAILABLE:
                unit.unavailable_until = start + rng.uniform(1_800.0, 3 * 3_600.0)

    def step(self, now: float, dt_sim: float) -> None:
        sim = self.engine.sim_time(now)
        for unit in self.engine.world.units.values():
            was_moving = unit.speed_kmh > 0
            self._move(unit, sim, dt_sim, now)
            if unit.speed_kmh > 0 and not was_moving:
                unit.next_report = min(unit.next_report, now + unit.report_every)
            if now >= unit.next_report:
                self.engine.publish_position(unit, now)
                unit.next_report = now + (
                    unit.report_every if unit.speed_kmh > 0 else PARKED_REPORT_S
                )

    def _move(self, unit: Unit, sim: float, dt: float, now: float) -> None:
        if unit.mission is not None:
            self._mission(unit, sim, dt, now)
        elif unit.status is UnitStatus.UNAVAILABLE or sim < unit.pause_until or dt <= 0:
            unit.speed_kmh = 0.0
        elif unit.snow is not None:
            self._snow(unit, sim, dt)
        else:
            if unit.target is None:
                unit.target = self._waypoint(unit)
            if self._drive(unit, unit.cruise_kmh, dt):
                unit.target = None
                unit.speed_kmh = 0.0
                unit.pause_until = sim + self.engine.chance.uniform(
                    *PAUSE_S.get(unit.kind, (60.0, 300.0))
                )

    def _waypoint(self, unit: Unit) -> tuple[float, float]:
        rng = self.engine.chance
        communes = self.engine.world.communes
        commune = communes[unit.home]
        if rng.random() < 0.25:
            pool = list(communes.values())
            commune = rng.choices(pool, [c.population for c in pool])[0]
        return random_in_disc(rng, commune.lat, commune.lon, 1_500.0)

    def _drive(self, unit: Unit, cruise_kmh: float, dt: float) -> bool:
        """Move towards ``unit.target`` for ``dt`` simulated seconds; whether it arrived."""
        if unit.target is None or dt <= 0:
            return False
        if (unit.lat, unit.lon) == unit.target:
            unit.speed_kmh = 0.0
            return True
        wanted = cruise_kmh * self.engine.chance.uniform(0.75, 1.1)
        unit.speed_kmh = wanted if unit.speed_kmh <= 0 else 0.6 * unit.speed_kmh + 0.4 * wanted
        metres = unit.speed_kmh / 3.6 * dt
        lat, lon, bearing, arrived = step_towards(unit.lat, unit.lon, *unit.target, metres)
        unit.lat, unit.lon, unit.bearing = lat, lon, bearing
        if unit.snow is not None and unit.snow.spreading:
            self._draw_from_depot(unit, metres)
        return arrived

    def _mission(self, unit: Unit, sim: float, dt: float, now: float) -> None:
        mission = unit.mission
        assert mission is not None
        engine = self.engine
        if unit.status is UnitStatus.EN_ROUTE:
            unit.target = (mission.lat, mission.lon)
            if self._drive(unit, max(unit.cruise_kmh, 45.0) * 1.2, dt):
                unit.speed_kmh = 0.0
                unit.status = UnitStatus.ON_SCENE
                mission.on_scene_until = sim + engine.chance.uniform(*ON_SCENE_S)
                engine.publish_unit_status(unit, now)
                engine.publish_position(unit, now)
        elif unit.status is UnitStatus.ON_SCENE:
            unit.speed_kmh = 0.0
            if mission.on_scene_until is not None and sim >= mission.on_scene_until:
                unit.mission = None
                unit.target = None
                unit.status = UnitStatus.AVAILABLE
                engine.publish_unit_status(unit, now)
        else:  # made unavailable meanwhile: the mission is dropped
            unit.mission = None
            unit.speed_kmh = 0.0

    def _snow(self, unit: Unit, sim: float, dt: float) -> None:
        gear = unit.snow
        assert gear is not None
        rng = self.engine.chance
        if sim >= gear.duty_until:
            gear.on_duty = not gear.on_duty
            gear.duty_until = sim + rng.uniform(*(DUTY_S if gear.on_duty else OFF_DUTY_S))
        world = self.engine.world
        states = [
            e.attrs.get("roadSurfaceState") for e in world.by_type[EquipmentType.WEATHER_OBSERVED]
        ]
        temps = [
            e.attrs.get("roadSurfaceTemperature", 10.0)
            for e in world.by_type[EquipmentType.WEATHER_OBSERVED]
        ]
        cold = bool(temps) and min(temps) < 3.0
        if gear.on_duty:
            gear.spreading = cold
            gear.plow_down = unit.kind is UnitKind.SNOW_PLOUGH and "snow" in states
            unit.target = gear.circuit[gear.circuit_index % len(gear.circuit)]
            if self._drive(unit, unit.cruise_kmh, dt):
                gear.circuit_index += 1
        else:
            gear.spreading = gear.plow_down = False
            depot = world.entities[gear.depot]
            unit.target = (depot.lat, depot.lon)
            if self._drive(unit, unit.cruise_kmh, dt):
                unit.speed_kmh = 0.0
                unit.target = None

    def _draw_from_depot(self, unit: Unit, metres: float) -> None:
        gear = unit.snow
        assert gear is not None
        depot: Entity = self.engine.world.entities[gear.depot]
        key, used = drawn(gear.material, gear.spread_rate, metres)
        depot.attrs[key] = round(max(0.0, float(depot.attrs.get(key, 0.0)) - used), 3)
        depot.attrs["_dirty"] = True
