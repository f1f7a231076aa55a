"""Insert-or-update and insert-or-ignore in bulk, on SQLite and PostgreSQL.

The one dialect switch of the store: both dialects spell ``INSERT … ON CONFLICT`` the same way,
but SQLAlchemy exposes it per dialect, so the statement is built from the session's dialect.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def _insert(session: Session, table: Table):  # type: ignore[no-untyped-def]
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(table)
    if dialect == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"no upsert for {dialect}")


def upsert(
    session: Session,
    table: Table,
    rows: Sequence[dict[str, Any]],
    keys: Sequence[str],
    update: Sequence[str],
) -> None:
    if not rows:
        return
    stmt = _insert(session, table)
    stmt = stmt.on_conflict_do_update(
        index_elements=list(keys), set_={c: stmt.excluded[c] for c in update}
    )
    session.execute(stmt, list(rows))


def insert_ignore(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> int:
    """Insert what is new; rows that collide with a unique key are skipped. Returns inserted."""
    if not rows:
        return 0
    stmt = _insert(session, table).on_conflict_do_nothing()
    result = session.execute(stmt, list(rows))
    return max(result.rowcount, 0)


def add_to_counters(
    session: Session,
    table: Table,
    key: dict[str, Any],
    counters: dict[str, int],
    values: dict[str, Any],
) -> None:
    """Add ``counters`` to the row at ``key`` (created if absent) and set ``values``, at once.

    One statement, so that two writers adding to a row that does not exist yet both count: with
    an UPDATE, then an INSERT when it changed nothing, both would insert and one would fail.
    """
    stmt = _insert(session, table).values({**key, **counters, **values})
    stmt = stmt.on_conflict_do_update(
        index_elements=list(key),
        set_={
            **{c: table.c[c] + stmt.excluded[c] for c in counters},
            **{c: stmt.excluded[c] for c in values},
        },
    )
    session.execute(stmt)
