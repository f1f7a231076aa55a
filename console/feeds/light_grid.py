"""Healthy street lights grouped per grid cell off the GUI thread, for a map at ten times Dijon.

At 340,000 lights the page is not sent every light: the map feed's lane keeps this grid and
sends the page, for the part of the map in view, one weighted point per cluster (its lights'
middle, their count and mean level) below the street zoom, and the lights themselves from it.
Lights that need action (fault, silent, link lost, dark at night when they should be lit) are
not in the grid: the page always draws them one by one.

The cells are the page's own (``resources/map/vigie_map.js``: ``CELL_PX`` squares of Leaflet's
projected plane at the zoom in view), so the page's clustering of these points gives the same
clusters. A cell at zoom ``z`` is a power-of-two group of cells at zoom 17, so each light's cell
is computed once and shifted for any zoom; the lights are kept in buckets of zoom-14 cells, whose
sums are kept up to date, so that a zoomed-out view adds up a few thousand buckets.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from console.feeds.base import sharing_the_gil

#: The page's cell, in screen pixels, and the zoom from which it draws healthy lights one by one.
CELL_PX = 56
SINGLE_FROM = 17
BUCKET_ZOOM = 14
_SHIFT = SINGLE_FROM - BUCKET_ZOOM
_MAX_LAT = 85.0511287798


def cell17(lat: float, lon: float) -> tuple[int, int]:
    """The page's cell of a point at zoom 17 (Leaflet's spherical Mercator, 256 px tiles)."""
    scale = 256 * 2**SINGLE_FROM
    x = scale * (lon + 180.0) / 360.0
    phi = math.radians(max(-_MAX_LAT, min(_MAX_LAT, lat)))
    y = scale * (0.5 - math.log(math.tan(math.pi / 4 + phi / 2)) / (2 * math.pi))
    return int(x // CELL_PX), int(y // CELL_PX)


@dataclass(slots=True)
class _Light:
    lat: float
    lon: float
    cell: tuple[int, int]
    level: float | None
    healthy: bool


@dataclass(slots=True)
class _Bucket:
    members: set[str] = field(default_factory=set)
    sums: list[float] | None = None  # n, lat, lon, level, levels known (None: add up again)


@dataclass(frozen=True)
class View:
    """What the page shows: its zoom and bounds (south, west, north, east)."""

    zoom: float
    south: float
    west: float
    north: float
    east: float

    def padded(self) -> View:
        """Half a view more on every side: a small pan needs nothing new."""
        dlat, dlon = (self.north - self.south) / 2, (self.east - self.west) / 2
        return View(
            self.zoom, self.south - dlat, self.west - dlon, self.north + dlat, self.east + dlon
        )


class LightGrid:
    def __init__(self) -> None:
        self._lights: dict[str, _Light] = {}
        self._buckets: dict[tuple[int, int], _Bucket] = {}

    def __len__(self) -> int:
        return len(self._lights)

    def put(self, ident: str, lat: float, lon: float, level: float | None, healthy: bool) -> bool:
        """A light's place, level and whether it is healthy; True when the grid changed."""
        light = self._lights.get(ident)
        if light is not None and (light.lat, light.lon) == (lat, lon):
            if light.level == level and light.healthy == healthy:
                return False
            light.level, light.healthy = level, healthy
            self._touch(light.cell)
            return True
        if light is not None:
            self._drop(ident, light)
        cell = cell17(lat, lon)
        self._lights[ident] = _Light(lat, lon, cell, level, healthy)
        key = (cell[0] >> _SHIFT, cell[1] >> _SHIFT)
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket()
        bucket.members.add(ident)
        bucket.sums = None
        return True

    def remove(self, ident: str) -> None:
        light = self._lights.pop(ident, None)
        if light is not None:
            self._drop(ident, light)

    def clear(self) -> None:
        self._lights.clear()
        self._buckets.clear()

    def _drop(self, ident: str, light: _Light) -> None:
        key = (light.cell[0] >> _SHIFT, light.cell[1] >> _SHIFT)
        bucket = self._buckets.get(key)
        if bucket is not None:
            bucket.members.discard(ident)
            bucket.sums = None

    def _touch(self, cell: tuple[int, int]) -> None:
        bucket = self._buckets.get((cell[0] >> _SHIFT, cell[1] >> _SHIFT))
        if bucket is not None:
            bucket.sums = None

    def _sums(self, bucket: _Bucket) -> list[float]:
        if bucket.sums is None:
            sums = [0.0, 0.0, 0.0, 0.0, 0.0]
            for ident in bucket.members:
                light = self._lights[ident]
                if not light.healthy:
                    continue
                sums[0] += 1
                sums[1] += light.lat
                sums[2] += light.lon
                if light.level is not None:
                    sums[3] += light.level
                    sums[4] += 1
            bucket.sums = sums
        return bucket.sums

    def payload(self, view: View) -> dict:
        """What the page draws of the healthy lights in (and around) ``view``.

        Below the street zoom ``{"zoom", "cells": [[lat, lon, count, mean level or None]]}``;
        from it ``{"zoom", "singles": [[id, lat, lon, level or None]]}``.
        """
        zoom = int(view.zoom)
        around = view.padded()
        if zoom >= SINGLE_FROM:
            singles = []
            for light_id, light in self._in(around):
                singles.append([light_id, light.lat, light.lon, _rounded(light.level)])
            return {"zoom": zoom, "singles": singles}
        cells: dict[tuple[int, int], list[float]] = {}
        if zoom <= BUCKET_ZOOM:
            shift = BUCKET_ZOOM - zoom
            for (bx, by), bucket in self._buckets.items():
                sums = self._sums(bucket)
                if not sums[0]:
                    continue
                lat, lon = sums[1] / sums[0], sums[2] / sums[0]
                if not (around.south <= lat <= around.north and around.west <= lon <= around.east):
                    continue
                _add(cells, (bx >> shift, by >> shift), sums)
        else:
            shift = SINGLE_FROM - zoom
            for _ident, light in sharing_the_gil(self._in(around), 5000):
                _add(
                    cells,
                    (light.cell[0] >> shift, light.cell[1] >> shift),
                    [1, light.lat, light.lon, light.level or 0.0, light.level is not None],
                )
        return {
            "zoom": zoom,
            "cells": [
                [s[1] / s[0], s[2] / s[0], int(s[0]), _rounded(s[3] / s[4]) if s[4] else None]
                for s in cells.values()
            ],
        }

    def _in(self, view: View):  # noqa: ANN202 - a generator of (id, _Light)
        """The healthy lights inside ``view``, found through the buckets that cover it."""
        (west, north), (east, south) = cell17(view.north, view.west), cell17(view.south, view.east)
        bx0, by0, bx1, by1 = west >> _SHIFT, north >> _SHIFT, east >> _SHIFT, south >> _SHIFT
        for key, bucket in self._buckets.items():
            if not (bx0 <= key[0] <= bx1 and by0 <= key[1] <= by1):
                continue
            for ident in bucket.members:
                light = self._lights[ident]
                if light.healthy:
                    yield ident, light


def _add(cells: dict[tuple[int, int], list[float]], key: tuple[int, int], sums: list) -> None:
    cell = cells.get(key)
    if cell is None:
        cells[key] = [float(v) for v in sums]
    else:
        for i in range(5):
            cell[i] += sums[i]


def _rounded(level: float | None) -> float | None:
    return None if level is None or not math.isfinite(level) else round(level, 3)
