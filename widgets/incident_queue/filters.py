"""What the operator asked the queue to show, as one test a row passes or not.

A change of filter tests every row, 10,000 on a storm day, each from C++ through the proxy's
``filterAcceptsRow``: the test is a closure over plain values (no attribute of a Qt object read
per row), and the free text is looked for in a text built once per version of an incident.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from services.domain.incidents import IncidentStatus, Priority
from widgets.incident_queue.order import QueueRow

RowTest = Callable[[int], bool]


@dataclass(frozen=True, slots=True)
class QueueFilter:
    """``None`` (or no text): anything goes."""

    statuses: frozenset[IncidentStatus] | None = None
    priorities: frozenset[Priority] | None = None
    commune: str | None = None  # INSEE code
    category: str | None = None
    text: str = ""  # case-folded, stripped
    ids: frozenset[int] | None = None  # "these incidents": a bar clicked in the Statistics panel
    held: frozenset[int] | None = None
    """With ``ids``: the incidents the queue held when they were chosen. Any other arrived since
    and passes (``None``: none passes): the live queue is the dispatcher's work, a look back at
    the figures must not hide a call just taken (a new P1 least of all)."""


def row_test(
    wanted: QueueFilter, rows: list[QueueRow], text_of: Callable[[QueueRow], str]
) -> RowTest:
    """Whether the row at a number passes ``wanted``; ``text_of`` builds a row's search text."""
    statuses, priorities = wanted.statuses, wanted.priorities
    commune, category, text = wanted.commune, wanted.category, wanted.text
    ids, held = wanted.ids, wanted.held

    def passes(number: int) -> bool:
        row = rows[number]
        incident = row.incident
        if ids is not None and incident.id not in ids and (held is None or incident.id in held):
            return False
        if statuses is not None and incident.status not in statuses:
            return False
        if priorities is not None and incident.priority not in priorities:
            return False
        if commune is not None and incident.commune != commune:
            return False
        if category is not None and incident.category != category:
            return False
        return not text or text in (row.search or text_of(row))

    return passes
