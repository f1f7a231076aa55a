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
    # An equirectangular distance ranks neighbours correctly at a métropole's scale and costs a
    # fraction of a haversine; the winner's distance is then measured properly. This runs for
    # every message the recorder decodes.
    k = math.cos(math.radians(lat)) ** 2
    best = min(communes, key=lambda c: (c.lat - lat) ** 2 + k * (c.lon - lon) ** 2)
    dist = distance_m(lat, lon, best.lat, best.lon)
    return Placement(commune=best, distance_m=dist, outside=dist > OUTSIDE_RADIUS_M)


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
