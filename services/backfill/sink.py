"""Rows into the database in bulk: ``COPY`` on PostgreSQL, ``executemany`` on SQLite.

Values are given as each database's driver takes them without SQLAlchemy's per-row processing
(which would cost more than the database itself, as the recorder found): times as the text each
dialect stores (``Sink.time``), JSON as its text, dates as ISO text, booleans as the driver's.
Everything is written in the caller's one transaction: a backfill that fails leaves nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from pydantic_core import to_json
from sqlalchemy import text
from sqlalchemy.orm import Session

from services.store.database import driver_cursor

#: Rows per ``executemany`` on SQLite (a list of tuples held at a time).
SQLITE_CHUNK = 20_000


class Sink:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.dialect = session.get_bind().dialect.name
        if self.dialect not in ("postgresql", "sqlite"):
            raise NotImplementedError(f"no backfill for {self.dialect}")
        self.pg = self.dialect == "postgresql"
        self.counts: dict[str, int] = {}

    # --- values as the driver takes them --------------------------------------------------------
    def time(self, ts: float | None) -> str | None:
        """Seconds since the epoch as the text the dialect stores for an aware UTC time."""
        if ts is None:
            return None
        moment = datetime.fromtimestamp(ts, UTC)
        if self.pg:
            return moment.isoformat()
        return moment.replace(tzinfo=None).isoformat(" ", "microseconds")

    def moment(self, moment: datetime | None) -> str | None:
        if moment is None:
            return None
        moment = moment.astimezone(UTC)
        if self.pg:
            return moment.isoformat()
        return moment.replace(tzinfo=None).isoformat(" ", "microseconds")

    @staticmethod
    def day(value: date) -> str:
        return value.isoformat()

    @staticmethod
    def json(value: Any) -> str | None:
        return None if value is None else to_json(value).decode("utf-8")

    def flag(self, value: bool) -> bool | int:
        return bool(value) if self.pg else int(bool(value))

    # --- writing ----------------------------------------------------------------------------------
    def write(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
        """Write ``rows`` (tuples in ``columns`` order) into ``table``; how many were written."""
        names = ", ".join(columns)
        written = 0
        connection = self.session.connection()
        if self.pg:
            with (
                driver_cursor(connection) as cursor,
                cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
                    written += 1
        else:
            marks = ", ".join("?" * len(columns))
            statement = f"INSERT INTO {table} ({names}) VALUES ({marks})"
            chunk: list[Sequence[Any]] = []
            for row in rows:
                chunk.append(row)
                if len(chunk) >= SQLITE_CHUNK:
                    connection.exec_driver_sql(statement, chunk)
                    written += len(chunk)
                    chunk = []
            if chunk:
                connection.exec_driver_sql(statement, chunk)
                written += len(chunk)
        self.counts[table] = self.counts.get(table, 0) + written
        return written

    def scalar(self, sql: str, **params: Any) -> Any:
        return self.session.execute(text(sql), params).scalar()

    def next_id(self, table: str, column: str = "id") -> int:
        """The first id free after every row of ``table`` (explicit ids are written from it)."""
        return int(self.scalar(f"SELECT COALESCE(MAX({column}), 0) FROM {table}")) + 1

    def follow_ids(self, table: str, column: str = "id") -> None:
        """After explicit ids: PostgreSQL's sequence moves past them (SQLite's rowid does)."""
        if self.pg:
            self.scalar(
                f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                f"GREATEST((SELECT MAX({column}) FROM {table}), 1))"
            )
