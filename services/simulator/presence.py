"""People passing the presence sensors: detections by hour and commune, and what they raise.

Each sensor (a Smart Data Models ``Device`` measuring occupancy) sees people pass as a Poisson
process on simulated time: often in the evening, rarely deep in the night, more in denser
communes (``PASSES_PER_HOUR`` × ``density``). A detection sets its ``value`` to 1, published,
and back to 0 after a short while (``HOLD_S``, extended by a new detection), published too; and,
locally at the cabinet, raises the group it controls (``controlledAsset``) to its profile's
boost for the profile's ``presence_minutes`` (``lighting.Lighting.detect``). A sensor behind a
gateway offline still raises its lights: it only cannot say so.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from services.domain.equipment import EquipmentType
from services.simulator.happenings import poisson
from services.simulator.routine import PARIS
from services.simulator.world import Entity

if TYPE_CHECKING:
    from services.simulator.field import Field

#: People passing one sensor per hour of the day (Paris time), in a commune of 10,000 people:
#: streets busy from the morning to the evening peak, thinning out after 21 h, hardly anyone
#: between 1 h and 5 h.
PASSES_PER_HOUR: tuple[float, ...] = (
    *(1.5, 0.8, 0.5, 0.4, 0.5, 1.5),  # 0 h - 5 h
    *(6.0, 20.0, 25.0, 18.0, 15.0, 18.0),  # 6 h - 11 h
    *(22.0, 18.0, 15.0, 16.0, 22.0, 30.0),  # 12 h - 17 h
    *(35.0, 30.0, 20.0, 12.0, 6.0, 3.0),  # 18 h - 23 h
)
#: Field seconds a sensor keeps ``value`` 1 after a detection.
HOLD_S = (20.0, 90.0)
#: Added to a wall time computed from a field time, so that the field's clock has surely got there.
_EPSILON_S = 1e-6


def density(population: int) -> float:
    """How much busier than a commune of 10,000 people a commune's streets are (0.4 to 2)."""
    return min(2.0, max(0.4, (max(population, 1) / 10_000) ** 0.35))


def passes_per_hour(hour: int, population: int) -> float:
    """People passing one sensor per hour at this hour of the day, in a commune this size."""
    return PASSES_PER_HOUR[hour % 24] * density(population)


class Presence:
    def __init__(self, engine: Field) -> None:
        self.engine = engine
        # A stream of its own: people passing never change what else happens for a seed.
        self.rng = random.Random(f"vigie-simulator:{engine.options.seed}:people")
        self._by_commune: dict[str, list[Entity]] = {}
        for sensor in engine.world.by_type[EquipmentType.DEVICE]:
            if "occupancy" in (sensor.attrs.get("controlledProperty") or ()):
                self._by_commune.setdefault(sensor.commune, []).append(sensor)

    @property
    def sensors(self) -> Sequence[Entity]:
        return [s for found in self._by_commune.values() for s in found]

    def step(self, now: float, dt_sim: float) -> None:
        scale = self.engine.options.presence_rate
        if dt_sim <= 0 or scale <= 0 or not self._by_commune:
            return
        hour = datetime.fromtimestamp(self.engine.field_time(now), PARIS).hour
        communes = self.engine.world.communes
        for insee, sensors in self._by_commune.items():
            rate = passes_per_hour(hour, communes[insee].population) * scale
            for _ in range(poisson(self.rng, len(sensors) * rate * dt_sim / 3_600.0)):
                self.detect(self.rng.choice(sensors), now)

    def detect(self, sensor: Entity, now: float) -> None:
        """Someone passes ``sensor``: occupancy for a short while, its group's lights raised."""
        engine = self.engine
        field_t = engine.field_time(now)
        clear = max(float(sensor.attrs.get("_clear_at", 0.0)), field_t + self.rng.uniform(*HOLD_S))
        sensor.attrs["_clear_at"] = clear
        if sensor.attrs.get("value") != 1:
            sensor.attrs["value"] = 1
            engine.publish_state(sensor, now)
            self._clear_later(sensor, clear)
        for group_id in sensor.attrs.get("controlledAsset") or ():
            engine.lighting.detect(str(group_id), now)

    def _clear(self, sensor: Entity, now: float) -> None:
        engine = self.engine
        clear = float(sensor.attrs.get("_clear_at", 0.0))
        if engine.field_time(now) < clear:  # extended meanwhile
            self._clear_later(sensor, clear)
            return
        sensor.attrs["value"] = 0
        engine.publish_state(sensor, now)

    def _clear_later(self, sensor: Entity, clear: float) -> None:
        wall = self.engine.wall_at(clear) + _EPSILON_S
        self.engine.scheduler.at(wall, lambda t: self._clear(sensor, t))
