"""What the panels' tables share: rows keyed by an id, changed in place, never reset.

A model keeps frozen values (one per row) and a header per column; ``upsert`` appends new rows
and refreshes changed ones a run of rows at a time, ``keep_only`` removes the rows that are
gone. Views keep their selection and scroll position through all of it (style.md: no resets).
Filters live in a ``FilterProxy``, free text included; ``search_field`` is the box that feeds it,
applied once the operator pauses typing.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import QHeaderView, QLineEdit, QWidget

Row = TypeVar("Row")
Index = QModelIndex | QPersistentModelIndex


class KeyedTableModel(QAbstractTableModel, Generic[Row]):
    #: New rows appended at once (0: all). A sorted view places each new row by comparing it
    #: with others, each comparison a few calls into Python: at Dijon's scale the equipment
    #: table's first fill held the GUI thread 3 s. Beyond this many, the others follow at the
    #: next turns of the event loop.
    rows_a_turn = 0

    def __init__(self, key: Callable[[Row], str], parent: Any = None) -> None:
        super().__init__(parent)
        self._key = key
        self._rows: list[Row] = []
        self._row_of: dict[str, int] = {}
        self._headers: Mapping[int, str] = {}
        self._waiting: dict[str, Row] = {}  # new rows not appended yet, in their order
        self._more = QTimer(self)
        self._more.setSingleShot(True)
        self._more.setInterval(0)
        self._more.timeout.connect(self._append_waiting)

    def set_headers(self, headers: Mapping[int, str]) -> None:
        self._headers = dict(headers)

    def upsert(self, items: Iterable[Row]) -> None:
        """New rows appended, changed ones refreshed (one ``dataChanged`` per run of rows).

        A row still waiting for its turn (``rows_a_turn``) takes the newer value in its place.
        """
        changed: list[int] = []
        for item in items:
            key = self._key(item)
            row = self._row_of.get(key)
            if row is None:
                self._waiting[key] = item
            elif self._rows[row] != item:
                self._rows[row] = item
                changed.append(row)
        changed.sort()
        start = 0
        while start < len(changed):
            end = start
            while end + 1 < len(changed) and changed[end + 1] == changed[end] + 1:
                end += 1
            last = self.columnCount() - 1
            self.dataChanged.emit(self.index(changed[start], 0), self.index(changed[end], last))
            start = end + 1
        self._append_waiting()

    def _append_waiting(self) -> None:
        """Append the waiting rows, ``rows_a_turn`` of them if set (the rest a turn later)."""
        if not self._waiting:
            return
        count = self.rows_a_turn or len(self._waiting)
        self._append(list(itertools.islice(self._waiting, count)))
        if self._waiting:
            self._more.start()

    def _append(self, keys: list[str]) -> None:
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(keys) - 1)
        for offset, key in enumerate(keys):
            self._row_of[key] = first + offset
            self._rows.append(self._waiting.pop(key))
        self.endInsertRows()

    def keep_only(self, items: Iterable[Row]) -> None:
        """Exactly these rows: the others removed (waiting ones too), these upserted."""
        items = list(items)
        wanted = {self._key(i) for i in items}
        self._waiting = {k: row for k, row in self._waiting.items() if k in wanted}
        for row in reversed(range(len(self._rows))):
            if self._key(self._rows[row]) not in wanted:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row]
                self.endRemoveRows()
        self._row_of = {self._key(item): n for n, item in enumerate(self._rows)}
        self.upsert(items)

    def held(self) -> int:
        """How many rows the model holds, those still waiting for their turn too."""
        return len(self._rows) + len(self._waiting)

    def item(self, row: int) -> Row:
        return self._rows[row]

    def row_of(self, key: str) -> int | None:
        """The row of ``key``; one still waiting for its turn is appended at once (asked for)."""
        if key in self._waiting:
            self._append([key])
        return self._row_of.get(key)

    def items(self) -> list[Row]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers.get(section)
        return None


class FilterProxy(QSortFilterProxyModel):
    """A proxy whose filters live in Python: ``refilter`` after changing one.

    Free text is one of them: ``set_text``, and ``filterAcceptsRow`` asks ``text_matches`` of
    what a row shows.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._text = ""

    def set_text(self, text: str) -> None:
        """Keep the rows whose text holds this (case and surrounding blanks ignored)."""
        self._text = text.strip().casefold()
        self.refilter()

    def text_matches(self, text_of: Callable[[], str]) -> bool:
        """Whether a row's text holds the search text (any row, when there is none).

        ``text_of`` builds the row's text only when there is something to look for: with no
        search, a refilter of 34,000 rows builds none.
        """
        return not self._text or self._text in text_of().casefold()

    def refilter(self) -> None:
        # Qt 6.10 deprecated invalidateFilter() for this begin/end pair.
        self.beginFilterChange()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)


def search_field(
    owner: QWidget, placeholder: str, apply: Callable[[], None], delay_ms: int = 250
) -> tuple[QLineEdit, QTimer]:
    """A search box whose text is applied once typing pauses for ``delay_ms``.

    Re-filtering 10,000 rows on every keystroke would make typing lag: ``apply`` runs once
    the operator stops. The timer is returned so that other fields may share the pause.
    """
    field = QLineEdit()
    field.setPlaceholderText(placeholder)
    field.setClearButtonEnabled(True)
    pause = QTimer(owner)
    pause.setSingleShot(True)
    pause.setInterval(delay_ms)
    pause.timeout.connect(apply)
    field.textChanged.connect(lambda _text: pause.start())
    return field, pause


def set_starting_widths(header: QHeaderView, widths: Mapping[int, int]) -> None:
    """Each column at its starting width, or wider if its title needs it.

    In French, "Temps restant" read "emps restar" in 90 pixels. Measured once, from the header
    alone: measuring the rows (ResizeToContents) cost seconds with 10,000 of them. The operator
    can still drag them.
    """
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    for column, width in widths.items():
        header.resizeSection(column, max(width, header.sectionSizeHint(column)))
