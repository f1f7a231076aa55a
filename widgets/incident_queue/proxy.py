"""Filtering and sorting the queue without touching the model.

Filters: status, priority, commune, category and free text; sorting uses the sort role's raw
values (a priority as a number, time left in seconds), never the displayed text.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex

from services.domain.incidents import Incident, IncidentStatus, Priority
from widgets.incident_queue.model import INCIDENT_ROLE, SORT_ROLE, IncidentTableModel
from widgets.tables import FilterProxy


class IncidentFilterProxy(FilterProxy):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        # Filters read the incident itself: a repaint of the time columns (which changes only
        # the display roles) must not re-filter every row.
        self.setFilterRole(INCIDENT_ROLE)
        self.setDynamicSortFilter(True)
        self._statuses: frozenset[IncidentStatus] | None = None
        self._priorities: frozenset[Priority] | None = None
        self._commune: str | None = None
        self._category: str | None = None

    def set_statuses(self, statuses: set[IncidentStatus] | None) -> None:
        self._statuses = frozenset(statuses) if statuses else None
        self.refilter()

    def set_priorities(self, priorities: set[Priority] | None) -> None:
        self._priorities = frozenset(priorities) if priorities else None
        self.refilter()

    def set_commune(self, insee: str | None) -> None:
        self._commune = insee or None
        self.refilter()

    def set_category(self, category: str | None) -> None:
        self._category = category or None
        self.refilter()

    def filterAcceptsRow(  # noqa: N802
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        model = self.sourceModel()
        assert isinstance(model, IncidentTableModel)
        incident: Incident = model.incident(source_row)
        if self._statuses is not None and incident.status not in self._statuses:
            return False
        if self._priorities is not None and incident.priority not in self._priorities:
            return False
        if self._commune is not None and incident.commune != self._commune:
            return False
        if self._category is not None and incident.category != self._category:
            return False
        return self.text_matches(lambda: model.search_text(source_row))

    def incident_at(self, row: int) -> Incident:
        return self.data(self.index(row, 0), INCIDENT_ROLE)
