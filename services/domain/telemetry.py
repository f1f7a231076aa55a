"""Telemetry: what the field looks like at one moment, and a bounded history of those moments.

The console takes a ``TelemetrySample`` of every device it has just read, turns the recorders'
cumulative counters into ``MessageRate`` values and keeps both in a ``TelemetryHistory`` that the
plots read. Everything here is plain Python and pure: no clock of its own, no I/O, no Qt.

How a street light counts (one bucket each, so that the four buckets add up to the lights known):
``stale`` means *not heard*: a light whose state is ``stale`` or ``comm_lost`` (its gateway's Last
Will arrived) counts there whatever it last said, because its last ``powerState`` can no longer be
trusted (the same rule as ``assess_state``). A heard light in ``fault`` counts as ``fault``. A
heard, healthy light counts ``on`` when it reports itself lit (``on``, ``low`` dimmed,
``bootingUp``) and ``off`` otherwise (``off``, or no ``powerState`` at all: it does not claim
to be lit).

Measured values (energy, traffic intensity, temperatures) are taken from heard devices only: a
silent device's last value repeated would draw a flat line that looks like a measurement, so the
plot shows a gap instead.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple

STREETLIGHT = "Streetlight"
WEATHER_OBSERVED = "WeatherObserved"
TRAFFIC_FLOW_OBSERVED = "TrafficFlowObserved"

#: The light buckets, in the order plots and tables show them.
LIGHT_BUCKETS = ("on", "off", "fault", "stale")

_NOT_HEARD = frozenset({"stale", "comm_lost"})
_LIT = frozenset({"on", "low", "bootingUp"})

#: Lights without a commune (outside the reference, or not located) are counted under this key.
NO_COMMUNE = ""


class LightCounts(NamedTuple):
    on: int = 0
    off: int = 0
    fault: int = 0
    stale: int = 0  # not heard: stale or comm_lost

    def __add__(self, other: object) -> LightCounts:  # type: ignore[override]
        if not isinstance(other, LightCounts):
            return NotImplemented
        return LightCounts(*(a + b for a, b in zip(self, other, strict=True)))


@dataclass(frozen=True, slots=True)
class TelemetrySample:
    """The field at ``at``. Mappings are the sampler's own: treat them as read-only."""

    at: datetime
    lights: Mapping[str, LightCounts]  # INSEE code (or NO_COMMUNE) -> counts
    lights_total: LightCounts  # every commune: kept so that plots never re-add 23 communes
    energy_w: float  # sum of powerConsumption of the heard lights that report it
    energy_reporting: int  # how many lights that sum is made of
    traffic_intensity: Mapping[str, float]  # TrafficFlowObserved id -> intensity
    road_temperature: Mapping[str, float]  # WeatherObserved id -> °C
    air_temperature: Mapping[str, float]  # WeatherObserved id -> °C

    def lights_in(self, commune: str | None) -> LightCounts:
        """The counts of one commune, or of all of them when ``commune`` is None."""
        if commune is None:
            return self.lights_total
        return self.lights.get(commune, LightCounts())


def _number(value: Any) -> float | None:
    # bool is an int in Python: a payload's ``true`` is not 1 W.
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if value != value:  # NaN never reaches a sum
        return None
    return float(value)


def sample(devices: Iterable[Any], at: datetime) -> TelemetrySample:
    """One pass over every device (``EquipmentView`` values, or anything with their fields).

    Measured on a 2-core development machine (tests/domain/test_telemetry.py, run with -s):
    34,000 lights take 20 to 40 ms (90 ms with the machine busy), cheap enough for the
    console's worker thread every 15 s, and too slow for the GUI thread: sample off it.
    """
    # Lists of four ints, turned into LightCounts once at the end: no tuple per light.
    per_commune: dict[str, list[int]] = {}
    energy = 0.0
    reporting = 0
    traffic: dict[str, float] = {}
    road: dict[str, float] = {}
    air: dict[str, float] = {}
    for device in devices:
        kind = device.type
        heard = device.state not in _NOT_HEARD
        if kind == STREETLIGHT:
            counts = per_commune.get(device.commune or NO_COMMUNE)
            if counts is None:
                counts = per_commune[device.commune or NO_COMMUNE] = [0, 0, 0, 0]
            if not heard:
                counts[3] += 1
                continue
            attributes = device.attributes
            if device.state == "fault":
                counts[2] += 1
            elif attributes.get("powerState") in _LIT:
                counts[0] += 1
            else:
                counts[1] += 1
            watts = _number(attributes.get("powerConsumption"))
            if watts is not None:
                energy += watts
                reporting += 1
        elif not heard:
            continue
        elif kind == TRAFFIC_FLOW_OBSERVED:
            value = _number(device.attributes.get("intensity"))
            if value is not None:
                traffic[device.id] = value
        elif kind == WEATHER_OBSERVED:
            value = _number(device.attributes.get("roadSurfaceTemperature"))
            if value is not None:
                road[device.id] = value
            value = _number(device.attributes.get("temperature"))
            if value is not None:
                air[device.id] = value
    lights = {commune: LightCounts(*counts) for commune, counts in per_commune.items()}
    total = LightCounts(*(sum(column) for column in zip(*per_commune.values(), strict=True)))
    return TelemetrySample(
        at=at,
        lights=lights,
        lights_total=total if per_commune else LightCounts(),
        energy_w=energy,
        energy_reporting=reporting,
        traffic_intensity=traffic,
        road_temperature=road,
        air_temperature=air,
    )


@dataclass(frozen=True, slots=True)
class CounterReading:
    """The recorders' cumulative counters (summed over recorders) as read at ``at``."""

    at: datetime
    received: int
    quarantined: int


@dataclass(frozen=True, slots=True)
class MessageRate:
    """Messages per second over the interval that ends at ``at``.

    A rate is ``None`` when its counter went down (a recorder's row removed, a database
    recreated): how many messages came in that interval is unknown, and a plot shows a gap
    rather than a negative rate or a spike made of a whole recorder's total.
    """

    at: datetime
    received: float | None
    quarantined: float | None

    @classmethod
    def between(cls, earlier: CounterReading, later: CounterReading) -> MessageRate | None:
        """The rates from two readings; ``None`` when no time passed between them."""
        seconds = (later.at - earlier.at).total_seconds()
        if seconds <= 0:
            return None

        def per_second(before: int, after: int) -> float | None:
            return None if after < before else (after - before) / seconds

        return cls(
            at=later.at,
            received=per_second(earlier.received, later.received),
            quarantined=per_second(earlier.quarantined, later.quarantined),
        )


@dataclass(frozen=True, slots=True)
class TelemetryWindow:
    """What a history holds from a given time on, oldest first."""

    samples: tuple[TelemetrySample, ...]
    rates: tuple[MessageRate, ...]


DEFAULT_KEEP = timedelta(hours=24)
#: A safety net on memory if a caller samples far faster than every 15 s (24 h at one a second).
MAX_ENTRIES = 86_400


class TelemetryHistory:
    """Samples and message rates of the last ``keep`` (24 h by default), oldest first.

    Entries older than ``keep`` before the newest one are dropped as new ones arrive, so memory
    stays bounded however long a shift lasts. An entry not newer than the last one (a clock
    stepped back) is ignored: plots need times that only move forward.
    """

    def __init__(self, keep: timedelta = DEFAULT_KEEP, *, max_entries: int = MAX_ENTRIES) -> None:
        self.keep = keep
        self._samples: deque[TelemetrySample] = deque(maxlen=max_entries)
        self._rates: deque[MessageRate] = deque(maxlen=max_entries)
        self._last_reading: CounterReading | None = None

    def __len__(self) -> int:
        return len(self._samples)

    @property
    def latest(self) -> TelemetrySample | None:
        return self._samples[-1] if self._samples else None

    def add_sample(self, taken: TelemetrySample) -> bool:
        """Keep a sample; False when it was ignored (not newer than the last)."""
        if self._samples and taken.at <= self._samples[-1].at:
            return False
        self._samples.append(taken)
        self._forget_before(taken.at - self.keep)
        return True

    def add_counters(self, reading: CounterReading) -> MessageRate | None:
        """Turn a counter reading into a rate against the previous one, and keep that rate.

        The first reading only sets the baseline (``None``): a cumulative counter says nothing
        about a rate by itself.
        """
        previous = self._last_reading
        if previous is not None and reading.at <= previous.at:
            return None
        self._last_reading = reading
        rate = None if previous is None else MessageRate.between(previous, reading)
        if rate is not None:
            self._rates.append(rate)
            self._forget_before(reading.at - self.keep)
        return rate

    def window(self, since: datetime) -> TelemetryWindow:
        """Samples and rates taken at or after ``since``.

        Walks back from the newest entry, so that asking for the last 15 minutes of a full
        day's history costs 60 entries, not 5,760.
        """
        return TelemetryWindow(
            samples=_newest_since(self._samples, since),
            rates=_newest_since(self._rates, since),
        )

    def _forget_before(self, limit: datetime) -> None:
        for entries in (self._samples, self._rates):
            while entries and entries[0].at < limit:
                entries.popleft()


def _newest_since(entries: deque, since: datetime) -> tuple:
    kept = []
    for entry in reversed(entries):
        if entry.at < since:
            break
        kept.append(entry)
    kept.reverse()
    return tuple(kept)
