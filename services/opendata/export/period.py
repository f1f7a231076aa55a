"""What an export covers: whole hours, days and weeks that are over, in the room's time zone.

Only finished periods are published. A week published on Tuesday with 7 reports and on
Wednesday with 8 would tell, by difference, that one report came on Wednesday from that commune
and category. A finished week's record may still change (a report marked a duplicate later):
the incidents' weeks are therefore kept as first published (``opendata_weeks``) and never
counted again. Weeks are ISO weeks
(Monday to Sunday), so ``--since`` is taken back to its Monday: every export cuts the same weeks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

#: Without --since: a year back, the meter readings' retention (the aggregates are kept longer).
DEFAULT_DAYS = 365


@dataclass(frozen=True)
class Period:
    first_day: date  # a Monday, in the room's zone
    end_day: date  # the first day not published: today, in the room's zone
    zone: ZoneInfo

    def start(self, day: date) -> datetime:
        """The UTC instant ``day`` begins at in the room."""
        return datetime.combine(day, time(), self.zone).astimezone(UTC)

    @property
    def since(self) -> datetime:
        return self.start(self.first_day)

    @property
    def until(self) -> datetime:
        return self.start(self.end_day)

    @property
    def week_end(self) -> date:
        """The first day after the last finished week (a Monday)."""
        return self.end_day - timedelta(days=self.end_day.weekday())

    def weeks(self) -> list[date]:
        """The Mondays of the finished weeks."""
        out, day = [], self.first_day
        while day < self.week_end:
            out.append(day)
            day += timedelta(days=7)
        return out


def period(now: datetime, zone: ZoneInfo, since: date | None = None) -> Period:
    today = now.astimezone(zone).date()
    first = since if since is not None else today - timedelta(days=DEFAULT_DAYS)
    first -= timedelta(days=first.weekday())
    return Period(first, today, zone)


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_label(day: date) -> str:
    """``2026-W48``, ISO 8601's name of the week (what French portals read)."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"
