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
                self._buckets[name] = (tokens, now)
                return (1.0 - tokens) / self._rate
            self._buckets[name] = (tokens - 1.0, now)
            if len(self._buckets) > MAX_BUCKETS:
                self._forget(now)
            return 0.0

    def _forget(self, now: float) -> None:
        quiet = [n for n, (_, at) in self._buckets.items() if now - at > FORGET_AFTER]
        for name in quiet:
            del self._buckets[name]
