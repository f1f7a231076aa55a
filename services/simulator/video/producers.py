"""Frames drawn only while someone watches: one producer thread per (camera, size), shared.

The first viewer of a camera at a size starts its producer; the last one to leave stops it, so
that a camera nobody watches costs no processor time. A producer draws at a steady rate into a
``FrameBroadcast`` that holds only the newest frame: each viewer takes the newest one when it is
ready for it, so a slow viewer skips frames and never holds up the producer or the others.

A producer asks its source how the camera stands before every frame; a camera in fault (or gone)
ends the broadcast, which ends every stream open on it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

from services.simulator.video.frames import FrameMaker
from services.simulator.video.source import CameraSource

log = logging.getLogger(__name__)

#: Why a broadcast ended.
FAULT = "fault"
GONE = "gone"  # the world no longer has the camera
STOPPED = "stopped"  # its last viewer left, or the server stops
FAILED = "failed"  # drawing raised: a bug, logged

Key = tuple[str, tuple[int, int]]  # camera id, (width, height)


class FrameBroadcast:
    """The newest frame of one (camera, size), numbered, for any number of viewers."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._frame = b""
        self._number = 0
        self._ended: str | None = None

    @property
    def ended(self) -> str | None:
        """Why it ended (``FAULT``, ``GONE``, ``STOPPED``, ``FAILED``); None while it runs."""
        return self._ended

    def publish(self, frame: bytes) -> None:
        with self._changed:
            self._frame = frame
            self._number += 1
            self._changed.notify_all()

    def end(self, reason: str) -> None:
        with self._changed:
            if self._ended is None:
                self._ended = reason
            self._changed.notify_all()

    def next_after(self, number: int, timeout: float) -> tuple[int, bytes] | None:
        """The newest frame numbered after ``number``, waiting for it; None once ended.

        A frame older than the newest is never handed out: whoever comes back late skips
        what it missed. None as well after ``timeout`` s without a frame (a stuck producer).
        """
        with self._changed:
            ready = self._changed.wait_for(
                lambda: self._ended is not None or self._number > number, timeout
            )
            if not ready or self._ended is not None:
                return None
            return self._number, self._frame


class Producer:
    """Draws one camera at one size at ``fps`` into its broadcast, on a thread of its own."""

    def __init__(
        self,
        key: Key,
        source: CameraSource,
        fps: float,
        clock: Callable[[], datetime],
        on_exit: Callable[[Producer], None],
    ) -> None:
        self.key = key
        self.broadcast = FrameBroadcast()
        self.viewers = 0  # counted by ``Producers`` under its lock
        self.frames = 0
        self._source = source
        self._period = 1.0 / fps
        self._clock = clock
        self._on_exit = on_exit
        self._stop = threading.Event()
        camera, (width, height) = key
        self._thread = threading.Thread(
            target=self._run, name=f"vigie-video {camera} {width}x{height}", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self, wait_s: float = 2.0) -> None:
        self._stop.set()
        if threading.current_thread() is not self._thread:
            self._thread.join(wait_s)

    def _run(self) -> None:
        camera, size = self.key
        maker = FrameMaker(camera, size)
        due = time.monotonic()
        try:
            while not self._stop.is_set():
                view = self._source.camera(camera)
                if view is None or view.in_fault:
                    self.broadcast.end(GONE if view is None else FAULT)
                    return
                self.broadcast.publish(maker.jpeg(view, self._clock()))
                self.frames += 1
                due += self._period
                now = time.monotonic()
                if now - due > self._period:
                    due = now  # fallen behind (a busy machine): drop frames, never burst
                self._stop.wait(max(0.0, due - now))
        except Exception:
            log.exception("camera %s: drawing failed", camera)
            self.broadcast.end(FAILED)
        finally:
            self.broadcast.end(STOPPED)
            self._on_exit(self)


class ServerStopping(RuntimeError):
    """The server is stopping: no new picture is drawn."""


class Producers:
    """The producers running, by (camera, size), with how many viewers each has."""

    def __init__(self, source: CameraSource, fps: float, clock: Callable[[], datetime]) -> None:
        self._source = source
        self._fps = fps
        self._clock = clock
        self._lock = threading.Lock()
        self._running: dict[Key, Producer] = {}
        self._closed = False  # stopped: a request racing the stop starts nothing
        self.started = 0  # how many producers were ever started (tests, benchmarks)

    @contextmanager
    def watching(self, camera: str, size: tuple[int, int]) -> Iterator[FrameBroadcast]:
        """The broadcast of ``camera`` at ``size`` while the ``with`` block lasts."""
        producer = self._join((camera, size))
        try:
            yield producer.broadcast
        finally:
            self._leave(producer)

    def running(self) -> dict[Key, int]:
        """Viewers per (camera, size) being drawn now."""
        with self._lock:
            return {key: p.viewers for key, p in self._running.items()}

    def stop_all(self) -> None:
        with self._lock:
            self._closed = True
            producers = list(self._running.values())
            self._running.clear()
        for producer in producers:
            producer.stop()

    def _join(self, key: Key) -> Producer:
        with self._lock:
            if self._closed:
                raise ServerStopping(key[0])
            producer = self._running.get(key)
            if producer is None or producer.broadcast.ended is not None:
                producer = Producer(key, self._source, self._fps, self._clock, self._exited)
                self._running[key] = producer
                self.started += 1
                producer.start()
            producer.viewers += 1
            return producer

    def _leave(self, producer: Producer) -> None:
        with self._lock:
            producer.viewers -= 1
            if producer.viewers > 0:
                return
            if self._running.get(producer.key) is producer:
                del self._running[producer.key]
        producer.stop()  # outside the lock: its thread's exit takes the lock too

    def _exited(self, producer: Producer) -> None:
        """A producer's thread ends (fault, failure, stop): a later viewer starts a new one."""
        with self._lock:
            if self._running.get(producer.key) is producer:
                del self._running[producer.key]
