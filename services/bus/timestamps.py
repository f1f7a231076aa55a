"""Contract timestamps, read the way the field contract says.

ISO 8601 with an offset; without one it is read as UTC and flagged; an interval ``start/end`` is
accepted where a time is observed (its end is the observation time).
"""

from __future__ import annotations

from datetime import UTC, datetime


class BadTime(ValueError):
    pass


def parse_time(value: object, *, interval_ok: bool = False) -> tuple[datetime, bool]:
    """(aware UTC time, whether it had no offset and was read as UTC)."""
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
    return parsed.astimezone(UTC), False
