"""The history's partitions on PostgreSQL: made ahead of time, dropped whole once expired.

Since migration 0021 these tables are partitioned by range of their time on PostgreSQL; SQLite
keeps them as plain tables (one file, one workstation) and nothing here touches it:

| table | by | partition key | made ahead | dropped after |
|---|---|---|---|---|
| ``unit_positions`` | day | ``observed_at`` | 14 days | ``positions_kept`` (60 days) |
| ``equipment_changes`` | month | ``at`` | 3 months | never (the history is kept) |
| ``energy_readings`` | month | ``observed_at`` | 3 months | ``energy_readings`` (400 days) |
| ``salt_readings`` | month | ``observed_at`` | 3 months | ``salt_readings`` (400 days) |
| ``quarantine`` | month | ``received_at`` | 3 months | ``quarantine`` (30 days) |

Days and months are UTC's. A query for the last hour of positions reads one partition (the
planner prunes the others, the DEFAULT one too when the hour is within the partitions made).
Each table has a DEFAULT partition for rows outside the partitions made (an old backfill, a
test's fixed dates, a clock far off); making a partition whose range has rows there moves them.

The recorder's login owns no table: it makes and drops partitions through two SECURITY DEFINER
functions of migration 0021, owned by the tables' owner, EXECUTE granted to the recorder
(``pg_authority``), as pg_partman does. Grants and row-level security are the parent's: a
query through the parent is checked against the parent only, and no Vigie login but the
recorder holds a grant on a partition itself (so none reads patrols' positions past the
parent's policies).

The audit journal is not partitioned: hash-chained, keyed by its sequence and never purged, it
would gain no dropped partition and lose its one-index reads. Nor are ``commands``,
``command_acks``, ``incidents`` and their changes and notes: never purged, their keys are
referenced by other rows, and their reports read them through time indexes already (0018).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import text
from sqlalchemy.orm import Session

from services.domain.retention import Retention

DAY, MONTH = "day", "month"


@dataclass(frozen=True, slots=True)
class Partitioning:
    key: str  # the partition key's column
    unit: str  # DAY or MONTH
    ahead: timedelta  # partitions made this far ahead of now
    kept: str | None  # the Retention field of its period (None: kept whole)


#: The partitioned tables (migration 0021's ``TABLES``: same names, keys and units).
PARTITIONED: dict[str, Partitioning] = {
    "unit_positions": Partitioning("observed_at", DAY, timedelta(days=14), "positions_kept"),
    "equipment_changes": Partitioning("at", MONTH, timedelta(days=92), None),
    "energy_readings": Partitioning("observed_at", MONTH, timedelta(days=92), "energy_readings"),
    "salt_readings": Partitioning("observed_at", MONTH, timedelta(days=92), "salt_readings"),
    "quarantine": Partitioning("received_at", MONTH, timedelta(days=92), "quarantine"),
}


#: Migration 0021's functions, which the recorder may EXECUTE (``grants``).
FUNCTIONS = (
    "vigie_partitions_ensure(text, timestamptz, timestamptz)",
    "vigie_partitions_drop(text, timestamptz)",
)


def grants(recorder: str) -> list[str]:
    """What ``pg_authority.install`` runs: the recorder's login may make and drop partitions."""
    return [
        *(f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC" for function in FUNCTIONS),
        *(f'GRANT EXECUTE ON FUNCTION {function} TO "{recorder}"' for function in FUNCTIONS),
    ]


def partitioned(session: Session) -> bool:
    """Whether this database partitions its history (PostgreSQL, from migration 0021)."""
    return session.get_bind().dialect.name == "postgresql"


def ensure_partitions(
    session: Session,
    now: datetime,
    since: datetime | None = None,
    rules: Retention | None = None,
    tables: Iterable[str] | None = None,
) -> list[str]:
    """Make every partition missing from ``since`` (default ``now``) to ``now`` + its lead.

    Returns the partitions made, oldest first per table ([] on SQLite). ``since`` (a backfill's
    period) is brought forward to what each table keeps (``rules``): a row older than that
    goes to the DEFAULT partition, to be purged. Rows of a new partition's range that waited
    in the DEFAULT partition are moved into it.
    """
    if not partitioned(session):
        return []
    rules = rules or Retention()
    made: list[str] = []
    for table in tables or PARTITIONED:
        p = PARTITIONED[table]
        start = now if since is None else min(since, now)
        if p.kept is not None:
            start = max(start, now - getattr(rules, p.kept))
        made += session.execute(
            text("SELECT vigie_partitions_ensure(:t, :a, :b)"),
            {"t": table, "a": start, "b": now + p.ahead},
        ).scalars()
    return made


def drop_expired_partitions(session: Session, now: datetime, rules: Retention) -> dict[str, int]:
    """Drop the partitions whose every row is past its table's retention; rows dropped by table.

    Only whole partitions (upper bound at or before ``now`` minus the period, and not after the
    server's own present); the rows of the partition straddling the limit, and of the DEFAULT
    one, are the purge's to delete ({} on SQLite).
    """
    if not partitioned(session):
        return {}
    dropped: dict[str, int] = {}
    for table, p in PARTITIONED.items():
        if p.kept is None:
            continue
        rows = session.execute(
            text("SELECT partition_name, row_count FROM vigie_partitions_drop(:t, :b)"),
            {"t": table, "b": now - getattr(rules, p.kept)},
        ).all()
        dropped[table] = sum(count for _name, count in rows)
    return dropped


def partitions(session: Session, table: str) -> list[str]:
    """The partitions of ``table``, by name (DEFAULT included); [] on SQLite."""
    if not partitioned(session):
        return []
    return list(
        session.execute(
            text(
                "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                "WHERE i.inhparent = CAST(:t AS regclass) ORDER BY c.relname"
            ),
            {"t": table},
        ).scalars()
    )
