"""What happens by chance, at a rate per simulated day: faults, failures, reports, weather.

Device faults (a light's ``defectiveLamp``...) and their repair hours later; a cabinet failure now
and then (most of its lights fault within a simulated minute, all come back together); citizen
reports, field alerts and building alarms; road weather drifting with the time of day and turning
to ice or snow; salt depots drained by spreaders and refilled; crews taking breaks; gateways
dropping off through their Last Will when that failure mode is on. Events follow Poisson
processes on simulated time, so ``speed`` multiplies them; what they publish is stamped on the
field's clock (``Field.field_time``).
"""

from __future__ import annotations

import math
import random
from datetime import datetime
from typing import TYPE_CHECKING

from services.domain.equipment import EquipmentType
from services.domain.traffic import BUS
from services.domain.units import UnitStatus
from services.simulator import citizens, payloads
from services.simulator.outputs import Message
from services.simulator.routine import PARIS
from services.simulator.world import DEVICE_TYPES, Entity, Gateway

if TYPE_CHECKING:
    from services.simulator.field import Field

DAY_S = 86_400.0
LIGHT_FAULTS = (("defectiveLamp", 70), ("brokenLantern", 15), ("columnIssue", 15))
REPAIR_S = (3_600.0, 6 * 3_600.0)
CABINET_REPAIR_S = (3_600.0, 4 * 3_600.0)
CABINET_SHARE = (0.8, 0.95)
CABINET_SPREAD_S = 50.0  # the lights of a failing cabinet go dark within this (simulated)
WEATHER_EVERY_S = 300.0
DEPOT_EVERY_S = 300.0
#: Buses asking a priority-equipped signal to hold a green, per signal and hour, by day.
BUS_REQUESTS_PER_HOUR = 4.0
#: Plans under which a signal cannot serve a bus (it is not cycling).
UNSERVED_PLANS = frozenset({"flashing", "dark"})
BREAK_S = (1_200.0, 3_600.0)
#: A loop's reading around the day's curve (``traffic_level``): this much either way.
TRAFFIC_NOISE = (0.9, 1.1)
#: A loop's base flow (vehicles per hour) when the world gives none.
TRAFFIC_BASE = 300.0
#: Bus priority is asked from this local hour to that one (buses' daytime service).
BUS_HOURS = (6, 21)
#: A depot is refilled below this share of its capacity, by this share of it (a delivery).
DEPOT_REFILL_BELOW = 0.15
DEPOT_DELIVERY = 0.5
#: Mean air temperature in Dijon by month (°C), January first.
MONTHLY_MEAN_C = (2.0, 3.0, 7.0, 10.0, 14.0, 18.0, 20.5, 20.0, 16.0, 11.5, 6.0, 3.0)


def traffic_level(hour: float) -> float:
    """A counting loop's flow at ``hour`` (local, decimal) as a share of its base flow.

    Traffic through the day: a morning and an evening peak over a daytime plateau.
    """
    peaks = math.exp(-(((hour - 8.0) / 1.2) ** 2)) + math.exp(-(((hour - 17.5) / 1.5) ** 2))
    daytime = max(0.0, math.sin(math.pi * (hour - 5.0) / 18.0)) if 5 <= hour <= 23 else 0.0
    return 0.08 + 0.6 * daytime + 0.9 * peaks


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw (normal approximation for large means)."""
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


class Happenings:
    def __init__(self, engine: Field) -> None:
        self.engine = engine
        self.rng = engine.chance
        start = engine.sim_time(engine.start)
        self._numbers = {"report": 0, "alert": 0}
        self._failing: set[str] = set()  # gateways of cabinets currently failed
        self._next_weather = start + WEATHER_EVERY_S
        self._next_depots = start + DEPOT_EVERY_S
        self._next_drop = start + engine.options.gateway_offline_first_s
        self._anomaly = self.rng.gauss(0.0, 2.0)
        self._raining = False
        self._weather(engine.start, start, publish=False)  # real values in the initial state

    def _number(self, kind: str) -> int:
        self._numbers[kind] += 1
        return self._numbers[kind]

    def step(self, now: float, dt_sim: float) -> None:
        sim = self.engine.sim_time(now)
        options = self.engine.options
        days = dt_sim / DAY_S
        if options.fault_rate > 0:
            self._faults(now, options.fault_rate * days)
        if options.cabinet_failures_per_day > 0:
            for _ in range(poisson(self.rng, options.cabinet_failures_per_day * days)):
                self._cabinet_failure(now)
        for _ in range(poisson(self.rng, options.reports_per_day * days)):
            self._report(now)
        for _ in range(poisson(self.rng, options.alerts_per_day * days)):
            self._field_alert(now)
        for _ in range(poisson(self.rng, options.alarms_per_day * days)):
            self._alarm(now)
        self._breaks(now, sim, days)
        self._bus_requests(now, sim, days)
        if sim >= self._next_weather:
            self._next_weather = sim + WEATHER_EVERY_S
            self._weather(now, sim)
        if sim >= self._next_depots:
            self._next_depots = sim + DEPOT_EVERY_S
            self._depots(now)
        if options.gateway_offline and sim >= self._next_drop:
            self._next_drop = sim + options.gateway_offline_every_s * self.rng.uniform(0.5, 1.5)
            self._drop_gateway(now)

    # --- equipment -----------------------------------------------------------------------------
    def _faults(self, now: float, per_device: float) -> None:
        world = self.engine.world
        for t in DEVICE_TYPES:
            items = world.by_type[t]
            for _ in range(poisson(self.rng, per_device * len(items))):
                entity = self.rng.choice(items)
                if entity.status != "ok" or not self.engine.reachable(entity):
                    continue
                if t is EquipmentType.STREETLIGHT:
                    faults, weights = zip(*LIGHT_FAULTS, strict=True)
                    status = self.rng.choices(faults, weights)[0]
                else:
                    status = "fault"
                self._set_status(entity, status, now)
                repair = now + self.engine.wall_delay(self.rng.uniform(*REPAIR_S), now)
                self.engine.scheduler.at(
                    repair, lambda t, e=entity, s=status: self._repair(e, s, t)
                )

    def _set_status(self, entity: Entity, status: str, now: float) -> None:
        entity.status = status
        self.engine.publish_state(entity, now)

    def _repair(self, entity: Entity, status: str, now: float) -> None:
        if entity.status == status:
            self._set_status(entity, "ok", now)

    def _cabinet_failure(self, now: float) -> None:
        world = self.engine.world
        candidates = [
            g
            for g in world.gateways.values()
            if g.kind == "cabinet" and g.online and g.id not in self._failing
        ]
        if not candidates:
            return
        gateway = self.rng.choice(candidates)
        self._failing.add(gateway.id)
        cabinet = next(
            e for e in gateway.members if e.type is EquipmentType.STREETLIGHT_CONTROL_CABINET
        )
        self._set_status(cabinet, "fault", now)
        lights = [
            e for e in gateway.members if e.type is EquipmentType.STREETLIGHT and e.status == "ok"
        ]
        share = self.rng.uniform(*CABINET_SHARE)
        hit = self.rng.sample(lights, max(1, round(share * len(lights)))) if lights else []
        for light in hit:
            when = now + self.engine.wall_delay(self.rng.uniform(0.0, CABINET_SPREAD_S), now)
            self.engine.scheduler.at(when, lambda t, e=light: self._cabinet_light(e, t))
        repair = now + self.engine.wall_delay(self.rng.uniform(*CABINET_REPAIR_S), now)
        self.engine.scheduler.at(repair, lambda t: self._cabinet_repair(gateway, cabinet, hit, t))

    def _cabinet_light(self, light: Entity, now: float) -> None:
        if light.status == "ok":
            self._set_status(light, "columnIssue", now)

    def _cabinet_repair(
        self, gateway: Gateway, cabinet: Entity, hit: list[Entity], now: float
    ) -> None:
        self._failing.discard(gateway.id)
        self._set_status(cabinet, "ok", now)
        for light in hit:
            if light.status == "columnIssue":
                self._set_status(light, "ok", now)

    def _drop_gateway(self, now: float) -> None:
        online = [g for g in self.engine.world.gateways.values() if g.online]
        if online:
            gateway = self.rng.choice(online)
            offline_for = self.engine.wall_delay(
                self.rng.uniform(*self.engine.options.gateway_offline_for_s), now
            )
            self.engine.drop_gateway(gateway.id, offline_for, now)

    # --- people --------------------------------------------------------------------------------
    def _report(self, now: float) -> None:
        engine = self.engine
        communes = list(engine.world.communes.values())
        commune = self.rng.choices(communes, [c.population for c in communes])[0]
        payload = citizens.citizen_report(
            self.rng, self._number("report"), engine.run_id, commune, engine.field_time(now)
        )
        engine.emit(Message(engine.topics.reports, payload, 1, False))

    def _field_alert(self, now: float) -> None:
        engine = self.engine
        crews = [u for u in engine.world.units.values() if u.status is not UnitStatus.UNAVAILABLE]
        if not crews:
            return
        unit = self.rng.choice(crews)
        commune = engine.world.communes[unit.home]
        payload = citizens.field_alert(
            self.rng,
            self._number("alert"),
            engine.run_id,
            (unit.lat, unit.lon),
            commune,
            unit.id,
            engine.field_time(now),
        )
        engine.emit(Message(engine.topics.alerts, payload, 1, False))

    def _alarm(self, now: float) -> None:
        engine = self.engine
        if not engine.world.buildings:
            return
        b = self.rng.choice(engine.world.buildings)
        payload = citizens.building_alarm(
            self.rng,
            self._number("alert"),
            engine.run_id,
            b.id,
            b.name,
            b.street,
            b.lat,
            b.lon,
            engine.world.communes[b.commune],
            engine.field_time(now),
        )
        engine.emit(Message(engine.topics.alerts, payload, 1, False))

    def _breaks(self, now: float, sim: float, days: float) -> None:
        engine = self.engine
        units = list(engine.world.units.values())
        for unit in units:
            if unit.unavailable_until is not None and sim >= unit.unavailable_until:
                unit.unavailable_until = None
                if unit.status is UnitStatus.UNAVAILABLE:
                    unit.status = UnitStatus.AVAILABLE
                    engine.publish_unit_status(unit, now)
        crews = [u for u in units if u.snow is None]
        for _ in range(poisson(self.rng, engine.options.breaks_per_day * len(crews) * days)):
            unit = self.rng.choice(crews)
            if unit.status is UnitStatus.AVAILABLE and unit.mission is None:
                unit.status = UnitStatus.UNAVAILABLE
                unit.speed_kmh = 0.0
                unit.unavailable_until = sim + self.rng.uniform(*BREAK_S)
                engine.publish_unit_status(unit, now)

    # --- weather and salt ----------------------------------------------------------------------
    def _weather(self, now: float, sim: float, *, publish: bool = True) -> None:
        engine = self.engine
        rng = self.rng
        local = datetime.fromtimestamp(sim, PARIS)
        hour = local.hour + local.minute / 60
        mean = MONTHLY_MEAN_C[local.month - 1]
        diurnal = 4.0 * math.sin(2 * math.pi * (hour - 9.0) / 24.0)
        night = diurnal < 0
        self._anomaly = 0.97 * self._anomaly + rng.gauss(0.0, 0.35)
        if self._raining:
            self._raining = rng.random() > 0.08
        else:
            self._raining = rng.random() < 0.02
        level = traffic_level(hour)
        for loop in engine.world.by_type[EquipmentType.TRAFFIC_FLOW_OBSERVED]:
            base = float(loop.attrs.get("_base", TRAFFIC_BASE))
            flow = base * level * rng.uniform(*TRAFFIC_NOISE)
            loop.attrs["intensity"] = round(flow)
            if publish:
                engine.publish_state(loop, now)
        for station in engine.world.by_type[EquipmentType.WEATHER_OBSERVED]:
            attrs = station.attrs
            air = (
                mean
                + diurnal
                + self._anomaly
                + float(attrs.get("_bias", 0.0))
                + engine.options.temperature_offset_c
            )
            road = air + (-1.5 if night else 1.5) + rng.gauss(0.0, 0.2)
            humidity = min(
                1.0, max(0.3, 0.7 + (0.15 if night else -0.1) + (0.2 if self._raining else 0.0))
            )
            precipitation = round(rng.uniform(0.2, 3.0), 1) if self._raining else 0.0
            if self._raining and road <= 0.5 and air <= 1.5:
                state = "snow"
            elif self._raining:
                state = "wet"
            elif road <= 0.0 and humidity >= 0.85:
                state = "ice"
            elif humidity >= 0.85:
                state = "moist"
            else:
                state = "dry"
            before = attrs.get("roadSurfaceState")
            attrs.update(
                {
                    "temperature": round(air, 1),
                    "relativeHumidity": round(humidity, 2),
                    "precipitation": precipitation,
                    "roadSurfaceTemperature": round(road, 1),
                    "roadSurfaceState": state,
                }
            )
            if not publish:
                continue
            engine.publish_state(station, now)
            if state in ("ice", "snow") and before not in ("ice", "snow"):
                payload = citizens.road_alert(
                    self._number("alert"),
                    engine.run_id,
                    station.id,
                    state,
                    road,
                    station.lat,
                    station.lon,
                    engine.world.communes[station.commune],
                    engine.field_time(now),
                )
                engine.emit(Message(engine.topics.alerts, payload, 1, False))

    def _bus_requests(self, now: float, sim: float, days: float) -> None:
        """Buses ask the signals that give them priority to hold a green, by day.

        A signal serves the request when the traffic mode allows bus priority and it runs a plan
        that cycles (not flashing, not dark).
        """
        hour = datetime.fromtimestamp(sim, PARIS).hour
        if not BUS_HOURS[0] <= hour < BUS_HOURS[1]:
            return
        engine = self.engine
        signals = [
            e
            for e in engine.world.by_type[EquipmentType.TRAFFIC_SIGNAL]
            if e.attrs.get("busPriority")
        ]
        for _ in range(poisson(self.rng, len(signals) * BUS_REQUESTS_PER_HOUR * 24 * days)):
            signal = self.rng.choice(signals)
            served = (
                engine.bus_priority
                and signal.status == "ok"
                and signal.attrs.get("plan") not in UNSERVED_PLANS
            )
            signal.attrs["lastPriorityRequest"] = payloads.iso(engine.field_time(now))
            signal.attrs["lastPriorityServed"] = served
            signal.attrs["lastPriorityKind"] = BUS
            signal.attrs.pop("lastPriorityUnit", None)  # the latest request is a bus's
            engine.publish_state(signal, now)

    def _depots(self, now: float) -> None:
        for depot in self.engine.world.by_type[EquipmentType.SALT_STOCK]:
            attrs = depot.attrs
            capacity = float(attrs.get("capacityTonnes", 0.0))
            if float(attrs.get("saltTonnes", 0.0)) < DEPOT_REFILL_BELOW * capacity:
                attrs["saltTonnes"] = float(attrs["saltTonnes"]) + DEPOT_DELIVERY * capacity
                attrs["_dirty"] = True
            if attrs.pop("_dirty", False):
                attrs["saltTonnes"] = round(float(attrs["saltTonnes"]), 1)
                attrs["brineCubicMetres"] = round(float(attrs.get("brineCubicMetres", 0.0)), 1)
                self.engine.publish_state(depot, now)
