"""The daily report's and the Statistics panel's figures on a month of Dijon's history (issue 22).

A scratch database (a temporary SQLite file, or a temporary schema on a PostgreSQL server) gets
``vigie simulate --backfill`` (30 days of Dijon at 1,000 incidents a day by default). Then, each
against a baseline run in the same process on the same rows:

* **a day**: ``figures()`` for the last whole day of the room in the history, against a bare
  ``SELECT count(*)`` of that day's incidents (the least any figure over the day costs);
* **the month**: ``figures()`` for the whole history backfilled (every one of its incidents),
  against the same bare count over it.

Each is timed cold (the first read after the backfill) and then ``ROUNDS`` more times (the median
counts). Issue 22's goals: a day's report (figures and PDF; the PDF is timed by the command line,
which may draw with Qt) within ``DAY_GOAL_S``, the month's figures within ``MONTH_GOAL_S``.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo

from sqlalchemy import func, select

from services.backfill import backfill
from services.bench.audit import scratch_database
from services.domain.figures import Figures, Period, day_period
from services.reports.figures import figures
from services.store.database import Database
from services.store.models import IncidentRow
from services.store.schema import upgrade

DAY_GOAL_S = 10.0  # the day's figures and its PDF
MONTH_GOAL_S = 2.0
ROUNDS = 3


@dataclass(frozen=True)
class Timed:
    """One read: its first time, the median of the rounds after it, and its baseline's."""

    first_s: float
    median_s: float
    baseline_s: float  # the bare count's median over the same period
    incidents: int  # the figures' incidents (duplicates left out)
    counted: int  # the bare count's (duplicates in)

    @property
    def ratio(self) -> float:
        return self.median_s / self.baseline_s if self.baseline_s else float("inf")


@dataclass(frozen=True)
class ReportBench:
    backend: str
    days: int
    incidents_per_day: int
    backfill_s: float
    rows: int  # rows the backfill wrote, every table
    day: date
    day_figures: Timed
    month: Period
    month_figures: Timed
    pdf_s: float | None  # the day's PDF drawn from its figures (None: not asked)
    pdf_pages: int | None

    @property
    def day_report_s(self) -> float:
        """The day's report as ``vigie report daily`` makes it: figures read cold, then the PDF."""
        return self.day_figures.first_s + (self.pdf_s or 0.0)

    @property
    def passed(self) -> bool:
        return (
            self.day_report_s <= DAY_GOAL_S
            and max(self.month_figures.first_s, self.month_figures.median_s) <= MONTH_GOAL_S
        )


#: Draws the day's PDF from its figures; returns its pages (the command line's, with Qt).
Printer = Callable[[Figures, date], int]


def run(
    db_url: str | None,
    zone: tzinfo,
    *,
    days: int = 30,
    incidents_per_day: int = 1000,
    printer: Printer | None = None,
) -> ReportBench:
    with scratch_database(db_url) as db:
        upgrade(db)
        began = time.perf_counter()
        filled = backfill(db, days=days, incidents_per_day=incidents_per_day)
        backfill_s = time.perf_counter() - began
        # The last whole day of the room in the history: the report of "yesterday".
        day = filled.end.astimezone(zone).date() - timedelta(days=1)
        one_day = day_period(day, zone)
        month = Period(filled.start, filled.end)
        day_figures, read = _timed(db, one_day, zone)
        month_figures, _ = _timed(db, month, zone)
        pdf_s = pages = None
        if printer is not None:
            began = time.perf_counter()
            pages = printer(read, day)
            pdf_s = time.perf_counter() - began
        return ReportBench(
            backend=db.dialect,
            days=days,
            incidents_per_day=incidents_per_day,
            backfill_s=backfill_s,
            rows=sum(filled.rows.values()),
            day=day,
            day_figures=day_figures,
            month=month,
            month_figures=month_figures,
            pdf_s=pdf_s,
            pdf_pages=pages,
        )


def _timed(db: Database, period: Period, zone: tzinfo) -> tuple[Timed, Figures]:
    def read() -> Figures:
        with db.read() as session:
            return figures(session, period, zone=zone)

    def count() -> int:
        with db.read() as session:
            return session.execute(
                select(func.count()).where(
                    IncidentRow.created_at >= period.start, IncidentRow.created_at < period.end
                )
            ).scalar_one()

    began = time.perf_counter()
    first = read()
    first_s = time.perf_counter() - began
    times, baselines, counted = [], [], 0
    for _ in range(ROUNDS):  # alternated, so that a burst of noise hits both
        began = time.perf_counter()
        read()
        times.append(time.perf_counter() - began)
        began = time.perf_counter()
        counted = count()
        baselines.append(time.perf_counter() - began)
    timed = Timed(
        first_s=first_s,
        median_s=statistics.median(times),
        baseline_s=statistics.median(baselines),
        incidents=first.incidents,
        counted=counted,
    )
    return timed, first


__all__ = ["DAY_GOAL_S", "MONTH_GOAL_S", "ReportBench", "Timed", "run"]
