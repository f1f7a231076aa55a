"""No query of the figures scans a table with history outside its period (PostgreSQL's plans).

Every statement ``figures()`` runs, for a day and for a month, the whole city and one commune, is
captured as sent (a ``before_cursor_execute`` event) and EXPLAINed again with ``enable_seqscan``
off: the planner then scans a table whole only where no index can bound it. No plan may hold a
``Seq Scan`` of a table that grows with time, and each read of the figures' tables is an index
scan whose condition is its period's column (or the incident, the episode it is reached by): a
whole index read is no better than a whole table.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event

from services.backfill import backfill
from services.domain.figures import day_period, month_period
from services.reports.figures import figures
from services.store.database import Database
from services.store.models import ModePeriodRow, SnowPassRow
from services.store.schema import upgrade
from tests.conftest import pg_schema

PARIS = ZoneInfo("Europe/Paris")
END = datetime(2026, 11, 12, 12, tzinfo=UTC)
#: Tables that grow with the record's history: none may be read whole.
HISTORY = frozenset(
    {
        "incidents",
        "incident_changes",
        "incident_notes",
        "alerts",
        "commands",
        "command_acks",
        "equipment_changes",
        "audit_log",
        "camera_views",
        "salt_readings",
        "snow_passes",
        "mode_periods",
        "unit_positions",
        "energy_readings",
        "journal",
    }
)


@pytest.fixture(scope="module")
def history() -> Iterator[Database]:
    with pg_schema() as url:
        db = Database(url)
        upgrade(db)
        backfill(db, days=3, scale="small", end=END, incidents_per_day=300)
        # A snow episode in the days read, so that its passes are queried too.
        episode = END - timedelta(days=1, hours=6)
        with db.write() as session:
            session.add(
                ModePeriodRow(
                    kind="snow",
                    value="2",
                    started_at=episode,
                    ended_at=episode + timedelta(hours=4),
                    episode_start=episode,
                )
            )
            session.add(
                SnowPassRow(
                    episode_start=episode,
                    segment_id="prin:x",
                    network="principal",
                    target_s=7200,
                    first_pass_at=episode + timedelta(minutes=30),
                    last_pass_at=episode + timedelta(hours=1),
                    passes=2,
                    longest_gap_s=1800,
                )
            )
        with db.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
        yield db
        db.dispose()


def _captured(db: Database, run) -> list[tuple[str, object]]:  # noqa: ANN001 - a callable
    statements: list[tuple[str, object]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _executemany) -> None:  # noqa: ANN001
        statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", capture)
    try:
        run()
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)
    return [(s, p) for s, p in statements if s.lstrip().upper().startswith("SELECT")]


def _nodes(plan: dict) -> Iterator[dict]:
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def _plans(db: Database, statements: list[tuple[str, object]]) -> list[tuple[str, list[dict]]]:
    out = []
    with db.engine.connect() as conn:
        conn.exec_driver_sql("SET enable_seqscan = off")
        for statement, parameters in statements:
            explained = conn.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}", parameters)
            plan = explained.scalar_one()[0]["Plan"]
            out.append((statement, list(_nodes(plan))))
        conn.rollback()
    return out


#: A partition's name: its table's, then its day, month, or DEFAULT (migration 0021).
PARTITION = re.compile(r"_(p[0-9]{6}|p[0-9]{8}|default)$")
#: What bounds each table's read: its period's column, or the key it is reached by.
BOUNDS = {
    "incidents": ("created_at", "id"),
    "incident_changes": ("incident_id",),
    "commands": ("issued_at",),
    "equipment_changes": ("at",),
    "audit_log": ("ts",),
    "camera_views": ("opened_at",),
    "salt_readings": ("observed_at",),
    "snow_passes": ("episode_start",),
    "mode_periods": ("started_at",),
}


def _bounded(node: dict, columns: tuple[str, ...]) -> bool:
    """An index scan whose condition names one of ``columns`` (not a whole index read)."""
    condition = node.get("Index Cond") or node.get("Recheck Cond") or ""
    return any(re.search(rf"\b{column}\b", condition) for column in columns)


@pytest.mark.parametrize(
    ("span", "commune"),
    [("day", None), ("day", "21231"), ("month", None), ("month", "21231")],
)
def test_every_query_is_bounded_by_an_index(
    history: Database, span: str, commune: str | None
) -> None:
    period = (
        day_period(date(2026, 11, 11), PARIS) if span == "day" else month_period(2026, 11, PARIS)
    )

    def run() -> None:
        with history.read() as session:
            figures(session, period, commune, zone=PARIS, now=END)

    statements = _captured(history, run)
    plans = _plans(history, statements)
    read = set()
    for statement, nodes in plans:
        for node in nodes:
            relation = node.get("Relation Name")
            if relation is None:
                continue
            # On PostgreSQL the history is partitioned (0021): a partition reads as its table.
            relation = PARTITION.sub("", relation)
            read.add(relation)
            assert not (node["Node Type"] == "Seq Scan" and relation in HISTORY), (
                f"{relation} scanned whole by:\n{statement}"
            )
            if relation in BOUNDS:
                assert _bounded(node, BOUNDS[relation]), (
                    f"{relation} read without its bound ({node['Node Type']}, "
                    f"{node.get('Index Cond') or node.get('Recheck Cond')}) by:\n{statement}"
                )
    # Every section was read, each through its index: the check above is not vacuous.
    assert {
        "incidents",
        "incident_changes",
        "commands",
        "equipment_changes",
        "audit_log",
        "camera_views",
        "mode_periods",
        "snow_passes",
        "salt_readings",
    } <= read
