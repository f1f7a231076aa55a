"""The figures' plain model: the room's days and months (DST-correct), spreads, selections."""

from __future__ import annotations

import statistics
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from services.domain.figures import (
    DIMENSIONS,
    Period,
    SlaKept,
    day_period,
    month_period,
    room_days,
    spread,
)

PARIS = ZoneInfo("Europe/Paris")


def test_a_winter_day_is_the_rooms_midnight_to_midnight() -> None:
    p = day_period(date(2026, 12, 5), PARIS)
    assert p.start == datetime(2026, 12, 4, 23, tzinfo=UTC)
    assert p.end == datetime(2026, 12, 5, 23, tzinfo=UTC)


def test_the_day_clocks_go_forward_lasts_23_hours() -> None:
    p = day_period(date(2026, 3, 29), PARIS)
    assert p.start == datetime(2026, 3, 28, 23, tzinfo=UTC)
    assert p.end == datetime(2026, 3, 29, 22, tzinfo=UTC)
    assert p.seconds == 23 * 3600


def test_the_day_clocks_go_back_lasts_25_hours() -> None:
    p = day_period(date(2026, 10, 25), PARIS)
    assert p.start == datetime(2026, 10, 24, 22, tzinfo=UTC)
    assert p.end == datetime(2026, 10, 25, 23, tzinfo=UTC)
    assert p.seconds == 25 * 3600


def test_a_month_runs_from_its_first_midnight_to_the_next_months() -> None:
    march = month_period(2026, 3, PARIS)
    assert march.start == datetime(2026, 2, 28, 23, tzinfo=UTC)
    assert march.end == datetime(2026, 3, 31, 22, tzinfo=UTC)
    assert march.seconds == (31 * 24 - 1) * 3600
    december = month_period(2026, 12, PARIS)
    assert december.end == datetime(2026, 12, 31, 23, tzinfo=UTC)


def test_room_days_cover_the_period_and_clip_its_ends() -> None:
    p = Period(datetime(2026, 3, 28, 12, tzinfo=UTC), datetime(2026, 3, 30, 3, tzinfo=UTC))
    days = list(room_days(p, PARIS))
    assert [d for d, _ in days] == [date(2026, 3, 28), date(2026, 3, 29), date(2026, 3, 30)]
    assert days[0][1].start == p.start
    assert days[1][1] == day_period(date(2026, 3, 29), PARIS)
    assert days[2][1].end == p.end
    total = sum((span.end - span.start for _, span in days), timedelta())
    assert total == p.end - p.start


def test_a_month_has_as_many_room_days_as_the_calendar() -> None:
    assert len(list(room_days(month_period(2026, 10, PARIS), PARIS))) == 31
    assert len(list(room_days(month_period(2026, 2, PARIS), PARIS))) == 28


def test_no_durations_make_an_empty_spread() -> None:
    s = spread([])
    assert (s.count, s.median_s, s.p90_s) == (0, None, None)


@pytest.mark.parametrize(
    "values",
    [[60.0], [10.0, 20.0], [5.0, 1.0, 3.0], [float(n * n) for n in range(1, 12)], [7.5] * 4],
)
def test_spread_is_the_median_and_inclusive_90th_percentile(values: list[float]) -> None:
    s = spread(values)
    assert s.count == len(values)
    assert s.median_s == pytest.approx(statistics.median(values))
    expected = (
        values[0] if len(values) == 1 else statistics.quantiles(values, n=10, method="inclusive")[8]
    )
    assert s.p90_s == pytest.approx(expected)


def test_p90_interpolates_between_ranks() -> None:
    # ranks 0..10 of 0, 10, ... 100: the 90th percentile is exactly rank 9.
    assert spread([float(v) for v in range(0, 101, 10)]).p90_s == 90.0
    # two values: rank 0.9, nine tenths of the way from the first to the second.
    assert spread([0.0, 100.0]).p90_s == pytest.approx(90.0)


def test_the_dimensions_a_bar_selects() -> None:
    assert {"category", "commune", "priority", "sla_late", "calls"} == DIMENSIONS


def test_the_target_kept_counts_an_incident_open_past_its_target_as_missed() -> None:
    kept = SlaKept(2, resolved=4, within=3, late=1, open_overdue=4)
    assert kept.missed == 5 and kept.settled == 8
    assert kept.kept_share == pytest.approx(3 / 8)  # not 3 of the 4 resolved
    assert SlaKept(4, 0, 0, 0, 0).kept_share is None  # nothing settled: no share to show
    assert SlaKept(1, 0, 0, 0, 2).kept_share == 0.0  # two open past target: none kept
