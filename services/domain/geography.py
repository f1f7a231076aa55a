"""Geography of the métropole: communes, their outlines, distances and the commune of a point.

A point belongs to the commune whose outline holds it; outside every outline (beyond the
métropole, or in a sliver the simplified outlines leave between neighbours) it falls back to the
nearest town-centre reference point. Pure functions over plain values; loading the reference
files is the services' job (``services.reference``), so this module never touches the disk.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

EARTH_RADIUS_M = 6_371_008.8
#: A synthetic commune's code (``vigie simulate --scale x10``): "ZS" and three digits. An INSEE
#: code is five characters that start with a digit (digits, or 2A/2B and three digits), so the
#: two can never meet, and both fit the record's five-character commune columns.
SYNTHETIC_CODE = re.compile(r"^ZS\d{3}$")
INSEE_CODE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
#: Farther than this from every commune's reference point, a place is outside the métropole.
OUTSIDE_RADIUS_M = 5_000.0


Ring = tuple[tuple[float, float], ...]
"""A closed line of (lon, lat) vertices, in GeoJSON's order."""
Edge = tuple[float, float, float, float]
"""(x0, y0, x1, y1): from a ring's vertex to the next, (lon, lat) as the ring's."""


@dataclass(frozen=True, slots=True)
class Outline:
    """A commune's boundary: its rings (the first the outer one, any others holes)."""

    rings: tuple[Ring, ...]
    #: (min lon, min lat, max lon, max lat): most points are ruled out by this alone.
    bbox: tuple[float, float, float, float]
    #: Every ring's edges, the closing one included.
    edges: tuple[Edge, ...] = field(default=(), compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.edges:  # built from its rings and box alone
            edges = tuple((*ring[i - 1], *ring[i]) for ring in self.rings for i in range(len(ring)))
            object.__setattr__(self, "edges", edges)

    @classmethod
    def of_rings(cls, rings: Sequence[Sequence[Sequence[float]]]) -> Outline:
        kept = tuple(tuple((float(p[0]), float(p[1])) for p in ring) for ring in rings if ring)
        if not kept or not kept[0]:
            raise ValueError("an outline needs at least one ring")
        lons = [p[0] for ring in kept for p in ring]
        lats = [p[1] for ring in kept for p in ring]
        return cls(kept, (min(lons), min(lats), max(lons), max(lats)))

    def contains(self, lat: float, lon: float) -> bool:
        """Whether the point is inside (even-odd rule: a hole's point is outside)."""
        return self.holds(lat, lon, self.edges)

    def holds(self, lat: float, lon: float, edges: Iterable[Edge]) -> bool:
        """``contains``, counting ``edges`` only.

        Its answer, if they include every edge whose latitudes span the point's: a ray to the
        east can cross no other.
        """
        west, south, east, north = self.bbox
        if not (west <= lon <= east and south <= lat <= north):
            return False
        inside = False
        for x0, y0, x1, y1 in edges:
            # a ray to the east crosses this edge
            if (y1 > lat) != (y0 > lat) and lon < x0 + (lat - y0) * (x1 - x0) / (y1 - y0):
                inside = not inside
        return inside

    def inner_point(self) -> tuple[float, float]:
        """(lat, lon) of a point well inside the outer ring, where its name can be written.

        The middle of the widest stretch of the ring's middle parallel: inside even where the
        centroid is not (a crescent-shaped commune).
        """
        west, south, east, north = self.bbox
        lat = (south + north) / 2
        crossings = []
        ring = self.rings[0]
        x0, y0 = ring[-1]
        for x1, y1 in ring:
            if (y1 > lat) != (y0 > lat):
                crossings.append(x0 + (lat - y0) * (x1 - x0) / (y1 - y0))
            x0, y0 = x1, y1
        crossings.sort()
        stretches = list(zip(crossings[::2], crossings[1::2], strict=False))
        if not stretches:
            return lat, (west + east) / 2
        a, b = max(stretches, key=lambda s: s[1] - s[0])
        return lat, (a + b) / 2

    def edges_in_box(
        self,
        south: float,
        west: float,
        north: float,
        east: float,
        edges: Iterable[Edge] | None = None,
    ) -> tuple[Edge, ...]:
        """The edges that meet the box, exactly (of ``edges``, when given: some of ours).

        Any edge that passes through it is among them, and none that only comes near (its
        bounding box meets the box, but the box's four corners lie strictly on one side of its
        line).
        """
        found = []
        for edge in self.edges if edges is None else edges:
            x0, y0, x1, y1 = edge
            if (
                min(x0, x1) <= east
                and max(x0, x1) >= west
                and min(y0, y1) <= north
                and max(y0, y1) >= south
            ):
                sides = {_side(*edge, x, y) for x in (west, east) for y in (south, north)}
                if sides != {1} and sides != {-1}:
                    found.append(edge)
        return tuple(found)

    def crosses_box(self, south: float, west: float, north: float, east: float) -> bool:
        """Whether an edge may pass through the box (its own bounding box meets it).

        Conservative: True for an edge that only comes near. A box no edge crosses is wholly
        inside or wholly outside, as any one of its points is.
        """
        return any(
            min(x0, x1) <= east
            and max(x0, x1) >= west
            and min(y0, y1) <= north
            and max(y0, y1) >= south
            for x0, y0, x1, y1 in self.edges
        )


#: A cross product of two vectors within a few cells this small puts a point within about a
#: micrometre of a line: too close for floating point to say which side (``_side``,
#: ``_crosses_odd``), so the outline itself is asked.
_TOUCHING = 1e-15


def _side(x0: float, y0: float, x1: float, y1: float, x: float, y: float) -> int:
    """Which side of the line through (x0, y0) and (x1, y1) the point (x, y) lies: 1 or -1.

    0 on the line, or too close to it to tell.
    """
    turn = (x1 - x0) * (y - y0) - (y1 - y0) * (x - x0)
    return (turn > _TOUCHING) - (turn < -_TOUCHING)


@dataclass(frozen=True, slots=True)
class Commune:
    insee: str
    name: str
    postal_code: str
    population: int
    lat: float
    lon: float
    #: Its boundary, when the reference data has one; not part of what a commune is equal to.
    outline: Outline | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a point falls.

    The commune whose outline holds it, else the one with the nearest reference point; how far
    that commune's reference point is; and whether the point is outside the métropole: in no
    outline and over ``OUTSIDE_RADIUS_M`` from every reference point (``commune`` is then
    still the nearest, for context).
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
    """The commune a point belongs to.

    The one whose outline holds it, else the nearest reference point's, flagged outside when
    over 5 km from it.
    """
    if not communes:
        raise ValueError("no commune to locate against")
    holder = _holder(lat, lon, communes)
    if holder is not None:
        return Placement(holder, distance_m(lat, lon, holder.lat, holder.lon), outside=False)
    return _by_reference(lat, lon, communes)


def _by_reference(lat: float, lon: float, communes: Sequence[Commune]) -> Placement:
    """The nearest reference point's commune, flagged outside when over 5 km from it."""
    best = _nearest(lat, lon, communes)
    dist = distance_m(lat, lon, best.lat, best.lon)
    return Placement(commune=best, distance_m=dist, outside=dist > OUTSIDE_RADIUS_M)


def _holder(lat: float, lon: float, communes: Sequence[Commune]) -> Commune | None:
    """The commune whose outline holds the point, or None.

    Of two (outlines simplified apart overlap a little along a shared border), the one with the
    nearer reference point.
    """
    holders = [c for c in communes if c.outline is not None and c.outline.contains(lat, lon)]
    if len(holders) > 1:
        return _nearest(lat, lon, holders)
    return holders[0] if holders else None


def _nearest(lat: float, lon: float, communes: Sequence[Commune]) -> Commune:
    # An equirectangular distance ranks neighbours correctly at a métropole's scale and costs a
    # fraction of a haversine; ``locate`` then measures the winner's distance properly. This
    # runs for every message the recorder decodes.
    k = math.cos(math.radians(lat)) ** 2
    return min(communes, key=lambda c: (c.lat - lat) ** 2 + k * (c.lon - lon) ** 2)


@dataclass(frozen=True, slots=True)
class _Crossed:
    """A cell that outlines' edges cross: which of them hold a point of it, from its middle.

    For each outline near the cell: whether the middle is inside it, and the few edges that
    pass through the cell. A point is inside where the middle is, unless an odd number of
    those edges cross the segment between them (the segment stays in the cell, so no other
    edge can): two or three edges tested, not an outline's hundred. A point on an edge, or a
    segment through a vertex, is left to the outline itself (``Outline.contains``).
    """

    lat: float
    lon: float
    near: tuple[tuple[Commune, bool, tuple[tuple[float, float, float, float], ...]], ...]

    def holder(self, lat: float, lon: float) -> Commune | None:
        holding = []
        for commune, middle_inside, edges in self.near:
            crossed = _crosses_odd(edges, self.lon, self.lat, lon, lat)
            if crossed is None:
                inside = commune.outline.contains(lat, lon)  # type: ignore[union-attr]
            else:
                inside = middle_inside is not crossed
            if inside:
                holding.append(commune)
        if len(holding) > 1:
            return _nearest(lat, lon, holding)
        return holding[0] if holding else None


def _crosses_odd(
    edges: Sequence[tuple[float, float, float, float]], ax: float, ay: float, bx: float, by: float
) -> bool | None:
    """Whether an odd number of ``edges`` cross the segment from a to b.

    None if one touches it, or comes too close to tell.
    """
    odd, near = False, _TOUCHING
    dx, dy = bx - ax, by - ay
    for x0, y0, x1, y1 in edges:
        d0 = dx * (y0 - ay) - dy * (x0 - ax)
        d1 = dx * (y1 - ay) - dy * (x1 - ax)
        if (d0 > near and d1 > near) or (d0 < -near and d1 < -near):
            continue  # the edge lies on one side of the segment's line
        if abs(d0) <= near or abs(d1) <= near:
            return None  # an end of the edge on the segment's line
        ex, ey = x1 - x0, y1 - y0
        da = ex * (ay - y0) - ey * (ax - x0)
        db = ex * (by - y0) - ey * (bx - x0)
        if (da > near and db > near) or (da < -near and db < -near):
            continue  # the segment lies on one side of the edge's line
        if abs(da) <= near or abs(db) <= near:
            return None  # an end of the segment on the edge's line
        odd = not odd
    return odd


class CommuneIndex:
    """``locate`` for many points: the same answers, testing one or two outlines, not 23.

    The plane is cut into cells of ``CELL_DEG``. A cell remembers the outlines that may hold
    some point of it (their bounding box meets it), and whether one of them holds all of it: a
    cell no outline's edge passes through is wholly inside one commune (most of the métropole,
    answered at once) or wholly outside them all; in a cell edges cross, a point is placed
    from the cell's middle by the two or three edges that cross it (``_Crossed``). For the
    fallback, a cell also remembers the communes whose reference point can be nearest to some
    point inside it (those within the best distance from its centre plus the cell's diagonal,
    with room to spare for the metric's change across a cell). The recorder places every state
    it decodes: 34,000 at a cold start, 340,000 at ten times Dijon.
    """

    CELL_DEG = 0.004
    #: Caches stop growing here: points far outside would grow them without end.
    MAX_CELLS = 100_000

    def __init__(self, communes: Sequence[Commune]) -> None:
        if not communes:
            raise ValueError("no commune to locate against")
        self.communes = tuple(communes)
        self._outlined = tuple(c for c in self.communes if c.outline is not None)
        self._cells: dict[tuple[int, int], tuple[Commune, ...]] = {}
        self._settled: dict[tuple[int, int], Commune | tuple[Commune, ...] | bool] = {}
        # per cell: the one commune holding all of it, or those whose outline may hold a point
        self._holders: dict[tuple[int, int], Commune | tuple[Commune, ...] | _Crossed] = {}
        # per outlined commune, its edges by row of cells: a cell tests the few edges of its row
        self._rows: dict[str, dict[int, list[Edge]]] = {}

    def _cell(self, lat: float, lon: float) -> tuple[int, int]:
        return (math.floor(lat / self.CELL_DEG), math.floor(lon / self.CELL_DEG))

    def _box(self, cell: tuple[int, int]) -> tuple[float, float, float, float]:
        """(south, west, north, east) of a cell."""
        south, west = cell[0] * self.CELL_DEG, cell[1] * self.CELL_DEG
        return south, west, south + self.CELL_DEG, west + self.CELL_DEG

    def _possible_holders(self, cell: tuple[int, int]) -> Commune | tuple[Commune, ...] | _Crossed:
        found = self._holders.get(cell)
        if found is not None:
            return found
        south, west, north, east = self._box(cell)
        near = []
        for c in self._outlined:
            o_west, o_south, o_east, o_north = c.outline.bbox  # type: ignore[union-attr]
            if o_west <= east and o_east >= west and o_south <= north and o_north >= south:
                near.append(c)
        middle = ((south + north) / 2, (west + east) / 2)
        crossing, inside = [], []
        for c in near:
            edges = self._edges_by_row(c).get(cell[0], ())
            crossing.append(c.outline.edges_in_box(south, west, north, east, edges))  # type: ignore[union-attr]
            inside.append(c.outline.holds(*middle, edges))  # type: ignore[union-attr]
        answer: Commune | tuple[Commune, ...] | _Crossed
        if not any(crossing):
            # no edge in the cell: each outline holds all of it or none of it, as its middle
            holding = tuple(c for c, held in zip(near, inside, strict=True) if held)
            answer = holding[0] if len(holding) == 1 else holding
        elif any(_side(*edge, middle[1], middle[0]) == 0 for edges in crossing for edge in edges):
            answer = tuple(near)  # the middle is on an edge's line: each point asks the outlines
        else:
            answer = _Crossed(*middle, tuple(zip(near, inside, crossing, strict=True)))
        if len(self._holders) < self.MAX_CELLS:
            self._holders[cell] = answer
        return answer

    def _edges_by_row(self, commune: Commune) -> dict[int, list[Edge]]:
        """The commune's edges by the rows of cells their latitudes meet, and one either side.

        The row either side is room for rounding at a row's border: a superset of the edges
        that meet a cell of the row, or that a ray to the east from a point in it can cross.
        """
        rows = self._rows.get(commune.insee)
        if rows is None:
            rows = {}
            for edge in commune.outline.edges:  # type: ignore[union-attr]
                low, high = min(edge[1], edge[3]), max(edge[1], edge[3])
                for row in range(
                    math.floor(low / self.CELL_DEG) - 1, math.floor(high / self.CELL_DEG) + 2
                ):
                    rows.setdefault(row, []).append(edge)
            self._rows[commune.insee] = rows  # whole, or another thread could see it half-built
        return rows

    def _holder(self, lat: float, lon: float) -> Commune | None:
        holders = self._possible_holders(self._cell(lat, lon))
        if isinstance(holders, Commune):
            return holders
        if isinstance(holders, _Crossed):
            return holders.holder(lat, lon)
        return _holder(lat, lon, holders) if holders else None

    def _candidates(self, lat: float, lon: float) -> tuple[Commune, ...]:
        cell = self._cell(lat, lon)
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
            if len(self._cells) < self.MAX_CELLS:
                self._cells[cell] = found
        return found

    def locate(self, lat: float, lon: float) -> Placement:
        if not math.isfinite(lat) or not math.isfinite(lon):
            return locate(lat, lon, self.communes)
        holder = self._holder(lat, lon)
        if holder is not None:
            return Placement(holder, distance_m(lat, lon, holder.lat, holder.lon), outside=False)
        # in no outline: the nearest reference point, among those that can be nearest here
        return _by_reference(lat, lon, self._candidates(lat, lon))

    def commune_of(self, lat: float, lon: float) -> tuple[Commune, bool]:
        """(commune, outside) as ``locate`` says, without measuring when the cell settles it.

        A point in an outline is answered by it. Otherwise, a cell whose every corner lies well
        within ``OUTSIDE_RADIUS_M`` of one of its candidates is inside the métropole throughout:
        its one candidate answers at once, or the nearest of its few, unmeasured.
        """
        if math.isfinite(lat) and math.isfinite(lon):
            holder = self._holder(lat, lon)
            if holder is not None:
                return holder, False
            cell = self._cell(lat, lon)
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
        lat0, lon0, _, _ = self._box(cell)
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
        if len(self._settled) < self.MAX_CELLS:
            self._settled[cell] = answer
        return answer


def synthetic_code(n: int) -> str:
    """The code of the ``n``-th synthetic commune (1 to 999): ``ZS001``, ``ZS002``…."""
    if not 1 <= n <= 999:
        raise ValueError(f"no synthetic commune {n}")
    return f"ZS{n:03d}"


def is_synthetic(code: str | None) -> bool:
    """Whether ``code`` names a synthetic commune (never a real one's INSEE code)."""
    return code is not None and SYNTHETIC_CODE.match(code) is not None


def by_insee(communes: Iterable[Commune]) -> dict[str, Commune]:
    return {c.insee: c for c in communes}


def parse_communes_csv(text: str) -> list[Commune]:
    """Read the reference table (``insee,name,postal_code,population,lat,lon``).

    A table that also gives ``south,west,north,east`` (the synthetic communes') gives each
    commune that rectangle as its outline.
    """
    rows = csv.DictReader(io.StringIO(text))
    return [
        Commune(
            insee=row["insee"].strip(),
            name=row["name"].strip(),
            postal_code=row["postal_code"].strip(),
            population=int(row["population"]),
            lat=float(row["lat"]),
            lon=float(row["lon"]),
            outline=_rectangle(row),
        )
        for row in rows
    ]


def _rectangle(row: Mapping[str, str | None]) -> Outline | None:
    sides = [row.get(k) for k in ("south", "west", "north", "east")]
    if not all(sides):
        return None
    south, west, north, east = (float(s) for s in sides)  # type: ignore[arg-type]
    return Outline.of_rings([[(west, south), (east, south), (east, north), (west, north)]])


def parse_outlines_geojson(text: str) -> dict[str, Outline]:
    """Each commune's outline by INSEE code.

    From a FeatureCollection of Polygons or MultiPolygons whose properties name the ``insee``
    code (as IGN's Admin Express does).
    """
    outlines: dict[str, Outline] = {}
    for feature in json.loads(text).get("features", []):
        insee = str((feature.get("properties") or {}).get("insee", "")).strip()
        geometry = feature.get("geometry") or {}
        if geometry.get("type") == "Polygon":
            rings = geometry["coordinates"]
        elif geometry.get("type") == "MultiPolygon":  # an enclave's pieces: all rings, even-odd
            rings = [ring for polygon in geometry["coordinates"] for ring in polygon]
        else:
            continue
        if insee and rings:
            outlines[insee] = Outline.of_rings(rings)
    return outlines


def with_outlines(communes: Iterable[Commune], outlines: Mapping[str, Outline]) -> list[Commune]:
    """The communes, each with its outline (a commune the outlines miss keeps its own, or none)."""
    return [replace(c, outline=outlines.get(c.insee, c.outline)) for c in communes]
