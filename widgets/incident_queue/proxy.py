"""Filtering the queue without touching the model, and sorting it only when asked to.

Filters: status, priority, commune, category, free text and a set of incidents (``filters.py``).
The model keeps the queue's own order (least time left first), so that order costs the proxy
nothing; another column, or the other way round, is sorted on the sort role's raw values (a
priority as a number, never the displayed text).
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt

from services.domain.incidents import Incident, IncidentStatus, Priority
from widgets.incident_queue.filters import QueueFilter, RowTest, row_test
from widgets.incident_queue.model import INCIDENT_ROLE, SORT_ROLE, Column, IncidentTableModel
from widgets.tables import FilterProxy

#: The order the model keeps its rows in: asked for it, the proxy shows them as they are.
QUEUE_ORDER = (Column.TIME_LEFT, Qt.SortOrder.AscendingOrder)
UNSORTED = -1
T = TypeVar("T")


class IncidentFilterProxy(FilterProxy):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        # Filters read the incident itself: a repaint of the time columns (which changes only
        # the display roles) must not re-filter every row.
        self.setFilterRole(INCIDENT_ROLE)
        self.setDynamicSortFilter(True)  # a changed row is filtered again (and placed again)
        self._wanted = QueueFilter()
        self._passes: RowTest = lambda _row: True

    def setSourceModel(self, model: QAbstractItemModel) -> None:  # noqa: N802
        assert isinstance(model, IncidentTableModel)
        self._retest(model)  # before Qt filters its rows
        super().setSourceModel(model)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column; the queue's own order is the model's, and needs no sorting.

        Sorting 10,000 rows asked Python for 130,000 values, and a sorting proxy sorted again
        every row a filter let back in.
        """
        if (column, order) == QUEUE_ORDER:
            column = UNSORTED
        super().sort(column, order)

    def set_text(self, text: str) -> None:
        """Keep the rows whose text holds this (case and surrounding blanks ignored)."""
        self._want(text=_folded(text))

    def set_statuses(self, statuses: set[IncidentStatus] | None) -> None:
        self._want(statuses=_frozen(statuses))

    def set_priorities(self, priorities: set[Priority] | None) -> None:
        self._want(priorities=_frozen(priorities))

    def set_commune(self, insee: str | None) -> None:
        self._want(commune=insee or None)

    def set_category(self, category: str | None) -> None:
        self._want(category=category or None)

    def set_ids(self, ids: frozenset[int] | None, held: frozenset[int] | None = None) -> None:
        """Keep only these incidents (``None``: no such selection), and those not ``held``."""
        self._want(ids=ids, held=held if ids is not None else None)

    def set_filters(
        self,
        *,
        statuses: set[IncidentStatus] | None,
        priorities: set[Priority] | None,
        commune: str | None,
        text: str,
        ids: frozenset[int] | None = None,
        held: frozenset[int] | None = None,
    ) -> None:
        """Every filter at once: one pass over the rows, not one a filter.

        A selection shown or put away changes them all.
        """
        self._want(
            statuses=_frozen(statuses),
            priorities=_frozen(priorities),
            commune=commune or None,
            text=_folded(text),
            ids=ids,
            held=held if ids is not None else None,
        )

    def _want(self, **changes: Any) -> None:
        self._wanted = dataclasses.replace(self._wanted, **changes)
        model = self.sourceModel()
        if isinstance(model, IncidentTableModel):
            self._retest(model)
        self.refilter()

    def _retest(self, model: IncidentTableModel) -> None:
        self._passes = row_test(self._wanted, model.queue_rows(), model.search_text_of)

    def filterAcceptsRow(  # noqa: N802
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        # A refilter calls this from C++ for every row: one call into the filter's closure.
        return self._passes(source_row)

    def incident_at(self, row: int) -> Incident:
        return self.data(self.index(row, 0), INCIDENT_ROLE)


def _frozen(values: set[T] | None) -> frozenset[T] | None:
    return frozenset(values) if values else None


def _folded(text: str) -> str:
    return text.strip().casefold()
