"""Vigie's own processes, started by a bench as a room runs them (the installed entry point)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO


@contextmanager
def vigie_process(
    args: list[str], env: dict[str, str], stderr: IO[bytes] | int = subprocess.DEVNULL
) -> Iterator[subprocess.Popen]:
    """``vigie ARGS`` in the background, quiet, stopped (then killed if it must be) on leaving.

    ``stderr`` keeps what it says there (a failure's reason), when the caller wants it.
    """
    proc = subprocess.Popen(
        [sys.executable, "-m", "console", *args],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=stderr,
    )
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def bench_env(db_url: str, broker_url: str, root: str, folder: Path) -> dict[str, str]:
    """The environment of a bench's own processes.

    Its database, broker and root; no config file of the machine's, and no broker password
    (its private broker takes none).
    """
    env = {
        **os.environ,
        "VIGIE_DB_URL": db_url,
        "VIGIE_BROKER_URL": broker_url,
        "VIGIE_MQTT_ROOT": root,
        "VIGIE_CONFIG": str(folder / "none.toml"),
    }
    env.pop("VIGIE_BROKER_PASSWORD_FILE", None)
    return env
