"""Day or night where the city is: sunrise and sunset as the dimming profiles reckon them.

One computation of the sun's times for the whole project (``services.domain.dimming``, on
astral), so that the approval rule "a whole commune switched off at night" and the cabinets'
astronomical clocks agree on what night is.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from services.domain.dimming import sun_times


def _sun_times(day: date, lat: float, lon: float) -> tuple[datetime, datetime] | None:
    """Sunrise and sunset (UTC) on ``day``; None in a polar day or night."""
    return sun_times(day, lat, lon)


def is_night(at: datetime, lat: float, lon: float) -> bool:
    """Whether ``at`` falls between sunset and sunrise at (lat, lon)."""
    times = _sun_times(at.astimezone(UTC).date(), lat, lon)
    if times is None:  # polar: night when the sun stays down, i.e. in winter's half-year
        return at.month in (11, 12, 1) if lat > 0 else at.month in (5, 6, 7)
    rise, set_ = times
    return not rise <= at <= set_
