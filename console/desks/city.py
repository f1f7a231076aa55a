"""The city's snow and traffic watch: modes in force, the snow operation, buses' priority.

Shows what the record and the field say (the modes panel, the status bar's mode line, the
map's layers and signal plans); switching a mode is ``ModeDesk``'s.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP

from console.desks.incidents import IncidentDesk
from console.desks.map import MapDesk
from console.desks.seat import Seat
from console.feeds.equipment import EquipmentFeed
from console.shell.docks import Dock
from console.text.i18n import fill, translate
from services.domain.incidents import SlaPolicy
from services.domain.modes import ModeRecord
from services.domain.snow import DepotTrend, SnowReadings
from services.domain.snow_watch import SnowWatch
from services.domain.traffic import BusPriorityLog, bus_priority_in_force
from widgets.labels import mode_value_label
from widgets.modes.panel import ModesPanel


class CityWatchDesk:
    DOCKS = (
        Dock(
            "modes",
            QT_TRANSLATE_NOOP("console", "Modes"),
            behind="incident_queue",
            shown_in=frozenset({"snow_coordinator", "supervisor"}),
            leads=frozenset({"snow_coordinator"}),
        ),
    )

    def __init__(
        self,
        seat: Seat,
        incidents: IncidentDesk,
        map_desk: MapDesk,
        equipment: EquipmentFeed,
        snow_watch: SnowWatch,
    ) -> None:
        self.seat = seat
        self.incidents = incidents
        self.map = map_desk
        self.snow_watch = snow_watch
        self.panel = ModesPanel(seat.names)
        self.panels = {"modes": self.panel}
        self.depot_trend = DepotTrend()
        self.snow_operation = False  # a snow level above watch: the network is to be treated
        self.bus_priority = BusPriorityLog(datetime.now(UTC))
        self.bus_priority_on: bool | None = None  # as the modes in force say
        self._modes: dict[str, str] = {}
        self._switching: set[str] = set()  # modes whose switch is under way
        equipment.sig_snow.connect(self._show_snow)
        equipment.sig_signals.connect(self._show_signals)
        incidents.feed.sig_mode.connect(self.show_mode)
        self.show_mode("", {})

    def _show_snow(self, readings: SnowReadings) -> None:
        since = self.map.feed.operation_since if self.snow_operation else None
        self.panel.show_snow(self.snow_watch.situation(readings, self.depot_trend, since))

    def _show_signals(self, signals: dict[str, tuple[str, str | None, bool | None]]) -> None:
        """The signals' running plans on the map; buses' priority requests counted."""
        self.map.map.show_plans({ident: plan for ident, (plan, _r, _s) in signals.items()})
        for ident, (_plan, requested, served) in signals.items():
            self.bus_priority.observe(ident, requested, served)
        self._show_bus_priority()

    def _show_bus_priority(self) -> None:
        asked, served = self.bus_priority.last_hour(datetime.now(UTC))
        self.panel.show_bus_requests(asked, served, self.bus_priority_on)

    def modes_in_force(
        self, records: list[ModeRecord], sla: SlaPolicy, layers: frozenset[str]
    ) -> None:
        """The record read again: status line, SLA targets, snow operation, map layers."""
        for record in records:  # the record is the truth; announcements only say to read it
            key = "level" if record.kind == "snow" else "mode"
            if record.switching_by:  # as the contract announces it: the target while applying
                self.show_mode(record.kind, {key: record.target, "state": "applying"})
            else:
                self.show_mode(record.kind, {key: record.value, "state": record.state})
        self.incidents.queue_model.set_sla(sla)
        snow = next((r for r in records if r.kind == "snow"), None)
        self.snow_operation = snow is not None and snow.value != "0"
        if self.snow_operation:  # passes count from the level's raising
            self.map.feed.operation_since = snow.since
        self.map.map.show_layers(layers)
        self.bus_priority_on = bus_priority_in_force(records)
        self._show_bus_priority()

    def show_mode(self, which: str, payload: dict) -> None:
        """Snow level and traffic mode in the status bar, as their retained messages say."""
        if which in ("snow", "traffic"):
            value = payload.get("level" if which == "snow" else "mode")
            self._modes[which] = mode_value_label(which, None if value is None else str(value))
        if which:
            if payload.get("state") == "applying":
                self._switching.add(which)
            else:
                self._switching.discard(which)
        text = fill(
            translate("console", "Snow plan: {snow}  Traffic: {traffic}"),
            {"snow": self._modes.get("snow", "—"), "traffic": self._modes.get("traffic", "—")},
        )
        if self._switching:
            text += " " + translate("console", "(switching…)")
        self.seat.window.modes_label.setText(text)
