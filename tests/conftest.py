"""Shared fixtures: real databases (SQLite always, PostgreSQL when VIGIE_TEST_PG_URL is set).

Each PostgreSQL test gets a schema of its own in the test database, dropped afterwards, so tests
never see each other's rows. In CI the PostgreSQL variant must run: a missing URL fails there.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from services.store.database import Database, normalise_url
from services.store.schema import upgrade
from tests.broker import TestBroker

PG_URL = os.environ.get("VIGIE_TEST_PG_URL")


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
    if not PG_URL:
        pytest.skip("VIGIE_TEST_PG_URL not set")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = Database(PG_URL)
    with admin.engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    try:
        yield _with_search_path(PG_URL, schema)
    finally:
        with admin.engine.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    """A database at the current schema."""
    database = Database(db_url)
    upgrade(database)
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
