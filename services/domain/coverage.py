"""Patrol coverage: the communes that have gone too long without an available patrol.

A commune is covered while at least one available patrol, whose position is fresh, is inside it.
The watch only knows what it has seen: at start every watched commune counts as uncovered from
that moment, so a warning never claims a gap longer than the watch has been running.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True)
class CoverageGap:
    insee: str
    since: datetime

    def minutes(self, now: datetime) -> int:
        return int((now - self.since).total_seconds() // 60)


class CoverageWatch:
    def __init__(self, watched: Iterable[str], started: datetime) -> None:
        self.watched = frozenset(watched)
        self._uncovered_since: dict[str, datetime] = dict.fromkeys(self.watched, started)

    def observe(self, covered: Iterable[str], now: datetime) -> None:
        """The communes that have an available patrol right now."""
        covered = set(covered)
        for insee in self.watched:
            if insee in covered:
                self._uncovered_since.pop(insee, None)
            else:
                self._uncovered_since.setdefault(insee, now)

    def gaps(self, now: datetime, allowed: timedelta) -> list[CoverageGap]:
        """Communes uncovered for longer than ``allowed``, the longest first."""
        found = [
            CoverageGap(insee, since)
            for insee, since in self._uncovered_since.items()
            if now - since > allowed
        ]
        return sorted(found, key=lambda g: (g.since, g.insee))
