"""Frames between the recorder's receiver and its writer: pickled tuples, length first.

Both ends are our own processes started together from one installation, so pickle is safe
here and the cheapest way to move a batch of 5,000 raw messages (a tuple of bytes each).
"""

from __future__ import annotations

import pickle
import struct
import subprocess
import sys
import threading
from typing import Any, BinaryIO

_LENGTH = struct.Struct("!I")
WRITER_COMMAND = [sys.executable, "-m", "services.recorder.writer_start"]


def start_writer(command: list[str] = WRITER_COMMAND) -> subprocess.Popen:
    """The writer's process, its pipes ours: it imports, then waits for its ``config`` frame."""
    return subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)


class Channel:
    """One direction of the pipe; ``send`` may be called from several threads."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self._lock = threading.Lock()

    def send(self, *frame: Any) -> None:
        data = pickle.dumps(frame, protocol=pickle.HIGHEST_PROTOCOL)
        with self._lock:
            self.stream.write(_LENGTH.pack(len(data)) + data)
            self.stream.flush()

    def receive(self) -> tuple[Any, ...] | None:
        """The next frame, or None once the other end has closed the pipe."""
        head = self.stream.read(_LENGTH.size)
        if len(head) < _LENGTH.size:
            return None
        (size,) = _LENGTH.unpack(head)
        data = self.stream.read(size)
        if len(data) < size:
            return None
        return pickle.loads(data)  # noqa: S301 - our own writer process, see the docstring

    def close(self) -> None:
        with self._lock:
            try:
                self.stream.close()
            except OSError:
                pass
