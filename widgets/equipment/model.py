"""All the field's equipment in one table model: 34,000 rows and more, changed a range at a time.

Rows are ``EquipmentView`` values (the state as judged when read). The age column is measured
against a clock the panel ticks, so that a silent device's age grows without any new data.
Stale and comm_lost rows are greyed, their last values kept: what a device last said is still
worth reading, as long as its age is shown beside it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from services.domain.equipment import EquipmentView
from widgets.labels import EQUIPMENT_STATE, age_text, label

DEVICE_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
Index = QModelIndex | QPersistentModelIndex
GREYED = QBrush(QColor("#8a8f94"))
FAULT = QBrush(QColor("#c0392b"))
#: States whose values are the last ones heard, not the present.
SILENT = frozenset({"stale", "comm_lost"})


class Column(IntEnum):
    ID = 0
    TYPE = 1
    STATE = 2
    STATUS = 3
    COMMUNE = 4
    GATEWAY = 5
    AGE = 6


class EquipmentTableModel(QAbstractTableModel):
    clock_ticked = Signal()

    def __init__(
        self,
        commune_names: Mapping[str, str],
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._rows: list[EquipmentView] = []
        self._row_of: dict[str, int] = {}
        self._communes = dict(commune_names)
        self._clock = clock
        self._headers = {
            Column.ID: self.tr("Device"),
            Column.TYPE: self.tr("Type"),
            Column.STATE: self.tr("State"),
            Column.STATUS: self.tr("Status reported"),
            Column.COMMUNE: self.tr("Commune"),
            Column.GATEWAY: self.tr("Gateway"),
            Column.AGE: self.tr("Heard"),
        }

    # --- feeding -------------------------------------------------------------------------------
    def upsert(self, devices: Iterable[EquipmentView]) -> None:
        """New devices appended, changed ones refreshed (one signal per run of rows)."""
        fresh: list[EquipmentView] = []
        changed: list[int] = []
        for device in devices:
            row = self._row_of.get(device.id)
            if row is None:
                fresh.append(device)
            elif self._rows[row] != device:
                self._rows[row] = device
                changed.append(row)
        changed.sort()
        start = 0
        while start < len(changed):  # contiguous runs: one dataChanged each
            end = start
            while end + 1 < len(changed) and changed[end + 1] == changed[end] + 1:
                end += 1
            last = len(Column) - 1
            self.dataChanged.emit(self.index(changed[start], 0), self.index(changed[end], last))
            start = end + 1
        if fresh:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
            for offset, device in enumerate(fresh):
                self._row_of[device.id] = first + offset
                self._rows.append(device)
            self.endInsertRows()

    def tick(self) -> None:
        """Time passed: ages grow (views repaint; order and filters are unchanged)."""
        self.clock_ticked.emit()

    def device(self, row: int) -> EquipmentView:
        return self._rows[row]

    def row_of(self, device_id: str) -> int | None:
        return self._row_of.get(device_id)

    def counts(self) -> dict[str, int]:
        """How many devices in each state."""
        found: dict[str, int] = {}
        for device in self._rows:
            found[device.state] = found.get(device.state, 0) + 1
        return found

    def commune_name(self, insee: str | None) -> str:
        return self._communes.get(insee or "", insee or "")

    # --- Qt's model interface ----------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[Column(section)]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        device = self._rows[index.row()]
        column = Column(index.column())
        if role == DEVICE_ROLE:
            return device
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(device, column)
        if role == SORT_ROLE:
            if column == Column.AGE:
                return device.received_at.timestamp()  # ascending: the longest silent first
            return self._display(device, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if device.state in SILENT:
                return GREYED
            if device.state == "fault" and column in (Column.STATE, Column.STATUS):
                return FAULT
        if role == Qt.ItemDataRole.ToolTipRole and device.state in SILENT:
            return self.tr("Last values heard %1 ago").replace("%1", self._age(device))
        return None

    def _age(self, device: EquipmentView) -> str:
        return age_text(max(0.0, (self._clock() - device.received_at).total_seconds()))

    def _display(self, device: EquipmentView, column: Column) -> str:
        if column == Column.ID:
            return device.id
        if column == Column.TYPE:
            return device.type
        if column == Column.STATE:
            return label(EQUIPMENT_STATE, device.state)
        if column == Column.STATUS:
            return device.status or ""
        if column == Column.COMMUNE:
            return self.commune_name(device.commune)
        if column == Column.GATEWAY:
            return device.gateway or ""
        return self._age(device)
