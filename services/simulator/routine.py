"""The field's routine: lights follow dusk and dawn, signals their plans, states repeat in time.

What devices do by themselves, on the field's clock (``Field.field_time``): street lights of
groups that hold no dimming profile switch on when the sun is below the horizon over Dijon (those
that hold one follow it: ``lighting``), signal controllers run their time-of-day plan (peak, day,
night). On the wall clock, every device repeats its state well within the contract's stale ages
so that a receiver never sees a healthy device as stale. An attribute under an operator's
override is left alone.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from services.domain.equipment import EquipmentType
from services.simulator.world import Entity

if TYPE_CHECKING:
    from services.simulator.field import Field

PARIS = ZoneInfo("Europe/Paris")
DIJON_LAT, DIJON_LON = 47.322, 5.0415
#: Lights switch on when the sun is this far below the horizon (a photocell's threshold).
DUSK_ELEVATION_DEG = -1.5

#: Wall-clock seconds between repeated states of an unchanged entity: well under the contract's
#: stale ages (15 minutes for lights, 2 minutes for signals and cameras).
HEARTBEAT_S: dict[EquipmentType, float] = {
    EquipmentType.STREETLIGHT: 600.0,
    EquipmentType.STREETLIGHT_CONTROL_CABINET: 600.0,
    EquipmentType.STREETLIGHT_GROUP: 1_800.0,
    EquipmentType.TRAFFIC_SIGNAL: 60.0,
    EquipmentType.CAMERA: 60.0,
    EquipmentType.BOLLARD: 60.0,
    EquipmentType.WEATHER_OBSERVED: 300.0,
    EquipmentType.TRAFFIC_FLOW_OBSERVED: 300.0,
    EquipmentType.SALT_STOCK: 1_800.0,
    EquipmentType.DEVICE: 600.0,
}


def sun_elevation_deg(ts: float, lat: float = DIJON_LAT, lon: float = DIJON_LON) -> float:
    """The sun's elevation (a few tenths of a degree accurate, enough for a photocell)."""
    moment = datetime.fromtimestamp(ts, UTC)
    day = moment.timetuple().tm_yday
    hours = moment.hour + moment.minute / 60 + moment.second / 3600
    gamma = 2 * math.pi / 365 * (day - 1 + (hours - 12) / 24)
    decl = (
        0.006918
        - 0.399912 * math.cos(gamma)
        + 0.070257 * math.sin(gamma)
        - 0.006758 * math.cos(2 * gamma)
        + 0.000907 * math.sin(2 * gamma)
    )
    eq_time = 229.18 * (
        0.000075
        + 0.001868 * math.cos(gamma)
        - 0.032077 * math.sin(gamma)
        - 0.014615 * math.cos(2 * gamma)
        - 0.040849 * math.sin(2 * gamma)
    )
    solar_minutes = hours * 60 + eq_time + 4 * lon
    hour_angle = math.radians(solar_minutes / 4 - 180)
    phi = math.radians(lat)
    sin_el = math.sin(phi) * math.sin(decl) + math.cos(phi) * math.cos(decl) * math.cos(hour_angle)
    return math.degrees(math.asin(max(-1.0, min(1.0, sin_el))))


def is_dark(ts: float) -> bool:
    return sun_elevation_deg(ts) < DUSK_ELEVATION_DEG


def signal_plan(ts: float) -> str:
    """The time-of-day plan: ``P2`` at weekday peaks, ``P3`` at night, ``P1`` otherwise."""
    local = datetime.fromtimestamp(ts, PARIS)
    minutes = local.hour * 60 + local.minute
    if minutes >= 22 * 60 or minutes < 6 * 60:
        return "P3"
    if local.weekday() < 5 and (7 * 60 <= minutes < 9 * 60 or 16 * 60 + 30 <= minutes < 19 * 60):
        return "P2"
    return "P1"


class Automation:
    """Automatic values, applied to every entity whose attribute is not under an override."""

    CHECK_EVERY_S = 30.0  # on the field's clock

    def __init__(self, engine: Field) -> None:
        self.engine = engine
        self._dark: bool | None = None
        self._plan: str | None = None
        self._next = -math.inf

    def auto_value(self, entity: Entity, key: str, now: float) -> Any:
        """What ``key`` of ``entity`` is when nobody overrides it."""
        lighting = self.engine.lighting
        if key in ("powerState", "illuminanceLevel") and lighting.follows_profile(entity):
            return lighting.auto_value(entity, key, now)
        field_t = self.engine.field_time(now)
        if key == "powerState":
            return "on" if is_dark(field_t) else "off"
        if key == "plan":
            return signal_plan(field_t)
        if key == "position":
            return "up"
        if key == "illuminanceLevel":
            return 1.0
        return entity.attrs.get(key)

    def step(self, now: float) -> None:
        field_t = self.engine.field_time(now)
        if field_t >= self._next:
            self._next = field_t + self.CHECK_EVERY_S
            self.apply(now, publish=True)

    def apply(self, now: float, *, publish: bool) -> None:
        world = self.engine.world
        field_t = self.engine.field_time(now)
        dark = is_dark(field_t)
        if dark != self._dark:
            self._dark = dark
            power = "on" if dark else "off"
            lighting = self.engine.lighting
            for t in (EquipmentType.STREETLIGHT, EquipmentType.STREETLIGHT_GROUP):
                for entity in world.by_type[t]:
                    if not lighting.follows_profile(entity):
                        self._set(entity, "powerState", power, now, publish)
        plan = signal_plan(field_t)
        if plan != self._plan:
            self._plan = plan
            for entity in world.by_type[EquipmentType.TRAFFIC_SIGNAL]:
                self._set(entity, "plan", plan, now, publish)

    def _set(self, entity: Entity, key: str, value: Any, now: float, publish: bool) -> None:
        if entity.overrides and key in entity.overrides:
            return
        if entity.attrs.get(key) != value:
            entity.attrs[key] = value
            if publish:
                self.engine.publish_state(entity, now)


class Heartbeat:
    """Repeats each entity's state at its type's pace, spread evenly over time."""

    def __init__(self, engine: Field) -> None:
        self.engine = engine
        self._cursor = dict.fromkeys(HEARTBEAT_S, 0)
        # Start part-way so that types do not all fire on the same tick.
        self._credit = {t: engine.chance.random() for t in HEARTBEAT_S}

    def step(self, now: float, dt_wall: float) -> None:
        world = self.engine.world
        for t, every in HEARTBEAT_S.items():
            items = world.by_type[t]
            if not items:
                continue
            credit = self._credit[t] + len(items) * dt_wall / every
            n = min(int(credit), len(items))
            self._credit[t] = credit - int(credit)
            cursor = self._cursor[t]
            for _ in range(n):
                entity = items[cursor]
                cursor = (cursor + 1) % len(items)
                self.engine.publish_state(entity, now)
            self._cursor[t] = cursor
