"""Small geometry for a city's scale: offsets in metres, random points, bearings, steps.

Flat-earth approximations around a point, accurate to well under a metre over a few kilometres,
which is all the simulator needs to place equipment and move vehicles.
"""

from __future__ import annotations

import math
import random

from services.domain.geography import EARTH_RADIUS_M, distance_m

__all__ = ["bearing_deg", "distance_m", "offset", "random_in_disc", "step_towards"]


def offset(lat: float, lon: float, north_m: float, east_m: float) -> tuple[float, float]:
    """The point ``north_m`` metres north and ``east_m`` metres east of (lat, lon)."""
    dlat = math.degrees(north_m / EARTH_RADIUS_M)
    dlon = math.degrees(east_m / (EARTH_RADIUS_M * math.cos(math.radians(lat))))
    return lat + dlat, lon + dlon


def random_in_disc(
    rng: random.Random, lat: float, lon: float, radius_m: float
) -> tuple[float, float]:
    """A point drawn uniformly in the disc of ``radius_m`` around (lat, lon)."""
    r = radius_m * math.sqrt(rng.random())
    theta = rng.uniform(0.0, 2.0 * math.pi)
    return offset(lat, lon, r * math.cos(theta), r * math.sin(theta))


def bearing_deg(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Initial bearing from the first point to the second, degrees clockwise from north."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dlmb = math.radians(lon2 - lon1)
    x = math.sin(dlmb) * math.cos(phi2)
    y = math.cos(phi1) * math.sin(phi2) - math.sin(phi1) * math.cos(phi2) * math.cos(dlmb)
    return (math.degrees(math.atan2(x, y)) + 360.0) % 360.0


def step_towards(
    lat: float, lon: float, to_lat: float, to_lon: float, metres: float
) -> tuple[float, float, float, bool]:
    """Move up to ``metres`` towards a point: (lat, lon, bearing, arrived)."""
    remaining = distance_m(lat, lon, to_lat, to_lon)
    bearing = bearing_deg(lat, lon, to_lat, to_lon) if remaining > 0 else 0.0
    if metres >= remaining:
        return to_lat, to_lon, bearing, True
    b = math.radians(bearing)
    new_lat, new_lon = offset(lat, lon, metres * math.cos(b), metres * math.sin(b))
    return new_lat, new_lon, bearing, False
