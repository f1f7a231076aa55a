"""The equipment table at ten times Dijon: a model that fetches the pages it shows.

With 340,000 devices the table holds no copy of the field: the database filters and orders
(``services.store.equipment_page``, run by the console off the GUI thread) and the model asks
for the blocks of rows the view paints. A row not fetched yet shows empty until its block
arrives. Filters and the order are one ``EquipmentQuery``; ``PagedFilter`` gives the panel the
same switches as the proxy that filters a held field.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QIdentityProxyModel, QModelIndex, Qt, QTimer, Signal

from services.domain.equipment import EquipmentView
from services.domain.equipment_query import EquipmentQuery, SortKey
from widgets.equipment.model import Column, EquipmentTableModel, Index
from widgets.labels import DEVICE_STATUS, label

#: Rows fetched at a time; the cache keeps this many blocks, the ones nearest the view.
BLOCK = 200
KEPT_BLOCKS = 40
SORT_OF_COLUMN = {
    Column.ID: SortKey.ID,
    Column.TYPE: SortKey.TYPE,
    Column.STATE: SortKey.STATE,
    Column.STATUS: SortKey.STATUS,
    Column.COMMUNE: SortKey.COMMUNE,
    Column.GATEWAY: SortKey.GATEWAY,
    Column.AGE: SortKey.AGE,
}


class EquipmentPageModel(EquipmentTableModel):
    sig_wanted = Signal(object, int, list)
    """(query, generation, blocks): count the query's rows and fetch these blocks."""
    sig_locate = Signal(object, str)
    """(query, device id): where is this device in the query's order?"""
    sig_located = Signal(str, int)
    """A device's row in the current order (-1: the filters hide it)."""
    sig_shown = Signal()
    """The row count or the counts per state changed."""
    sig_rows_read = Signal(int, int)
    """(first, last): these rows were read (a block arrived), perhaps other devices than before."""

    def __init__(self, commune_names: Mapping[str, str], **kwargs: Any) -> None:
        super().__init__(commune_names, **kwargs)
        order = sorted(self._communes.items(), key=lambda item: item[1])
        self.query = EquipmentQuery(commune_order=tuple(code for code, _name in order))
        self.generation = 0
        self._total = 0
        self._state_counts: dict[str, int] = {}
        self._blocks: dict[int, list[EquipmentView]] = {}
        self._wanted: set[int] = set()
        self._stale: set[int] = set()  # blocks held from before the last refresh
        self._reset_wanted = True
        self._located_later: tuple[str, int] | None = None
        self._ask_later = QTimer(self)
        self._ask_later.setSingleShot(True)
        self._ask_later.setInterval(0)
        self._ask_later.timeout.connect(self._ask)

    # --- what the panel and the console ask ------------------------------------------------------
    def set_query(self, query: EquipmentQuery) -> None:
        """Other filters or another order: the rows are counted and fetched again."""
        if query == self.query:
            return
        self.query = query
        self.generation += 1
        self._reset_wanted = True
        self._wanted = {0}
        self._ask_later.start()

    def refresh(self) -> None:
        """The record changed: the same query counted again, the blocks in view fetched again.

        The blocks held stay shown until their rows come again; only those the view paints
        are read again (each read of a block orders the whole field).
        """
        self.generation += 1
        self._stale = set(self._blocks)
        if not self._blocks:
            self._wanted.add(0)
        self._ask_later.start()

    def locate(self, device_id: str) -> None:
        self.sig_locate.emit(self.query, device_id)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = SORT_OF_COLUMN.get(Column(column), SortKey.ID)
        descending = order == Qt.SortOrder.DescendingOrder
        self.set_query(replace(self.query, sort=key, descending=descending))

    # --- what the console answers ----------------------------------------------------------------
    def show_count(self, generation: int, total: int, state_counts: Mapping[str, int]) -> None:
        if generation != self.generation:
            return  # an older query's answer
        self._state_counts = dict(state_counts)
        if self._reset_wanted:
            self._reset_wanted = False
            self.beginResetModel()
            self._total = total
            self._blocks = {}
            self._stale = set()
            self.endResetModel()
            if self._located_later is not None:
                located, self._located_later = self._located_later, None
                self.sig_located.emit(*located)
        elif total > self._total:
            self.beginInsertRows(QModelIndex(), self._total, total - 1)
            self._total = total
            self.endInsertRows()
        elif total < self._total:
            self.beginRemoveRows(QModelIndex(), total, self._total - 1)
            self._total = total
            self.endRemoveRows()
        if self._stale and self._total:  # the view paints again: what it shows is read again
            last = self.columnCount() - 1
            self.dataChanged.emit(self.index(0, 0), self.index(self._total - 1, last))
        self.sig_shown.emit()

    def show_block(self, generation: int, block: int, rows: Sequence[EquipmentView]) -> None:
        if generation != self.generation or self._reset_wanted:
            return
        first = block * BLOCK
        if first >= self._total:
            return
        rows = list(rows)[: self._total - first]
        self._blocks[block] = rows
        self._stale.discard(block)
        if len(self._blocks) > KEPT_BLOCKS:  # the farthest from this one go
            for far in sorted(self._blocks, key=lambda b: -abs(b - block))[
                : len(self._blocks) - KEPT_BLOCKS
            ]:
                del self._blocks[far]
        if rows:
            last = self.columnCount() - 1
            self.dataChanged.emit(self.index(first, 0), self.index(first + len(rows) - 1, last))
            self.sig_rows_read.emit(first, first + len(rows) - 1)

    def show_location(self, device_id: str, row: int | None) -> None:
        if self._reset_wanted:  # the rows of the query it was found in are not counted yet
            self._located_later = (device_id, -1 if row is None else row)
            return
        self.sig_located.emit(device_id, -1 if row is None else row)

    # --- the table model -------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else self._total

    def _device_at(self, row: int) -> EquipmentView | None:
        block = row // BLOCK
        rows = self._blocks.get(block)
        if rows is not None and row - block * BLOCK < len(rows):
            if block in self._stale and block not in self._wanted:
                self._wanted.add(block)  # read again, shown as it was meanwhile
                self._ask_later.start()
            return rows[row - block * BLOCK]
        if block not in self._wanted and 0 <= row < self._total:
            self._wanted.add(block)
            self._ask_later.start()  # every block the view paints, asked for once, together
        return None

    def device(self, row: int) -> EquipmentView:
        found = self._device_at(row)
        if found is None:
            raise IndexError(row)
        return found

    def held(self, row: int) -> EquipmentView | None:
        """The device a row shows now, if its block is held (never asks for a block)."""
        block = row // BLOCK
        rows = self._blocks.get(block)
        if rows is None or not 0 <= row - block * BLOCK < len(rows):
            return None
        return rows[row - block * BLOCK]

    def held_block(self, block: int) -> list[EquipmentView] | None:
        """A block's rows if held (never asks for it)."""
        return self._blocks.get(block)

    def held_rows(self, ids: Mapping[str, Any]) -> list[tuple[int, EquipmentView]]:
        """The rows held that show these devices, with the devices as read."""
        return [
            (block * BLOCK + n, device)
            for block, rows in self._blocks.items()
            for n, device in enumerate(rows)
            if device.id in ids
        ]

    def row_of(self, key: str) -> int | None:
        for block, rows in self._blocks.items():
            for n, device in enumerate(rows):
                if device.id == key:
                    return block * BLOCK + n
        return None

    def items(self) -> list[EquipmentView]:
        return [d for _b, rows in sorted(self._blocks.items()) for d in rows]

    def counts(self) -> dict[str, int]:
        return dict(self._state_counts)

    def upsert(self, items: Any) -> None:  # the held model's way in: here, the record changed
        self.refresh()

    def _ask(self) -> None:
        wanted, self._wanted = sorted(self._wanted), set()
        self.sig_wanted.emit(self.query, self.generation, wanted)


class PagedFilter(QIdentityProxyModel):
    """The panel's filters, turned into the paged model's query (no row is filtered here)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)

    def _model(self) -> EquipmentPageModel:
        model = self.sourceModel()
        assert isinstance(model, EquipmentPageModel)
        return model

    def _set(self, **changes: Any) -> None:
        model = self._model()
        model.set_query(replace(model.query, **changes))

    def set_type(self, value: str | None) -> None:
        self._set(type=value or None)

    def set_commune(self, insee: str | None) -> None:
        self._set(commune=insee or None)

    def set_gateway(self, gateway: str | None) -> None:
        self._set(gateway=(gateway or "").strip() or None)

    def set_state(self, state: str | None) -> None:
        self._set(state=state or None)

    def set_text(self, text: str) -> None:
        """A device's id, status or gateway as typed; a status or commune by its words."""
        text = text.strip()
        if not text:
            self._set(text=None, text_statuses=(), text_communes=())
            return
        lowered = text.casefold()
        statuses = tuple(c for c in DEVICE_STATUS if lowered in label(DEVICE_STATUS, c).casefold())
        model = self._model()
        communes = tuple(c for c, name in model._communes.items() if lowered in name.casefold())
        self._set(text=text, text_statuses=statuses, text_communes=communes)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._model().sort(column, order)
