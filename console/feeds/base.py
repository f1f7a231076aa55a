"""What every feed does alike: read on a lane of the console's bridge, one turn at a time.

A feed's turn is a coroutine on the GUI thread: it awaits its reads on the feed's own lane (the
database, the map's model) and hands what they found to the panels as signals, still on the GUI
thread. One turn at a time: what arrives meanwhile waits for the next one, so a slow database
never piles reads up, and signals leave in the order the lane worked them out. Stopping cancels
the turn under way (it never resumes to touch a panel being deleted) and waits for the read in
progress, since the database closes next.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Coroutine, Iterable, Iterator
from typing import Any, TypeVar

from PySide6.QtCore import QObject

from console.bridge import Bridge


class Feed(QObject):
    def __init__(self, bridge: Bridge, lane: str, parent: Any = None) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self._lane = bridge.lane(lane)
        self._turns: set[asyncio.Task] = set()
        self._stopped = False

    @property
    def busy(self) -> bool:
        """Whether a turn is under way."""
        return any(not turn.done() for turn in self._turns)

    def _take_turn(self, turn: Coroutine[Any, Any, None]) -> None:
        """Run ``turn`` on the loop, cancelled if the feed stops first."""
        if self._stopped:  # a timer's last tick, queued before stop()
            turn.close()
            return
        task = self._bridge.start(turn)
        if task is None:  # the console stopped meanwhile
            return
        self._turns.add(task)
        task.add_done_callback(self._turns.discard)

    def _stop_turns(self) -> None:
        self._stopped = True
        for turn in list(self._turns):
            turn.cancel()
        self._lane.close(wait=True)


T = TypeVar("T")


def sharing_the_gil(items: Iterable[T], every: int) -> Iterator[T]:
    """``items``, with the interpreter lock given up every ``every`` of them.

    A lane's pass over the field (340,000 devices at ten times Dijon) would otherwise hold it
    for switch intervals at a time, and the GUI thread waits for it at every call into Python.
    """
    for n, item in enumerate(items, 1):
        if n % every == 0:
            time.sleep(0)
        yield item
