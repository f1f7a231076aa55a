"""Geography of the métropole: communes, distances and the commune of a point.

Pure functions over plain values; loading the reference file is the services' job
(``services.reference``), so this module never touches the disk.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

EARTH_RADIUS_M = 6_371_008.8
#: Farther than this from every commune's reference point, a place is outside the métropole.
OUTSIDE_RADIUS_M = 5_000.0


@dataclass(frozen=True, slots=True)
class Commune:
    insee: str
    name: str
    postal_code: str
    population: int
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a point falls.

    Its nearest commune, how far that commune's reference point is, and whether the point is
    outside the métropole (``commune`` is then still the nearest, for context).
    """

    commune: Commune
    distance_m: float
    outside: bool


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine; metre-accurate at a city's scale)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def valid_coordinates(lat: float, lon: float) -> bool:
    return (
        math.isfinite(lat)
        and math.isfinite(lon)
        and -90.0 <= lat <= 90.0
        and -180.0 <= lon <= 180.0
    )


def locate(lat: float, lon: float, communes: Sequence[Commune]) -> Placement:
    """The commune a point belongs to: the nearest reference point, flagged when over 5 km."""
    if not communes:
        raise ValueError("no commune to locate against")
    best = _nearest(lat, lon, communes)
    dist = distance_m(lat, lon, best.lat, best.lon)
    return Placement(commune=best, distance_m=dist, outside=dist > OUTSIDE_RADIUS_M)


def _nearest(lat: float, lon: float, communes: Sequence[Commune]) -> Commune:
    # An equirectangular distance ranks neighbours correctly at a métropole's scale and costs a
    # fraction of a haversine; ``locate`` then measures the winner's distance properly. This
    # runs for every message the recorder decodes.
    k = math.cos(math.radians(lat)) ** 2
    return min(communes, key=lambda c: (c.lat - lat) ** 2 + k * (c.lon - lon) ** 2)


class CommuneIndex:
    """``locate`` for many points: the same answers, ranking two or three communes, not all.

    The plane is cut into cells of ``CELL_DEG``; a cell remembers the communes that can be
    nearest to some point inside it (those within the best distance from its centre plus the
    cell's diagonal, with room to spare for the metric's change across a cell). The recorder
    places every state it decodes: 34,000 at a cold start.
    """

    CELL_DEG = 0.004

    def __init__(self, communes: Sequence[Commune]) -> None:
        if not communes:
            raise ValueError("no commune to locate against")
        self.communes = tuple(communes)
        self._cells: dict[tuple[int, int], tuple[Commune, ...]] = {}
        self._settled: dict[tuple[int, int], Commune | tuple[Commune, ...] | bool] = {}

    def _candidates(self, lat: float, lon: float) -> tuple[Commune, ...]:
        cell = (math.floor(lat / self.CELL_DEG), math.floor(lon / self.CELL_DEG))
        found = self._cells.get(cell)
        if found is None:
            c_lat, c_lon = (cell[0] + 0.5) * self.CELL_DEG, (cell[1] + 0.5) * self.CELL_DEG
            k = math.cos(math.radians(c_lat)) ** 2
            far = [
                math.sqrt((c.lat - c_lat) ** 2 + k * (c.lon - c_lon) ** 2) for c in self.communes
            ]
            half_diagonal = self.CELL_DEG / 2 * math.sqrt(1 + k)
            reach = min(far) + 2.2 * half_diagonal  # twice it, and room for k across the cell
            found = tuple(c for c, d in zip(self.communes, far, strict=True) if d <= reach)
            if len(self._cells) < 100_000:  # points far outside would grow it without end
                self._cells[cell] = found
        return found

    def locate(self, lat: float, lon: float) -> Placement:
        if not math.isfinite(lat) or not math.isfinite(lon):
            return locate(lat, lon, self.communes)
        return locate(lat, lon, self._candidates(lat, lon))

    def commune_of(self, lat: float, lon: float) -> tuple[Commune, bool]:
        """(commune, outside) as ``locate`` says, without measuring when the cell settles it.

        A cell whose every corner lies well within ``OUTSIDE_RADIUS_M`` of one of its candidates
        is inside the métropole throughout: its one candidate answers at once (most of the
        métropole), or the nearest of its few, unmeasured.
        """
        if math.isfinite(lat) and math.isfinite(lon):
            cell = (math.floor(lat / self.CELL_DEG), math.floor(lon / self.CELL_DEG))
            settled = self._settled.get(cell)
            if settled is None:
                settled = self._settle(cell)
            if isinstance(settled, Commune):
                return settled, False
            if settled:
                return _nearest(lat, lon, settled), False
        placement = self.locate(lat, lon)
        return placement.commune, placement.outside

    def _settle(self, cell: tuple[int, int]) -> Commune | tuple[Commune, ...] | bool:
        lat0, lon0 = cell[0] * self.CELL_DEG, cell[1] * self.CELL_DEG
        candidates = self._candidates(lat0 + self.CELL_DEG / 2, lon0 + self.CELL_DEG / 2)
        corners = [
            (lat0 + i * self.CELL_DEG, lon0 + j * self.CELL_DEG) for i in (0, 1) for j in (0, 1)
        ]
        # The distance to a point is convex over the cell, so its corners bound it; and the
        # nearest commune is never farther than any one candidate.
        inside = any(
            all(distance_m(a, b, c.lat, c.lon) < OUTSIDE_RADIUS_M * 0.95 for a, b in corners)
            for c in candidates
        )
        answer: Commune | tuple[Commune, ...] | bool = False
        if inside:
            answer = candidates[0] if len(candidates) == 1 else candidates
        if len(self._settled) < 100_000:
            self._settled[cell] = answer
        return answer


def by_insee(communes: Iterable[Commune]) -> dict[str, Commune]:
    return {c.insee: c for c in communes}


def parse_communes_csv(text: str) -> list[Commune]:
    """Read the reference table (``insee,name,postal_code,population,lat,lon``)."""
    rows = csv.DictReader(io.StringIO(text))
    return [
        Commune(
            insee=row["insee"].strip(),
            name=row["name"].strip(),
            postal_code=row["postal_code"].strip(),
            population=int(row["population"]),
            lat=float(row["lat"]),
            lon=float(row["lon"]),
        )
        for row in rows
    ]
