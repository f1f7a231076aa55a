"""The console's composition root: the one place where feeds, desks and the shell meet.

It makes the seat (who sits here, the database, the bridge, the command sender, the window),
the three feeds, and the desks, each of which builds its panels and connects its workflows;
the docks and perspectives follow from what the desks declare (``console.shell.docks``).
Nothing here acts: it composes, starts, arranges and stops.
"""

from __future__ import annotations

import asyncio
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import qasync
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from console.bridge import Bridge
from console.desks.calls import CallDesk
from console.desks.city import CityWatchDesk
from console.desks.commands import CommandDesk
from console.desks.dispatch import DispatchDesk
from console.desks.equipment import EquipmentDesk
from console.desks.incidents import IncidentDesk
from console.desks.logbook import LogbookDesk
from console.desks.map import MapDesk, MapOptions
from console.desks.modes import ModeDesk
from console.desks.seat import Seat
from console.feeds.equipment import EquipmentFeed
from console.feeds.incidents import IncidentFeed
from console.feeds.map import MapFeed
from console.shell.docks import Dock, perspectives, tab_pairs
from console.shell.gc_guard import collect_on_gui_thread
from console.shell.main_window import MainWindow
from console.shell.preferences import Preferences, default_folder
from console.shell.view import View
from console.shell.web_engine import prepare_web_engine
from console.text.i18n import translate, translator, use_language
from services.bus.connection import client_id
from services.commands.sender import CommandSender
from services.domain.operators import Operator, Role
from services.domain.playbooks import ModeEntry
from services.domain.snow import Segment
from services.domain.snow_watch import SnowWatch
from services.domain.units import visible_kinds
from services.reference import communes
from services.snow_network import load_network
from services.store.database import Database
from widgets.operator_picker import OperatorPickerDialog

__all__ = ["Console", "MapOptions", "prepare_web_engine", "run"]


class Console:
    """The running console: window, feeds and desks, for ``vigie console`` and for tests."""

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
        options = map_options or MapOptions()
        folder = config_folder or default_folder()
        self.window = MainWindow(operator)
        self.bridge = Bridge()
        # Dispatches and commands go out on a connection of their own, which also hears the answers.
        # Its own client id too: two connections under one id throw each other off the broker.
        sender = CommandSender(db, broker_url, root, client_id=client_id("console-commands"))
        names = {c.insee: c.name for c in communes()}
        self.seat = Seat(operator, role, db, self.bridge, sender, self.window, names)
        segments, schematic = load_network(options.snow_network)
        snow_watch = SnowWatch(segments, datetime.now(UTC))
        self.feeds = SimpleNamespace(
            incidents=IncidentFeed(db, broker_url, root, bridge=self.bridge, parent=self.window),
            map=MapFeed(
                db,
                broker_url,
                root,
                bridge=self.bridge,
                kinds=visible_kinds(role),  # patrols only for the roles that send them
                watched_communes=frozenset(names)
                if options.watched_communes is None
                else options.watched_communes,
                coverage_gap=options.coverage_gap,
                snow=snow_watch,
                parent=self.window,
            ),
            equipment=EquipmentFeed(db, bridge=self.bridge, parent=self.window),
        )
        self.desks = self._make_desks(options, (segments, schematic), snow_watch, photo_hosts)
        self.desks.modes = ModeDesk(
            self.seat,
            self.desks.city.panel,
            playbook_path=playbook,
            on_switched=self._switched,
            on_modes=self.desks.city.modes_in_force,
        )
        self.feeds.incidents.sig_mode.connect(lambda *_: self.desks.modes.refresh())
        self.feeds.incidents.sig_link.connect(self.window.set_link)
        self.feeds.incidents.sig_quarantined.connect(self.window.set_quarantined)
        declared = self._dock_panels()
        self.view = View(
            self.window,
            folder,
            operator,
            perspectives(declared),
            tab_pairs(declared),
            on_muted=lambda muted: setattr(self.desks.incidents, "muted", muted),
        )
        self.desks.incidents.muted = self.view.prefs.muted

    def _make_desks(
        self,
        options: MapOptions,
        network: tuple[list[Segment], bool],
        snow_watch: SnowWatch,
        photo_hosts: frozenset[str],
    ) -> SimpleNamespace:
        seat, feeds = self.seat, self.feeds
        incidents = IncidentDesk(seat, feeds.incidents, photo_hosts=photo_hosts)
        map_desk = MapDesk(seat, feeds.map, incidents, options, network)
        equipment = EquipmentDesk(seat, feeds.equipment, incidents, map_desk)
        return SimpleNamespace(  # in the order their docks are laid out and tabbed
            incidents=incidents,
            logbook=LogbookDesk(seat, incidents),
            map=map_desk,
            equipment=equipment,
            city=CityWatchDesk(seat, incidents, map_desk, feeds.equipment, snow_watch),
            commands=CommandDesk(seat, incidents, equipment.equipment),
            dispatch=DispatchDesk(seat, incidents),
            calls=CallDesk(seat, incidents),
        )

    def _dock_panels(self) -> list[Dock]:
        """Every desk's panels docked as declared; the docks, in declaration order."""
        declared = [(desk, dock) for desk in vars(self.desks).values() for dock in _docks(desk)]
        for desk, dock in declared:
            panel = desk.panels[dock.name]
            self.window.add_panel(dock.name, translate("console", dock.title), panel, dock.area)
        docks = self.window.docks
        # queue | detail | map side by side, the logbook under the queue
        self.window.splitDockWidget(
            docks["incident_detail"], docks["map"], Qt.Orientation.Horizontal
        )
        self.window.splitDockWidget(
            docks["incident_queue"], docks["logbook"], Qt.Orientation.Vertical
        )
        self.desks.equipment.docked()
        return [dock for _desk, dock in declared]

    def _switched(self, entry: ModeEntry) -> None:
        """This console switched the city: the playbook may ask for another perspective."""
        self.feeds.equipment.refresh()  # the signals' new plans on the map without waiting
        if entry.perspective and entry.perspective != self.view.perspective:
            self.view.show_perspective(entry.perspective)

    def start(self) -> None:
        self.view.set_theme(self.view.prefs.theme)
        for feed in vars(self.feeds).values():
            feed.start()
        self.seat.sender.bus.start()
        self.desks.modes.refresh()
        self.window.show()
        self.view.arrange(self.view.layouts.current(self.seat.operator, self.seat.role))

    def stop(self) -> None:
        self.view.save()
        for feed in vars(self.feeds).values():
            feed.stop()
        self.seat.sender.close()
        self.bridge.shutdown()
        self.desks.map.map.close_page()
        self.window.close()


def _docks(desk: object) -> tuple:
    return getattr(desk, "DOCKS", ())


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
    # One loop on the GUI thread for Qt and asyncio: the desks' workflows are its coroutines.
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
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
    closing = asyncio.Event()
    app.aboutToQuit.connect(closing.set)
    # Ctrl+C in the terminal and SIGTERM (``vigie demo`` stopping) close the window cleanly;
    # Python only sees a signal when it runs, hence the timer's regular wake-up.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: app.quit())
    wake = QTimer(interval=250)
    wake.timeout.connect(lambda: None)
    wake.start()
    with loop:
        try:
            loop.run_until_complete(closing.wait())
        finally:
            console.stop()  # on the loop still open: the workflows under way are cancelled
    return 0
