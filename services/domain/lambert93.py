"""Lambert-93 (EPSG:2154), France's official projection, and the open data's 250 m grid.

The IGN's Lambert conformal conic on the GRS80 ellipsoid: secant parallels 44° N and 49° N,
origin 3° E 46.5° N, false easting 700 000 m, false northing 6 600 000 m (IGN notes NTG_71 and
the formulas of ALG0054 / ALG0055 / ALG0056). Written out with ``math`` so that the domain stays
plain Python (no PROJ): the tests check it against pyproj to the centimetre.

RGF93 (Lambert-93's datum) is taken as WGS84, as EPSG's own RGF93 → WGS84 transformation does
(a null one): the two frames differ by well under a metre in France, nothing at a 250 m grid.
"""

from __future__ import annotations

import math

# GRS80
_A = 6_378_137.0
_F = 1 / 298.257222101
_E = math.sqrt(_F * (2 - _F))

_PHI1 = math.radians(44.0)
_PHI2 = math.radians(49.0)
_PHI0 = math.radians(46.5)
_LAMBDA0 = math.radians(3.0)
_X0 = 700_000.0
_Y0 = 6_600_000.0

#: The open data's grid: cells of this many metres, a town block rather than a doorstep.
GRID_M = 250


def _m(phi: float) -> float:
    sin = math.sin(phi)
    return math.cos(phi) / math.sqrt(1 - (_E * sin) ** 2)


def _t(phi: float) -> float:
    """The isometric latitude's exponential form (Snyder's t)."""
    sin = math.sin(phi)
    return math.tan(math.pi / 4 - phi / 2) / ((1 - _E * sin) / (1 + _E * sin)) ** (_E / 2)


_N = (math.log(_m(_PHI1)) - math.log(_m(_PHI2))) / (math.log(_t(_PHI1)) - math.log(_t(_PHI2)))
_AF = _A * _m(_PHI1) / (_N * _t(_PHI1) ** _N)
_RHO0 = _AF * _t(_PHI0) ** _N


def to_lambert93(lat: float, lon: float) -> tuple[float, float]:
    """(x, y) in metres, Lambert-93, of a WGS84 point (degrees)."""
    rho = _AF * _t(math.radians(lat)) ** _N
    theta = _N * (math.radians(lon) - _LAMBDA0)
    return _X0 + rho * math.sin(theta), _Y0 + _RHO0 - rho * math.cos(theta)


def from_lambert93(x: float, y: float) -> tuple[float, float]:
    """(lat, lon) in degrees, WGS84, of a Lambert-93 point (metres)."""
    dx, dy = x - _X0, _RHO0 - (y - _Y0)
    rho = math.copysign(math.hypot(dx, dy), _N)
    t = (rho / _AF) ** (1 / _N)
    lon = math.atan2(dx, dy) / _N + _LAMBDA0
    # The latitude has no closed form on the ellipsoid: a fixed point, converging to 1e-12 rad
    # (a few micrometres) in five or six rounds anywhere in France.
    phi = math.pi / 2 - 2 * math.atan(t)
    for _ in range(20):
        sin = math.sin(phi)
        nxt = math.pi / 2 - 2 * math.atan(t * ((1 - _E * sin) / (1 + _E * sin)) ** (_E / 2))
        if abs(nxt - phi) < 1e-12:
            phi = nxt
            break
        phi = nxt
    return math.degrees(phi), math.degrees(lon)


def cell_of(lat: float, lon: float, size: int = GRID_M) -> tuple[int, int]:
    """South-west corner (Lambert-93, multiples of ``size``) of the grid cell holding a point."""
    x, y = to_lambert93(lat, lon)
    return math.floor(x / size) * size, math.floor(y / size) * size


def cell_polygon_wgs84(x0: int, y0: int, size: int = GRID_M) -> list[tuple[float, float]]:
    """The cell's outline as a closed GeoJSON ring of (lon, lat), counter-clockwise.

    WGS84 because RFC 7946 allows no other coordinates. Its four corners joined by straight
    lines: the cell's true edges bend away from them by about a millimetre over 250 m (measured
    at Dijon), far below any map's pixel.
    """
    corners = ((x0, y0), (x0 + size, y0), (x0 + size, y0 + size), (x0, y0 + size), (x0, y0))
    ring = []
    for x, y in corners:
        lat, lon = from_lambert93(x, y)
        ring.append((lon, lat))
    return ring
