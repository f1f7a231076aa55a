"""Sunrise and sunset where the city is: the approximate solar-position formulas NOAA publishes.

Good to a minute or two at Dijon's latitude, which is all a rule such as "lights switched off in a
whole commune between sunset and sunrise" needs.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta

# The sun's centre 0.833° below the horizon: refraction and the sun's radius.
_ZENITH = math.radians(90.833)


def _sun_times(day: date, lat: float, lon: float) -> tuple[datetime, datetime] | None:
    """Sunrise and sunset (UTC) on ``day``; None in a polar day or night."""
    n = day.timetuple().tm_yday
    gamma = 2 * math.pi / 365 * (n - 1)
    eqtime = 229.18 * (
        0.000075
        + 0.001868 * math.cos(gamma)
        - 0.032077 * math.sin(gamma)
        - 0.014615 * math.cos(2 * gamma)
        - 0.040849 * math.sin(2 * gamma)
    )
    decl = (
        0.006918
        - 0.399912 * math.cos(gamma)
        + 0.070257 * math.sin(gamma)
        - 0.006758 * math.cos(2 * gamma)
        + 0.000907 * math.sin(2 * gamma)
        - 0.002697 * math.cos(3 * gamma)
        + 0.00148 * math.sin(3 * gamma)
    )
    phi = math.radians(lat)
    cos_ha = math.cos(_ZENITH) / (math.cos(phi) * math.cos(decl)) - math.tan(phi) * math.tan(decl)
    if not -1 <= cos_ha <= 1:
        return None
    ha = math.degrees(math.acos(cos_ha))
    midnight = datetime(day.year, day.month, day.day, tzinfo=UTC)
    rise = 720 - 4 * (lon + ha) - eqtime
    set_ = 720 - 4 * (lon - ha) - eqtime
    return midnight + timedelta(minutes=rise), midnight + timedelta(minutes=set_)


def is_night(at: datetime, lat: float, lon: float) -> bool:
    """Whether ``at`` falls between sunset and sunrise at (lat, lon)."""
    times = _sun_times(at.astimezone(UTC).date(), lat, lon)
    if times is None:  # polar: night when the sun stays down, i.e. in winter's half-year
        return at.month in (11, 12, 1) if lat > 0 else at.month in (5, 6, 7)
    rise, set_ = times
    return not rise <= at <= set_
