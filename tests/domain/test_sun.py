"""Sunrise and sunset at Dijon, against the published almanac (to a few minutes)."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from services.domain.sun import _sun_times, is_night

PARIS = ZoneInfo("Europe/Paris")
DIJON = (47.3220, 5.0415)


def _local(day: date) -> tuple[str, str]:
    rise, set_ = _sun_times(day, *DIJON)
    return rise.astimezone(PARIS).strftime("%H:%M"), set_.astimezone(PARIS).strftime("%H:%M")


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def test_dijon_sunrise_and_sunset_match_the_almanac():
    # Almanac (timeanddate.com, Dijon): 5 Dec 08:10 / 16:52; 21 Jun 05:40 / 21:38.
    for day, (rise, set_) in {
        date(2026, 12, 5): ("08:10", "16:52"),
        date(2026, 6, 21): ("05:40", "21:38"),
    }.items():
        got_rise, got_set = _local(day)
        assert abs(_minutes(got_rise) - _minutes(rise)) <= 3, (day, got_rise)
        assert abs(_minutes(got_set) - _minutes(set_)) <= 3, (day, got_set)


def test_night_is_between_sunset_and_sunrise():
    assert is_night(datetime(2026, 12, 5, 21, 0, tzinfo=UTC), *DIJON)
    assert is_night(datetime(2026, 12, 5, 5, 0, tzinfo=UTC), *DIJON)
    assert not is_night(datetime(2026, 12, 5, 12, 0, tzinfo=UTC), *DIJON)
