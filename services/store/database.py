"""Opening the database: one engine per process, read and write transactions, clear failures.

SQLite runs in WAL mode so that readers never wait for the writer, with a busy timeout so that
writers queue instead of failing; a write transaction starts with ``BEGIN IMMEDIATE`` so that two
writers never both read a snapshot they then cannot commit on (SQLite's "database is locked" on
upgrade). PostgreSQL needs none of this.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic_core import to_json
from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from services.domain.errors import PermissionDenied, VigieError

SQLITE_BUSY_TIMEOUT_MS = 30_000
_BEGIN_OPTION = "vigie_sqlite_begin"


def _to_json(value: object) -> str:
    return to_json(value).decode("utf-8")


class DatabaseUnreachable(VigieError):
    key = "db.unreachable"


class DatabaseFull(DatabaseUnreachable):
    """The database is there but has no room (disk full): what is small may still fit."""

    key = "db.full"


class WriteConflict(DatabaseUnreachable):
    """Two transactions waited on each other (a deadlock) and this one was chosen to yield.

    Nothing is wrong with the database: the same write succeeds when tried again.
    """

    key = "db.conflict"


class SchemaMissing(VigieError):
    key = "db.schema_missing"


class SchemaOutdated(VigieError):
    key = "db.schema_outdated"


def normalise_url(url: str) -> str:
    """Accept ``postgresql://`` and ``postgres://`` and use psycopg 3 for them."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _sqlite_connection_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        # Let us emit BEGIN ourselves (pysqlite's own BEGIN is deferred and comes too late).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")  # durable at each checkpoint; WAL-safe
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:  # type: ignore[no-untyped-def]
        mode = connection.get_execution_options().get(_BEGIN_OPTION, "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


class Database:
    """An engine and its sessions. ``read()`` for queries, ``write()`` for changes."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = normalise_url(url)
        try:
            parsed = make_url(self.url)
        except ArgumentError:
            raise DatabaseUnreachable(url=_safe(url), reason="not a database URL") from None
        self.dialect = parsed.get_backend_name()
        # JSON columns are written for every state the recorder keeps: pydantic-core's encoder
        # is several times faster than the standard library's.
        kwargs: dict[str, object] = {"echo": echo, "json_serializer": _to_json}
        if self.dialect == "sqlite":
            database = parsed.database
            if database and database != ":memory:" and not database.startswith("file:"):
                Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"check_same_thread": False}
        else:
            kwargs["pool_pre_ping"] = True  # a restarted server is met with a fresh connection
        try:
            self.engine = create_engine(self.url, **kwargs)
        except (NoSuchModuleError, ArgumentError, ImportError) as exc:
            raise DatabaseUnreachable(url=_safe(url), reason=str(exc)) from None
        if self.dialect == "sqlite":
            _sqlite_connection_setup(self.engine)
            writer = self.engine.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})
        else:
            writer = self.engine
        self._reader = sessionmaker(self.engine, expire_on_commit=False)
        self._writer = sessionmaker(writer, expire_on_commit=False)

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        with translate_errors(self.url), self._reader() as session:
            yield session

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        """A transaction that commits on success and rolls back on any exception."""
        with translate_errors(self.url), self._writer() as session, session.begin():
            yield session

    def has_table(self, name: str) -> bool:
        with translate_errors(self.url):
            return inspect(self.engine).has_table(name)

    def ping(self) -> None:
        with translate_errors(self.url), self.engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")

    def dispose(self) -> None:
        self.engine.dispose()


def _missing_table(exc: DBAPIError) -> bool:
    text = str(exc.orig).lower()
    return "no such table" in text or ("relation" in text and "does not exist" in text)


@contextlib.contextmanager
def translate_errors(url: str) -> Iterator[None]:
    """Turn driver failures into errors an operator can act on (unreachable, schema missing)."""
    try:
        yield
    except DBAPIError as exc:
        if _missing_table(exc):
            raise SchemaMissing(url=_safe(url)) from exc
        if getattr(exc.orig, "sqlstate", None) == _PG_INSUFFICIENT_PRIVILEGE:
            # PostgreSQL's grants, policies and triggers refused the login: not a failure.
            raise PermissionDenied(
                "permission.database_refused", reason=_refusal(exc.orig)
            ) from exc
        if getattr(exc.orig, "sqlstate", None) in _PG_RETRY:
            raise WriteConflict(url=_safe(url), reason=_first_line(exc.orig)) from exc
        if _no_room(exc):
            raise DatabaseFull(url=_safe(url), reason=_first_line(exc.orig)) from exc
        if isinstance(exc, OperationalError) or exc.connection_invalidated:
            raise DatabaseUnreachable(url=_safe(url), reason=_first_line(exc.orig)) from exc
        raise


@contextlib.contextmanager
def driver_cursor(connection: Connection) -> Iterator[Any]:
    """The driver's own cursor (psycopg's, for COPY), its errors raised as SQLAlchemy's are.

    So ``translate_errors`` tells a full disk, a lost server or a conflict from the rest, as for
    any statement: psycopg's errors escaped it, and the recorder took a full disk during a COPY
    for a bad message (it split the batch to find which).
    """
    import psycopg  # PostgreSQL only: SQLite never comes here

    driver = connection.connection.driver_connection
    with driver.cursor() as cursor:  # type: ignore[union-attr]
        try:
            yield cursor
        except psycopg.Error as exc:
            dialect = connection.dialect
            lost = dialect.is_disconnect(exc, driver, cursor)
            raise DBAPIError.instance(
                None, None, exc, psycopg.Error, connection_invalidated=lost, dialect=dialect
            ) from exc


#: SQLite's SQLITE_FULL; PostgreSQL's disk_full (53100) and out_of_memory (53200).
_SQLITE_FULL = 13
_PG_NO_ROOM = {"53100", "53200"}
#: PostgreSQL's insufficient_privilege: a grant, a row-level policy or a guard said no.
_PG_INSUFFICIENT_PRIVILEGE = "42501"
#: PostgreSQL's deadlock_detected and serialization_failure: try the transaction again.
_PG_RETRY = {"40P01", "40001"}


def _no_room(exc: DBAPIError) -> bool:
    orig = exc.orig
    if getattr(orig, "sqlite_errorcode", None) == _SQLITE_FULL:
        return True
    return getattr(orig, "sqlstate", None) in _PG_NO_ROOM


def _refusal(exc: BaseException | None) -> str:
    """The server's words, without the "vigie: " our own guards put before theirs."""
    return _first_line(exc).removeprefix("vigie: ")


def _first_line(exc: BaseException | None) -> str:
    text = str(exc or "").strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _safe(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url
