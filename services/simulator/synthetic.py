"""The 207 synthetic communes of ten times Dijon, drawn into ``resources/synthetic-communes.csv``.

``vigie simulate --scale x10`` needs a métropole ten times Dijon's: the 23 real communes and 207
made-up ones around them. They are placed on a grid of squares of ``CELL_M`` metres centred on
Dijon's reference point: every square that meets no real commune's outline and comes no nearer
than ``CLEARANCE_M`` to a real reference point is a candidate, and the 207 nearest to Dijon are
taken, ring after ring, numbered outwards and clockwise from the north. Each is named as what it
is ("Commune fictive 001"), carries a code that no INSEE code can be (``ZS001``…: INSEE codes start
with a digit), no postal code, a population (drawn so that the 230 communes together hold ten
times the real métropole's), its reference point (the square's centre) and its outline (the
square itself, as ``south,west,north,east`` in degrees).

The file is reference data checked in with the code; this module rebuilds it, the same bytes
every time (a test compares them)::

    python -m services.simulator.synthetic > resources/synthetic-communes.csv
"""

from __future__ import annotations

import csv
import io
import math
import random
import sys

from services.domain.geography import EARTH_RADIUS_M, Commune, synthetic_code
from services.reference import real_communes

#: How many made-up communes ten times Dijon needs (230 in all, with the 23 real ones).
COUNT = 207
#: The side of a synthetic commune's square (metres): about the size of a real one (~10 km²).
CELL_M = 3_200.0
#: A square keeps this far from every real reference point, whose equipment lies within 1.5 km.
CLEARANCE_M = 1_700.0
#: Together, the 230 communes hold this many times the real métropole's population.
POPULATION_FACTOR = 10
#: The smallest and largest synthetic commune before scaling (drawn log-uniformly between).
POPULATION_RANGE = (300, 40_000)
SEED = "vigie-synthetic-communes:1"
FIELDS = (
    "insee",
    "name",
    "postal_code",
    "population",
    "lat",
    "lon",
    "south",
    "west",
    "north",
    "east",
)


def build(real: tuple[Commune, ...] | None = None) -> list[dict[str, str]]:
    """The synthetic communes' rows, in the order of their codes."""
    real = real if real is not None else real_communes()
    centre = next((c for c in real if c.insee == "21231"), real[0])
    lat0, lon0 = centre.lat, centre.lon
    dlat = math.degrees(CELL_M / EARTH_RADIUS_M)
    dlon = math.degrees(CELL_M / (EARTH_RADIUS_M * math.cos(math.radians(lat0))))
    cells: list[tuple[float, float, int, int]] = []
    reach = 12
    for i in range(-reach, reach + 1):
        for j in range(-reach, reach + 1):
            south, west = lat0 + (i - 0.5) * dlat, lon0 + (j - 0.5) * dlon
            north, east = south + dlat, west + dlon
            if _taken(real, south, west, north, east):
                continue
            distance = math.hypot(i, j)
            bearing = (math.degrees(math.atan2(j, i)) + 360.0) % 360.0
            cells.append((distance, bearing, i, j))
    cells.sort()
    if len(cells) < COUNT:
        raise ValueError(f"only {len(cells)} free squares within {reach} of Dijon")
    rng = random.Random(SEED)
    low, high = (math.log(p) for p in POPULATION_RANGE)
    drawn = [math.exp(rng.uniform(low, high)) for _ in range(COUNT)]
    wanted = (POPULATION_FACTOR - 1) * sum(c.population for c in real)
    scale = wanted / sum(drawn)
    populations = [max(100, round(p * scale)) for p in drawn]
    populations[0] += wanted - sum(populations)  # the total exactly, on the first one
    rows = []
    for n, ((_, _, i, j), population) in enumerate(
        zip(cells[:COUNT], populations, strict=True), start=1
    ):
        south, west = lat0 + (i - 0.5) * dlat, lon0 + (j - 0.5) * dlon
        rows.append(
            {
                "insee": synthetic_code(n),
                "name": f"Commune fictive {n:03d}",
                "postal_code": "",
                "population": str(population),
                "lat": f"{lat0 + i * dlat:.6f}",
                "lon": f"{lon0 + j * dlon:.6f}",
                "south": f"{south:.6f}",
                "west": f"{west:.6f}",
                "north": f"{south + dlat:.6f}",
                "east": f"{west + dlon:.6f}",
            }
        )
    return rows


def _taken(real: tuple[Commune, ...], south: float, west: float, north: float, east: float) -> bool:
    """Whether the square meets a real commune: its outline, or its equipment's disc."""
    middle = ((south + north) / 2, (west + east) / 2)
    for commune in real:
        outline = commune.outline
        if outline is not None and (
            outline.crosses_box(south, west, north, east) or outline.contains(*middle)
        ):
            return True
        # the square's nearest point to the reference point
        lat = min(max(commune.lat, south), north)
        lon = min(max(commune.lon, west), east)
        k = math.cos(math.radians(commune.lat))
        metres = EARTH_RADIUS_M * math.radians(
            math.hypot(lat - commune.lat, k * (lon - commune.lon))
        )
        if metres < CLEARANCE_M:
            return True
    return False


def to_csv(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


if __name__ == "__main__":
    sys.stdout.write(to_csv(build()))
