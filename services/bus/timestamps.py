"""Contract timestamps, read the way the field contract says.

ISO 8601 with an offset; without one it is read as UTC and flagged; an interval ``start/end`` is
accepted where a time is observed (its end is the observation time). A time that has no UTC
equivalent (``9999-12-31T23:59:59-01:00`` is in the year 10000 in UTC) is refused.
"""

from __future__ import annotations

from datetime import UTC, datetime


class BadTime(ValueError):
    pass


class TimeOutOfRange(BadTime):
    """A well-formed time that has no UTC equivalent (year 9999 ahead of UTC, year 1 behind).

    It is a clock's error, not a malformed message: ``ahead`` says which way it is off.
    """

    def __init__(self, message: str, *, ahead: bool) -> None:
        super().__init__(message)
        self.ahead = ahead


def parse_time(value: object, *, interval_ok: bool = False) -> tuple[datetime, bool]:
    """(aware UTC time, whether it had no offset and was read as UTC).

    Raises:
        BadTime: ``value`` is not an ISO 8601 time, or has no UTC equivalent.
    """
    if not isinstance(value, str) or not value.strip():
        raise BadTime("not an ISO 8601 time")
    text = value.strip()
    if "/" in text:
        if not interval_ok:
            raise BadTime("an interval where one time is expected")
        start, _, end = text.partition("/")
        parse_time(start)  # both ends must be times
        return parse_time(end)
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise BadTime(f"not an ISO 8601 time: {text[:60]!r}") from None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC), True
    try:
        return parsed.astimezone(UTC), False
    except OverflowError:  # before year 1 or after 9999 once converted
        raise TimeOutOfRange(
            f"out of range once converted to UTC: {text[:60]!r}", ahead=parsed.year > 1
        ) from None
