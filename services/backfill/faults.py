"""Equipment failing and being repaired over the month.

Rates are a real city's, not the simulator's demo rates: a street lamp fails about once in three
years (0.1 % a day) and waits for the lighting contractor's crew, on a working day, some days
(median 2.5); a signal controller is back within hours (the on-call crew), a camera within a day
or so (a reboot from the room clears most controller faults at once), a bollard the same day. A
lighting cabinet fails now and then (half a failure a day across Dijon's 340 cabinets): most of
its lights go dark within a minute, and all come back with it one to four hours later.

Each fault is what the recorder would have seen: the device's ``status`` going to its fault and
back to ``ok``, at the device's own observation time. A fault the month does not see repaired is
still in force at its end (the equipment row says so, with ``fault_since``).
"""

from __future__ import annotations

import bisect
import random
from collections import defaultdict
from dataclasses import dataclass

from services.backfill.period import DAY_S, HOUR_S, Period, local, local_ts, lognormal, stream
from services.domain.equipment import EquipmentType
from services.simulator.happenings import LIGHT_FAULTS, poisson
from services.simulator.world import World

#: Per device and day.
RATES = {
    EquipmentType.STREETLIGHT: 0.001,
    EquipmentType.TRAFFIC_SIGNAL: 0.004,
    EquipmentType.CAMERA: 0.003,
    EquipmentType.BOLLARD: 0.006,
}
#: Median time to repair (seconds) and the spread of its log.
REPAIR = {
    EquipmentType.STREETLIGHT: (2.5 * DAY_S, 0.6),
    EquipmentType.TRAFFIC_SIGNAL: (3 * HOUR_S, 0.5),
    EquipmentType.CAMERA: (20 * HOUR_S, 0.6),
    EquipmentType.BOLLARD: (8 * HOUR_S, 0.5),
}
#: Cabinet failures per day for Dijon's 340 cabinets (scaled to the city's count).
CABINET_FAILURES_PER_DAY = 0.5
DIJON_CABINETS = 340
CABINET_REPAIR_S = (HOUR_S, 4 * HOUR_S)
CABINET_SHARE = (0.8, 0.95)
CABINET_SPREAD_S = 50.0
#: A camera in fault is rebooted from the room within this (working hours); it clears this share.
REBOOT_AFTER_S = (20 * 60.0, 2 * HOUR_S)
REBOOT_CLEARS = 0.6


@dataclass
class Fault:
    device: str
    type: EquipmentType
    status: str  # the fault status: "defectiveLamp", "columnIssue", "fault"...
    start: float
    end: float | None  # back to ok (None: still in fault at the month's end)
    gateway: str | None = None  # a cabinet failure's gateway, for its lights and its cabinet
    reboot_at: float | None = None  # a camera rebooted from the room (it may or may not clear)
    reboot_by: str | None = None


class FaultBook:
    """Every fault of the month, and a device's status at any moment."""

    def __init__(self, faults: list[Fault]) -> None:
        self.faults = sorted(faults, key=lambda f: (f.start, f.device))
        self._by_device: dict[str, list[Fault]] = defaultdict(list)
        for fault in self.faults:
            self._by_device[fault.device].append(fault)
        self._starts = {d: [f.start for f in fs] for d, fs in self._by_device.items()}

    def status_at(self, device: str, ts: float) -> str:
        faults = self._by_device.get(device)
        if not faults:
            return "ok"
        n = bisect.bisect_right(self._starts[device], ts) - 1
        if n >= 0 and (faults[n].end is None or ts < faults[n].end):
            return faults[n].status
        return "ok"

    def of(self, device: str) -> list[Fault]:
        return self._by_device.get(device, [])

    def in_force_at_end(self) -> list[Fault]:
        return [f for f in self.faults if f.end is None]


def _working(ts: float, rng: random.Random, start_h: float = 8.0, end_h: float = 17.0) -> float:
    """``ts``, or the next working day's working hours when it falls outside them."""
    moment = local(ts)
    hour = moment.hour + moment.minute / 60
    if moment.weekday() < 5 and start_h <= hour < end_h:
        return ts
    day = moment.date()
    if hour >= start_h or moment.weekday() >= 5:
        day = day.fromordinal(day.toordinal() + 1)
    while day.weekday() >= 5:
        day = day.fromordinal(day.toordinal() + 1)
    return local_ts(day, rng.uniform(start_h, end_h - 0.5))


def plan_faults(world: World, period: Period, seed: int) -> FaultBook:
    """Device faults first, then cabinet failures (which take the lights still ``ok`` then)."""
    rng = stream(seed, "faults")
    span_days = (period.t1 - period.t0) / DAY_S
    faults: list[Fault] = []
    taken: dict[str, list[tuple[float, float]]] = defaultdict(list)  # device -> its faults

    def free(device: str, start: float, end: float) -> bool:
        return all(end <= a or b <= start for a, b in taken[device])

    def add(fault: Fault, end: float) -> None:
        fault.end = end if end <= period.t1 else None
        taken[fault.device].append((fault.start, end))
        faults.append(fault)

    for kind, per_day in RATES.items():
        devices = world.by_type[kind]
        median, spread = REPAIR[kind]
        for _ in range(poisson(rng, per_day * len(devices) * span_days)):
            device = rng.choice(devices)
            start = round(rng.uniform(period.t0, period.t1), 3)
            repair = start + min(lognormal(rng, median, spread), 12 * DAY_S)
            if kind is EquipmentType.STREETLIGHT:
                status = rng.choices(*zip(*LIGHT_FAULTS, strict=True))[0]
                repair = _working(repair, rng)
            else:
                status = "fault"
                if kind is not EquipmentType.TRAFFIC_SIGNAL:
                    repair = _working(repair, rng, 7.0, 20.0)
            fault = Fault(device.id, kind, status, start, None)
            if kind is EquipmentType.CAMERA:
                reboot = _working(start + rng.uniform(*REBOOT_AFTER_S), rng, 7.0, 20.0)
                if reboot < repair:
                    fault.reboot_at = round(reboot, 3)
                    if rng.random() < REBOOT_CLEARS:
                        repair = reboot + rng.uniform(20.0, 90.0)  # back once restarted
            repair = round(repair, 3)
            if free(device.id, start, repair):
                add(fault, repair)
    cabinets = world.by_type[EquipmentType.STREETLIGHT_CONTROL_CABINET]
    rate = CABINET_FAILURES_PER_DAY * len(cabinets) / DIJON_CABINETS
    for _ in range(poisson(rng, rate * span_days)):
        cabinet = rng.choice(cabinets)
        start = round(rng.uniform(period.t0, period.t1), 3)
        end = round(start + rng.uniform(*CABINET_REPAIR_S), 3)
        if not free(cabinet.id, start, end):
            continue
        gateway = cabinet.gateway
        add(Fault(cabinet.id, cabinet.type, "fault", start, None, gateway), end)
        members = world.gateways[gateway].members if gateway else []
        lights = [e for e in members if e.type is EquipmentType.STREETLIGHT]
        share = rng.uniform(*CABINET_SHARE)
        for light in rng.sample(lights, max(1, round(share * len(lights)))) if lights else []:
            when = round(start + rng.uniform(0.0, CABINET_SPREAD_S), 3)
            if when <= period.t1 and free(light.id, when, end):
                add(Fault(light.id, light.type, "columnIssue", when, None, gateway), end)
    return FaultBook(faults)


def _open(end: float, period: Period) -> float | None:
    return end if end <= period.t1 else None
