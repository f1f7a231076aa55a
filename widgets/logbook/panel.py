"""The logbook panel: every console's entries as they come, and a line to write one.

Entries arrive from the console (``add_entries``, oldest first, duplicates ignored); writing
asks the console through ``sig_entry_requested``. Filter by operator and by time window.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QListView, QVBoxLayout, QWidget

from services.domain.journal import JournalEntry
from services.domain.room_time import in_room
from widgets.refusal import set_permitted

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1


class LogbookModel(QAbstractListModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._entries: list[JournalEntry] = []
        self._ids: set[int] = set()

    def add_entries(self, entries: list[JournalEntry]) -> None:
        fresh = sorted((e for e in entries if e.id not in self._ids), key=lambda e: e.id)
        if not fresh:
            return
        start = len(self._entries)
        self.beginInsertRows(QModelIndex(), start, start + len(fresh) - 1)
        self._entries += fresh
        self._ids |= {e.id for e in fresh}
        self.endInsertRows()

    @property
    def last_id(self) -> int:
        return self._entries[-1].id if self._entries else 0

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._entries)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        entry = self._entries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            at = in_room(entry.at).strftime("%d/%m %H:%M")
            return f"{at}  {entry.operator}  {entry.text}"
        if role == ENTRY_ROLE:
            return entry
        return None


class LogbookFilter(QSortFilterProxyModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.operator: str | None = None
        self.window: timedelta | None = None

    def set_filters(self, operator: str | None, window: timedelta | None) -> None:
        self.beginFilterChange()
        self.operator, self.window = operator or None, window
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:  # noqa: N802
        entry: JournalEntry = self.sourceModel().index(row, 0, parent).data(ENTRY_ROLE)
        if self.operator and entry.operator != self.operator:
            return False
        return not (self.window and entry.at < datetime.now(UTC) - self.window)


class LogbookPanel(QWidget):
    sig_entry_requested = Signal(str)
    """The operator wrote an entry (its text)."""

    def __init__(self, model: LogbookModel, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("logbook_panel")
        self.model = model
        self.proxy = LogbookFilter(self)
        self.proxy.setSourceModel(model)
        self.operators = QComboBox()
        self.operators.addItem(self.tr("Everyone"), None)
        self.period = QComboBox()
        for text, hours in (
            (self.tr("All"), None),
            (self.tr("Last hour"), 1),
            (self.tr("Last 12 hours"), 12),
            (self.tr("Last 24 hours"), 24),
        ):
            self.period.addItem(text, hours)
        self.view = QListView()
        self.view.setModel(self.proxy)
        self.view.setWordWrap(True)
        self.entry = QLineEdit()
        self.entry.setPlaceholderText(self.tr("Write in the logbook and press Enter"))
        self.entry.returnPressed.connect(self._request)
        filters = QHBoxLayout()
        filters.addWidget(self.operators)
        filters.addWidget(self.period)
        filters.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.entry)
        self.operators.currentIndexChanged.connect(self._refilter)
        self.period.currentIndexChanged.connect(self._refilter)
        model.rowsInserted.connect(self._on_rows)

    def _on_rows(self, *_: Any) -> None:
        known = {self.operators.itemData(i) for i in range(self.operators.count())}
        for row in range(self.model.rowCount()):
            name = self.model.index(row).data(ENTRY_ROLE).operator
            if name not in known:
                self.operators.addItem(name, name)
                known.add(name)
        self.view.scrollToBottom()

    def _refilter(self, *_: Any) -> None:
        hours = self.period.currentData()
        self.proxy.set_filters(
            self.operators.currentData(), timedelta(hours=hours) if hours else None
        )

    def refuse(self, refusal: str) -> None:
        """The operator may not write in the logbook: they still read it."""
        set_permitted(self.entry, True, refusal)

    def _request(self) -> None:
        text = self.entry.text().strip()
        if text:
            self.sig_entry_requested.emit(text)
            self.entry.clear()
