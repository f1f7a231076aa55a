"""The periods the Statistics panel offers, cut at the room's midnights (plain Python).

"This week" starts on Monday (as in France); "this month" and "this week" end at the next
month's or week's start: what has not happened yet counts nothing. A custom period runs from
its first day's midnight to the midnight after its last day.
"""

from __future__ import annotations

from datetime import date, timedelta, tzinfo

from services.domain.figures import Period, day_period, month_period

CHOICES = ("today", "yesterday", "this_week", "this_month", "last_month", "custom")


def period_of(
    choice: str, today: date, zone: tzinfo, custom: tuple[date, date] | None = None
) -> Period:
    """The period a choice means on ``today`` (a day of the room's calendar)."""
    if choice == "today":
        return day_period(today, zone)
    if choice == "yesterday":
        return day_period(today - timedelta(days=1), zone)
    if choice == "this_week":
        monday = today - timedelta(days=today.weekday())
        return _days(monday, monday + timedelta(days=6), zone)
    if choice == "this_month":
        return month_period(today.year, today.month, zone)
    if choice == "last_month":
        last = today.replace(day=1) - timedelta(days=1)
        return month_period(last.year, last.month, zone)
    if choice == "custom":
        first, last = custom or (today, today)
        return _days(min(first, last), max(first, last), zone)
    raise ValueError(f"no such period: {choice!r}")


def _days(first: date, last: date, zone: tzinfo) -> Period:
    return Period(day_period(first, zone).start, day_period(last, zone).end)


def last_day(period: Period, zone: tzinfo) -> date:
    """The period's last day in the room (its end is the next midnight, excluded)."""
    return (period.end.astimezone(zone) - timedelta(seconds=1)).date()
