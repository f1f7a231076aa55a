"""The traffic post's view of buses' priority requests: how many, and how many were served.

A signal's retained state carries only its latest request (``lastPriorityRequest``, and Vigie's
extension ``lastPriorityServed``); a reader that looks every few seconds counts each request it
sees once. Requests older than the reader's start are history it did not see happen: not counted.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from services.domain.modes import ModeRecord

WINDOW = timedelta(hours=1)
#: ``lastPriorityKind``: who asked the latest request (field contract): a bus, or a unit (an
#: emergency vehicle's ``priority`` command).
BUS, UNIT = "bus", "unit"


def bus_request(attributes: Mapping[str, Any]) -> tuple[str | None, bool | None]:
    """A signal's latest request and whether served, if a bus asked it; (None, None) if not.

    A unit's request (``lastPriorityKind`` "unit", or, from a controller that does not say the
    kind, a request naming ``lastPriorityUnit``) is an emergency vehicle's passage: never
    counted among buses', nor published (it would tell where a unit went, and when).
    """
    kind = attributes.get("lastPriorityKind")
    if kind == UNIT or (kind is None and attributes.get("lastPriorityUnit")):
        return None, None
    requested = attributes.get("lastPriorityRequest")
    served = attributes.get("lastPriorityServed")
    return (
        requested if isinstance(requested, str) else None,
        served if isinstance(served, bool) else None,
    )


class BusPriorityLog:
    def __init__(self, started_at: datetime) -> None:
        self.started_at = started_at
        self._seen: dict[str, str] = {}  # signal -> its latest request's time, as sent
        self._requests: deque[tuple[datetime, bool]] = deque()

    def observe(self, signal: str, requested: str | None, served: bool | None) -> None:
        """A signal's latest request as its state says (the same one again is ignored)."""
        if not requested or self._seen.get(signal) == requested:
            return
        self._seen[signal] = requested
        try:
            at = datetime.fromisoformat(requested.replace("Z", "+00:00"))
        except ValueError:
            return
        if at.tzinfo is None or at < self.started_at:
            return
        self._requests.append((at, served is True))

    def last_hour(self, now: datetime) -> tuple[int, int]:
        """(requests, served) over the last hour."""
        while self._requests and now - self._requests[0][0] > WINDOW:
            self._requests.popleft()
        recent = [served for at, served in self._requests if at <= now]
        return len(recent), sum(recent)


def bus_priority_in_force(records: Iterable[ModeRecord]) -> bool | None:
    """Whether signals serve buses' priority now: as the latest switch that said so set it.

    Each mode's playbook entry may turn it on or off (the snow plan's crisis level turns it off);
    the most recent of those switches is in force. None: no switch has said.
    """
    said = [r for r in records if r.bus_priority is not None]
    latest = max(said, key=lambda r: r.since, default=None)
    return None if latest is None else latest.bus_priority
