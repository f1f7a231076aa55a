"""The incident queue as a Qt table model: incremental, cheap to repaint, never read from disk.

The console feeds it domain ``Incident`` values (``upsert``/``remove``, in batches); the model
never resets for a change, emits ``dataChanged`` only for the rows that changed, and on a clock
tick only for the two columns that count time. ``data()`` reads memory only.
"""

from __future__ import annotations

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
from widgets.labels import CATEGORY, SOURCE, STATUS, label
from widgets.palette import Role, ThemedColours, brush

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

    def __init__(
        self,
        commune_names: Mapping[str, str],
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        sla: SlaPolicy = DEFAULT_SLA,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._rows: list[Incident] = []
        self._row_of: dict[int, int] = {}
        self._search_cache: dict[tuple[int | None, int], str] = {}
        self._sort_cache: dict[tuple[int | None, int, int], Any] = {}
        self._communes = dict(commune_names)
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
        self._sort_cache.clear()
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, self.columnCount() - 1)
            )

    # --- feeding -----------------------------------------------------------------------------
    def upsert(self, incidents: Iterable[Incident]) -> None:
        """Add new incidents and refresh changed ones, row ranges at a time."""
        fresh: list[Incident] = []
        changed: list[int] = []
        for incident in incidents:
            assert incident.id is not None
            row = self._row_of.get(incident.id)
            if row is None:
                fresh.append(incident)
            elif self._rows[row] != incident:
                self._rows[row] = incident
                changed.append(row)
        for first, last in _ranges(sorted(changed)):
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(Column) - 1))
        if fresh:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(fresh) - 1)
            for offset, incident in enumerate(fresh):
                self._row_of[incident.id] = start + offset  # type: ignore[index]
                self._rows.append(incident)
            self.endInsertRows()

    def remove(self, ids: Iterable[int]) -> None:
        rows = sorted((self._row_of[i] for i in ids if i in self._row_of), reverse=True)
        for first, last in _ranges(sorted(rows), reverse=True):
            self.beginRemoveRows(QModelIndex(), first, last)
            del self._rows[first : last + 1]
            self.endRemoveRows()
        self._row_of = {inc.id: n for n, inc in enumerate(self._rows)}  # type: ignore[misc]

    def tick(self) -> None:
        """The clock moved: ask the views to repaint, and nothing more.

        No ``dataChanged``: time passes alike for every incident, so neither the order nor the
        filter changes, and a view repaints only the rows it shows. Announcing 10,000 changed
        rows a second made the proxy re-sort and re-filter them all (``vigie bench ui``).
        """
        self.clock_ticked.emit()

    def waiting_p1(self) -> list[Incident]:
        """Open P1 incidents nobody has acknowledged yet, oldest first."""
        waiting = [i for i in self._rows if i.priority == 1 and i.status is IncidentStatus.NEW]
        return sorted(waiting, key=lambda i: i.created_at)

    def first_unacknowledged(self) -> Incident | None:
        """The most urgent new incident: highest priority, then least time left."""
        now = self._clock()
        new = [i for i in self._rows if i.status is IncidentStatus.NEW]
        return min(new, key=lambda i: (int(i.priority), i.time_left(now, self._sla)), default=None)

    def search_text(self, row: int) -> str:
        """What free-text search looks in, built once per version of an incident."""
        incident = self._rows[row]
        key = (incident.id, incident.version)
        text = self._search_cache.get(key)
        if text is None:
            columns = (
                Column.CATEGORY,
                Column.COMMUNE,
                Column.PLACE,
                Column.SOURCE,
                Column.STATUS,
                Column.UNIT,
            )
            shown = " ".join(self._display(incident, c, self._clock()) for c in columns)
            text = f"#{incident.id} {incident.priority.name} {shown} {incident.description}"
            text = text.casefold()
            self._search_cache[key] = text
        return text

    def incident(self, row: int) -> Incident:
        return self._rows[row]

    def row_of(self, incident_id: int) -> int | None:
        return self._row_of.get(incident_id)

    # --- Qt's model interface ----------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(Column)

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
            incident = self._rows[index.row()]
            cached = self._sort_cache.get((incident.id, incident.version, index.column()))
            if cached is not None:
                return cached
            return self._sort_key(incident, Column(index.column()), self._clock())
        if not index.isValid():
            return None
        incident = self._rows[index.row()]
        column = Column(index.column())
        if role == INCIDENT_ROLE:
            return incident
        now = self._clock()
        if role == SLA_ROLE:
            return sla_state(incident, now, self._sla)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(incident, column, now)
        if role == SORT_ROLE:
            return self._sort_key(incident, column, now)
        if role == Qt.ItemDataRole.ForegroundRole and column is Column.TIME_LEFT:
            sla_role = SLA_ROLES.get(sla_state(incident, now, self._sla))  # type: ignore[arg-type]
            return brush(sla_role) if sla_role else None
        if role == Qt.ItemDataRole.BackgroundRole and incident.priority == 1 and incident.is_open:
            return brush(Role.ALARM_P1_ROW)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (Column.TIME_LEFT, Column.AGE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, incident: Incident, column: Column, now: datetime) -> str:
        match column:
            case Column.PRIORITY:
                return incident.priority.name
            case Column.TIME_LEFT:
                left = incident.time_left(now, self._sla)
                if left is None:
                    return ""
                state = sla_state(incident, now, self._sla)
                return SLA_MARKS[state] + format_duration(left)  # type: ignore[index]
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
                return incident.assigned_unit or ""
            case Column.AGE:
                return format_duration(now - incident.created_at)
        return ""

    def _sort_key(self, incident: Incident, column: Column, now: datetime) -> Any:
        """Raw values, cached per version: a sort of 10,000 rows asks for them 130,000 times.

        Time left sorts by the SLA's due time, which orders rows exactly as time left does and
        does not move with the clock.
        """
        key = (incident.id, incident.version, int(column))
        cached = self._sort_cache.get(key)
        if cached is not None:
            return cached
        match column:
            case Column.PRIORITY:
                value: Any = int(incident.priority)
            case Column.TIME_LEFT:
                value = (
                    incident.sla_due(self._sla).timestamp() if incident.is_open else float("inf")
                )
            case Column.AGE:
                value = -incident.created_at.timestamp()
            case _:
                value = self._display(incident, column, now).casefold()
        self._sort_cache[key] = value
        return value


def _ranges(rows: list[int], reverse: bool = False) -> list[tuple[int, int]]:
    """Consecutive runs: [1, 2, 3, 7] -> [(1, 3), (7, 7)] (last first with ``reverse``)."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and row == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs[::-1] if reverse else runs
