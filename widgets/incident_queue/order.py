"""The queue's order, kept by the model itself: least time left first.

The proxy used to sort the rows itself, on every insertion and every change of filter: 130,000
calls into Python for 10,000 incidents (``vigie bench ui``: 800 ms to insert them, 900 ms to
filter them). Kept in order here, a new row is placed by bisection and the proxy sorts nothing.
No Qt here: the model announces what these rows do.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from services.domain.incidents import Incident, SlaPolicy

#: (SLA due time, priority, creation time, id): unique, since the id is part of it.
QueueKey = tuple[float, int, float, int]


def queue_key(incident: Incident, policy: SlaPolicy) -> QueueKey:
    """Where an incident stands in the queue.

    Least time left first, measured by the SLA's due time (which orders rows as time left does
    and does not move with the clock); on the same due time the higher priority, then the older,
    then the lower id. Incidents no longer open have no time left: they go last.
    """
    assert incident.id is not None
    due = incident.sla_due(policy).timestamp() if incident.is_open else math.inf
    return (due, int(incident.priority), incident.created_at.timestamp(), incident.id)


@dataclass(slots=True)
class QueueRow:
    """An incident in the queue, with what is worked out of it once per version."""

    incident: Incident
    key: QueueKey
    texts: tuple[str, ...] | None = None  # shown by column (not the time ones), on first sight
    search: str | None = None  # what free text looks in, built on the first search
    sort_values: dict[int, Any] = field(default_factory=dict)  # per column, for other sorts


class OrderedRows:
    """Queue rows in the queue's order; a row found by its incident's id in O(log n).

    ``rows`` is read directly where every call counts (a view's ``data()``, a proxy's filter):
    it stays the same list, changed only by these methods. The keys are kept beside the rows so
    that bisection compares tuples in C, not in a key function; no row number is stored, so
    inserting a row renumbers nothing.
    """

    def __init__(self, policy: SlaPolicy) -> None:
        self.policy = policy
        self.rows: list[QueueRow] = []
        self._keys: list[QueueKey] = []
        self._by_id: dict[int, QueueRow] = {}

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[QueueRow]:
        return iter(self.rows)

    def new_row(self, incident: Incident) -> QueueRow:
        return QueueRow(incident, queue_key(incident, self.policy))

    def find(self, incident_id: int) -> QueueRow | None:
        return self._by_id.get(incident_id)

    def row_of(self, incident_id: int) -> int | None:
        found = self._by_id.get(incident_id)
        return None if found is None else bisect_left(self._keys, found.key)

    def runs(self, fresh: list[QueueRow], most: int) -> list[tuple[int, list[QueueRow]]] | None:
        """Where new rows go, as (row they go before, the run of them), at most ``most`` runs.

        ``fresh`` is in queue order. ``None`` when they are scattered over more places than
        that: the caller then appends them and reorders everything once.
        """
        if not self._keys or fresh[0].key > self._keys[-1]:
            return [(len(self._keys), fresh)]  # all after the last: a first load, a new report
        runs: list[tuple[int, list[QueueRow]]] = []
        for row in fresh:
            at = bisect_left(self._keys, row.key)
            if runs and runs[-1][0] == at:
                runs[-1][1].append(row)
            elif len(runs) == most:
                return None
            else:
                runs.append((at, [row]))
        return runs

    def insert(self, at: int, run: list[QueueRow]) -> None:
        """A run of rows, in order, before row ``at`` (where ``runs`` said they go)."""
        self.rows[at:at] = run
        self._keys[at:at] = [r.key for r in run]
        for row in run:
            self._by_id[row.incident.id] = row  # type: ignore[index]

    def refresh(self, row: int, incident: Incident) -> None:
        """A newer version of the incident at ``row``; if its key changed, ``reorder`` next."""
        self.rows[row] = self.new_row(incident)
        self._keys[row] = self.rows[row].key
        self._by_id[incident.id] = self.rows[row]  # type: ignore[index]

    def delete(self, first: int, last: int) -> None:
        for row in self.rows[first : last + 1]:
            del self._by_id[row.incident.id]  # type: ignore[arg-type]
        del self.rows[first : last + 1]
        del self._keys[first : last + 1]

    def rekey(self, policy: SlaPolicy) -> None:
        """Other SLA targets move every due time: new keys, to ``reorder`` by."""
        self.policy = policy
        for n, row in enumerate(self.rows):
            row.key = self._keys[n] = queue_key(row.incident, policy)
            row.sort_values.clear()  # time left sorts by the due time too

    def in_order(self) -> bool:
        return all(a < b for a, b in zip(self._keys, self._keys[1:], strict=False))

    def reorder(self) -> list[int]:
        """Back in queue order; for each row now, the row it was at before."""
        before = sorted(range(len(self._keys)), key=self._keys.__getitem__)
        self.rows[:] = [self.rows[n] for n in before]
        self._keys[:] = [self._keys[n] for n in before]
        return before

    def incidents(self) -> Iterable[Incident]:
        return (row.incident for row in self.rows)
