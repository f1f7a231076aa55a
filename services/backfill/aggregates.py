"""The month's traffic counts and buses' priority requests, as the recorder aggregates them.

Traffic (``traffic_flow_hours``): every counting loop reads its flow every ``WEATHER_EVERY_S``, on
the simulator's own daily curve (``happenings.traffic_level``, the loop's base flow, the same
noise), and each UTC hour keeps the sum of its readings, how many, and the last one's time.

Bus priority (``bus_priority_days``): the signals that give buses priority are asked to hold a
green ``BUS_REQUESTS_PER_HOUR`` times an hour during ``BUS_HOURS`` (local), as the simulator's
buses ask; a request is served when the modes in force let signals serve buses (the latest
announcement of each kind: ``mode_periods.bus_priority``), the signal is not in fault and its
plan cycles (not ``UNSERVED_PLANS``: the plan from the equipment's history, commands included).
Each local day keeps its requests, those served, and the last request's time.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from typing import Any

from services.backfill.equipment import History
from services.backfill.faults import FaultBook
from services.backfill.period import HOUR_S, Period, local, local_ts, stream
from services.backfill.sink import Sink
from services.domain.equipment import EquipmentType
from services.simulator.happenings import (
    BUS_HOURS,
    BUS_REQUESTS_PER_HOUR,
    TRAFFIC_BASE,
    TRAFFIC_NOISE,
    UNSERVED_PLANS,
    WEATHER_EVERY_S,
    poisson,
    traffic_level,
)
from services.simulator.world import World

FLOW_COLUMNS = ("device_id", "hour", "commune", "vehicles_sum", "readings", "last_observed_at")
BUS_COLUMNS = ("device_id", "day", "commune", "requests", "served", "last_request_at")


def reading_times(period: Period) -> list[float]:
    """The loops' reading times within the period (its start excluded, its end included)."""
    first = (math.floor(period.t0 / WEATHER_EVERY_S) + 1) * WEATHER_EVERY_S
    count = int((period.t1 - first) // WEATHER_EVERY_S) + 1
    return [first + n * WEATHER_EVERY_S for n in range(max(count, 0))]


def traffic_hours(world: World, period: Period, seed: int) -> dict[tuple[str, float], list[Any]]:
    """(loop, hour's start) -> [vehicles_sum, readings, last reading's time]."""
    rng = stream(seed, "traffic")
    loops = sorted(world.by_type[EquipmentType.TRAFFIC_FLOW_OBSERVED], key=lambda e: e.id)
    bases = [float(loop.attrs.get("_base", TRAFFIC_BASE)) for loop in loops]
    hours: dict[tuple[str, float], list[Any]] = {}
    for ts in reading_times(period):
        moment = local(ts)
        level = traffic_level(moment.hour + moment.minute / 60)
        hour = math.floor(ts / HOUR_S) * HOUR_S
        for loop, base in zip(loops, bases, strict=True):
            flow = round(base * level * rng.uniform(*TRAFFIC_NOISE))  # as the loop reports it
            row = hours.get((loop.id, hour))
            if row is None:
                hours[(loop.id, hour)] = [float(flow), 1, ts]
            else:
                row[0] += flow
                row[1] += 1
                row[2] = ts
    return hours


def write_traffic(sink: Sink, world: World, period: Period, seed: int) -> None:
    communes = {e.id: e.commune for e in world.by_type[EquipmentType.TRAFFIC_FLOW_OBSERVED]}
    hours = traffic_hours(world, period, seed)
    rows = (
        (device, sink.time(hour), communes[device], total, readings, sink.time(last))
        for (device, hour), (total, readings, last) in sorted(hours.items())
    )
    sink.write("traffic_flow_hours", FLOW_COLUMNS, rows)


def bus_days(
    world: World,
    period: Period,
    faults: FaultBook,
    history: History,
    priority: Callable[[float], bool],
    seed: int,
) -> dict[tuple[str, date], list[Any]]:
    """(signal, local day) -> [requests, served, last request's time]."""
    rng = stream(seed, "bus-priority")
    signals = sorted(
        (e for e in world.by_type[EquipmentType.TRAFFIC_SIGNAL] if e.attrs.get("busPriority")),
        key=lambda e: e.id,
    )
    first, last = BUS_HOURS
    days: dict[tuple[str, date], list[Any]] = {}
    for day in period.days():
        opens, closes = local_ts(day, float(first)), local_ts(day, float(last))
        if closes <= period.t0 or opens > period.t1:
            continue
        for signal in signals:
            count = poisson(rng, BUS_REQUESTS_PER_HOUR * (last - first))
            moments = sorted(round(rng.uniform(opens, closes), 3) for _ in range(count))
            for ts in moments:
                if not period.t0 < ts <= period.t1:
                    continue
                served = (
                    priority(ts)
                    and faults.status_at(signal.id, ts) == "ok"
                    and history.value_at(signal.id, "plan", ts) not in UNSERVED_PLANS
                )
                row = days.setdefault((signal.id, day), [0, 0, ts])
                row[0] += 1
                row[1] += int(served)
                row[2] = ts
    return days


def write_bus_priority(
    sink: Sink,
    world: World,
    period: Period,
    faults: FaultBook,
    history: History,
    priority: Callable[[float], bool],
    seed: int,
) -> None:
    communes = {e.id: e.commune for e in world.by_type[EquipmentType.TRAFFIC_SIGNAL]}
    days = bus_days(world, period, faults, history, priority, seed)
    rows = (
        (device, sink.day(day), communes[device], requests, served, sink.time(last))
        for (device, day), (requests, served, last) in sorted(days.items())
    )
    sink.write("bus_priority_days", BUS_COLUMNS, rows)
