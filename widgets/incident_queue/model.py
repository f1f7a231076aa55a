"""The incident queue as a Qt table model: incremental, cheap to repaint, never read from disk.

The console feeds it domain ``Incident`` values (``upsert``/``remove``, in batches); the model
keeps them in the queue's order (``order.py``: least time left first), so that the proxy need
not sort them. It never resets for a change, emits ``dataChanged`` only for the rows that
changed, and on a clock tick nothing but ``clock_ticked``. ``data()`` reads memory only.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from services.domain.incidents import (
    DEFAULT_SLA,
    Incident,
    IncidentStatus,
    SlaPolicy,
    SlaState,
    sla_state,
)
from widgets.incident_queue.order import OrderedRows, QueueKey, QueueRow, queue_key
from widgets.labels import CATEGORY, SOURCE, STATUS, label
from widgets.palette import Role, ThemedColours, brush
from widgets.plain_text import plain_tooltip

Index = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    PRIORITY = 0
    TIME_LEFT = 1
    CATEGORY = 2
    COMMUNE = 3
    PLACE = 4
    SOURCE = 5
    STATUS = 6
    UNIT = 7
    AGE = 8


#: The custom roles: the raw value to sort on, and the incident itself.
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
INCIDENT_ROLE = Qt.ItemDataRole.UserRole + 2
SLA_ROLE = Qt.ItemDataRole.UserRole + 3

#: Colour only for what needs action, and never alone: the text carries a mark too.
SLA_ROLES = {SlaState.WARNING: Role.WARNING, SlaState.BREACHED: Role.ALARM}
SLA_COLOURS = ThemedColours(SLA_ROLES)
SLA_MARKS = {SlaState.OK: "", SlaState.WARNING: "▲ ", SlaState.BREACHED: "■ "}

COLUMN_COUNT = len(Column)
#: Plain ints for ``data()``: a view calls it seven times per painted cell, and reading
#: ``Qt.ItemDataRole.DisplayRole`` costs more than comparing two ints (``vigie bench ui``).
DISPLAY = int(Qt.ItemDataRole.DisplayRole)
FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
TIME_LEFT = int(Column.TIME_LEFT)
UNIT = int(Column.UNIT)
#: The columns that count time: shown as the clock says, the others as the incident says.
CLOCK_COLUMNS = frozenset({TIME_LEFT, int(Column.AGE)})
RIGHT_ALIGNED = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
#: The roles ``data()`` answers (the others, asked of every painted cell, get ``None`` at once).
ANSWERED_ROLES = frozenset(
    {DISPLAY, FOREGROUND, BACKGROUND, ALIGNMENT, TOOLTIP, INCIDENT_ROLE, SLA_ROLE}
)
#: What free-text search looks in, besides the id, the priority and the description.
SEARCHED_COLUMNS = (
    Column.CATEGORY,
    Column.COMMUNE,
    Column.PLACE,
    Column.SOURCE,
    Column.STATUS,
    Column.UNIT,
)
#: Up to this many places for new rows, they are inserted run by run; beyond, appended and the
#: whole reordered once (each insertion costs the proxy a pass over its mapping).
MOST_INSERTIONS = 8


def format_duration(delta: timedelta) -> str:
    """``-0:04``, ``12:30``, ``3h05``, ``2d04h``: compact, readable across a room."""
    sign = "-" if delta < timedelta(0) else ""
    seconds = int(abs(delta).total_seconds())
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, seconds = divmod(rest, 60)
    if days:
        return f"{sign}{days}d{hours:02d}h"
    if hours:
        return f"{sign}{hours}h{minutes:02d}"
    return f"{sign}{minutes}:{seconds:02d}"


class IncidentTableModel(QAbstractTableModel):
    clock_ticked = Signal()
    """The time columns moved on; views repaint what they show."""
    batch_applied = Signal()
    """Incidents were added, changed or removed (once per batch, whatever its size)."""

    def __init__(
        self,
        commune_names: Mapping[str, str],
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        sla: SlaPolicy = DEFAULT_SLA,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._queue = OrderedRows(sla)
        self._rows = self._queue.rows  # the same list, always: read where every call counts
        self._communes = dict(commune_names)
        # A unit's name as the field gives it (the console hands the map feed's); its id until
        # then, and in the cell's tooltip always.
        self.unit_name: Callable[[str], str] = lambda ident: ident
        self._clock = clock
        self._sla = sla
        self._headers = {
            Column.PRIORITY: self.tr("Priority"),
            Column.TIME_LEFT: self.tr("Time left"),
            Column.CATEGORY: self.tr("Category"),
            Column.COMMUNE: self.tr("Commune"),
            Column.PLACE: self.tr("Place"),
            Column.SOURCE: self.tr("Source"),
            Column.STATUS: self.tr("Status"),
            Column.UNIT: self.tr("Unit"),
            Column.AGE: self.tr("Age"),
        }

    def set_sla(self, policy: SlaPolicy) -> None:
        """Other SLA targets (a snow level's): every countdown is measured against them now."""
        if policy == self._sla:
            return
        self._sla = policy
        self._queue.rekey(policy)
        if not self._queue.in_order():  # P1s and P3s are not moved alike
            self._reorder()
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, self.columnCount() - 1)
            )

    # --- feeding -----------------------------------------------------------------------------
    def upsert(self, incidents: Iterable[Incident]) -> None:
        """Add new incidents and refresh changed ones, each where the queue's order puts it.

        A changed incident that keeps its place is refreshed in place (``dataChanged`` per run
        of rows); new ones are inserted a run at a time; when they are scattered all over, or
        an incident changes places (its priority, its closing), the rows are reordered once.
        """
        fresh: dict[int, Incident] = {}
        changed: dict[int, Incident] = {}
        for incident in incidents:
            assert incident.id is not None
            known = self._queue.find(incident.id)
            if known is None:
                fresh[incident.id] = incident
            elif known.incident != incident:
                changed[incident.id] = incident
        moving = self._refresh_in_place(list(changed.values()))
        self._add(list(fresh.values()), moving)
        if fresh or changed:
            self.batch_applied.emit()

    def remove(self, ids: Iterable[int]) -> None:
        rows = sorted({row for row in map(self._queue.row_of, ids) if row is not None})
        for first, last in _ranges(rows, reverse=True):
            self.beginRemoveRows(QModelIndex(), first, last)
            self._queue.delete(first, last)
            self.endRemoveRows()
        if rows:
            self.batch_applied.emit()

    def _refresh_in_place(self, changed: list[Incident]) -> list[Incident]:
        """Refresh those whose place holds; return those that must move."""
        moving: list[Incident] = []
        refreshed: list[int] = []
        for incident in changed:
            row = self._queue.row_of(incident.id)  # type: ignore[arg-type]
            assert row is not None
            if queue_key(incident, self._sla) == self._rows[row].key:
                self._queue.refresh(row, incident)
                refreshed.append(row)
            else:
                moving.append(incident)
        for first, last in _ranges(sorted(refreshed)):
            self.dataChanged.emit(self.index(first, 0), self.index(last, COLUMN_COUNT - 1))
        return moving

    def _add(self, fresh: list[Incident], moving: list[Incident]) -> None:
        new_rows = sorted(map(self._queue.new_row, fresh), key=_by_key)
        runs = self._queue.runs(new_rows, MOST_INSERTIONS) if new_rows and not moving else None
        if runs is not None:
            for at, run in reversed(runs):  # the last first: the rows before keep their numbers
                self._insert(at, run)
        elif new_rows or moving:
            self._add_then_reorder(new_rows, moving)

    def _insert(self, at: int, run: list[QueueRow]) -> None:
        self.beginInsertRows(QModelIndex(), at, at + len(run) - 1)
        self._queue.insert(at, run)
        self.endInsertRows()

    def _add_then_reorder(self, new_rows: list[QueueRow], moving: list[Incident]) -> None:
        """New rows appended and changed ones refreshed where they are, then one reorder.

        One layout change costs the proxy a refilter of every row; inserting thousands of runs
        one by one cost it a pass over its mapping each.
        """
        moving_rows = [self._queue.row_of(i.id) for i in moving]  # type: ignore[arg-type]
        if new_rows:
            self._insert(len(self._rows), new_rows)
        for row, incident in zip(moving_rows, moving, strict=True):
            assert row is not None
            self._queue.refresh(row, incident)
        self._reorder()

    def _reorder(self) -> None:
        """The rows back in queue order, the views' selection following its incident."""
        self.layoutAboutToBeChanged.emit()
        before = self._queue.reorder()
        now_at = [0] * len(before)
        for row, old in enumerate(before):
            now_at[old] = row
        kept = self.persistentIndexList()
        self.changePersistentIndexList(
            kept, [self.index(now_at[i.row()], i.column()) for i in kept]
        )
        self.layoutChanged.emit()

    def names_changed(self, *_: Any) -> None:
        """Units were named (the field spoke of them): the unit column says their names now."""
        rows = [n for n, row in enumerate(self._rows) if row.incident.assigned_unit]
        for n in rows:
            self._rows[n].texts = self._rows[n].search = None
        for first, last in _ranges(rows):
            self.dataChanged.emit(self.index(first, Column.UNIT), self.index(last, Column.UNIT))

    def tick(self) -> None:
        """The clock moved: ask the views to repaint, and nothing more.

        No ``dataChanged``: time passes alike for every incident, so neither the order nor the
        filter changes, and a view repaints only the rows it shows. Announcing 10,000 changed
        rows a second made the proxy re-sort and re-filter them all (``vigie bench ui``).
        """
        self.clock_ticked.emit()

    def waiting_p1(self) -> list[Incident]:
        """Open P1 incidents nobody has acknowledged yet, oldest first."""
        waiting = [
            i for i in self._queue.incidents() if i.priority == 1 and i.status is IncidentStatus.NEW
        ]
        return sorted(waiting, key=lambda i: i.created_at)

    def first_unacknowledged(self) -> Incident | None:
        """The most urgent new incident: highest priority, then least time left."""
        now = self._clock()
        new = [i for i in self._queue.incidents() if i.status is IncidentStatus.NEW]
        return min(new, key=lambda i: (int(i.priority), i.time_left(now, self._sla)), default=None)

    def search_text(self, row: int) -> str:
        """What free-text search looks in, built once per version of an incident."""
        return self.search_text_of(self._rows[row])

    def search_text_of(self, entry: QueueRow) -> str:
        """The same, of a row the caller holds (a refilter asks it of every row)."""
        if entry.search is None:
            incident = entry.incident
            texts = entry.texts or self._texts_of(entry)
            shown = " ".join(texts[c] for c in SEARCHED_COLUMNS)
            text = f"#{incident.id} {incident.priority.name} {shown} {incident.description}"
            entry.search = text.casefold()
        return entry.search

    def queue_rows(self) -> list[QueueRow]:
        """The rows in queue order, to read (the proxy's filter does, for every row)."""
        return self._rows

    def incident(self, row: int) -> Incident:
        return self._rows[row].incident

    def row_of(self, incident_id: int) -> int | None:
        return self._queue.row_of(incident_id)

    # --- Qt's model interface ----------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else COLUMN_COUNT

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,  # noqa: N802
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[Column(section)]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == SORT_ROLE:  # first and lean: a sort asks for it 130,000 times
            return self._sort_value(self._rows[index.row()], index.column())
        if role not in ANSWERED_ROLES or not index.isValid():
            return None  # a view asks seven roles of every cell it paints: most get nothing
        row = self._rows[index.row()]
        incident = row.incident
        column = index.column()  # an int: matched against Column's values, never converted
        if role == DISPLAY:
            if column in CLOCK_COLUMNS:
                return self._clock_text(incident, column)
            return (row.texts or self._texts_of(row))[column]
        if role == INCIDENT_ROLE:
            return incident
        if role == SLA_ROLE:
            return sla_state(incident, self._clock(), self._sla)
        if role == FOREGROUND:
            return self._countdown_brush(incident) if column == TIME_LEFT else None
        if role == BACKGROUND:
            return brush(Role.ALARM_P1_ROW) if incident.priority == 1 and incident.is_open else None
        if role == TOOLTIP:
            # the id, a hover away; as written (a tooltip renders what looks like HTML)
            unit = incident.assigned_unit
            return plain_tooltip(unit) if column == UNIT and unit else None
        if role == ALIGNMENT:
            return RIGHT_ALIGNED if column in CLOCK_COLUMNS else None
        return None

    def _countdown_brush(self, incident: Incident) -> Any:
        state = sla_state(incident, self._clock(), self._sla)
        sla_role = SLA_ROLES.get(state)  # type: ignore[arg-type]
        return brush(sla_role) if sla_role else None

    def _clock_text(self, incident: Incident, column: int) -> str:
        """Time left (with its mark) or age: as the clock says now."""
        now = self._clock()
        if column != TIME_LEFT:
            return format_duration(now - incident.created_at)
        left = incident.time_left(now, self._sla)
        if left is None:
            return ""
        state = sla_state(incident, now, self._sla)
        return SLA_MARKS[state] + format_duration(left)  # type: ignore[index]

    def _texts_of(self, row: QueueRow) -> tuple[str, ...]:
        """What a row shows but for the time columns, worked out once per version."""
        if row.texts is None:
            row.texts = tuple(self._text(row.incident, column) for column in Column)
        return row.texts

    def _text(self, incident: Incident, column: int) -> str:
        match column:
            case Column.PRIORITY:
                return incident.priority.name
            case Column.CATEGORY:
                return label(CATEGORY, incident.category)
            case Column.COMMUNE:
                return self._communes.get(incident.commune or "", incident.commune or "")
            case Column.PLACE:
                return incident.place or ""
            case Column.SOURCE:
                return label(SOURCE, incident.source.value)
            case Column.STATUS:
                return label(STATUS, incident.status.value)
            case Column.UNIT:
                return self.unit_name(incident.assigned_unit) if incident.assigned_unit else ""
        return ""  # the time columns: see _clock_text

    def _sort_value(self, row: QueueRow, column: int) -> Any:
        """Raw values, kept per version: a sort of 10,000 rows asks for them 130,000 times."""
        value = row.sort_values.get(column)
        if value is None:
            value = row.sort_values[column] = self._sort_key(row, column)
        return value

    def _sort_key(self, row: QueueRow, column: int) -> Any:
        """A column's raw value to sort on.

        Time left sorts by the SLA's due time, which orders rows exactly as time left does and
        does not move with the clock.
        """
        incident = row.incident
        match column:
            case Column.PRIORITY:
                return int(incident.priority)
            case Column.TIME_LEFT:
                return incident.sla_due(self._sla).timestamp() if incident.is_open else math.inf
            case Column.AGE:
                return -incident.created_at.timestamp()
        return (row.texts or self._texts_of(row))[column].casefold()


def _by_key(row: QueueRow) -> QueueKey:
    return row.key


def _ranges(rows: list[int], reverse: bool = False) -> list[tuple[int, int]]:
    """Consecutive runs: [1, 2, 3, 7] -> [(1, 3), (7, 7)] (last first with ``reverse``)."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and row == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs[::-1] if reverse else runs
