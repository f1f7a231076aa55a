"""The vehicles' month: duty, patrols, missions, snow circuits, and the positions they leave.

Each vehicle keeps a track of legs (from a place to another at a speed), drawn as the
simulator's vehicles move (``motion``): a patrol on its shift drives from waypoint to waypoint
in its commune (now and then another) and pauses a few minutes; a road crew works weekdays and
pauses longer; a unit sent to an incident drives there at once (faster when urgent), stays on
scene, then takes up its round from there; snow vehicles run their circuits along the winter
network (``motion.along_network``) during the snow plan's operations: salting before dawn on
frost nights, ploughing and salting in shifts at intervention (level 2).

Positions: one point a minute while moving, and one where it stops. That is the density the
record keeps anyway after 48 hours (retention thins to one a minute), what the map's trails and
the snow passes need, and a fifth of what every 1 to 5 s would be for nothing the reports read;
a parked vehicle sends nothing here (its row keeps where it stopped). Positions are personal
data (patrols' crews): none is written older than their retention (60 days) before the month's
end, and none after it.
"""

from __future__ import annotations

import bisect
import math
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from services.backfill.city import CityPlan
from services.backfill.period import MINUTE_S, Period, local, local_ts
from services.backfill.sink import Sink
from services.domain.geography import distance_m
from services.domain.units import UnitKind, UnitStatus
from services.simulator.geo import bearing_deg, random_in_disc
from services.simulator.motion import PAUSE_S, along_network
from services.simulator.world import Unit, World

POSITION_COLUMNS = ("unit_id", "observed_at", "lat", "lon", "speed", "bearing", "work")
#: Patrols' shifts (local hours): most by day, fewer at night.
SHIFTS = ((6.0, 14.0), (14.0, 22.0), (22.0, 30.0))
SHIFT_OF = (0, 0, 0, 1, 1, 1, 2, 2)
#: Road crews at work on weekdays; the first ``ON_CALL`` of them answer nights and weekends.
CREW_HOURS = (7.5, 16.5)
ON_CALL = 8
DEPART_S = (30.0, 120.0)


@dataclass(slots=True)
class Leg:
    t0: float
    t1: float
    a: tuple[float, float]
    b: tuple[float, float]
    speed: float  # km/h
    work: str | None = None

    def at(self, ts: float) -> tuple[float, float]:
        if self.t1 <= self.t0:
            return self.b
        f = min(1.0, max(0.0, (ts - self.t0) / (self.t1 - self.t0)))
        return self.a[0] + (self.b[0] - self.a[0]) * f, self.a[1] + (self.b[1] - self.a[1]) * f


@dataclass
class Track:
    unit: Unit
    index: int
    rng: random.Random
    world: World
    pos: tuple[float, float]
    t: float
    legs: list[Leg] = field(default_factory=list)
    starts: list[float] = field(default_factory=list)  # each leg's t0, for bisect
    statuses: list[tuple[float, str, int | None]] = field(default_factory=list)
    shifts: list[tuple[float, float, str | None]] = field(default_factory=list)  # snow duty

    # --- duty -------------------------------------------------------------------------------------
    def on_duty(self, ts: float, moment: datetime | None = None) -> bool:
        """Whether it works at ``ts`` (``moment``: the same time in the room's zone, if known)."""
        kind = self.unit.kind
        moment = moment or local(ts)
        hour = moment.hour + moment.minute / 60
        if kind is UnitKind.PATROL:
            first, last = SHIFTS[SHIFT_OF[self.index % len(SHIFT_OF)]]
            if last > 24 and hour < last - 24:
                day = moment.date() - timedelta(days=1)
                hour += 24
            else:
                day = moment.date()
            if (day.toordinal() + self.index) % 7 == 0:
                return False  # its day off
            return first <= hour < last
        if kind is UnitKind.ROAD_CREW:
            return moment.weekday() < 5 and CREW_HOURS[0] <= hour < CREW_HOURS[1]
        return any(a <= ts < b for a, b, _ in self.shifts)

    def on_call(self, ts: float) -> bool:
        return self.unit.kind is UnitKind.ROAD_CREW and self.index < ON_CALL

    def next_duty(self, ts: float) -> float:
        """The next moment on duty (a minute's steps would be too many: by quarter hours)."""
        step = 900.0
        t = (math.floor(ts / step) + 1) * step
        for _ in range(4 * 24 * 8):
            if self.on_duty(t):
                return t
            t += step
        return t

    # --- moving -----------------------------------------------------------------------------------
    def _waypoint(self) -> tuple[float, float]:
        communes = self.world.communes
        commune = communes[self.unit.home]
        if self.rng.random() < 0.25:
            pool = list(communes.values())
            commune = self.rng.choices(pool, [c.population for c in pool])[0]
        return random_in_disc(self.rng, commune.lat, commune.lon, 1_500.0)

    def drive(
        self, t: float, to: tuple[float, float], kmh: float, work: str | None = None
    ) -> float:
        metres = distance_m(*self.pos, *to)
        duration = metres / (kmh / 3.6) if kmh > 0 else 0.0
        leg = Leg(t, t + duration, self.pos, to, kmh, work)
        self.legs.append(leg)
        self.starts.append(t)
        self.pos = to
        return leg.t1

    def extend(self, until: float) -> None:
        """Roam (or stay parked off duty) up to ``until``."""
        if self.unit.kind.is_snow_vehicle:
            self.t = max(self.t, until)
            return
        pause = PAUSE_S.get(self.unit.kind, (60.0, 300.0))
        while self.t < until:
            if not self.on_duty(self.t):
                self.t = self.next_duty(self.t)
                continue
            kmh = self.unit.cruise_kmh * self.rng.uniform(0.75, 1.1)
            self.t = self.drive(self.t, self._waypoint(), kmh) + self.rng.uniform(*pause)

    def where(self, ts: float) -> tuple[float, float]:
        self.extend(ts)
        n = bisect.bisect_right(self.starts, ts) - 1
        if n < 0:
            return (self.unit.lat, self.unit.lon)
        return self.legs[n].at(ts)

    def send(self, ts: float, to: tuple[float, float], kmh: float) -> float:
        """Sent at ``ts`` (its round cut there): when it arrives."""
        self.extend(ts)
        here = self.where(ts)
        while self.legs and self.legs[-1].t0 >= ts:  # the round it would have driven on
            self.legs.pop()
            self.starts.pop()
        if self.legs and self.legs[-1].t1 > ts:
            last = self.legs[-1]
            self.legs[-1] = Leg(last.t0, ts, last.a, here, last.speed, last.work)
        self.pos = here
        arrival = self.drive(ts + self.rng.uniform(*DEPART_S), to, kmh)
        self.t = arrival
        return arrival

    def stay(self, until: float) -> None:
        self.t = max(self.t, until)

    def status(self, ts: float, status: UnitStatus, incident: int | None = None) -> None:
        self.statuses.append((ts, status.value, incident))

    # --- snow circuits ----------------------------------------------------------------------------
    def run_circuits(self, depot: tuple[float, float], circuit: list[tuple[float, float]]) -> None:
        for start, end, work in self.shifts:
            t, n = start, 0
            self.pos = depot
            while t < end and circuit:
                t = self.drive(t, circuit[n % len(circuit)], self.unit.cruise_kmh, work)
                n += 1
            self.drive(t, depot, self.unit.cruise_kmh)

    # --- the record -------------------------------------------------------------------------------
    def positions(self, t0: float, t1: float, phase: float) -> list[tuple[float, Leg, bool]]:
        """(time, leg, stopped) of each point: every minute of a leg, and where it ends."""
        out: list[tuple[float, Leg, bool]] = []
        for leg in self.legs:
            if leg.t1 <= t0 or leg.t0 > t1 or leg.t1 <= leg.t0:
                continue
            k = math.ceil((leg.t0 - phase) / MINUTE_S)
            ts = k * MINUTE_S + phase
            while ts < leg.t1:
                if t0 < ts <= t1:
                    out.append((round(ts, 3), leg, False))
                ts += MINUTE_S
            if t0 < leg.t1 <= t1:
                out.append((round(leg.t1, 3), leg, True))
        out.sort(key=lambda p: p[0])
        deduped: list[tuple[float, Leg, bool]] = []
        for point in out:
            if deduped and deduped[-1][0] == point[0]:
                continue
            deduped.append(point)
        return deduped


def snow_shifts(city: CityPlan, period: Period, track: Track) -> None:
    """When a snow vehicle is out.

    Salting before dawn on frost nights at alert or above (half the spreaders), and two shifts a
    day for all of them (ploughs with their blade down) while the plan is at intervention.
    """
    rng = track.rng
    spreader = track.unit.kind is UnitKind.SALT_SPREADER
    for day, weather in sorted(city.days.items()):
        morning = local_ts(day, 3.5 + rng.uniform(-0.25, 0.5))
        level = int(city.modes_at(morning).get("snow", "0"))
        if level >= 2:
            for start_h in (4.5, 13.0):
                start = local_ts(day, start_h + rng.uniform(0, 0.5))
                work = "spread" if spreader else "plough+spread"
                track.shifts.append((start, start + rng.uniform(3.0, 4.5) * 3_600.0, work))
        elif level >= 1 and spreader and (weather.frost or weather.snow):
            if track.index % 2 == 0:
                track.shifts.append((morning, morning + rng.uniform(2.5, 3.5) * 3_600.0, "spread"))
    track.shifts = [(a, b, w) for a, b, w in track.shifts if period.t0 - 86_400 < a < period.t1]


def snow_rounds(city: CityPlan, period: Period, world: World, tracks: list[Track]) -> None:
    """Every snow vehicle's shifts, driven round its commune's circuit from its depot."""
    for track in tracks:
        gear = track.unit.snow
        if not track.unit.kind.is_snow_vehicle or gear is None:
            continue
        snow_shifts(city, period, track)
        depot = world.entities[gear.depot]
        home = world.communes[track.unit.home]
        track.run_circuits((depot.lat, depot.lon), along_network((home.lat, home.lon)))


def points(track: Track, t0: float, t1: float) -> list[tuple[float, float, float, Leg, bool]]:
    """(time, lat, lon, leg, stopped) of each point the unit sends between ``t0`` and ``t1``."""
    phase = (track.index * 7.31) % MINUTE_S
    out = []
    for ts, leg, stopped in track.positions(t0, t1, phase):
        lat, lon = leg.at(ts)
        out.append((ts, round(lat, 6), round(lon, 6), leg, stopped))
    return out


def work_of(leg: Leg, stopped: bool) -> str | None:
    """What a point says the unit was doing (a stopped vehicle treats nothing)."""
    return leg.work if not stopped else None


def positions_since(period: Period, kept_days: float) -> float:
    """The oldest time a written position may have (the positions' retention)."""
    return max(period.t0, period.t1 - kept_days * 86_400.0)


def point_rows(track: Track, sink: Sink, t0: float, t1: float) -> list[tuple[object, ...]]:
    rows = []
    for ts, lat, lon, leg, stopped in points(track, t0, t1):
        bearing = bearing_deg(*leg.a, *leg.b) if leg.a != leg.b else 0.0
        rows.append(
            (
                track.unit.id,
                sink.time(ts),
                lat,
                lon,
                0.0 if stopped else round(leg.speed, 1),
                round(bearing, 1),
                work_of(leg, stopped),
            )
        )
    return rows


UNIT_COLUMNS = (
    "id",
    "kind",
    "name",
    "status",
    "incident_id",
    "lat",
    "lon",
    "observed_at",
    "status_at",
    "work",
)


def write_positions(sink: Sink, tracks: list[Track], period: Period, kept_days: float) -> None:
    """Every track's points, unit by unit, none older than the positions' retention."""
    since = positions_since(period, kept_days)

    def rows():  # noqa: ANN202 - a generator of rows
        for track in sorted(tracks, key=lambda t: t.unit.id):
            yield from point_rows(track, sink, since, period.t1)

    sink.write("unit_positions", POSITION_COLUMNS, rows())


def write_units(sink: Sink, tracks: list[Track], period: Period) -> None:
    """The units' rows: where each was last seen, and its crew's last status."""
    end = period.t1
    rows = []
    for track in sorted(tracks, key=lambda t: t.unit.id):
        unit = track.unit
        moved = [leg for leg in track.legs if leg.t0 <= end]
        if moved:
            last = moved[-1]
            seen = min(last.t1, end)
            lat, lon = last.at(seen)
        else:
            seen, (lat, lon) = period.t0, (unit.lat, unit.lon)
        statuses = [s for s in track.statuses if s[0] <= end]
        status, incident, since = UnitStatus.AVAILABLE.value, None, None
        if statuses:
            since, status, incident = statuses[-1]
        if (
            status == UnitStatus.AVAILABLE.value
            and not unit.kind.is_snow_vehicle
            and not track.on_duty(end)
            and not track.on_call(end)
        ):
            status = UnitStatus.UNAVAILABLE.value  # off duty
        rows.append(
            (
                unit.id,
                unit.kind.value,
                unit.name,
                status,
                incident,
                round(lat, 6),
                round(lon, 6),
                sink.time(round(seen, 3)),
                sink.time(since),
                None,
            )
        )
    sink.write("units", UNIT_COLUMNS, rows)
