"""Things to do later, in order: acks after their latency, reverts at ``until``, repairs.

A heap of (due time, sequence, action). The clock is whatever the caller passes, so tests can
drive it by hand; actions due at the same time run in the order they were scheduled.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable

Action = Callable[[float], None]


class Scheduler:
    def __init__(self) -> None:
        self._heap: list[tuple[float, int, Action]] = []
        self._seq = itertools.count()

    def at(self, due: float, action: Action) -> None:
        """Run ``action(now)`` once the clock reaches ``due``."""
        heapq.heappush(self._heap, (due, next(self._seq), action))

    def next_due(self) -> float | None:
        return self._heap[0][0] if self._heap else None

    def run_due(self, now: float) -> int:
        """Run every action due by ``now`` (including those they schedule for now)."""
        ran = 0
        while self._heap and self._heap[0][0] <= now:
            _, _, action = heapq.heappop(self._heap)
            action(now)
            ran += 1
        return ran

    def __len__(self) -> int:
        return len(self._heap)
