"""The winter-service network as this console sees it treated, from the snow vehicles' positions.

The record keeps, with each position, whether the vehicle was treating (its ``work``, from the
field's ``plowDown`` and ``spreading``); the map feed reads the new treating positions from the
database every second and counts passes from the console's start, as it counts patrol coverage.
Fed by the map feed's worker thread; read from any thread.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from services.domain.snow import (
    CoverageGap,
    DepotTrend,
    Network,
    PassState,
    Segment,
    SnowReadings,
    SnowSituation,
    Treatment,
    coverage_gaps,
    last_passes,
    pass_state,
)

RECENT = timedelta(minutes=10)


class SnowWatch:
    def __init__(self, segments: list[Segment], started_at: datetime) -> None:
        self.segments = segments
        self.started_at = started_at
        self._passes: dict[str, datetime] = {}
        self._vehicles: dict[str, tuple[datetime, bool]] = {}  # unit -> (seen at, treating)
        self._lock = threading.Lock()

    def observe(self, unit: str, lat: float, lon: float, at: datetime, treating: bool) -> None:
        """A vehicle at a place: a pass over the segments there when it was treating."""
        with self._lock:
            self._hear(unit, at, treating)
            if treating:
                treatment = [Treatment(lat, lon, at, True)]
                self._passes = last_passes(self.segments, treatment, self._passes)

    def heard(self, unit: str, at: datetime, treating: bool) -> None:
        """A vehicle's newest position, counted among those heard (its passes come apart)."""
        with self._lock:
            self._hear(unit, at, treating)

    def _hear(self, unit: str, at: datetime, treating: bool) -> None:
        known = self._vehicles.get(unit)
        if known is None or at >= known[0]:  # a position read late never moves a vehicle back
            self._vehicles[unit] = (at, treating)

    def vehicles(self, now: datetime) -> tuple[int, int]:
        """(treating, heard from) among the snow vehicles seen in the last 10 minutes."""
        with self._lock:
            recent = [t for at, t in self._vehicles.values() if now - at <= RECENT]
        return sum(recent), len(recent)

    def states(self, now: datetime, since: datetime) -> dict[str, tuple[int | None, PassState]]:
        """Per segment: minutes since its last pass and its state, counted from ``since``."""
        begun = max(since, self.started_at)
        with self._lock:
            passes = dict(self._passes)
        return {s.id: pass_state(s, passes.get(s.id), now, begun) for s in self.segments}

    def gaps(self, now: datetime, since: datetime) -> list[CoverageGap]:
        with self._lock:
            passes = dict(self._passes)
        return coverage_gaps(self.segments, passes, now, max(since, self.started_at))

    def situation(
        self, readings: SnowReadings, trend: DepotTrend, since: datetime | None
    ) -> SnowSituation:
        """The operation at a glance: salt left at the rate of use, freeze risk, gaps.

        ``since``: when the snow level was raised above watch, from which passes count; None
        outside an operation (no segment is then late).
        """
        now = readings.at
        depots = tuple(
            (
                depot,
                trend.days_left(depot.id, "salt", depot.salt_tonnes, now),
                trend.days_left(depot.id, "brine", depot.brine_m3, now),
            )
            for depot in readings.depots
        )
        treating, heard = self.vehicles(now)
        return SnowSituation(
            treating=treating,
            heard=heard,
            principal=sum(s.network is Network.PRINCIPAL for s in self.segments),
            gaps=tuple(self.gaps(now, since)) if since is not None else (),
            stations=readings.stations,
            depots=depots,
        )
