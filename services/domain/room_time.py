"""Times as the room reads them: in its own time zone, never UTC (``--json`` keeps UTC).

The zone is the ``timezone`` setting (Europe/Paris by default), set once per process by the
command line (``console.cli.main``) before anything is shown; panels and the shell's texts read
it here (plain Python, so that widgets may use it too). Where a time could be misread (a printed
report, the shell), the zone's abbreviation goes with it.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo

_room: tzinfo = ZoneInfo("Europe/Paris")


def set_room_zone(zone: tzinfo) -> None:
    global _room  # noqa: PLW0603 - one zone per process, set once at start
    _room = zone


def room_zone() -> tzinfo:
    return _room


def in_room(at: datetime) -> datetime:
    """``at`` on the room's clock (a naive time is taken as UTC, as the record keeps it)."""
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(_room)


def clock(at: datetime) -> str:
    """``20:11``: a time of today, on the wall clock."""
    return in_room(at).strftime("%H:%M")


def stamp(at: datetime) -> str:
    """``2026-12-04 20:11 CET``: a time with its date and zone, for what is read later."""
    local = in_room(at)
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"


def moment(at: datetime, now: datetime | None = None) -> str:
    """``20:41 CET`` today; ``05/12 08:00 CET`` another day: a time a person acts on."""
    local = in_room(at)
    today = in_room(now or datetime.now(UTC)).date()
    if local.date() == today:
        return f"{local:%H:%M} {local.tzname()}"
    return f"{local:%d/%m %H:%M} {local.tzname()}"
