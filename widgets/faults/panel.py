"""The faults view: devices in fault, since when, and the incident each opened.

When one cause took many devices (a cabinet's gateway), the incident is the gateway's, and the
row says so. A double click opens the incident; "Show on map" centres the map on the device.
The console feeds it and routes its two requests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from services.domain.equipment import Fault
from widgets.labels import age_text, status_label
from widgets.plain_text import plain_label
from widgets.tables import KeyedTableModel

FAULT_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
Index = QModelIndex | QPersistentModelIndex
_ROLES_SHOWN = frozenset({Qt.ItemDataRole.DisplayRole, FAULT_ROLE, SORT_ROLE})


class Column(IntEnum):
    DEVICE = 0
    TYPE = 1
    STATUS = 2
    COMMUNE = 3
    SINCE = 4
    INCIDENT = 5


class FaultTableModel(KeyedTableModel[Fault]):
    # The first fill at ten times Dijon: 1,400 faults into the sorted view held it 70 ms at once.
    rows_a_turn = 200

    def __init__(
        self,
        commune_names: Mapping[str, str],
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        parent: Any = None,
    ) -> None:
        super().__init__(lambda fault: fault.id, parent)
        self._communes = dict(commune_names)
        self._clock = clock
        self.set_headers(
            {
                Column.DEVICE: self.tr("Device"),
                Column.TYPE: self.tr("Type"),
                Column.STATUS: self.tr("Fault"),
                Column.COMMUNE: self.tr("Commune"),
                Column.SINCE: self.tr("In fault for"),
                Column.INCIDENT: self.tr("Incident"),
            }
        )

    def replace(self, faults: Iterable[Fault]) -> None:
        """The faults now: gone ones removed, changed ones refreshed, new ones appended."""
        self.keep_only(faults)

    def fault(self, row: int) -> Fault:
        return self.item(row)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # The roles asked first: the sorted view asks thousands of times while rows come in.
        if role not in _ROLES_SHOWN or not index.isValid():
            return None
        fault = self._rows[index.row()]
        if role == FAULT_ROLE:
            return fault
        column = Column(index.column())
        if role == SORT_ROLE:
            if column == Column.SINCE:
                return fault.since.timestamp()  # ascending: the longest in fault first
            if column == Column.INCIDENT:
                return fault.incident_id or 0
            return self._display(fault, column)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(fault, column)
        return None

    def _display(self, fault: Fault, column: Column) -> str:
        if column == Column.DEVICE:
            return fault.id
        if column == Column.TYPE:
            return fault.type
        if column == Column.STATUS:
            return status_label(fault.status)
        if column == Column.COMMUNE:
            return self._communes.get(fault.commune or "", fault.commune or "")
        if column == Column.SINCE:
            return age_text(max(0.0, (self._clock() - fault.since).total_seconds()))
        if fault.incident_id is None:
            return self.tr("none yet")
        if fault.through_gateway:
            return (
                self.tr("#%1 (gateway %2)")
                .replace("%1", str(fault.incident_id))
                .replace("%2", fault.gateway or "")
            )
        return f"#{fault.incident_id}"


class FaultsPanel(QWidget):
    sig_incident_requested = Signal(int)
    """Open this incident."""
    sig_device_requested = Signal(str)
    """Show this device (on the map, in the equipment)."""

    def __init__(self, model: FaultTableModel, parent: Any = None) -> None:
        super().__init__(parent)
        self.model = model
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Column.SINCE, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().resizeSection(Column.DEVICE, 200)
        self.count = plain_label()
        self.open_incident = QPushButton(self.tr("Open the incident"))
        self.show_device = QPushButton(self.tr("Show on the map"))
        self.open_incident.clicked.connect(self._open_incident)
        self.show_device.clicked.connect(self._show_device)
        self.table.doubleClicked.connect(lambda _index: self._open_incident())
        buttons = QHBoxLayout()
        buttons.addWidget(self.count, 1)
        buttons.addWidget(self.open_incident)
        buttons.addWidget(self.show_device)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(buttons)
        layout.addWidget(self.table)
        for signal in (self.model.rowsInserted, self.model.rowsRemoved, self.model.modelReset):
            signal.connect(self._update_count)
        self._update_count()

    def _update_count(self, *_: Any) -> None:
        self.count.setText(self.tr("%1 device(s) in fault").replace("%1", str(self.model.held())))

    def _selected(self) -> Fault | None:
        rows = self.table.selectionModel().selectedRows()
        return self.proxy.data(rows[0], FAULT_ROLE) if rows else None

    def _open_incident(self) -> None:
        fault = self._selected()
        if fault is not None and fault.incident_id is not None:
            self.sig_incident_requested.emit(fault.incident_id)

    def _show_device(self) -> None:
        fault = self._selected()
        if fault is not None:
            self.sig_device_requested.emit(fault.id)
