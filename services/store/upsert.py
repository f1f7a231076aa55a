"""Insert-or-update and insert-or-ignore in bulk, on SQLite and PostgreSQL.

The one dialect switch of the store: both dialects spell ``INSERT … ON CONFLICT`` the same way,
but SQLAlchemy exposes it per dialect, so the statement is built from the session's dialect.

Rows are written in the order of their key, whatever order they were given in. PostgreSQL locks
each row (or waits on each key another transaction is inserting) as the statement reaches it:
two writers reaching the same two rows in opposite orders (the recorder's two lanes, two
recorders) would wait for each other until the deadlock detector killed one of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, UniqueConstraint
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def _insert(session: Session, table: Table):  # type: ignore[no-untyped-def]
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(table)
    if dialect == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"no upsert for {dialect}")


def insert_for(session: Session, table: Table):  # type: ignore[no-untyped-def]
    """The session's dialect's ``INSERT`` on ``table``, which spells ``ON CONFLICT``."""
    return _insert(session, table)


def upsert(
    session: Session,
    table: Table,
    rows: Sequence[dict[str, Any]],
    keys: Sequence[str],
    update: Sequence[str],
) -> None:
    """Insert ``rows``, or update ``update`` of those whose ``keys`` exist: in key order."""
    if not rows:
        return
    stmt = _insert(session, table)
    stmt = stmt.on_conflict_do_update(
        index_elements=list(keys), set_={c: stmt.excluded[c] for c in update}
    )
    session.execute(stmt, in_key_order(rows, keys))


def insert_ignore(
    session: Session,
    table: Table,
    rows: Sequence[dict[str, Any]],
    order: Sequence[str] | None = None,
) -> int:
    """Insert what is new; rows that collide with a unique key are skipped. Returns inserted.

    Rows go in by ``order`` (default: the first column of the table's unique key), in a stable
    sort: the rows of one device, unit or command keep the order they came in, which their ids
    record (the first final ack of a command is the first by id).
    """
    if not rows:
        return 0
    stmt = _insert(session, table).on_conflict_do_nothing()
    keys = _leading_key(table, rows[0]) if order is None else order
    result = session.execute(stmt, in_key_order(rows, keys))
    return max(result.rowcount, 0)


def in_key_order(rows: Sequence[dict[str, Any]], keys: Sequence[str]) -> list[dict[str, Any]]:
    """``rows`` sorted by ``keys`` (a stable sort; None first, as no value sorts with one)."""
    if not keys or len(rows) < 2:
        return list(rows)
    return sorted(rows, key=lambda row: tuple(_sortable(row.get(k)) for k in keys))


def _sortable(value: Any) -> tuple:
    return (0,) if value is None else (1, value)


def _leading_key(table: Table, row: dict[str, Any]) -> tuple[str, ...]:
    """The first column of the key the rows would collide on.

    Their primary key when they give it, else the first unique constraint they fill; none (their
    order kept) otherwise.
    """
    candidates = [list(table.primary_key.columns)] + [
        list(c.columns)
        for c in sorted(table.constraints, key=lambda c: str(c.name))
        if isinstance(c, UniqueConstraint)
    ]
    for columns in candidates:
        if columns and all(c.name in row for c in columns):
            return (columns[0].name,)
    return ()


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
    Call it last in a transaction: every writer adds to the same row, and holding it while
    reaching for other rows is how two writers come to wait for each other.
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
