"""Rate limits per API key and per client address: token buckets, refilled continuously.

A bucket holds ``per_minute`` tokens and refills at that rate; a request takes one. An empty
bucket answers 429 with the seconds until a token is back (``Retry-After``). Buckets of
clients gone quiet are forgotten, so a scan from many addresses cannot grow the table without
end. Thread-safe: Starlette runs the endpoints in a thread pool.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

#: Buckets idle this long are full again: forgetting them changes nothing.
FORGET_AFTER = 120.0
MAX_BUCKETS = 100_000


class RateLimiter:
    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self._rate = per_minute / 60.0
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # name -> (tokens, at)
        self._lock = threading.Lock()

    def take(self, name: str) -> float:
        """0 when allowed (a token taken); else the seconds until one is back."""
        if self.per_minute <= 0:
            return 0.0
        now = self._clock()
        with self._lock:
            tokens, at = self._buckets.get(name, (float(self.per_minute), now))
            tokens = min(float(self.per_minute), tokens + (now - at) * self._rate)
            if tokens < 1.0:
                self._buckets.pop(name, None)
                self._buckets[name] = (tokens, now)
                return (1.0 - tokens) / self._rate
            self._buckets.pop(name, None)  # kept in order of last use: the oldest come first
            self._buckets[name] = (tokens - 1.0, now)
            if len(self._buckets) > MAX_BUCKETS:
                self._forget(now)
            return 0.0

    def _forget(self, now: float) -> None:
        """Drop the buckets idle long enough to be full again, oldest first.

        Past half the cap, the least recently used go anyway. Each pass stops at the first
        recent bucket it meets: never a scan of them all under the lock.
        """
        while self._buckets:
            name, (_, at) = next(iter(self._buckets.items()))
            if now - at <= FORGET_AFTER and len(self._buckets) <= MAX_BUCKETS // 2:
                break
            del self._buckets[name]
