"""The command log every console shares: who sent what to what, and where it stands now.

Fed by the console from the outbox whenever ``events/commands`` says something moved; a status
is what the acks made of it, never the sender's say-so, and says "late" when the device's answer
came after the command was recorded timed out. Filter by status and text; re-run a command (the
console shows its plan again and asks before sending).
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from services.domain.commands import CommandRecord, CommandStatus
from services.domain.room_time import in_room
from widgets.flow_layout import FlowLayout
from widgets.labels import COMMAND_STATUS, label
from widgets.palette import Role, brush
from widgets.refusal import set_permitted
from widgets.tables import FilterProxy, KeyedTableModel, search_field

RECORD_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex
#: Outcomes an operator must look at: something did not happen, or nobody knows.
TROUBLE = frozenset({"partial", "failed", "rejected", "expired", "timed_out"})


class Column(IntEnum):
    ISSUED = 0
    BY = 1
    COMMAND = 2
    TARGET = 3
    STATUS = 4


class CommandLogModel(KeyedTableModel[CommandRecord]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(lambda record: record.request_id, parent)
        self.set_headers(
            {
                Column.ISSUED: self.tr("Sent"),
                Column.BY: self.tr("By"),
                Column.COMMAND: self.tr("Command"),
                Column.TARGET: self.tr("Target"),
                Column.STATUS: self.tr("Status"),
            }
        )

    def record(self, row: int) -> CommandRecord:
        return self.item(row)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        record = self._rows[index.row()]
        column = Column(index.column())
        if role == RECORD_ROLE:
            return record
        if role == Qt.ItemDataRole.ForegroundRole and column == Column.STATUS:
            return brush(Role.ALARM) if record.status in TROUBLE else None
        if role == Qt.ItemDataRole.UserRole and column == Column.ISSUED:
            return record.issued_at.timestamp()  # sorting by time, not by its text
        if role == Qt.ItemDataRole.ToolTipRole and column == Column.STATUS and _late(record):
            return self.tr(
                "The device's answer came after the command was recorded as timed out: "
                "this is the answer it gave."
            )
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == Column.ISSUED:
            return in_room(record.issued_at).strftime("%d/%m %H:%M:%S")
        if column == Column.BY:
            return record.issued_by
        if column == Column.COMMAND:
            params = " ".join(f"{k}={v}" for k, v in record.params.items())
            return f"{record.command} {params}".strip()
        if column == Column.TARGET:
            return (
                record.target
                if record.target_type == "group"
                else (f"{record.target_type} {record.target}")
            )
        status = label(COMMAND_STATUS, record.status)
        return self.tr("{status} (late)").format(status=status) if _late(record) else status


def _late(record: CommandRecord) -> bool:
    return record.late


class CommandLogFilter(FilterProxy):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setFilterRole(RECORD_ROLE)
        self._statuses: frozenset[str] | None = None

    def set_statuses(self, statuses: frozenset[str] | None) -> None:
        self._statuses = statuses
        self.refilter()

    def filterAcceptsRow(  # noqa: N802
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        model = self.sourceModel()
        assert isinstance(model, CommandLogModel)
        record = model.record(source_row)
        if self._statuses is not None and record.status not in self._statuses:
            return False
        return self.text_matches(
            lambda: f"{record.command} {record.target} {record.issued_by} {record.request_id}"
        )


class CommandLogPanel(QWidget):
    sig_rerun_requested = Signal(object)
    """Send this command again (a ``CommandRecord``): the console previews and asks first."""

    def __init__(self, model: CommandLogModel, parent: Any = None) -> None:
        super().__init__(parent)
        self.model = model
        self.proxy = CommandLogFilter(self)
        self.proxy.setSourceModel(model)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.status_filter = QComboBox()
        self.status_filter.addItem(self.tr("All"), None)
        self.status_filter.addItem(self.tr("Not done (failed, partial, timed out…)"), TROUBLE)
        self.status_filter.addItem(
            self.tr("Waiting for acks"),
            frozenset({CommandStatus.PENDING.value, CommandStatus.ACCEPTED.value}),
        )
        self.status_filter.addItem(self.tr("Done"), frozenset({CommandStatus.DONE.value}))
        self.status_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.status_filter.setMinimumContentsLength(10)
        self.search, self._pause = search_field(
            self, self.tr("Search"), lambda: self.proxy.set_text(self.search.text())
        )
        self.rerun = QPushButton(self.tr("Re-run…"))
        self.rerun.setEnabled(False)
        self.refusal = ""  # why this operator may command nothing, if they may not
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Column.ISSUED, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in ((Column.ISSUED, 120), (Column.COMMAND, 220), (Column.TARGET, 220)):
            header.resizeSection(column, width)
        # Wrapped, not a line as wide as its three: under the equipment panel at 1366x768, in
        # French, it held the dock (and the window) 26 pixels wider than the screen.
        top = FlowLayout()
        top.add_widget(self.status_filter)
        top.add_widget(self.search, stretch=True)
        top.add_widget(self.rerun)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.table)
        self.status_filter.currentIndexChanged.connect(
            lambda _: self.proxy.set_statuses(self.status_filter.currentData())
        )
        self.table.selectionModel().selectionChanged.connect(
            lambda *_: set_permitted(self.rerun, self._selected() is not None, self.refusal)
        )
        self.rerun.clicked.connect(self._rerun)

    def _selected(self) -> CommandRecord | None:
        rows = self.table.selectionModel().selectedRows()
        return self.proxy.data(rows[0], RECORD_ROLE) if rows else None

    def refuse(self, refusal: str) -> None:
        self.refusal = refusal
        set_permitted(self.rerun, self._selected() is not None, refusal)

    def _rerun(self) -> None:
        record = self._selected()
        if record is not None and record.target_type != "unit":  # a dispatch is sent anew
            self.sig_rerun_requested.emit(record)
