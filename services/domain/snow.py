"""Winter service: the networks to treat, the passes of ploughs and spreaders, freeze risk, salt.

Plain rules, no I/O. A road-weather station warns of **freeze risk** when its road surface is at
or under 0 °C and moist, wet or icy. A **pass** is a plough (blade down) or a spreader (spreading)
within ``PASS_RADIUS_M`` of a segment; a principal segment untreated for longer than its target is a
**coverage gap**. A depot's **days left** divide its stock by what it used per day over the hours
observed (refills are not use).
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from services.domain.geography import distance_m

FREEZE_STATES = frozenset({"moist", "wet", "ice"})
MIN_SPAN = timedelta(minutes=30)
PASS_RADIUS_M = 60.0
#: Treatment later than this after a segment's last pass begins a new pass (else extends it).
PASS_GAP = timedelta(minutes=10)


class Network(StrEnum):
    PRINCIPAL = "principal"  # structural roads and every bus route: treated first
    SECONDARY = "secondary"


@dataclass(frozen=True)
class Segment:
    id: str
    name: str
    network: Network
    points: tuple[tuple[float, float], ...]  # (lat, lon), in order along the road
    target: timedelta  # the longest it may stay untreated during an operation


@dataclass(frozen=True)
class Treatment:
    """One position of a snow vehicle, and whether it was treating the road there."""

    lat: float
    lon: float
    at: datetime
    treating: bool  # plough down or spreading


@dataclass(frozen=True)
class CoverageGap:
    segment: Segment
    untreated_for: timedelta


def freeze_risk(attributes: Mapping[str, Any]) -> bool:
    """Road surface at or under 0 °C and moist, wet or icy (a station's latest reading)."""
    temperature = attributes.get("roadSurfaceTemperature")
    if isinstance(temperature, bool) or not isinstance(temperature, int | float):
        return False
    return temperature <= 0.0 and attributes.get("roadSurfaceState") in FREEZE_STATES


def distance_to_segment_m(lat: float, lon: float, segment: Segment) -> float:
    """The shortest distance from a point to the segment's polyline (local flat projection)."""
    best = math.inf
    for (lat1, lon1), (lat2, lon2) in zip(segment.points, segment.points[1:], strict=False):
        best = min(best, _to_leg(lat, lon, lat1, lon1, lat2, lon2))
    if len(segment.points) == 1:
        best = distance_m(lat, lon, *segment.points[0])
    return best


def _to_leg(lat: float, lon: float, lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    scale = math.cos(math.radians(lat))  # metres per degree of longitude shrink with latitude
    x, y = lon * scale, lat
    x1, y1, x2, y2 = lon1 * scale, lat1, lon2 * scale, lat2
    dx, dy = x2 - x1, y2 - y1
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / length))
    return distance_m(lat, lon, y1 + t * dy, (x1 + t * dx) / scale)


def last_passes(
    segments: Sequence[Segment],
    treatments: Iterable[Treatment],
    known: Mapping[str, datetime] | None = None,
    radius_m: float = PASS_RADIUS_M,
) -> dict[str, datetime]:
    """The latest treating pass over each segment, on top of what was ``known`` before."""
    passes = dict(known or {})
    for t in treatments:
        if not t.treating:
            continue
        for segment in segments:
            if passes.get(segment.id, datetime.min.replace(tzinfo=t.at.tzinfo)) >= t.at:
                continue
            if distance_to_segment_m(t.lat, t.lon, segment) <= radius_m:
                passes[segment.id] = t.at
    return passes


@dataclass(frozen=True)
class SegmentPasses:
    """A segment's passes in one snow episode (a ``snow_passes`` row's counters)."""

    first_pass_at: datetime
    last_pass_at: datetime
    passes: int
    longest_gap_s: int  # the longest untreated time so far, from the episode's start


#: A delay is told to 5 minutes (a city's treatment map): "within target" as the minutes read,
#: in the open-data file and in the daily report alike.
DELAY_STEP_MIN = 5


def delay_minutes(span: timedelta) -> int:
    """Whole minutes to the nearest ``DELAY_STEP_MIN``: a delay, not the minute a plough passed."""
    return DELAY_STEP_MIN * round(span.total_seconds() / 60 / DELAY_STEP_MIN)


def target_minutes(target: timedelta) -> int:
    return round(target.total_seconds() / 60)


def first_pass_within(delay: timedelta, target: timedelta) -> bool:
    """A segment's first pass ``delay`` after the episode began kept its ``target``."""
    return delay_minutes(delay) <= target_minutes(target)


def fold_pass(
    state: SegmentPasses | None,
    at: datetime,
    episode_start: datetime,
    gap: timedelta = PASS_GAP,
) -> SegmentPasses:
    """A segment's passes once a treatment at ``at`` (within ``PASS_RADIUS_M``) is counted.

    The first treatment of the episode is its first pass, the time before it (from
    ``episode_start``) its first gap. Later: more than ``gap`` after the last pass is a new pass
    (the time between the two, a gap); within ``gap`` it extends the last pass. An older
    treatment (out of order, a replay) only moves ``first_pass_at`` earlier.
    """
    if state is None:
        untreated = max(0, int((at - episode_start).total_seconds()))
        return SegmentPasses(at, at, 1, untreated)
    if at <= state.last_pass_at:
        if at < state.first_pass_at:
            return SegmentPasses(at, state.last_pass_at, state.passes, state.longest_gap_s)
        return state
    if at - state.last_pass_at > gap:
        untreated = int((at - state.last_pass_at).total_seconds())
        return SegmentPasses(
            state.first_pass_at, at, state.passes + 1, max(state.longest_gap_s, untreated)
        )
    return SegmentPasses(state.first_pass_at, at, state.passes, state.longest_gap_s)


def coverage_gaps(
    segments: Sequence[Segment],
    passes: Mapping[str, datetime],
    now: datetime,
    since: datetime,
) -> list[CoverageGap]:
    """Principal segments untreated longer than their target, counted from ``since`` at most.

    ``since`` is when the operation began (the snow level raised, or the console started): a
    segment is not late for the time before anyone was asked to treat it.
    """
    gaps = []
    for segment in segments:
        if segment.network is not Network.PRINCIPAL:
            continue
        untreated = now - max(passes.get(segment.id, since), since)
        if untreated > segment.target:
            gaps.append(CoverageGap(segment, untreated))
    return sorted(gaps, key=lambda g: g.untreated_for, reverse=True)


def days_left(readings: Sequence[tuple[datetime, float]], now: datetime) -> float | None:
    """Days until a depot runs out at the rate it used over ``readings`` (oldest first).

    None when nothing was used (no rate to divide by), or over less than ``MIN_SPAN`` (a rate
    from a few minutes' readings says more about the last lorry loaded than about the day).
    """
    if len(readings) < 2 or readings[-1][0] - readings[0][0] < MIN_SPAN:
        return None
    used = sum(max(0.0, a[1] - b[1]) for a, b in zip(readings, readings[1:], strict=False))
    hours = (readings[-1][0] - readings[0][0]).total_seconds() / 3600
    if used <= 0 or hours <= 0:
        return None
    per_day = used / hours * 24
    return readings[-1][1] / per_day


#: How far back a depot's readings count for its rate of use (about a shift of spreading).
DEPOT_WINDOW = timedelta(hours=6)


class DepotTrend:
    """Each depot's salt and brine readings of the last ``DEPOT_WINDOW``, and the days left.

    Kept by whoever watches the depots (a console keeps six hours); plain, so that it is tested
    without Qt.
    """

    def __init__(self, window: timedelta = DEPOT_WINDOW) -> None:
        self.window = window
        self._readings: dict[tuple[str, str], deque[tuple[datetime, float]]] = {}

    def days_left(
        self, depot: str, stock: str, amount: float | None, now: datetime
    ) -> float | None:
        """Note ``amount`` of ``stock`` at ``depot`` (None: no reading), then the days it lasts."""
        history = self._readings.setdefault((depot, stock), deque())
        if amount is not None:
            history.append((now, amount))
        while history and now - history[0][0] > self.window:
            history.popleft()
        return days_left(list(history), now)


class PassState(StrEnum):
    FRESH = "fresh"  # treated within the hour
    DUE = "due"  # treated, within its target still
    LATE = "late"  # past its target: on the principal network, a coverage gap
    NEVER = "never"  # not treated since the operation began


FRESH_FOR = timedelta(hours=1)


def pass_state(
    segment: Segment, last: datetime | None, now: datetime, since: datetime
) -> tuple[int | None, PassState]:
    """Minutes since the segment's last pass (None: none seen), and what that means."""
    if last is None or last < since:
        late = now - since > segment.target
        return None, PassState.LATE if late else PassState.NEVER
    elapsed = now - last
    minutes = int(elapsed.total_seconds() // 60)
    if elapsed <= FRESH_FOR:
        return minutes, PassState.FRESH
    return minutes, PassState.DUE if elapsed <= segment.target else PassState.LATE


@dataclass(frozen=True)
class DepotReading:
    id: str
    commune: str | None
    salt_tonnes: float | None
    brine_m3: float | None
    capacity_tonnes: float | None


@dataclass(frozen=True)
class StationReading:
    id: str
    commune: str | None
    road_temperature: float | None
    road_state: str | None
    at_risk: bool


@dataclass(frozen=True)
class SnowReadings:
    """The depots and road-weather stations at one reading of the equipment."""

    at: datetime
    depots: tuple[DepotReading, ...]
    stations: tuple[StationReading, ...]


def snow_readings(devices: Iterable[Any], at: datetime) -> SnowReadings:
    """Depots and stations among ``devices`` (``EquipmentView``-like: type, attributes…)."""
    depots, stations = [], []
    for d in devices:
        a = d.attributes or {}
        if d.type == "SaltStock":
            depots.append(
                DepotReading(
                    d.id,
                    d.commune,
                    _number(a.get("saltTonnes")),
                    _number(a.get("brineCubicMetres")),
                    _number(a.get("capacityTonnes")),
                )
            )
        elif d.type == "WeatherObserved" and "roadSurfaceTemperature" in a:
            stations.append(
                StationReading(
                    d.id,
                    d.commune,
                    _number(a.get("roadSurfaceTemperature")),
                    a.get("roadSurfaceState"),
                    freeze_risk(a),
                )
            )
    return SnowReadings(at, tuple(depots), tuple(stations))


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


@dataclass(frozen=True)
class SnowSituation:
    """The snow operation at a glance: vehicles, the principal network, freeze risk, salt."""

    treating: int  # snow vehicles with blade down or spreading, among those heard from lately
    heard: int
    principal: int  # segments of the principal network
    gaps: tuple[CoverageGap, ...]  # principal segments untreated past their target
    stations: tuple[StationReading, ...]
    # each depot with its days of salt and of brine left at the rate of use, when known
    depots: tuple[tuple[DepotReading, float | None, float | None], ...]

    @property
    def at_risk(self) -> tuple[StationReading, ...]:
        return tuple(s for s in self.stations if s.at_risk)
