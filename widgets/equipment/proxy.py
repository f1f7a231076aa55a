"""Filtering the equipment without touching the model: type, commune, gateway, state, text."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex

from services.domain.equipment import EquipmentView
from widgets.equipment.model import DEVICE_ROLE, SORT_ROLE, EquipmentTableModel
from widgets.labels import status_label
from widgets.tables import FilterProxy


class EquipmentFilterProxy(FilterProxy):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setFilterRole(DEVICE_ROLE)
        self.setDynamicSortFilter(True)
        self._type: str | None = None
        self._commune: str | None = None
        self._gateway: str | None = None
        self._state: str | None = None

    def set_type(self, value: str | None) -> None:
        self._type = value or None
        self.refilter()

    def set_commune(self, insee: str | None) -> None:
        self._commune = insee or None
        self.refilter()

    def set_gateway(self, gateway: str | None) -> None:
        self._gateway = (gateway or "").strip() or None
        self.refilter()

    def set_state(self, state: str | None) -> None:
        self._state = state or None
        self.refilter()

    def accepts(self, device: EquipmentView, commune_name: str) -> bool:
        if self._type and device.type != self._type:
            return False
        if self._commune and device.commune != self._commune:
            return False
        if self._gateway and device.gateway != self._gateway:
            return False
        if self._state and device.state != self._state:
            return False
        return self.text_matches(
            lambda: (
                f"{device.id} {device.status or ''} {status_label(device.status)} "
                f"{device.gateway or ''} {commune_name}"
            )
        )

    def filterAcceptsRow(  # noqa: N802
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        model = self.sourceModel()
        assert isinstance(model, EquipmentTableModel)
        device = model.device(source_row)
        return self.accepts(device, model.commune_name(device.commune))
