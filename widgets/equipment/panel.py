"""The technician's equipment panel: filters and counts per state above, the table below.

It is given its model by the console and emits ``sig_device_selected``; it never reads the
database nor talks to the broker.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from services.domain.equipment import EquipmentState, EquipmentType, EquipmentView
from widgets.equipment.model import DEVICE_ROLE, Column, EquipmentTableModel
from widgets.equipment.paged import BLOCK, EquipmentPageModel, PagedFilter
from widgets.equipment.proxy import EquipmentFilterProxy
from widgets.flow_layout import FlowLayout
from widgets.labels import EQUIPMENT_STATE, EQUIPMENT_TYPE, label
from widgets.plain_text import plain_label
from widgets.refusal import set_permitted
from widgets.tables import search_field, set_starting_widths

COLUMN_WIDTHS = {
    Column.ID: 190,
    Column.TYPE: 150,
    Column.STATE: 110,
    Column.STATUS: 120,
    Column.COMMUNE: 150,
    Column.GATEWAY: 150,
}


class EquipmentPanel(QWidget):
    sig_device_selected = Signal(str)
    """A device was selected (its id)."""
    sig_command_requested = Signal(list)
    """The operator wants to command the selected devices (``EquipmentView``s of one type)."""

    def __init__(
        self,
        model: EquipmentTableModel,
        commune_names: Mapping[str, str],
        parent: Any = None,
        *,
        tick_ms: int = 5000,
        search_delay_ms: int = 250,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.paged = False
        self.proxy: EquipmentFilterProxy | PagedFilter  # the model's, set by ``_attach``
        # Paged, the selection is kept as the devices chosen (their ids), not as row numbers: a
        # refresh reads the blocks again in place and a row may then hold another device.
        self._chosen: dict[str, EquipmentView] = {}
        self._unfetched: set[int] = set()  # rows chosen before their block was read
        self._reselecting = False
        self.type_filter = QComboBox()
        self.type_filter.addItem(self.tr("All types"), None)
        for kind in EquipmentType:
            self.type_filter.addItem(label(EQUIPMENT_TYPE, kind.value), kind.value)
        self.state_filter = QComboBox()
        self.state_filter.addItem(self.tr("All states"), None)
        for state in EquipmentState:
            self.state_filter.addItem(label(EQUIPMENT_STATE, state.value), state.value)
        self.commune_filter = QComboBox()
        self.commune_filter.addItem(self.tr("All communes"), None)
        for insee, name in sorted(commune_names.items(), key=lambda item: item[1]):
            self.commune_filter.addItem(name, insee)
        self.gateway_filter = QLineEdit()
        self.gateway_filter.setPlaceholderText(self.tr("Gateway"))
        self.gateway_filter.setClearButtonEnabled(True)
        # Typing must not filter 34,000 rows at every key: wait for a pause (the gateway's too).
        self.search, self._pause = search_field(
            self, self.tr("Search"), self._apply_text_filters, search_delay_ms
        )
        self.counts = plain_label()
        self.counts.setObjectName("equipment_counts")
        # The counts wrap rather than widen the dock (and the window) to their length.
        self.counts.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.counts.setWordWrap(True)
        self.command_button = QPushButton(self.tr("Command…"))
        self.command_button.setEnabled(False)  # a device first: it says what can be commanded
        self.refusal = ""  # why this operator may command no device, if they may not
        self.command_button.clicked.connect(self._command)

        self.table = QTableView()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Several rows (Ctrl, Shift): the faulty lights of a street, commanded at once.
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setDragEnabled(True)  # a camera's row onto the video wall
        self.table.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setStretchLastSection(True)

        # Wrapped, not squeezed: at 1366×768 they read "All commun", "Sea…". A line of them
        # wraps before it widens the dock (and the window).
        filters = FlowLayout()
        for widget in (self.type_filter, self.state_filter, self.commune_filter):
            filters.add_widget(widget)
        filters.add_widget(self.gateway_filter)
        filters.add_widget(self.search, stretch=True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(filters)
        status_row = QHBoxLayout()
        status_row.addWidget(self.counts, 1)
        status_row.addWidget(self.command_button)
        layout.addLayout(status_row)
        layout.addWidget(self.table)

        self.type_filter.currentIndexChanged.connect(
            lambda _: self.proxy.set_type(self.type_filter.currentData())
        )
        self.state_filter.currentIndexChanged.connect(
            lambda _: self.proxy.set_state(self.state_filter.currentData())
        )
        self.commune_filter.currentIndexChanged.connect(
            lambda _: self.proxy.set_commune(self.commune_filter.currentData())
        )
        self.gateway_filter.textChanged.connect(lambda _text: self._pause.start())
        # Counting 34,000 rows after each of a refresh's many row ranges would be quadratic:
        # count once, shortly after the last.
        self._counts_later = QTimer(self)
        self._counts_later.setSingleShot(True)
        self._counts_later.setInterval(100)
        self._counts_later.timeout.connect(self._update_counts)
        self._located_again = False
        self._clock = QTimer(self)
        self._attach(model)
        self._clock.start(tick_ms)

    def set_model(self, model: EquipmentTableModel) -> None:
        """Another model (the console learns the field's size after start): the filters kept."""
        if model is self.model:
            return
        old, old_proxy, old_selection = self.model, self.proxy, self.table.selectionModel()
        for signal, slot in (
            (old.dataChanged, self._counts_later.start),
            (old.clock_ticked, self.table.viewport().update),
            (self._clock.timeout, old.tick),
        ):
            signal.disconnect(slot)
        if isinstance(old, EquipmentPageModel):
            old.sig_shown.disconnect(self._counts_later.start)
            old.sig_located.disconnect(self._located)
            old.sig_rows_read.disconnect(self._rows_read)
        self._attach(model)
        old_selection.deleteLater()  # the view does not delete the one it replaces
        old_proxy.deleteLater()
        self._apply_filters()

    def _attach(self, model: EquipmentTableModel) -> None:
        self.model = model
        # A field held whole is filtered and sorted by a proxy; a paged one (ten times Dijon)
        # by the database, the same switches turned into its query.
        self.paged = isinstance(model, EquipmentPageModel)
        self.proxy = PagedFilter(self) if self.paged else EquipmentFilterProxy(self)
        self.proxy.setSourceModel(model)
        self._chosen, self._unfetched = {}, set()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Column.ID, Qt.SortOrder.AscendingOrder)
        # The model's columns, measured with their sort indicators' room.
        set_starting_widths(self.table.horizontalHeader(), COLUMN_WIDTHS)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        for signal in (
            self.proxy.rowsInserted,
            self.proxy.rowsRemoved,
            self.proxy.modelReset,
            self.proxy.layoutChanged,
            model.dataChanged,
        ):
            signal.connect(self._counts_later.start)
        if isinstance(model, EquipmentPageModel):
            model.sig_shown.connect(self._counts_later.start)
            model.sig_located.connect(self._located)
            model.sig_rows_read.connect(self._rows_read)
            self.proxy.modelReset.connect(self._forget_choice)
        self._clock.timeout.connect(model.tick)
        model.clock_ticked.connect(self.table.viewport().update)
        self._update_counts()
        self._update_command()

    def _apply_filters(self) -> None:
        self.proxy.set_type(self.type_filter.currentData())
        self.proxy.set_state(self.state_filter.currentData())
        self.proxy.set_commune(self.commune_filter.currentData())
        self._apply_text_filters()

    def _apply_text_filters(self) -> None:
        self.proxy.set_gateway(self.gateway_filter.text())
        self.proxy.set_text(self.search.text())

    def _on_selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        if self._reselecting:
            return  # the chosen devices selected again where their rows now are
        if self.paged:
            self._choose_selected()
        self._update_command()
        rows = selected.indexes()
        device = self.proxy.data(rows[0], DEVICE_ROLE) if rows else None
        if device is not None:  # a paged row not fetched yet is nothing to show on the map
            self.sig_device_selected.emit(device.id)

    def refuse(self, refusal: str) -> None:
        """The operator may command no device: they still see the equipment and its faults."""
        self.refusal = refusal
        self._update_command()

    def _update_command(self) -> None:
        refusal = self.refusal
        if not refusal and self._unfetched:
            refusal = self.tr(
                "Some selected rows are not read yet: wait for them to show, or select fewer"
            )
        set_permitted(self.command_button, bool(self.selected_devices()), refusal)

    def selection_complete(self) -> bool:
        """Whether every selected row is a known device (paged: none waits for its block)."""
        return not self._unfetched

    def selected_devices(self) -> list[EquipmentView]:
        """The selected devices of the first one's type (a command is for one type)."""
        if self.paged:
            devices = list(self._chosen.values())
        else:
            devices = [
                self.proxy.data(index, DEVICE_ROLE)
                for index in self.table.selectionModel().selectedRows()
            ]
            devices = [d for d in devices if d is not None]
        return [d for d in devices if d.type == devices[0].type] if devices else []

    def _command(self) -> None:
        if not self.selection_complete():
            return  # never a command to part of what the operator selected
        chosen = self.selected_devices()
        if chosen:
            self.sig_command_requested.emit(chosen)

    # --- paged: the selection kept as devices ----------------------------------------------------
    def _choose_selected(self) -> None:
        """The operator selected: the rows selected now, as devices (their ids) where read."""
        model = self.model
        assert isinstance(model, EquipmentPageModel)
        chosen: dict[str, EquipmentView] = {}
        unfetched: set[int] = set()
        for selected in self.table.selectionModel().selection():
            top, bottom = selected.top(), selected.bottom()
            for block in range(top // BLOCK, bottom // BLOCK + 1):  # a block at a time
                first, last = max(top, block * BLOCK), min(bottom, block * BLOCK + BLOCK - 1)
                rows = model.held_block(block)
                if rows is None:
                    unfetched.update(range(first, last + 1))
                    continue
                for row in range(first, last + 1):
                    if row - block * BLOCK < len(rows):
                        device = rows[row - block * BLOCK]
                        chosen[device.id] = device
                    else:
                        unfetched.add(row)
        self._chosen, self._unfetched = chosen, unfetched

    def _rows_read(self, first: int, last: int) -> None:
        """A block arrived: rows chosen unread become devices, the chosen selected where now."""
        if not self._chosen and not self._unfetched:
            return
        model = self.model
        assert isinstance(model, EquipmentPageModel)
        for row in sorted(r for r in self._unfetched if first <= r <= last):
            device = model.held(row)
            if device is not None:
                self._unfetched.discard(row)
                self._chosen[device.id] = device
        self._unfetched = {r for r in self._unfetched if r < model.rowCount()}
        rows = set(self._unfetched)
        for row, device in model.held_rows(self._chosen):
            self._chosen[device.id] = device  # its state as read now
            rows.add(row)
        selection = QItemSelection()
        last_column = self.proxy.columnCount() - 1
        for top, bottom in _runs(sorted(rows)):
            selection.select(self.proxy.index(top, 0), self.proxy.index(bottom, last_column))
        self._reselecting = True
        try:
            self.table.selectionModel().select(
                selection, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
        finally:
            self._reselecting = False
        self._update_command()

    def _forget_choice(self) -> None:
        """Other filters or another order: nothing is selected any more, as the table shows."""
        self._chosen, self._unfetched = {}, set()
        self._update_command()

    def _update_counts(self) -> None:
        counts = self.model.counts()
        parts = [
            f"{label(EQUIPMENT_STATE, state.value)}: {counts.get(state.value, 0)}"
            for state in EquipmentState
        ]
        shown = self.tr("%1 shown").replace("%1", str(self.proxy.rowCount()))
        self.counts.setText("   ".join([*parts, shown]))

    def select_device(self, device_id: str) -> bool:
        """Select and show a device's row, clearing filters that hide it.

        Paged, the database says where the row is: it is selected once the answer comes.
        """
        if isinstance(self.model, EquipmentPageModel):
            self._located_again = False
            self.model.locate(device_id)
            return True
        row = self.model.row_of(device_id)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            for combo in (self.type_filter, self.state_filter, self.commune_filter):
                combo.setCurrentIndex(0)
            self.gateway_filter.clear()
            self.search.clear()
            self._apply_text_filters()
            index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.selectRow(index.row())
        self.table.scrollTo(index)
        return True

    def _located(self, device_id: str, row: int) -> None:
        if row < 0:
            if self._located_again:
                return  # not in the record at all
            self._located_again = True  # hidden by the filters: cleared, then asked again
            self._clear_filters()
            assert isinstance(self.model, EquipmentPageModel)
            self.model.locate(device_id)
            return
        index = self.proxy.index(row, 0)
        self.table.selectRow(row)
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        if self.proxy.data(index, DEVICE_ROLE) is None:  # its page comes later: said now
            self.sig_device_selected.emit(device_id)

    def _clear_filters(self) -> None:
        for combo in (self.type_filter, self.state_filter, self.commune_filter):
            combo.setCurrentIndex(0)
        self.gateway_filter.clear()
        self.search.clear()
        self._apply_text_filters()


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Sorted rows as runs of consecutive ones (first, last)."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and runs[-1][1] == row - 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs
