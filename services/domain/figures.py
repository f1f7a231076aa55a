"""The room's figures over a period, as plain values (issue 22).

The daily report, the Statistics panel and ``vigie bench report`` share these shapes; the store
reads them in ``services.reports.figures``. No SQL and no Qt here.

A **period** is half-open, ``[start, end)``, in UTC; the room's day and month are cut at its own
midnights, so a day of the change to summer time lasts 23 hours and the day back 25.
Durations are seconds; a **spread** gives their median and 90th percentile by linear interpolation
between the closest ranks (as a spreadsheet's ``PERCENTILE.INC``), or ``None`` when there are none.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

PRIORITIES = (1, 2, 3, 4)
#: What a bar click may select, for ``services.reports.figures.incident_ids``.
DIMENSIONS = frozenset({"category", "commune", "priority", "sla_late", "calls"})


@dataclass(frozen=True)
class Period:
    """Half-open ``[start, end)``, UTC-aware datetimes."""

    start: datetime
    end: datetime

    @property
    def seconds(self) -> float:
        return (self.end - self.start).total_seconds()


def _midnight(day: date, zone: tzinfo) -> datetime:
    # Midnight exists once on every day in the zones a room uses (clocks change at night, not at
    # 00:00): the combined time is never ambiguous.
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def day_period(day: date, zone: tzinfo) -> Period:
    """The room's day: from its midnight to the next one (23 h or 25 h on a change of time)."""
    return Period(_midnight(day, zone), _midnight(day + timedelta(days=1), zone))


def month_period(year: int, month: int, zone: tzinfo) -> Period:
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)  # noqa: PLR2004
    return Period(_midnight(date(year, month, 1), zone), _midnight(following, zone))


def room_days(period: Period, zone: tzinfo) -> Iterator[tuple[date, Period]]:
    """The room's days that the period touches, each with its own period clipped to ``period``."""
    day = period.start.astimezone(zone).date()
    while True:
        whole = day_period(day, zone)
        if whole.start >= period.end:
            return
        yield day, Period(max(whole.start, period.start), min(whole.end, period.end))
        day += timedelta(days=1)


@dataclass(frozen=True)
class Spread:
    """Durations in seconds: how many, their median and 90th percentile (``None`` when none)."""

    count: int
    median_s: float | None
    p90_s: float | None


def _quantile(ordered: Sequence[float], q: float) -> float:
    rank = (len(ordered) - 1) * q
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def spread(seconds: Sequence[float]) -> Spread:
    if not seconds:
        return Spread(0, None, None)
    ordered = sorted(seconds)
    return Spread(len(ordered), _quantile(ordered, 0.5), _quantile(ordered, 0.9))


@dataclass(frozen=True)
class SlaKept:
    """One priority's incidents against its target (creation to resolution).

    ``within`` and ``late`` split the period's incidents **resolved** (when read);
    ``open_overdue`` are those still open when read and already past their target.

    The **target kept** is one figure wherever it is shown (the Statistics panel, the daily
    report): the share of the incidents whose target was kept among those whose target is
    settled, ``within / (within + late + open_overdue)``. An incident still open past its target
    has missed it as surely as one resolved late; one still open within its target is not
    counted yet.
    """

    priority: int
    resolved: int
    within: int
    late: int
    open_overdue: int

    @property
    def missed(self) -> int:
        """Targets missed: resolved late, or still open past the target."""
        return self.late + self.open_overdue

    @property
    def settled(self) -> int:
        """Incidents whose target is kept or missed already: the kept share's denominator."""
        return self.within + self.missed

    @property
    def kept_share(self) -> float | None:
        """``within / settled`` (0 to 1), ``None`` when no target is settled yet."""
        return self.within / self.settled if self.settled else None


@dataclass(frozen=True)
class ModeSwitch:
    at: datetime
    kind: str  # "snow" or "traffic"
    value: str
    previous: str | None
    operator: str
    reason: str
    motive: str


@dataclass(frozen=True)
class SnowFigures:
    episodes: int  # snow episodes (the plan off level 0) that touched the period, each whole
    segments: int  # the winter network's segments, once per episode
    treated: int  # of those, treated at least once
    within_target: int  # first treated within their target from the episode's start
    passes: int
    salt_used_t: (
        float | None
    )  # stock drops between readings (deliveries are not use); None: no readings
    brine_used_m3: float | None


@dataclass(frozen=True)
class Figures:
    period: Period
    commune: str | None  # INSEE code, or None for the whole city
    incidents: int
    by_category: dict[str, int]
    by_commune: dict[str, int]  # key "" for incidents without a commune
    by_priority: dict[int, int]  # 1..4
    sla: dict[int, SlaKept]  # per priority 1..4
    acknowledge: Spread  # created -> first acknowledged (or dispatched)
    resolve: Spread  # created -> first resolved
    acknowledge_by_priority: dict[int, Spread]
    resolve_by_priority: dict[int, Spread]
    calls: int  # incidents of source "call" (the hotline)
    calls_by_category: dict[str, int]
    modes: list[ModeSwitch] | None  # None: the reader may not read who switched
    commands: dict[str, int]  # final status -> count (issued in the period)
    commands_by_type: dict[str, dict[str, int]]  # target_type -> status -> count
    lights_in_fault_by_day: dict[date, int]  # the room's days of the period
    repair: Spread  # a light's fault -> back to ok, repairs ended in the period
    snow: SnowFigures | None  # None when no episode touched the period
    camera_views: dict[str, int] | None  # purpose key -> views; None if not readable


@dataclass(frozen=True)
class Selection:
    """A bar the reader clicked: ``dimension`` in ``DIMENSIONS``, ``key`` the bar's key.

    Keys: a category; an INSEE code ("" for none); a priority "1".."4"; for "sla_late" the
    priority whose late incidents (resolved late, or open past target) are wanted; for "calls" a
    category, or "" for every call.
    """

    dimension: str
    key: str
