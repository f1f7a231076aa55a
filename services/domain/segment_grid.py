"""The winter-service network in a coarse grid: which segments a position may be near.

A recorder checks every treating position of every snow vehicle against the network. Checked
against every segment, that is hundreds of distances a point; in the grid, only the segments
whose box (grown by the radius) touches the point's cell are measured: a handful. Cells are
square in metres on a flat projection around the network's middle (at a city's scale the
difference with the globe is far under the margin the boxes are grown by). Plain Python.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from services.domain.geography import EARTH_RADIUS_M
from services.domain.snow import PASS_RADIUS_M, Segment, distance_to_segment_m

#: A cell's side: a few streets. Segments are a few hundred metres long, so one lands in a few.
CELL_M = 500.0
_M_PER_DEGREE = math.pi * EARTH_RADIUS_M / 180


class SegmentGrid:
    def __init__(
        self, segments: Sequence[Segment], radius_m: float = PASS_RADIUS_M, cell_m: float = CELL_M
    ) -> None:
        self.segments = tuple(segments)
        self.radius_m = radius_m
        self.cell_m = cell_m
        lats = [lat for s in self.segments for lat, _ in s.points] or [0.0]
        self._cos = math.cos(math.radians((min(lats) + max(lats)) / 2))
        self._cells: dict[tuple[int, int], list[Segment]] = {}
        # Grown by the radius and a tenth more: the flat projection's error, and rounding.
        margin = radius_m * 1.1
        for segment in self.segments:
            xs, ys = zip(*(self._xy(lat, lon) for lat, lon in segment.points), strict=True)
            for cx in range(self._cell(min(xs) - margin), self._cell(max(xs) + margin) + 1):
                for cy in range(self._cell(min(ys) - margin), self._cell(max(ys) + margin) + 1):
                    self._cells.setdefault((cx, cy), []).append(segment)

    def _xy(self, lat: float, lon: float) -> tuple[float, float]:
        return lon * _M_PER_DEGREE * self._cos, lat * _M_PER_DEGREE

    def _cell(self, metres: float) -> int:
        return math.floor(metres / self.cell_m)

    def near(self, lat: float, lon: float) -> list[Segment]:
        """The segments within the radius of the point, in the network's order."""
        x, y = self._xy(lat, lon)
        candidates = self._cells.get((self._cell(x), self._cell(y)), ())
        return [s for s in candidates if distance_to_segment_m(lat, lon, s) <= self.radius_m]
