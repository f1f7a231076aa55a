"""A month of the lighting cabinets' meter readings, and their nights.

Every cabinet reads its meter every 15 minutes, on the quarter hour (a smart meter's load
curve): ``energyConsumed``, kWh since ``dateMeteringStarted``, the integral of what its lights
drew (each group's level, ``lighting.Lighting.drawn``, times the rated power of its lights not in
fault), from an index that its years of metering before the month make plausible. Each reading
carries what ``services.store.energy.record_readings`` would give it: the difference with the
cabinet's previous reading (0 for its first) and the full-power baseline over the night's
seconds between the two (the cabinet's ``ratedPower`` × ``dark_seconds``, reckoned here from the
same nights, to the same float), and its night (``night_of``). The readings go in with ``COPY``;
their nights are then summed from them by ``services.store.energy.rebuild_nights``, the store's
own function for readings written in bulk.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from services.backfill.faults import FaultBook
from services.backfill.lighting import Lighting, Series, combine
from services.backfill.period import Period, at
from services.backfill.sink import Sink
from services.domain.dimming import night_of as evening_night
from services.domain.equipment import EquipmentType
from services.simulator.payloads import rated_power_w
from services.simulator.world import World
from services.store.energy import night_of

READING_EVERY_S = 900.0
#: Hours a year a street light burns (dusk to dawn), for a meter's index before the month.
HOURS_A_YEAR = 4_100.0
COLUMNS = (
    "cabinet_id",
    "observed_at",
    "night",
    "commune",
    "lat",
    "lon",
    "energy_kwh",
    "metering_started",
    "rated_power_w",
    "delta_kwh",
    "baseline_kwh",
    "recorded_at",
)


def reading_times(period: Period) -> list[float]:
    """The quarter hours of the period; the last one recorded before its end."""
    first = math.ceil(period.t0 / READING_EVERY_S) * READING_EVERY_S
    count = int((period.t1 - 1.0 - first) // READING_EVERY_S) + 1
    return [first + n * READING_EVERY_S for n in range(max(count, 0))]


class Darkness:
    """``dimming.dark_seconds`` between consecutive readings, per place, to the same float.

    ``dark_seconds`` adds, night by night from the evening before its start, the overlap of each
    night with the interval (``max(0.0, overlap.total_seconds())``; a night it does not meet adds
    0.0): here the same ``night_of`` nights (which depend on the place to the hundredth of a
    degree), walked once along the readings, computed once for every cabinet of that place.
    """

    def __init__(self, period: Period, moments: list[datetime]) -> None:
        first = period.start.astimezone(UTC).date() - timedelta(days=2)
        last = period.end.astimezone(UTC).date() + timedelta(days=1)
        self.evenings = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        self.moments = moments
        self._seconds: dict[tuple[float, float], list[float]] = {}

    def seconds(self, lat: float, lon: float) -> list[float]:
        """Dark seconds between each reading and the next (one fewer than the readings)."""
        key = (round(lat, 2), round(lon, 2))
        known = self._seconds.get(key)
        if known is not None:
            return known
        found = (evening_night(e, lat, lon) for e in self.evenings)
        nights = [n for n in found if n is not None]
        out: list[float] = []
        j = 0
        moments = self.moments
        for start, end in zip(moments, moments[1:], strict=False):
            while j < len(nights) and nights[j].dawn <= start:
                j += 1
            total = 0.0
            k = j
            while k < len(nights) and nights[k].dusk < end:
                overlap = min(end, nights[k].dawn) - max(start, nights[k].dusk)
                total += max(0.0, overlap.total_seconds())
                k += 1
            out.append(total)
        self._seconds[key] = out
        return out


def healthy_watts(lights: list[Any], faults: FaultBook, t0: float) -> Series:
    """The rated power (W) of a group's lights not in fault, over time."""
    changes: dict[float, float] = {}
    total = 0.0
    for light in lights:
        rated = rated_power_w(light)
        total += rated
        for fault in faults.of(light.id):
            changes[fault.start] = changes.get(fault.start, 0.0) - rated
            if fault.end is not None:
                changes[fault.end] = changes.get(fault.end, 0.0) + rated
    times, values = [t0], [total]
    for t in sorted(changes):
        total += changes[t]
        if t <= t0:
            values[-1] = total
        else:
            times.append(t)
            values.append(total)
    return Series(times, values)


def cabinet_power(cabinet: Any, lighting: Lighting, faults: FaultBook, t0: float) -> Series:
    """What a cabinet's lights draw (W) over the period: the sum of its groups'."""
    deltas: dict[float, float] = {}
    for group_id in cabinet.attrs.get("refStreetlightGroup") or ():
        group = lighting.groups.get(str(group_id))
        if group is None:
            continue
        watts = healthy_watts(group.lights, faults, t0)
        power = combine([lighting.drawn(group), watts], lambda level, w: level * w)
        previous = 0.0
        for t, p in zip(power.times, power.values, strict=True):
            t = max(t, t0)
            deltas[t] = deltas.get(t, 0.0) + p - previous
            previous = p
    times = sorted(deltas)
    values, running = [], 0.0
    for t in times:
        running += deltas[t]
        values.append(running)
    return Series(times or [t0], values or [0.0])


def metering_started(cabinet: Any) -> datetime | None:
    raw = cabinet.attrs.get("dateMeteringStarted")
    if not isinstance(raw, str):
        return None
    return datetime.fromisoformat(raw.replace("Z", "+00:00"))


def readings(
    world: World,
    period: Period,
    lighting: Lighting,
    faults: FaultBook,
    sink: Sink,
    last: dict[str, float],
) -> Iterator[tuple[Any, ...]]:
    """Every cabinet's readings, cabinet by cabinet, as rows; ``last`` gets each one's last."""
    marks = reading_times(period)
    moments = [at(q) for q in marks]
    stamps = [sink.time(q) for q in marks]
    recorded = [sink.time(q + 0.3) for q in marks]
    nights: dict[date, str] = {}
    night_text = []
    for moment in moments:
        day = night_of(moment)
        night_text.append(nights.setdefault(day, sink.day(day)))
    darkness = Darkness(period, moments)
    cabinets = sorted(world.by_type[EquipmentType.STREETLIGHT_CONTROL_CABINET], key=lambda e: e.id)
    for cabinet in cabinets:
        power = cabinet_power(cabinet, lighting, faults, period.t0)
        started = metering_started(cabinet)
        rated = float(cabinet.attrs.get("ratedPower") or 0.0)
        years = (period.t0 - started.timestamp()) / (365.25 * 86_400.0) if started else 0.0
        index = round(rated / 1000 * HOURS_A_YEAR * max(years, 0.0) * 0.95, 3)
        started_text = sink.moment(started)
        lat, lon, commune = cabinet.lat, cabinet.lon, cabinet.commune
        times, values = power.times, power.values
        i, watts, joules, since = 0, 0.0, 0.0, period.t0
        previous: float | None = None
        dark = darkness.seconds(lat, lon)
        for n, q in enumerate(marks):
            while i < len(times) and times[i] <= q:
                joules += watts * (times[i] - since)
                since, watts = times[i], values[i]
                i += 1
            energy = round(index + (joules + watts * (q - since)) / 3_600_000.0, 3)
            if previous is None:
                delta = baseline = 0.0
            else:
                delta = energy - previous
                baseline = (rated or 0.0) / 1000 * dark[n - 1] / 3600
            previous = energy
            yield (
                cabinet.id,
                stamps[n],
                night_text[n],
                commune,
                lat,
                lon,
                energy,
                started_text,
                rated,
                delta,
                baseline,
                recorded[n],
            )
        if previous is not None:
            last[cabinet.id] = previous
