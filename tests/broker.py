"""The tests' private mosquitto: the same one ``vigie bench`` starts, or one on the configuration
``vigie broker config`` wrote."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from services.bench.mosquitto import PrivateMosquitto, free_port

TestBroker = PrivateMosquitto
__all__ = ["TestBroker", "free_port", "generated_mosquitto"]


@contextmanager
def generated_mosquitto(folder: Path, port: int, log: Path) -> Iterator[None]:
    """mosquitto on ``folder/mosquitto.conf``, listening on ``port`` until the block ends.

    Started as root, mosquitto runs as the ``mosquitto`` user, who must own its files as it
    would in a room; its log goes to ``log`` (a pipe nobody reads would fill and block it).
    """
    if os.geteuid() == 0:
        for path in [folder, *folder.rglob("*")]:
            shutil.chown(path, "mosquitto", "mosquitto")
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            ["mosquitto", "-c", str(folder / "mosquitto.conf")], stderr=stderr
        )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    try:
        yield
    finally:
        process.terminate()
        process.wait(10)
