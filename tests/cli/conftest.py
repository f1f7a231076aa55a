from __future__ import annotations

import getpass
import os
import subprocess
import sys
from dataclasses import dataclass

import pytest

from console.cli.main import run


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
    monkeypatch.setenv("LC_ALL", "C")
    return monkeypatch


@pytest.fixture
def vigie(cli_env, capsys):
    """Run ``vigie`` in this process (fast); returns status, stdout and stderr."""

    def call(*argv: str) -> Result:
        status = run(list(argv))
        captured = capsys.readouterr()
        return Result(status, captured.out, captured.err)

    return call


@pytest.fixture
def vigie_process(cli_env):
    """Run the installed entry point in a subprocess, as a script would."""

    def call(*argv: str, env: dict[str, str] | None = None) -> Result:
        proc = subprocess.run(
            [sys.executable, "-m", "console", *argv],
            capture_output=True,
            text=True,
            env={**os.environ, **(env or {})},
            timeout=120,
            stdin=subprocess.DEVNULL,
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
    result = vigie("db", "upgrade")
    assert result.status == 0, result.err
    return db_url
