"""The incident queue panel: filters above, the table below; selection goes out as a signal.

It is given its model by the console and emits ``sig_incident_selected``; it never reads the
database nor talks to the broker. The console may narrow it to "these incidents"
(``show_selection``: a bar clicked in the Statistics panel), said above the table with a Clear
button. Incidents that reach the queue meanwhile are listed with them (and counted in the bar):
the queue is the dispatcher's work list, and a look back at the figures must not hide a call
just taken. Clear puts back the filters the operator had.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QItemSelection, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from services.domain.incidents import OPEN_STATUSES, IncidentStatus, Priority
from widgets.flow_layout import FlowLayout
from widgets.incident_queue.model import INCIDENT_ROLE, Column, IncidentTableModel
from widgets.incident_queue.proxy import IncidentFilterProxy
from widgets.labels import STATUS, label
from widgets.palette import Role, style_banner, style_role
from widgets.plain_text import plain_label
from widgets.tables import search_field, set_starting_widths

COLUMN_WIDTHS = {  # what fits the dispatcher's default layout on a 1600-pixel screen
    Column.PRIORITY: 55,
    Column.TIME_LEFT: 90,
    Column.CATEGORY: 140,
    Column.COMMUNE: 120,
    Column.PLACE: 190,
    Column.SOURCE: 100,
    Column.STATUS: 90,
    Column.UNIT: 80,
    Column.AGE: 55,
}


@dataclass(frozen=True)
class FilterChoice:
    """What the filters above the table say (their combos' data and the search box's text)."""

    status: str = "open"  # "open", "all" or an ``IncidentStatus`` value
    priority: int | None = None
    commune: str | None = None
    search: str = ""


#: The filters while "these incidents" are shown: all of them, whatever their status.
EVERYTHING = FilterChoice(status="all")


class IncidentQueuePanel(QWidget):
    sig_incident_selected = Signal(int)
    """An incident was selected (its id)."""
    sig_selection_cleared = Signal()
    """The operator put away "these incidents" (``show_selection``): the whole queue again."""

    def __init__(
        self,
        model: IncidentTableModel,
        commune_names: Mapping[str, str],
        parent: Any = None,
        *,
        tick_ms: int = 1000,
        search_delay_ms: int = 250,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("incident_queue_panel")
        self.model = model
        self.proxy = IncidentFilterProxy(self)
        self.proxy.setSourceModel(model)
        self.proxy.set_statuses(set(OPEN_STATUSES))

        self.status_filter = QComboBox()
        self.status_filter.addItem(self.tr("Open"), "open")
        self.status_filter.addItem(self.tr("All"), "all")
        for status in IncidentStatus:
            self.status_filter.addItem(label(STATUS, status.value), status.value)
        self.priority_filter = QComboBox()
        self.priority_filter.addItem(self.tr("All priorities"), None)
        for priority in Priority:
            self.priority_filter.addItem(priority.name, int(priority))
        self.commune_filter = QComboBox()
        self.commune_filter.addItem(self.tr("All communes"), None)
        for insee, name in sorted(commune_names.items(), key=lambda kv: kv[1]):
            self.commune_filter.addItem(name, insee)
        # Typing "rue de la" must not filter 10,000 rows nine times: wait for a pause.
        self.search, self._search_pause = search_field(
            self,
            self.tr("Search (Ctrl+F)"),
            lambda: self.proxy.set_text(self.search.text()),
            search_delay_ms,
        )
        self.count_label = plain_label()
        self.attention = plain_label()  # P1 waiting: stays until each is acknowledged
        style_banner(self.attention, Role.ALARM_BANNER)
        self.attention.hide()
        self.coverage = plain_label()  # communes without an available patrol for too long
        self.coverage.setObjectName("coverage_warning")
        style_banner(self.coverage, Role.WARNING_BANNER)
        self.coverage.setWordWrap(True)
        self.coverage.hide()
        # "These incidents": a bar clicked in the Statistics panel, until Clear.
        self.selection_label = plain_label()
        self.selection_label.setObjectName("queue_selection")
        self.selection_label.setWordWrap(True)
        self.clear_selection_button = QPushButton(self.tr("Clear"))
        self.clear_selection_button.setToolTip(self.tr("Show the whole queue again"))
        self.clear_selection_button.clicked.connect(self.clear_selection)
        self.selection_bar = QWidget()
        self.selection_bar.setObjectName("queue_selection_bar")
        style_role(
            self.selection_bar,
            "#queue_selection_bar {{ background: {bg}; }}",
            bg=Role.HIGHLIGHT,  # what is selected
        )
        self.selection_bar.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        bar_layout = QHBoxLayout(self.selection_bar)
        bar_layout.setContentsMargins(6, 2, 2, 2)
        # Incidents that reached the queue since: listed too, and said (see ``show_selection``).
        self.arrivals_label = plain_label()
        self.arrivals_label.setObjectName("queue_selection_arrivals")
        self.arrivals_label.hide()
        bar_layout.addWidget(self.selection_label, 1)
        bar_layout.addWidget(self.arrivals_label)
        bar_layout.addWidget(self.clear_selection_button)
        self.selection_bar.hide()
        self.selected_ids: frozenset[int] | None = None
        self._held: frozenset[int] = frozenset()  # the queue's incidents when narrowed
        self._before_selection = FilterChoice()  # the operator's filters, back on Clear

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Column.TIME_LEFT, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        set_starting_widths(header, COLUMN_WIDTHS)
        header.setStretchLastSection(True)
        self.table.setWordWrap(False)  # one line per incident: the text is elided, not wrapped

        # Wrapped, not squeezed: at 1366×768 the search box read "S…" and the communes "All commun".
        filters = FlowLayout()
        for widget in (self.status_filter, self.priority_filter, self.commune_filter):
            filters.add_widget(widget)
        filters.add_widget(self.search, stretch=True)
        filters.add_widget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(filters)
        layout.addWidget(self.selection_bar)
        layout.addWidget(self.attention)
        layout.addWidget(self.coverage)
        layout.addWidget(self.table)

        self.status_filter.currentIndexChanged.connect(self._on_status_changed)
        self.priority_filter.currentIndexChanged.connect(self._on_priority_changed)
        self.commune_filter.currentIndexChanged.connect(
            lambda _: self.proxy.set_commune(self.commune_filter.currentData())
        )
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        # The count follows the proxy, a signal per run of rows a filter hides or shows; the
        # banner follows the model, once a batch (it looks at every incident).
        for signal in (
            self.proxy.rowsInserted,
            self.proxy.rowsRemoved,
            self.proxy.modelReset,
            self.proxy.layoutChanged,
        ):
            signal.connect(self._update_count)
        model.batch_applied.connect(self._update_attention)
        model.batch_applied.connect(self._update_arrivals)
        self._update_count()
        self._update_attention()
        QShortcut(QKeySequence.StandardKey.Find, self, self.search.setFocus)

        # the countdown: one repaint of the time columns a second, not one timer per row
        self._clock = QTimer(self)
        self._clock.timeout.connect(model.tick)
        model.clock_ticked.connect(self.table.viewport().update)
        self._clock.start(tick_ms)

    def _on_status_changed(self, _index: int) -> None:
        self.proxy.set_statuses(_statuses(self.status_filter.currentData()))

    def _on_priority_changed(self, _index: int) -> None:
        self.proxy.set_priorities(_priorities(self.priority_filter.currentData()))

    def filter_choice(self) -> FilterChoice:
        return FilterChoice(
            self.status_filter.currentData(),
            self.priority_filter.currentData(),
            self.commune_filter.currentData(),
            self.search.text(),
        )

    def _show_filters(self, choice: FilterChoice) -> None:
        """Set the filters' widgets without each filtering the rows (the caller does, once)."""
        self._search_pause.stop()  # a search typed but not yet applied is replaced
        for combo, value in (
            (self.status_filter, choice.status),
            (self.priority_filter, choice.priority),
            (self.commune_filter, choice.commune),
        ):
            combo.blockSignals(True)
            combo.setCurrentIndex(max(combo.findData(value), 0))
            combo.blockSignals(False)
        self.search.blockSignals(True)
        self.search.setText(choice.search)
        self.search.blockSignals(False)

    def _on_selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = selected.indexes()
        if rows:
            incident = self.proxy.data(rows[0], INCIDENT_ROLE)
            self.sig_incident_selected.emit(incident.id)

    def _update_count(self, *_: Any) -> None:
        self.count_label.setText(self.tr("%n incident(s)", "", self.proxy.rowCount()))

    def _update_attention(self) -> None:
        waiting = len(self.model.waiting_p1())
        self.attention.setVisible(waiting > 0)
        self.attention.setText(
            self.tr("⚠ %n P1 incident(s) awaiting acknowledgement (F5 to go to it)", "", waiting)
        )

    def show_coverage(self, gaps: list[tuple[str, int]]) -> None:
        """Communes without an available patrol for too long: (name, minutes), longest first."""
        self.coverage.setVisible(bool(gaps))
        listed = ", ".join(
            self.tr("%1 (%2 min)").replace("%1", name).replace("%2", str(m)) for name, m in gaps
        )
        self.coverage.setText(self.tr("⚠ No available patrol in: %1").replace("%1", listed))

    def show_selection(self, text: str, ids: Iterable[int]) -> None:
        """Show only these incidents, whatever their status, under ``text`` until cleared.

        The status, priority and commune filters are opened to "all" (a month's incidents are
        mostly closed) and narrow the selection further if the operator sets them; Clear puts
        back those the operator had before. All in one pass over the rows.

        Incidents that reach the queue afterwards are listed too, and counted in the bar. A
        dispatcher's queue is the live work: a Statistics selection is a look back, and while it
        is shown a call just taken must not wait, unseen, for Clear (a new P1 has the banner,
        but the queue must not hide it either). Merely counting them would leave the incidents
        to find elsewhere; listing them costs a row each.
        """
        if self.selected_ids is None:  # from the whole queue (not one selection after another)
            self._before_selection = self.filter_choice()
            # what the queue held when narrowed; anything else arrived since (kept through a
            # selection after another: what arrived during the first stays shown)
            self._held = frozenset(row.incident.id for row in self.model.queue_rows())
        self.selected_ids = frozenset(ids)
        self._held |= self.selected_ids  # brought in for it: not arrivals
        self.selection_label.setText(text)
        self.selection_bar.show()
        self._show_filters(EVERYTHING)
        self.proxy.set_filters(**_proxy_filters(EVERYTHING), ids=self.selected_ids, held=self._held)
        self._update_arrivals()

    def clear_selection(self) -> None:
        """The whole queue again, under the filters the operator had before the selection."""
        if self.selected_ids is None:
            return
        self.selected_ids = None
        self._held = frozenset()
        self.selection_bar.hide()
        self.selection_label.clear()
        self._update_arrivals()
        before = self._before_selection
        self._show_filters(before)
        self.proxy.set_filters(**_proxy_filters(before))
        self.sig_selection_cleared.emit()

    def arrivals(self) -> int:
        """How many incidents reached the queue since the selection (listed with it)."""
        if self.selected_ids is None:
            return 0
        held = self._held
        return sum(1 for row in self.model.queue_rows() if row.incident.id not in held)

    def _update_arrivals(self) -> None:
        # once a batch, and only while a selection is shown: a look at every row, as the banner's
        count = self.arrivals()
        self.arrivals_label.setVisible(count > 0)
        self.arrivals_label.setText(self.tr("+ %n new incident(s) since", "", count))

    def _in_selection(self, incident_id: int) -> bool:
        assert self.selected_ids is not None
        return incident_id in self.selected_ids or incident_id not in self._held

    def select_incident(self, incident_id: int) -> bool:
        """Select and show an incident's row, clearing a filter that hides it."""
        if self.selected_ids is not None and not self._in_selection(incident_id):
            self.clear_selection()  # may take closed incidents out of the model: before its row
        row = self.model.row_of(incident_id)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            self.status_filter.setCurrentIndex(self.status_filter.findData("all"))
            self.priority_filter.setCurrentIndex(0)
            self.commune_filter.setCurrentIndex(0)
            self.search.clear()
            index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.selectRow(index.row())
        self.table.scrollTo(index)
        return True


def _statuses(value: str) -> set[IncidentStatus] | None:
    if value == "open":
        return set(OPEN_STATUSES)
    return None if value == "all" else {IncidentStatus(value)}


def _priorities(value: int | None) -> set[Priority] | None:
    return {Priority(value)} if value else None


def _proxy_filters(choice: FilterChoice) -> dict[str, Any]:
    return {
        "statuses": _statuses(choice.status),
        "priorities": _priorities(choice.priority),
        "commune": choice.commune,
        "text": choice.search,
    }
