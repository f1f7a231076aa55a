"""All the field's equipment in one table model: 34,000 rows and more, changed a range at a time.

Rows are ``EquipmentView`` values (the state as judged when read). The age column is measured
against a clock the panel ticks, so that a silent device's age grows without any new data.
Stale and comm_lost rows are greyed, their last values kept: what a device last said is still
worth reading, as long as its age is shown beside it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QMimeData, QModelIndex, QPersistentModelIndex, Qt, Signal

from services.domain.equipment import EquipmentType, EquipmentView
from widgets.camera_drag import CAMERA_MIME, camera_mime
from widgets.labels import EQUIPMENT_STATE, EQUIPMENT_TYPE, age_text, label, status_label
from widgets.palette import Role, brush
from widgets.tables import KeyedTableModel

DEVICE_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
Index = QModelIndex | QPersistentModelIndex
#: The greys of equipment nobody can vouch for: its last state is too old, or its link is lost.
SILENT_ROLES = {"stale": Role.STALE, "comm_lost": Role.COMM_LOST}
#: States whose values are the last ones heard, not the present.
SILENT = frozenset(SILENT_ROLES)
CAMERA = EquipmentType.CAMERA.value
#: The states' order in the table, whatever the language of their words: what needs action
#: first, then the silent, then the working. The paged table's database orders them alike
#: (``services.store.equipment_page.STATE_ORDER``).
STATE_ORDER = ("fault", "comm_lost", "stale", "ok")
STATE_RANK = {state: n for n, state in enumerate(STATE_ORDER)}
#: New devices shown at once; the others over the next turns of the event loop (``tables``).
ROWS_A_TURN = 300
#: The roles ``data`` answers; the others, asked of every painted cell, get None at once.
ANSWERED_ROLES = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.ToolTipRole,
        DEVICE_ROLE,
        SORT_ROLE,
    }
)


class Column(IntEnum):
    ID = 0
    TYPE = 1
    STATE = 2
    STATUS = 3
    COMMUNE = 4
    GATEWAY = 5
    AGE = 6


class EquipmentTableModel(KeyedTableModel[EquipmentView]):
    # Dijon's 34,000 devices at once into the sorted view held the GUI thread 3 s; 300 a
    # turn, 30-35 ms each once the table holds most of them.
    rows_a_turn = ROWS_A_TURN

    clock_ticked = Signal()

    def __init__(
        self,
        commune_names: Mapping[str, str],
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        parent: Any = None,
    ) -> None:
        super().__init__(lambda device: device.id, parent)
        self._communes = dict(commune_names)
        self._clock = clock
        self.set_headers(
            {
                Column.ID: self.tr("Device"),
                Column.TYPE: self.tr("Type"),
                Column.STATE: self.tr("State"),
                Column.STATUS: self.tr("Status reported"),
                Column.COMMUNE: self.tr("Commune"),
                Column.GATEWAY: self.tr("Gateway"),
                Column.AGE: self.tr("Heard"),
            }
        )

    def tick(self) -> None:
        """Time passed: ages grow (views repaint; order and filters are unchanged)."""
        self.clock_ticked.emit()

    def device(self, row: int) -> EquipmentView:
        return self.item(row)

    def counts(self) -> dict[str, int]:
        """How many devices in each state, those still waiting for their row too (``tables``)."""
        found: dict[str, int] = {}
        for device in itertools.chain(self._rows, self._waiting.values()):
            found[device.state] = found.get(device.state, 0) + 1
        return found

    def commune_name(self, insee: str | None) -> str:
        return self._communes.get(insee or "", insee or "")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # The roles asked first: a sorted view asks two rows' at every comparison.
        if role not in ANSWERED_ROLES or not index.isValid():
            return None
        device = self._device_at(index.row())
        if device is None:  # a page not fetched yet (``EquipmentPageModel``)
            return None
        column = index.column()  # compared with ``Column``'s members, which are ints
        if role == SORT_ROLE and column == Column.ID:  # the default order
            return device.id
        if role == DEVICE_ROLE:
            return device
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(device, column)
        if role == SORT_ROLE:
            if column == Column.AGE:
                return device.received_at.timestamp()  # ascending: the longest silent first
            if column == Column.STATE:
                return STATE_RANK.get(device.state, len(STATE_RANK))
            return self._display(device, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if device.state in SILENT:
                return brush(SILENT_ROLES[device.state])
            if device.state == "fault" and column in (Column.STATE, Column.STATUS):
                return brush(Role.FAULT)
        if role == Qt.ItemDataRole.ToolTipRole and device.state in SILENT:
            return self.tr("Last values heard %1 ago").replace("%1", self._age(device))
        return None

    def _device_at(self, row: int) -> EquipmentView | None:
        return self._rows[row]

    def flags(self, index: Index) -> Qt.ItemFlag:
        """A camera's row can be dragged onto the video wall."""
        flags = super().flags(index)
        device = self._device_at(index.row()) if index.isValid() else None
        if device is not None and device.type == CAMERA:
            flags |= Qt.ItemFlag.ItemIsDragEnabled
        return flags

    def mimeTypes(self) -> list[str]:  # noqa: N802 - Qt's name
        return [CAMERA_MIME]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData | None:  # noqa: N802 - Qt's name
        """The first camera among the dragged rows, as the video wall takes it."""
        devices = [self._device_at(i.row()) for i in indexes]
        cameras = [d.id for d in devices if d is not None and d.type == CAMERA]
        if not cameras:
            return None
        return camera_mime(cameras[0])

    def _age(self, device: EquipmentView) -> str:
        return age_text(max(0.0, (self._clock() - device.received_at).total_seconds()))

    def _display(self, device: EquipmentView, column: Column) -> str:
        if column == Column.ID:
            return device.id
        if column == Column.TYPE:
            return label(EQUIPMENT_TYPE, device.type)
        if column == Column.STATE:
            return label(EQUIPMENT_STATE, device.state)
        if column == Column.STATUS:
            return status_label(device.status)
        if column == Column.COMMUNE:
            return self.commune_name(device.commune)
        if column == Column.GATEWAY:
            return device.gateway or ""
        return self._age(device)
