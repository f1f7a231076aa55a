"""The field's equipment: its list, its faults and its telemetry, tied to the map and the queue."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

from console.desks.incidents import IncidentDesk
from console.desks.map import MapDesk
from console.desks.seat import Seat
from console.feeds.equipment import HELD_LIMIT, EquipmentFeed
from console.shell.docks import Area, Dock
from services.domain.telemetry import CounterReading, TelemetryHistory, TelemetrySample
from widgets.equipment.model import EquipmentTableModel
from widgets.equipment.paged import BLOCK, EquipmentPageModel
from widgets.equipment.panel import EquipmentPanel
from widgets.faults.panel import FaultsPanel, FaultTableModel
from widgets.telemetry.panel import TelemetryPanel

TECHNICAL = frozenset({"technician", "supervisor"})


class EquipmentDesk:
    DOCKS = (
        Dock(
            "equipment",
            QT_TRANSLATE_NOOP("console", "Equipment"),
            behind="incident_queue",
            shown_in=TECHNICAL | {"video"},  # cameras are dragged from it onto the wall
            leads=frozenset({"technician"}),
        ),
        Dock(
            "faults", QT_TRANSLATE_NOOP("console", "Faults"), behind="equipment", shown_in=TECHNICAL
        ),
        Dock(
            "telemetry",
            QT_TRANSLATE_NOOP("console", "Telemetry"),
            Area.RightDockWidgetArea,
            behind="map",
            shown_in=TECHNICAL | {"snow_coordinator"},
        ),
    )

    def __init__(
        self,
        seat: Seat,
        feed: EquipmentFeed,
        incidents: IncidentDesk,
        map_desk: MapDesk,
        *,
        paged: bool | None = None,
    ) -> None:
        self.seat = seat
        self.feed = feed
        self.map = map_desk.map
        # Ten times Dijon: the table fetches the pages it shows (filtered and ordered by the
        # database); a smaller field is held whole, as it always was. Decided once, from the
        # record's size, which the feed counts on its lane before its first devices: the GUI
        # thread never waits on the database. Until then the table holds what it is told.
        self.model: EquipmentTableModel = EquipmentTableModel(seat.names, parent=seat.window)
        self.equipment = EquipmentPanel(self.model, seat.names)
        if paged:
            self._page()
        elif paged is None:
            feed.sig_size.connect(self._sized)
        self.faults_model = FaultTableModel(seat.names, parent=seat.window)
        self.faults = FaultsPanel(self.faults_model)
        self.telemetry_history = TelemetryHistory()
        self.telemetry = TelemetryPanel(seat.names)
        self.panels = {
            "equipment": self.equipment,
            "faults": self.faults,
            "telemetry": self.telemetry,
        }
        feed.sig_equipment.connect(self._equipment)
        feed.sig_failed.connect(lambda key: seat.window.set_link("database", False, key))
        feed.sig_faults.connect(self.faults_model.replace)
        feed.sig_telemetry.connect(self._record_telemetry)
        self.equipment.sig_device_selected.connect(self.map.focus_device)
        self.faults.sig_incident_requested.connect(incidents.select)
        self.faults.sig_device_requested.connect(self._show_device)
        self.map.sig_device_clicked.connect(self._device_clicked)

    def _equipment(self, devices: list) -> None:
        self.model.upsert(devices)  # the model of the moment (held, then perhaps paged)

    def _sized(self, size: int) -> None:
        self.feed.sig_size.disconnect(self._sized)
        if size > HELD_LIMIT and not isinstance(self.model, EquipmentPageModel):
            self._page()

    def _page(self) -> None:
        """The table pages: its model reads the blocks it shows on the pager's lane."""
        seat = self.seat
        pager = self.feed.page(BLOCK)
        model = EquipmentPageModel(seat.names, parent=seat.window)
        model.sig_wanted.connect(pager.ask)
        model.sig_locate.connect(pager.locate)
        pager.sig_count.connect(model.show_count)
        pager.sig_block.connect(model.show_block)
        pager.sig_located.connect(model.show_location)
        pager.sig_failed.connect(lambda key: seat.window.set_link("database", False, key))
        held, self.model = self.model, model
        self.equipment.set_model(model)
        held.deleteLater()
        model.refresh()  # the first pages as soon as the loop runs, not after a full read

    def docked(self) -> None:
        """Once the docks exist: the telemetry is drawn when its dock is looked at."""
        self.seat.window.docks["telemetry"].visibilityChanged.connect(
            lambda shown: shown and self.telemetry.show_history(self.telemetry_history)
        )

    def _record_telemetry(self, taken: TelemetrySample, reading: CounterReading) -> None:
        self.telemetry_history.add_sample(taken)
        self.telemetry_history.add_counters(reading)
        if self.telemetry.isVisible():  # drawn when looked at; a hidden dock costs nothing
            self.telemetry.show_history(self.telemetry_history)

    def _show_device(self, device_id: str) -> None:
        self.map.focus_device(device_id)
        self.equipment.select_device(device_id)

    def _device_clicked(self, device_id: str) -> None:
        if self.equipment.select_device(device_id):
            self.seat.window.docks["equipment"].show()
            self.seat.window.docks["equipment"].raise_()
