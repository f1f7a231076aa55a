"""Vigie's own processes, started by a bench as a room runs them (the installed entry point)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def vigie_process(args: list[str], env: dict[str, str]) -> Iterator[subprocess.Popen]:
    """``vigie ARGS`` in the background, quiet, stopped (then killed if it must be) on leaving."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "console", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
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
