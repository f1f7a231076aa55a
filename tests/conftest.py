"""Shared fixtures: real databases (SQLite always, PostgreSQL when VIGIE_TEST_PG_URL is set).

Each PostgreSQL test gets a schema of its own in the test database, dropped afterwards, so tests
never see each other's rows. In CI the PostgreSQL variant must run: a missing URL fails there.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import time
import uuid
from collections.abc import Iterator

import pytest

from services.domain.operators import Role
from services.store.database import Database, normalise_url
from services.store.schema import upgrade
from tests.broker import TestBroker

PG_URL = os.environ.get("VIGIE_TEST_PG_URL")

#: The room every ``db`` starts with: the operators tests act as, each in the role whose acts
#: they do (the matrix is enforced, so a test acting as someone must pick who may).
ROOM = {
    "c.bernard": Role.DISPATCHER,
    "m.dupont": Role.DISPATCHER,
    "c.morel": Role.SNOW_COORDINATOR,
    "j.petit": Role.SNOW_COORDINATOR,
    "t.roux": Role.TECHNICIAN,
    "t.garnier": Role.TECHNICIAN,
    "s.petit": Role.SUPERVISOR,
    "l.moreau": Role.SUPERVISOR,
    "n.faure": Role.AUDITOR,
    "root": Role.ADMIN,
    "v.lambert": Role.VIDEO_OPERATOR,
}


#: Every operator of the room logs in with this password (the CLI tests' VIGIE_PASSWORD).
ROOM_PASSWORD = "salle-de-crise-21"


@functools.cache
def room_password_hash() -> str:
    """One Argon2id hash for the whole session: hashing costs some 50 ms each time."""
    from services.store.passwords import hash_password

    return hash_password(ROOM_PASSWORD)


def seed_room(database: Database, skip: set[str] = frozenset()) -> None:
    """The room's rows written as they stand, not as audited acts: tests of the audit journal
    count its entries from the first act the test itself does."""
    from sqlalchemy import text

    from services.store import pg_authority
    from services.store.models import OperatorRow
    from services.store.types import utcnow

    with database.write() as session:
        if pg_authority.database_checks(session):
            # The database checks: each operator is a login of the cluster, made as an admin
            # would (the shared test cluster trusts every login, so none needs a password).
            head = session.execute(text("SELECT seq, hash FROM audit_chain WHERE id = 1")).one()
            for n, r in ROOM.items():
                if n not in skip:
                    pg_authority.call(
                        session, "vigie_operator_create", name=n, role=r.value, verifier=None
                    )
            # The function audits each one: the room is set up, not acted, so its entries go
            # (the URL's login owns the tables, outside the guarantees).
            session.execute(text("DELETE FROM audit_log WHERE seq > :seq"), {"seq": head.seq})
            session.execute(
                text("UPDATE audit_chain SET seq = :seq, hash = :hash WHERE id = 1"),
                {"seq": head.seq, "hash": head.hash},
            )
            return
        session.add_all(
            OperatorRow(
                name=n,
                role=r.value,
                created_at=utcnow(),
                created_by="system:seed",
                password_hash=room_password_hash(),
            )
            for n, r in ROOM.items()
            if n not in skip
        )


def drop_roles(prefix: str) -> None:
    """The cluster-wide roles a test's database made: its logins, then its group roles."""
    import psycopg

    from services.store.database import Database

    url = Database(PG_URL).engine.url.set(drivername="postgresql")
    with psycopg.connect(url.render_as_string(hide_password=False), autocommit=True) as conn:
        logins = conn.execute(
            "SELECT DISTINCT u.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
            "JOIN pg_roles u ON u.oid = m.member WHERE starts_with(g.rolname, %s) "
            "AND NOT u.rolsuper",  # a disabled operator's login (NOLOGIN) goes too
            (prefix,),
        ).fetchall()
        groups = conn.execute(
            "SELECT rolname FROM pg_roles WHERE starts_with(rolname, %s)", (prefix,)
        ).fetchall()
        # The manager is a member of every group too: each role once.
        for role in dict.fromkeys(name for (name,) in [*logins, *groups]):
            # What a role holds in this database goes first (its grants, the manager's
            # functions), whether or not the test's schema is dropped yet.
            conn.execute(f'DROP OWNED BY "{role}"')
            conn.execute(f'DROP ROLE IF EXISTS "{role}"')


def _prepare_web_engine() -> None:
    """QtWebEngine before pytest-qt makes the application (the map panel needs it)."""
    try:
        from console.shell.web_engine import prepare_web_engine
    except ImportError:  # an environment without Qt
        return
    prepare_web_engine()


_prepare_web_engine()


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("CI") and not PG_URL:
        raise pytest.UsageError("CI must set VIGIE_TEST_PG_URL: the PostgreSQL tests may not skip")


def _with_search_path(url: str, schema: str) -> str:
    separator = "&" if "?" in url else "?"
    return f"{normalise_url(url)}{separator}options=-csearch_path%3D{schema}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """An empty database's URL, on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'vigie.db'}"
        return
    with pg_schema() as url:
        yield url


@contextlib.contextmanager
def pg_schema() -> Iterator[str]:
    """A schema of its own on the test PostgreSQL, its URL, dropped afterwards (skips without)."""
    if not PG_URL:
        pytest.skip("VIGIE_TEST_PG_URL not set")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = Database(PG_URL)
    with admin.engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    try:
        yield _with_search_path(PG_URL, schema)
    finally:
        _drop_schema(admin, schema)
        admin.dispose()


def _drop_schema(admin: Database, schema: str, attempts: int = 20) -> None:
    """Drop a test's schema, waiting out a process it left behind.

    A recorder killed by a test leaves its writer process to finish its batch: its last
    transactions may still hold locks the drop needs, and PostgreSQL picks one as a deadlock's
    victim. The writer ends within seconds; the drop is tried again until it does.
    """
    from sqlalchemy.exc import OperationalError

    for attempt in range(attempts):
        try:
            with admin.engine.begin() as conn:
                conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
            return
        except OperationalError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.5)


@pytest.fixture
def bare_db(db_url: str) -> Iterator[Database]:
    """A database at the current schema with no operator yet (as ``vigie db upgrade`` finds it)."""
    database = Database(db_url)
    upgrade(database)
    yield database
    database.dispose()


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    """A database at the current schema, with the operators of ``ROOM``."""
    database = Database(db_url)
    upgrade(database)
    seed_room(database)
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def broker(tmp_path_factory) -> Iterator[TestBroker]:
    """A private mosquitto for the whole session (tests that kill it restart it)."""
    instance = TestBroker(tmp_path_factory.mktemp("mosquitto"))
    instance.start()
    yield instance
    instance.stop()


@pytest.fixture
def fresh_broker(tmp_path) -> Iterator[TestBroker]:
    """A mosquitto of this test's own, for tests that kill or restart it."""
    folder = tmp_path / "mosquitto"
    folder.mkdir()
    instance = TestBroker(folder)
    instance.start()
    yield instance
    instance.stop()


def open_descriptors() -> int:
    """The descriptors this process holds (Linux)."""
    return len(os.listdir("/proc/self/fd"))


@pytest.fixture
def collector_off() -> Iterator[None]:
    """No automatic collection meanwhile, as in a console, whose collector waits for its GUI
    thread: what is left open must be closed, not collected."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
