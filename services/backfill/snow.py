"""Winter service's month: the passes over each network segment, and the depots' stock.

Passes (``snow_passes``): from the treating positions the backfill writes (``unit_positions``
with ``work``: plough down or spreading), in time order, by the recorder's rule: a position within
``PASS_RADIUS_M`` of a segment of the winter network (``SegmentGrid.near``, as the recorder finds
them) while a snow episode is in force (``mode_periods``) is a treatment of that segment in that
episode, folded into its row by ``services.domain.snow.fold_pass`` (a new pass after
``PASS_GAP``).

Depots (``salt_readings``): each snow vehicle's treating legs draw salt or brine from its depot as
the simulator's vehicles do (``motion.drawn``: its spread rate over the road it covers), every
``DEPOT_EVERY_S``; a depot under ``DEPOT_REFILL_BELOW`` of its capacity gets a delivery
(``DEPOT_DELIVERY`` of it) as the simulator's do. A depot reports its stock when it changed, and
at least every ``HEARTBEAT_S`` otherwise; the last reading is its state at the month's end (the
``equipment`` row's), whose stock the world's depot is given before that row is made.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from services.backfill.mode_periods import ModePeriod, Timeline, episode_at
from services.backfill.period import Period, at
from services.backfill.sink import Sink
from services.backfill.units import Track, points, work_of
from services.domain.equipment import EquipmentType
from services.domain.geography import distance_m
from services.domain.segment_grid import SegmentGrid
from services.domain.snow import Segment, SegmentPasses, fold_pass
from services.simulator.happenings import DEPOT_DELIVERY, DEPOT_EVERY_S, DEPOT_REFILL_BELOW
from services.simulator.motion import drawn
from services.simulator.routine import HEARTBEAT_S
from services.simulator.world import Entity, World

PASS_COLUMNS = (
    "episode_start",
    "segment_id",
    "network",
    "target_s",
    "first_pass_at",
    "last_pass_at",
    "passes",
    "longest_gap_s",
)
SALT_COLUMNS = ("depot_id", "observed_at", "salt_tonnes", "brine_m3", "commune")
SALT = "saltTonnes"
Treating = tuple[float, str, float, float]
BRINE = "brineCubicMetres"


# --- passes ---------------------------------------------------------------------------------------
def treatments(tracks: Iterable[Track], since: float, until: float) -> list[Treating]:
    """(time, unit, lat, lon) of every treating position written, in time order."""
    out = []
    for track in tracks:
        if not track.unit.kind.is_snow_vehicle:
            continue
        for ts, lat, lon, leg, stopped in points(track, since, until):
            if work_of(leg, stopped) is not None:
                out.append((ts, track.unit.id, lat, lon))
    out.sort()
    return out


def passes(
    tracks: Iterable[Track],
    periods: list[ModePeriod],
    segments: list[Segment],
    since: float,
    until: float,
) -> dict[tuple[float, str], SegmentPasses]:
    """(episode start, segment) -> its passes, from the positions from ``since`` to ``until``."""
    snow = Timeline(periods, "snow")
    rows: dict[tuple[float, str], SegmentPasses] = {}
    starts: dict[float, datetime] = {}
    grid = SegmentGrid(segments)
    for ts, _, lat, lon in treatments(tracks, since, until):
        episode = episode_at(snow, ts)
        if episode is None:
            continue
        began = starts.setdefault(episode, at(episode))
        moment = at(ts)
        for segment in grid.near(lat, lon):
            key = (episode, segment.id)
            rows[key] = fold_pass(rows.get(key), moment, began)
    return rows


def write_passes(
    sink: Sink, rows: dict[tuple[float, str], SegmentPasses], segments: list[Segment]
) -> None:
    by_id = {s.id: s for s in segments}
    out = (
        (
            sink.time(episode),
            segment_id,
            by_id[segment_id].network.value,
            int(by_id[segment_id].target.total_seconds()),
            sink.moment(row.first_pass_at),
            sink.moment(row.last_pass_at),
            row.passes,
            row.longest_gap_s,
        )
        for (episode, segment_id), row in sorted(rows.items())
    )
    sink.write("snow_passes", PASS_COLUMNS, out)


# --- depots ---------------------------------------------------------------------------------------
@dataclass
class Depot:
    entity: Entity
    salt: float
    brine: float
    capacity: float
    readings: list[tuple[float, float, float]] = field(default_factory=list)  # (ts, salt, brine)


class Depots:
    """The depots' stock over the month, drawn by the snow vehicles' treating legs."""

    def __init__(self, world: World, tracks: Iterable[Track], period: Period) -> None:
        self.period = period
        self.depots: dict[str, Depot] = {}
        for entity in sorted(world.by_type[EquipmentType.SALT_STOCK], key=lambda e: e.id):
            attrs = entity.attrs
            self.depots[entity.id] = Depot(
                entity,
                float(attrs.get(SALT, 0.0)),
                float(attrs.get(BRINE, 0.0)),
                float(attrs.get("capacityTonnes", 0.0)),
            )
        self.used: dict[tuple[str, str, int], float] = {}  # (depot, attribute, slot) -> used
        for track in tracks:
            gear = track.unit.snow
            if gear is None or gear.depot not in self.depots:
                continue
            for leg in track.legs:
                if leg.work is None or leg.t1 <= leg.t0:
                    continue
                key, amount = drawn(gear.material, gear.spread_rate, distance_m(*leg.a, *leg.b))
                self._spread(gear.depot, key, amount, leg.t0, leg.t1)
        self._walk()

    def _spread(self, depot: str, key: str, amount: float, t0: float, t1: float) -> None:
        """``amount`` used evenly from ``t0`` to ``t1``, into the slots it overlaps."""
        rate = amount / (t1 - t0)
        start, end = max(t0, self.period.t0), min(t1, self.period.t1)
        slot = math.floor(start / DEPOT_EVERY_S)
        while slot * DEPOT_EVERY_S < end:
            overlap = min(end, (slot + 1) * DEPOT_EVERY_S) - max(start, slot * DEPOT_EVERY_S)
            if overlap > 0:
                index = (depot, key, slot)
                self.used[index] = self.used.get(index, 0.0) + rate * overlap
            slot += 1

    def _walk(self) -> None:
        """Each depot every ``DEPOT_EVERY_S``: drawn from, refilled, reported when it changed."""
        heartbeat = HEARTBEAT_S[EquipmentType.SALT_STOCK]
        first = math.floor(self.period.t0 / DEPOT_EVERY_S) + 1
        last = math.floor(self.period.t1 / DEPOT_EVERY_S)
        for depot_id, depot in self.depots.items():
            reported = self.period.t0 - (sum(map(ord, depot_id)) % int(heartbeat))
            for slot in range(first, last + 1):
                ts = slot * DEPOT_EVERY_S
                salt = self.used.get((depot_id, SALT, slot - 1), 0.0)
                brine = self.used.get((depot_id, BRINE, slot - 1), 0.0)
                changed = salt > 0 or brine > 0
                depot.salt = max(0.0, depot.salt - salt)
                depot.brine = max(0.0, depot.brine - brine)
                if depot.salt < DEPOT_REFILL_BELOW * depot.capacity:
                    depot.salt += DEPOT_DELIVERY * depot.capacity
                    changed = True
                if changed or ts - reported >= heartbeat:
                    depot.salt, depot.brine = round(depot.salt, 1), round(depot.brine, 1)
                    depot.readings.append((ts, depot.salt, depot.brine))
                    reported = ts

    def settle(self) -> None:
        """The world's depots hold their stock at the month's end (for their ``equipment`` row)."""
        for depot in self.depots.values():
            depot.entity.attrs[SALT] = depot.salt
            depot.entity.attrs[BRINE] = depot.brine

    def write(self, sink: Sink, states: list[tuple[dict[str, Any], float]]) -> None:
        """Every reading, the depot's final state (``states``: the equipment's) the last one."""
        final = {p["id"]: (observed, p) for p, observed in states if p["id"] in self.depots}

        def rows():  # noqa: ANN202 - a generator of rows
            for depot_id, depot in self.depots.items():
                commune = depot.entity.commune
                end = final.get(depot_id)
                for ts, salt, brine in depot.readings:
                    if end is None or ts < end[0]:
                        yield depot_id, sink.time(ts), salt, brine, commune
                if end is not None:
                    observed, payload = end
                    salt, brine = payload.get(SALT), payload.get(BRINE)
                    yield depot_id, sink.time(observed), salt, brine, commune

        sink.write("salt_readings", SALT_COLUMNS, rows())
