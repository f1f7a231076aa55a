"""The console's composition root: the one place where services meet widgets.

It builds the application (translator installed), the incident feed, the queue's model and
panel and the main window, and connects their signals. Nothing else wires things together.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import qasync
from PySide6.QtCore import QT_TRANSLATE_NOOP, QSettings, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication

from console.bridge import Background
from console.desks.commands import CommandDesk
from console.desks.modes import ModeDesk
from console.feeds.equipment import EquipmentFeed
from console.feeds.incidents import IncidentFeed
from console.feeds.map import MapChanges, MapFeed
from console.shell.gc_guard import collect_on_gui_thread
from console.shell.main_window import MainWindow
from console.shell.perspectives import PERSPECTIVES, PerspectiveStore
from console.shell.preferences import Preferences, default_folder
from console.shell.theme import apply_theme
from console.text.i18n import fill, translate, translator, use_language
from console.text.messages import describe
from services import dispatching
from services import incident_actions as acts
from services.bus.connection import client_id
from services.commands.sender import CommandSender
from services.domain.calls import CallDraft
from services.domain.errors import StaleVersion, VigieError
from services.domain.incidents import (
    Incident,
    IncidentStatus,
    Priority,
    SlaPolicy,
    allowed_transitions,
)
from services.domain.journal import JournalEntry
from services.domain.modes import ModeRecord
from services.domain.operators import Operator, Role
from services.domain.playbooks import ModeEntry
from services.domain.snow import DepotTrend, Network, SnowReadings, SnowSituation
from services.domain.snow_watch import SnowWatch
from services.domain.telemetry import CounterReading, TelemetryHistory, TelemetrySample
from services.domain.traffic import BusPriorityLog
from services.domain.units import UnitKind, visible_kinds
from services.photos import fetch_photo, host_allowed
from services.reference import communes
from services.situation import Situation
from services.snow_network import load_network
from services.store import journal
from services.store.database import Database
from widgets.call_form.dialog import CallFormDialog
from widgets.command_log.panel import CommandLogModel, CommandLogPanel
from widgets.dispatch.dialog import DispatchDialog
from widgets.equipment.model import EquipmentTableModel
from widgets.equipment.panel import EquipmentPanel
from widgets.faults.panel import FaultsPanel, FaultTableModel
from widgets.incident_detail.panel import IncidentDetailPanel
from widgets.incident_queue.model import IncidentTableModel
from widgets.incident_queue.panel import IncidentQueuePanel
from widgets.labels import UNIT_KIND, label, mode_value_label
from widgets.logbook.panel import LogbookModel, LogbookPanel
from widgets.map.legend import legend_rows
from widgets.map.page import TileSource, build_page
from widgets.map.panel import MapPanel
from widgets.modes.panel import ModesPanel
from widgets.operator_picker import OperatorPickerDialog
from widgets.telemetry.panel import TelemetryPanel

PERSPECTIVE_TITLES = {
    "dispatcher": QT_TRANSLATE_NOOP("console", "Dispatcher"),
    "snow_coordinator": QT_TRANSLATE_NOOP("console", "Snow coordinator"),
    "technician": QT_TRANSLATE_NOOP("console", "Technician"),
    "supervisor": QT_TRANSLATE_NOOP("console", "Supervisor"),
}


#: The docks that share a place, each behind the first (the console's default arrangement).
TABBED = (
    ("incident_queue", "equipment"),
    ("equipment", "faults"),
    ("incident_queue", "modes"),
    ("map", "telemetry"),
    ("logbook", "command_log"),
)

#: How far back a depot's use is measured to say how many days its salt lasts.


@dataclass(frozen=True)
class MapOptions:
    """The map's configuration: its tile server (none by default) and the coverage watch."""

    tiles: TileSource | None = None
    coverage_gap: timedelta = timedelta(minutes=20)
    watched_communes: frozenset[str] | None = None  # None: all of them
    snow_network: str = ""  # the city's winter-service network (GeoJSON); the bundled one if empty

    @property
    def allowed_hosts(self) -> frozenset[str]:
        """The tile server's hosts (``{s}`` stands for Leaflet's subdomains a, b and c)."""
        if self.tiles is None:
            return frozenset()
        urls = {self.tiles.url.replace("{s}", sub) for sub in "abc"}
        return frozenset(h.lower() for u in urls if (h := urlsplit(u).hostname))


class Console:
    """The running console: window, feed and models, for ``vigie console`` and for tests."""

    def __init__(
        self,
        db: Database,
        broker_url: str,
        root: str,
        operator: str,
        role: Role = Role.DISPATCHER,
        *,
        config_folder: Path | None = None,
        photo_hosts: frozenset[str] = frozenset(),
        map_options: MapOptions | None = None,
        playbook: str = "",
    ) -> None:
        collect_on_gui_thread()  # Qt objects must die on the GUI thread (see gc_guard)
        names = {c.insee: c.name for c in communes()}
        map_options = map_options or MapOptions()
        self.photo_hosts = photo_hosts  # where a photo sent as a link may be fetched from
        self.db = db
        self.operator = operator
        self.role = role
        folder = config_folder or default_folder()
        self.prefs_path = folder / "preferences.json"
        self.prefs = Preferences.load(self.prefs_path)
        self.layouts = PerspectiveStore(
            QSettings(str(folder / "layouts.ini"), QSettings.Format.IniFormat)
        )
        self.perspective = ""
        self.window = MainWindow(operator)
        self.background = Background(self.window)
        self._problem_after_reload = ""
        self.queue_model = IncidentTableModel(names, parent=self.window)
        self.queue = IncidentQueuePanel(self.queue_model, names)
        self.window.add_panel("incident_queue", translate("console", "Incidents"), self.queue)
        self.feed = IncidentFeed(db, broker_url, root, parent=self.window)
        # Dispatches and commands go out on a connection of their own, which also hears the answers.
        # Its own client id too: two connections under one id throw each other off the broker.
        self.sender = CommandSender(db, broker_url, root, client_id=client_id("console-commands"))
        self.feed.sig_incidents.connect(self.queue_model.upsert)
        self.feed.sig_link.connect(self.window.set_link)
        self.feed.sig_quarantined.connect(self.window.set_quarantined)
        self.detail = IncidentDetailPanel(names)
        self.window.add_panel(
            "incident_detail",
            translate("console", "Incident"),
            self.detail,
            Qt.DockWidgetArea.RightDockWidgetArea,
        )
        self.logbook_model = LogbookModel(self.window)
        self.logbook = LogbookPanel(self.logbook_model)
        self.window.add_panel(
            "logbook",
            translate("console", "Logbook"),
            self.logbook,
            Qt.DockWidgetArea.BottomDockWidgetArea,
        )
        self._build_map(db, broker_url, root, map_options)
        self._build_equipment(db, names)
        docks = self.window.docks
        # queue | detail | map side by side, the logbook under the queue
        self.window.splitDockWidget(
            docks["incident_detail"], docks["map"], Qt.Orientation.Horizontal
        )
        self.window.splitDockWidget(
            docks["incident_queue"], docks["logbook"], Qt.Orientation.Vertical
        )
        docks["telemetry"].visibilityChanged.connect(
            lambda shown: shown and self.telemetry.show_history(self.telemetry_history)
        )
        self.command_log_model = CommandLogModel(self.window)
        self.command_log = CommandLogPanel(self.command_log_model)
        self.window.add_panel(
            "command_log",
            translate("console", "Commands"),
            self.command_log,
            Qt.DockWidgetArea.BottomDockWidgetArea,
        )
        self.feed.sig_commands.connect(self.command_log_model.upsert)
        self.command_log.sig_rerun_requested.connect(self.commanding.rerun)
        self.feed.sig_journal.connect(self.logbook_model.add_entries)
        self.logbook.sig_entry_requested.connect(self._write_logbook)
        self.perspective_actions, self.theme_actions, self.language_actions = (
            self.window.build_menus(
                [(name, translate("console", PERSPECTIVE_TITLES[name])) for name in PERSPECTIVES],
                [
                    ("dark", translate("console", "Dark grey (dimmed room)")),
                    ("light", translate("console", "Light grey (lit room)")),
                ],
                [
                    ("system", translate("console", "The system's language")),
                    ("fr", "Français"),  # each language in its own words
                    ("en", "English"),
                ],
            )
        )
        for action in self.language_actions.actions():
            action.setChecked(action.data() == self.prefs.language)
        self.language_actions.triggered.connect(lambda a: self.set_language(a.data()))
        self.perspective_actions.triggered.connect(lambda a: self.show_perspective(a.data()))
        self.theme_actions.triggered.connect(lambda a: self.set_theme(a.data()))
        self.queue.sig_incident_selected.connect(self.open_incident)
        self._alerted: set[int] = set()
        self.feed.sig_incidents.connect(self._draw_attention)
        self._sent: dict[int, str] = {}  # incidents this console dispatched, and to whom
        self.feed.sig_incidents.connect(self._follow_dispatches)
        self.mute_action = self.window.add_toggle(
            translate("console", "Mute the P1 sound"), self.prefs.muted, self._set_muted
        )
        for key, action in (
            ("F2", lambda: self._act_on_shown(IncidentStatus.ACKNOWLEDGED)),
            ("F3", lambda: self.detail.dispatch_button.click()),
            ("F4", lambda: self._act_on_shown(IncidentStatus.RESOLVED)),
            ("F5", self.next_unacknowledged),
            ("Ctrl+N", self.new_call),
        ):
            QShortcut(QKeySequence(key), self.window, action)
        self.detail.buttons[IncidentStatus.ACKNOWLEDGED].setToolTip("F2")
        self.detail.buttons[IncidentStatus.RESOLVED].setToolTip("F4")
        self.detail.sig_transition_requested.connect(self._move)
        self.detail.sig_dispatch_requested.connect(self.request_dispatch)
        self._modes: dict[str, str] = {}
        self._switching: set[str] = set()  # modes whose switch is under way
        self.feed.sig_mode.connect(self._show_mode)
        self._show_mode("", {})
        self.detail.dispatch_button.setToolTip("F3")
        self._build_modes(db, playbook)
        for _front, behind in TABBED:  # placed in their tabs once the window is shown
            self.window.docks[behind].hide()
        self.detail.sig_priority_requested.connect(self._reprioritise)
        self.detail.sig_note_requested.connect(self._note)
        self.detail.sig_merge_requested.connect(self._merge)

    # --- the map ----------------------------------------------------------------------------------
    def _build_map(self, db: Database, broker_url: str, root: str, options: MapOptions) -> None:
        kinds = visible_kinds(self.role)  # patrols only for the roles that send them
        everywhere = frozenset(c.insee for c in communes())
        segments, schematic = load_network(options.snow_network)
        self.snow_watch = SnowWatch(segments, datetime.now(UTC))
        self.map_feed = MapFeed(
            db,
            broker_url,
            root,
            kinds=kinds,
            watched_communes=everywhere
            if options.watched_communes is None
            else options.watched_communes,
            coverage_gap=options.coverage_gap,
            snow=self.snow_watch,
            parent=self.window,
        )
        self.map = MapPanel(
            build_page(communes(), legend_rows(), options.tiles),
            show_patrols=UnitKind.PATROL in kinds,
            allowed_hosts=options.allowed_hosts,
        )
        self.window.add_panel(
            "map", translate("console", "Map"), self.map, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.map.set_snow_network(segments, schematic)
        self.map_feed.sig_snapshot.connect(self._show_situation)
        self.map_feed.sig_changes.connect(self._show_changes)
        self.feed.sig_incidents.connect(self.map.update_incidents)
        self.queue.sig_incident_selected.connect(self.map.focus_incident)
        self.map.sig_incident_clicked.connect(self.queue.select_incident)
        self.map.sig_unit_clicked.connect(self._unit_clicked)

    def _build_equipment(self, db: Database, names: dict[str, str]) -> None:
        self.equipment_model = EquipmentTableModel(names, parent=self.window)
        self.equipment = EquipmentPanel(self.equipment_model, names)
        self.window.add_panel("equipment", translate("console", "Equipment"), self.equipment)
        self.equipment_feed = EquipmentFeed(db, parent=self.window)
        self.equipment_feed.sig_equipment.connect(self.equipment_model.upsert)
        self.equipment_feed.sig_failed.connect(
            lambda key: self.window.set_link("database", False, key)
        )
        self.equipment.sig_device_selected.connect(self.map.focus_device)
        self.commanding = CommandDesk(
            self.sender,
            self.background,
            self.operator,
            self.window,
            want_commands=self.feed.want_commands,
            refused=self._refused,
        )
        self.equipment.sig_command_requested.connect(self.commanding.open)
        self.faults_model = FaultTableModel(names, parent=self.window)
        self.faults = FaultsPanel(self.faults_model)
        self.window.add_panel("faults", translate("console", "Faults"), self.faults)
        self.equipment_feed.sig_faults.connect(self.faults_model.replace)
        self.telemetry_history = TelemetryHistory()
        self.telemetry = TelemetryPanel(names)
        self.window.add_panel(
            "telemetry",
            translate("console", "Telemetry"),
            self.telemetry,
            Qt.DockWidgetArea.RightDockWidgetArea,
        )
        self.equipment_feed.sig_telemetry.connect(self._record_telemetry)
        self.faults.sig_incident_requested.connect(self._open_from_elsewhere)
        self.faults.sig_device_requested.connect(self._show_device)
        self.map.sig_device_clicked.connect(self._device_clicked)

    def _build_modes(self, db: Database, playbook: str) -> None:
        self.modes_panel = ModesPanel({c.insee: c.name for c in communes()})
        self.depot_trend = DepotTrend()
        self.snow_operation = False  # a snow level above watch: the network is to be treated
        self.equipment_feed.sig_snow.connect(self._show_snow)
        self.bus_priority = BusPriorityLog(datetime.now(UTC))
        self.equipment_feed.sig_signals.connect(self._show_signals)
        self.window.add_panel(
            "modes",
            translate("console", "Modes"),
            self.modes_panel,
            Qt.DockWidgetArea.LeftDockWidgetArea,
        )
        self.mode_desk = ModeDesk(
            db,
            self.sender,
            self.background,
            self.operator,
            self.modes_panel,
            self.window,
            playbook_path=playbook,
            on_switched=self._switched,
            on_modes=self._modes_in_force,
        )
        self.feed.sig_mode.connect(lambda *_: self.mode_desk.refresh())

    def _show_snow(self, readings: SnowReadings) -> None:
        """The snow operation at a glance: salt left at the rate of use, freeze risk, gaps."""
        now = readings.at
        depots = [
            (
                depot,
                self.depot_trend.days_left(depot.id, "salt", depot.salt_tonnes, now),
                self.depot_trend.days_left(depot.id, "brine", depot.brine_m3, now),
            )
            for depot in readings.depots
        ]
        treating, heard = self.snow_watch.vehicles(now)
        segments = self.snow_watch.segments
        gaps = self.snow_watch.gaps(now, self.map_feed.operation_since)
        self.modes_panel.show_snow(
            SnowSituation(
                treating=treating,
                heard=heard,
                principal=sum(s.network is Network.PRINCIPAL for s in segments),
                gaps=tuple(gaps) if self.snow_operation else (),
                stations=readings.stations,
                depots=tuple(depots),
            )
        )

    def _show_signals(self, signals: dict[str, tuple[str, str | None, bool | None]]) -> None:
        """The signals' running plans on the map; buses' priority requests counted."""
        self.map.show_plans({ident: plan for ident, (plan, _r, _s) in signals.items()})
        for ident, (_plan, requested, served) in signals.items():
            self.bus_priority.observe(ident, requested, served)
        asked, served = self.bus_priority.last_hour(datetime.now(UTC))
        self.modes_panel.show_bus_requests(asked, served)

    def _switched(self, entry: ModeEntry) -> None:
        """This console switched the city: the playbook may ask for another perspective."""
        self.equipment_feed.refresh()  # the signals' new plans on the map without waiting
        if entry.perspective and entry.perspective != self.perspective:
            self.show_perspective(entry.perspective)

    def _modes_in_force(
        self, records: list[ModeRecord], sla: SlaPolicy, layers: frozenset[str]
    ) -> None:
        for record in records:  # the record is the truth; announcements only say to read it
            key = "level" if record.kind == "snow" else "mode"
            if record.switching_by:  # as the contract announces it: the target while applying
                self._show_mode(record.kind, {key: record.target, "state": "applying"})
            else:
                self._show_mode(record.kind, {key: record.value, "state": record.state})
        self.queue_model.set_sla(sla)
        snow = next((r for r in records if r.kind == "snow"), None)
        self.snow_operation = snow is not None and snow.value != "0"
        if self.snow_operation:  # passes count from the level's raising
            self.map_feed.operation_since = snow.since
        self.map.show_layers(layers)

    def _record_telemetry(self, taken: TelemetrySample, reading: CounterReading) -> None:
        self.telemetry_history.add_sample(taken)
        self.telemetry_history.add_counters(reading)
        if self.telemetry.isVisible():  # drawn when looked at; a hidden dock costs nothing
            self.telemetry.show_history(self.telemetry_history)

    def _open_from_elsewhere(self, incident_id: int) -> None:
        """Another panel asks for an incident: the queue selects it (or it opens regardless)."""
        if not self.queue.select_incident(incident_id):
            self.open_incident(incident_id)
        self.window.docks["incident_detail"].show()
        self.window.docks["incident_detail"].raise_()

    def _show_device(self, device_id: str) -> None:
        self.map.focus_device(device_id)
        self.equipment.select_device(device_id)

    def _device_clicked(self, device_id: str) -> None:
        if self.equipment.select_device(device_id):
            self.window.docks["equipment"].show()
            self.window.docks["equipment"].raise_()

    def _unit_clicked(self, unit_id: str) -> None:
        """A unit on a mission: its incident is what the operator wants in front of them."""
        unit = self.map.unit(unit_id)
        if unit is not None and unit.incident_id is not None:
            self.queue.select_incident(unit.incident_id)

    def _show_situation(self, situation: Situation) -> None:
        self.map.reset()
        self.map.update_units(situation.units)
        self.map.set_trails(situation.trails)
        self.map.update_devices(situation.devices)

    def _show_changes(self, changes: MapChanges) -> None:
        self.map.update_units(changes.units)
        self.map.update_devices(changes.devices)
        if changes.snow_passes is not None:
            self.map.show_passes(changes.snow_passes)
        if changes.coverage is not None:
            by_insee = {c.insee: c for c in communes()}
            now = datetime.now(UTC)
            gaps = [(by_insee[g.insee], g.minutes(now)) for g in changes.coverage]
            self.map.show_coverage(
                [
                    (c, fill(translate("console", "no patrol for {minutes} min"), {"minutes": m}))
                    for c, m in gaps
                ]
            )
            self.queue.show_coverage([(c.name, m) for c, m in gaps])

    # --- attention and the keyboard -------------------------------------------------------------
    def _draw_attention(self, incidents: list[Incident]) -> None:
        """A new P1 asks for attention at once: taskbar, sound (unless muted), banner."""
        fresh = [
            i
            for i in incidents
            if i.priority == Priority.P1
            and i.status is IncidentStatus.NEW
            and i.id not in self._alerted
        ]
        if not fresh:
            return
        self._alerted |= {i.id for i in fresh}  # type: ignore[misc]
        QApplication.alert(self.window, 0)  # until the window is activated
        if not self.prefs.muted:
            QApplication.beep()

    def _set_muted(self, muted: bool) -> None:
        self.prefs.muted = muted
        self.prefs.save(self.prefs_path)

    def new_call(self) -> CallFormDialog:
        """Open the hotline's form; the incident is created when the form is right."""
        form = CallFormDialog({c.insee: c.name for c in communes()}, self.window)
        form.sig_call_submitted.connect(lambda draft: self._record_call(form, draft))
        form.open()
        self.call_form = form
        return form

    def _record_call(self, form: CallFormDialog, draft: CallDraft) -> None:
        def done(incident: Incident) -> None:
            form.accept()
            self.queue_model.upsert([incident])
            self.feed.announce(incident.id, incident.version, self.operator)  # type: ignore[arg-type]
            self.queue.select_incident(incident.id)  # type: ignore[arg-type]

        def refused(error: BaseException) -> None:
            if not isinstance(error, VigieError):
                raise error
            form.show_problem(describe(error))

        self.background.run(
            lambda: acts.record_call(self.db, draft, by=self.operator, communes=communes()),
            done,
            refused,
        )

    def next_unacknowledged(self) -> None:
        incident = self.queue_model.first_unacknowledged()
        if incident is not None:
            self.queue.select_incident(incident.id)  # type: ignore[arg-type]

    def _act_on_shown(self, status: IncidentStatus) -> None:
        shown = self.detail.incident
        if shown is not None and status in allowed_transitions(shown.status):
            self._move(shown, status.value)

    # --- the detail panel's requests, done in the background ----------------------------------
    def open_incident(self, incident_id: int) -> None:
        self.background.run(lambda: acts.read(self.db, incident_id), self._show_file, self._refused)

    def _show_file(self, file: acts.IncidentFile) -> None:
        self.detail.show_incident(file.incident, file.history, file.notes, file.duplicates)
        self._show_photo(file)
        if self._problem_after_reload:
            self.detail.show_problem(self._problem_after_reload)
            self._problem_after_reload = ""

    def _move(self, seen: Incident, status: str) -> None:
        self.background.run(
            lambda: acts.move(self.db, seen, IncidentStatus(status), by=self.operator),
            self._changed,
            self._refused,
        )

    def _show_mode(self, which: str, payload: dict) -> None:
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
        self.window.modes_label.setText(text)

    def request_dispatch(self, seen: Incident) -> None:
        """Rank the available units, let the operator choose, then send the chosen one.

        For a P1, the units busy elsewhere are offered too, after the available ones, as a
        re-tasking that the operator confirms knowing which incident the unit would leave.
        """
        kinds = visible_kinds(self.role)  # a role that may not see patrols is not offered them
        retasking = seen.priority is Priority.P1

        def rank() -> tuple[list[dispatching.Candidate], list[dispatching.Candidate]]:
            free = dispatching.candidates(self.db, seen, kinds=kinds)
            busy = dispatching.busy_candidates(self.db, seen, kinds=kinds) if retasking else []
            return free, busy

        def choose(ranked: tuple[list[dispatching.Candidate], list[dispatching.Candidate]]) -> None:
            free, busy = ranked
            if not free and not busy:
                self.detail.show_problem(
                    translate("console", "No available unit with a known position.")
                )
                return
            lines = [(c.unit_id, self._candidate_line(c)) for c in free]
            lines += [
                (
                    c.unit_id,
                    self._candidate_line(c)
                    + fill(
                        translate("console", " — busy with incident #{other}: re-task"),
                        {"other": c.busy_with},
                    ),
                )
                for c in busy
            ]
            questions = {
                c.unit_id: fill(
                    translate(
                        "console",
                        "Re-task {name} to incident #{id}? It leaves incident #{other}, which "
                        "goes back to waiting for a unit, with a note saying why.",
                    ),
                    {"name": c.name, "id": seen.id, "other": c.busy_with},
                )
                for c in busy
            }
            heading = fill(
                translate(
                    "console",
                    "Send a unit to incident #{id}: the usual kind first, then the nearest:",
                ),
                {"id": seen.id},
            )
            dialog = DispatchDialog(heading, lines, self.window, retask=questions)
            dialog.sig_unit_chosen.connect(lambda unit: self._dispatch(seen, unit))
            dialog.sig_retask_chosen.connect(lambda unit: self._retask(seen, unit))
            dialog.open()
            self.dispatch_dialog = dialog

        self.background.run(rank, choose, self._refused)

    @staticmethod
    def _candidate_line(c: dispatching.Candidate) -> str:
        return fill(
            translate("console", "{name} ({kind}): {km} km, about {minutes} min"),
            {
                "name": c.name,
                "kind": label(UNIT_KIND, c.kind),
                "km": f"{c.distance_m / 1000:.1f}",
                "minutes": f"{c.eta_minutes:.0f}",
            },
        ) + ("" if c.suited else translate("console", " — not the usual kind"))

    def _dispatch(self, seen: Incident, unit_id: str) -> None:
        def send() -> Incident:
            saved, request = dispatching.dispatch(
                self.db, seen, unit_id, by=self.operator, reply_to=self.sender.reply_to
            )
            # With the broker away paho keeps it, and the recorder re-sends the outbox anyway.
            self.sender.bus.publish(request.topic(self.sender.topics), request.payload(), qos=1)
            return saved

        def sent(saved: Incident) -> None:
            self._sent[saved.id] = unit_id  # type: ignore[index]
            self._changed(saved)

        self.background.run(send, sent, self._refused)

    def _retask(self, seen: Incident, unit_id: str) -> None:
        """Take the unit off its incident for this P1 (confirmed), then say what was done."""

        def send() -> dispatching.Retasking:
            done = dispatching.retask(
                self.db, seen, unit_id, by=self.operator, reply_to=self.sender.reply_to
            )
            self.sender.bus.publish(
                done.request.topic(self.sender.topics), done.request.payload(), qos=1
            )
            return done

        def sent(done: dispatching.Retasking) -> None:
            self._sent[done.incident.id] = unit_id  # type: ignore[index]
            if done.left is None:  # it had become free meanwhile: a plain dispatch
                said = translate("console", "{unit} was free by then: sent to incident #{id}.")
            else:
                said = translate(
                    "console",
                    "{unit} re-tasked to incident #{id}; incident #{other} waits for another "
                    "unit (see its notes).",
                )
                self.queue_model.upsert([done.left])
                self.feed.announce(done.left.id, done.left.version, self.operator)  # type: ignore[arg-type]
            self.window.statusBar().showMessage(
                fill(
                    said,
                    {
                        "unit": unit_id,
                        "id": done.incident.id,
                        "other": done.left.id if done.left else "",
                    },
                ),
                60_000,
            )
            self._changed(done.incident)

        self.background.run(send, sent, self._refused)

    def _follow_dispatches(self, incidents: list[Incident]) -> None:
        """A dispatch refused or unanswered is said to who sent it, never left to be noticed."""
        for incident in incidents:
            unit = self._sent.get(incident.id)  # type: ignore[arg-type]
            if unit is None or incident.status is IncidentStatus.DISPATCHED:
                continue
            del self._sent[incident.id]  # type: ignore[arg-type]
            if incident.status is IncidentStatus.ACKNOWLEDGED and incident.assigned_unit is None:
                self.window.statusBar().showMessage(
                    fill(
                        translate(
                            "console",
                            "Incident #{id}: {unit} refused the dispatch or did not answer; "
                            "the incident waits for another unit (see its notes).",
                        ),
                        {"id": incident.id, "unit": unit},
                    ),
                    60_000,
                )
                QApplication.alert(self.window, 0)

    def _reprioritise(self, seen: Incident, priority: int, reason: str) -> None:
        self.background.run(
            lambda: acts.reprioritise(self.db, seen, Priority(priority), reason, by=self.operator),
            self._changed,
            self._refused,
        )

    def _merge(self, seen: Incident, into: int) -> None:
        self.background.run(
            lambda: acts.merge(self.db, seen, into, by=self.operator), self._changed, self._refused
        )

    def _note(self, incident_id: int, text: str) -> None:
        self.background.run(
            lambda: acts.add_note(self.db, incident_id, text, by=self.operator),
            lambda _note: self.open_incident(incident_id),
            self._refused,
        )

    def _write_logbook(self, text: str) -> None:
        def write() -> JournalEntry:
            with self.db.write() as session:
                return journal.add(session, self.operator, text)

        self.background.run(write, self._written, self._refused)

    def _written(self, entry: JournalEntry) -> None:
        self.logbook_model.add_entries([entry])
        self.feed.announce_journal(entry.id, self.operator)

    def _changed(self, incident: Incident) -> None:
        self.queue_model.upsert([incident])
        self.feed.announce(incident.id, incident.version, self.operator)  # type: ignore[arg-type]
        self.open_incident(incident.id)  # type: ignore[arg-type]

    def _refused(self, error: BaseException) -> None:
        if not isinstance(error, VigieError):
            raise error
        if isinstance(error, StaleVersion):  # show the incident as it now stands, and why
            current = error.params["current"]
            self.queue_model.upsert([current])
            self._problem_after_reload = describe(error)
            self.open_incident(current.id)
            return
        self.detail.show_problem(describe(error))

    def start(self) -> None:
        self.set_theme(self.prefs.theme)
        self.feed.start()
        self.map_feed.start()
        self.equipment_feed.start()
        self.sender.bus.start()
        self.mode_desk.refresh()
        self.window.show()
        self._arrange_docks()
        self.show_perspective(self.layouts.current(self.operator, self.role))

    def _arrange_docks(self) -> None:
        """The default arrangement, which a perspective's saved layout then replaces.

        Tabs are made once the window is shown: tabified before, Qt (6.11) leaves a stale copy
        of a tab group's bar painted over the panels (reproduced with bare QDockWidgets). Until
        then the docks meant to sit behind others are hidden, or the window's minimum size
        would stack them all.
        """
        docks = self.window.docks
        for front, behind in TABBED:
            self.window.tabifyDockWidget(docks[front], docks[behind])
        docks["map"].raise_()  # the map in front of its tab; the telemetry a click away

    # --- perspectives and theme ----------------------------------------------------------------
    def show_perspective(self, name: str) -> None:
        if self.perspective:
            self.layouts.save(self.window, self.operator, self.perspective)
        self.perspective = name
        restored = self.layouts.apply(self.window, self.window.docks, self.operator, name)
        if not restored:  # the default: the queue readable to its place column, the map large
            docks, width = self.window.docks, self.window.width()
            self.window.resizeDocks(
                [docks["incident_queue"], docks["incident_detail"], docks["map"]],
                [width * 40 // 100, width * 26 // 100, width * 34 // 100],
                Qt.Orientation.Horizontal,
            )
            height = self.window.height()
            self.window.resizeDocks(
                [docks["incident_queue"], docks["logbook"]],
                [height * 3 // 4, height // 4],
                Qt.Orientation.Vertical,
            )
        if not restored:
            self.window.docks[PERSPECTIVES[name][0]].raise_()  # the role's main panel in front
        for action in self.perspective_actions.actions():
            action.setChecked(action.data() == name)

    def set_theme(self, name: str) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, name)
        self.prefs.theme = name
        self.prefs.save(self.prefs_path)
        for action in self.theme_actions.actions():
            action.setChecked(action.data() == name)

    def _show_photo(self, file: acts.IncidentFile) -> None:
        """A photo stored with the report at once; one sent as a link fetched in the background."""
        url = file.photo_url
        if file.photo or not url:
            self.detail.show_photo(file.photo)
            return
        if not host_allowed(url, self.photo_hosts):
            self.detail.show_photo(None, describe(VigieError("photo.host_not_allowed", url=url)))
            return
        shown = file.incident.id
        self.detail.show_photo(
            None, fill(translate("console", "Fetching the photo at {url}…"), {"url": url})
        )

        def still_shown() -> bool:  # the operator may have moved to another incident since
            return self.detail.incident is not None and self.detail.incident.id == shown

        def fetched(data: bytes) -> None:
            if still_shown():
                self.detail.show_photo(data, translate("console", "The photo is not an image."))

        def failed(error: BaseException) -> None:
            if not isinstance(error, VigieError):
                raise error
            if still_shown():
                self.detail.show_photo(None, describe(error))

        self.background.run(
            lambda: fetch_photo(url, self.photo_hosts), fetched, failed, outside=True
        )

    def set_language(self, name: str) -> None:
        """Kept for the next start: every panel would otherwise have to rebuild its texts."""
        self.prefs.language = name
        self.prefs.save(self.prefs_path)
        self.window.statusBar().showMessage(
            translate("console", "The language will change at the next start."), 10_000
        )

    def stop(self) -> None:
        if self.perspective:
            self.layouts.save(self.window, self.operator, self.perspective)
        self.feed.stop()
        self.map_feed.stop()
        self.equipment_feed.stop()
        self.sender.close()
        self.background.shutdown()
        self.map.close_page()
        self.window.close()


def prepare_web_engine() -> None:
    """What QtWebEngine needs before the application exists.

    Its module must be imported first (it shares OpenGL contexts). As root, Chromium refuses to
    start with its sandbox: the map's page is built from local files and every request leaving
    the machine is blocked (``LocalOnlyInterceptor``), so the sandbox is the lesser loss there.
    """
    import PySide6.QtWebEngineWidgets  # noqa: F401

    if os.geteuid() == 0:
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")


def pick_operator(operators: list[Operator], default: str) -> Operator | None:
    """Ask who is at the desk, the default pre-selected; None if they quit."""
    dialog = OperatorPickerDialog(operators, default)
    if dialog.exec() != OperatorPickerDialog.DialogCode.Accepted:
        return None
    return next(o for o in operators if o.name == dialog.chosen)


def run(
    db: Database,
    broker_url: str,
    root: str,
    operator: Operator,
    *,
    choose_among: list[Operator] | None = None,
    photo_hosts: frozenset[str] = frozenset(),
    map_options: MapOptions | None = None,
    playbook: str = "",
    argv: Any = None,
) -> int:
    """Run the console; with ``choose_among``, the operator picks who they are first."""
    prepare_web_engine()
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    language = Preferences.load(default_folder() / "preferences.json").language
    use_language(None if language == "system" else language)
    app.installTranslator(translator())
    if choose_among:
        picked = pick_operator(choose_among, operator.name)
        if picked is None:
            return 0
        operator = picked
    console = Console(
        db,
        broker_url,
        root,
        operator.name,
        operator.role,
        photo_hosts=photo_hosts,
        map_options=map_options,
        playbook=playbook,
    )
    console.window.resize(1280, 800)
    console.start()
    # The window runs on a qasync loop: asyncio code and Qt share the GUI thread's one loop.
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    closing = asyncio.Event()
    app.aboutToQuit.connect(closing.set)
    # Ctrl+C in the terminal and SIGTERM (``vigie demo`` stopping) close the window cleanly;
    # Python only sees a signal when it runs, hence the timer's regular wake-up.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: app.quit())
    wake = QTimer(interval=250)
    wake.timeout.connect(lambda: None)
    wake.start()
    try:
        with loop:
            loop.run_until_complete(closing.wait())
        return 0
    finally:
        console.stop()
