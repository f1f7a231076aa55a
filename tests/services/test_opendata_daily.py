"""``vigie opendata serve``'s daily export: when it runs, and what a failed run leaves."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from services.opendata.daily import DailyExport, exported_today, next_run
from services.opendata.export.run import CATALOGUE, ExportOptions
from services.store.database import Database

PARIS = ZoneInfo("Europe/Paris")


def test_the_next_run_is_four_in_the_morning_in_the_room():
    winter_night = datetime(2026, 12, 7, 1, 30, tzinfo=UTC)  # 02:30 in Dijon
    assert next_run(winter_night, PARIS) == datetime(2026, 12, 7, 3, 0, tzinfo=UTC)
    after = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)  # 04:00 exactly: the next is tomorrow's
    assert next_run(after, PARIS) == datetime(2026, 12, 8, 3, 0, tzinfo=UTC)
    # the night the clocks go forward (28 March 2027): 04:00 is then 02:00 UTC
    spring = datetime(2027, 3, 28, 0, 30, tzinfo=UTC)
    assert next_run(spring, PARIS) == datetime(2027, 3, 28, 2, 0, tzinfo=UTC)


def test_a_run_writes_and_a_failed_one_leaves_the_published_files(db: Database, tmp_path):
    options = ExportOptions(datasets=("plan-neige", "signalements-commune"), zone=PARIS)
    now = datetime.now(UTC)
    daily = DailyExport(db, tmp_path, options, clock=lambda: now)
    assert not exported_today(tmp_path, now, PARIS)
    assert daily.run_once()
    assert exported_today(tmp_path, now, PARIS)
    published = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert CATALOGUE in published
    away = Database("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1")
    failing = DailyExport(away, tmp_path, options, clock=lambda: now)
    assert not failing.run_once() and failing.failures == 1
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == published
    away.dispose()
