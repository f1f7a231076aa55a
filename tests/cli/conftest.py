from __future__ import annotations

import getpass
import io
import os
import subprocess
import sys
import uuid
from dataclasses import dataclass

import pytest

from console.cli.main import run
from tests.conftest import PG_URL, ROOM_PASSWORD, drop_roles


@dataclass
class Result:
    status: int
    out: str
    err: str


@pytest.fixture
def cli_env(tmp_path, monkeypatch):
    """A clean environment: no user config, English, no VIGIE_* from the caller."""
    for name in list(os.environ):
        if name.startswith("VIGIE_") and name != "VIGIE_TEST_PG_URL":
            monkeypatch.delenv(name)
    monkeypatch.setenv("VIGIE_CONFIG", str(tmp_path / "absent-config.toml"))
    monkeypatch.setenv("VIGIE_PASSWORD", ROOM_PASSWORD)
    monkeypatch.setenv("LC_ALL", "C")
    # PostgreSQL's roles are the cluster's: each test's database takes group roles of its own,
    # and the logins it made go with them.
    prefix = f"t{uuid.uuid4().hex[:8]}_"
    monkeypatch.setenv("VIGIE_ROLE_PREFIX", prefix)
    yield monkeypatch
    if PG_URL:
        drop_roles(prefix)


@pytest.fixture
def vigie(cli_env, capsys):
    """Run ``vigie`` in this process (fast); returns status, stdout and stderr."""

    def call(*argv: str, stdin: str | None = None) -> Result:
        if stdin is not None:  # what a script pipes in (--password-stdin)
            cli_env.setattr("sys.stdin", io.StringIO(stdin))
        status = run(list(argv))
        captured = capsys.readouterr()
        return Result(status, captured.out, captured.err)

    return call


@pytest.fixture
def vigie_process(cli_env):
    """Run the installed entry point in a subprocess, as a script would."""

    def call(*argv: str, env: dict[str, str] | None = None, stdin: str | None = None) -> Result:
        proc = subprocess.run(
            [sys.executable, "-m", "console", *argv],
            capture_output=True,
            text=True,
            env={**os.environ, **(env or {})},
            timeout=120,
            input=stdin,
            stdin=subprocess.DEVNULL if stdin is None else None,
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)

    return call


@pytest.fixture
def me() -> str:
    return getpass.getuser()


@pytest.fixture
def ready(vigie, db_url, cli_env, me):
    """A database upgraded by ``vigie db upgrade``, named by VIGIE_DB_URL."""
    cli_env.setenv("VIGIE_DB_URL", db_url)
    result = vigie("db", "upgrade", "--password-stdin", stdin=ROOM_PASSWORD + "\n")
    assert result.status == 0, result.err
    return db_url


@pytest.fixture
def staffed(ready, me):
    """``ready``, with the operators of the test room (tests/conftest.py ``ROOM``) to act as."""
    from services.store.database import Database
    from tests.conftest import ROOM, seed_room

    database = Database(ready)
    seed_room(database, skip={me} & set(ROOM))  # the OS user is already the database's admin
    database.dispose()
    return ready
