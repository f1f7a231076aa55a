"""The console's composition root: the one place where feeds, desks and the shell meet.

It makes the seat (who sits here, the database, the bridge, the command sender, the window),
the three feeds, and the desks, each of which builds its panels and connects its workflows;
the docks and perspectives follow from what the desks declare (``console.shell.docks``).
Nothing here acts: it composes, starts, arranges and stops.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import signal
import socket
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import qasync
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication

from console.bridge import Bridge
from console.desks.approvals import ApprovalDesk
from console.desks.calls import CallDesk
from console.desks.city import CityWatchDesk
from console.desks.commands import CommandDesk
from console.desks.dispatch import DispatchDesk
from console.desks.energy import EnergyDesk
from console.desks.equipment import EquipmentDesk
from console.desks.handover import ShiftHandoverDesk
from console.desks.incidents import IncidentDesk
from console.desks.logbook import LogbookDesk
from console.desks.map import MapDesk, MapOptions
from console.desks.modes import ModeDesk
from console.desks.report import ReportDesk
from console.desks.seat import Seat
from console.desks.statistics import StatisticsDesk
from console.desks.video import VideoDesk
from console.feeds.equipment import EquipmentFeed
from console.feeds.incidents import IncidentFeed
from console.feeds.map import MapFeed
from console.shell.docks import Dock, perspectives, tab_pairs
from console.shell.gc_guard import collect_on_gui_thread
from console.shell.gil import favour_the_gui_thread
from console.shell.lock import DEFAULT_IDLE, DeskLock
from console.shell.login import (
    PasswordCheck,
    authority_note,
    enabled_operators,
    log_in,
    password_check,
)
from console.shell.main_window import MainWindow
from console.shell.preferences import PREFERENCES_FILE, Preferences, default_folder
from console.shell.theme import apply_theme
from console.shell.view import View
from console.shell.web_engine import prepare_web_engine
from console.text.i18n import translate, translator, use_language
from services.bus.connection import client_id
from services.bus.presence import ConsolePresence, workstation_name
from services.commands.sender import CommandSender
from services.config import default_snapshots_folder
from services.dispatching import journal_patrols_opened
from services.domain.operators import Operator, Role
from services.domain.permissions import Act, Matrix
from services.domain.playbooks import ModeEntry
from services.domain.privacy_masks import MaskBook
from services.domain.snow import Segment
from services.domain.snow_watch import SnowWatch
from services.domain.units import UnitKind
from services.permissions import load_matrix
from services.privacy_mask_files import read_mask_folder
from services.reference import communes
from services.snow_network import load_network
from services.store.database import Database
from widgets.login_dialog import LoginDialog

__all__ = ["Console", "MapOptions", "prepare_web_engine", "run"]

#: How long a console leaving waits for its camera views to be closed on the record.
CLOSE_VIEWS_S = 5.0


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
        lighting: str = "",
        matrix: Matrix | None = None,
        lock_after: timedelta = DEFAULT_IDLE,
        on_hand_over: Callable[[Operator, Database | None], None] | None = None,
        masks: MaskBook | None = None,
        snapshots_folder: Path | None = None,
        camera_hosts: frozenset[str] = frozenset({"127.0.0.1", "localhost"}),
    ) -> None:
        collect_on_gui_thread()  # Qt objects must die on the GUI thread (see gc_guard)
        favour_the_gui_thread()  # the lanes hand the interpreter's lock over sooner (gil)
        options = map_options or MapOptions()
        folder = config_folder or default_folder()
        # The theme before the widgets: applied after, it re-polished them all at the start.
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, Preferences.load(folder / PREFERENCES_FILE).theme)
        self.window = MainWindow(operator)
        self.window.set_authority(authority_note(db))
        self.lock = DeskLock(self.window, operator, lock_after)
        self.lock.sig_locked.connect(lambda: self.bridge.start(self._ask_who_is_there()))
        # Nobody watches a locked desk: its camera views close (after the desks exist, below).
        self.lock.sig_locked.connect(lambda: self.desks.video.close_views())
        self.on_hand_over = on_hand_over  # another operator logged in at this desk
        self.login: LoginDialog | None = None
        self.bridge = Bridge()
        # Dispatches and commands go out on a connection of their own, which also hears the answers.
        # Its own client id too: two connections under one id throw each other off the broker.
        sender = CommandSender(db, broker_url, root, client_id=client_id("console-commands"))
        names = {c.insee: c.name for c in communes()}
        self.seat = Seat(
            operator, role, db, self.bridge, sender, self.window, names, matrix or load_matrix()
        )
        segments, schematic = load_network(options.snow_network)
        snow_watch = SnowWatch(segments, datetime.now(UTC))
        self.feeds = SimpleNamespace(
            incidents=IncidentFeed(db, broker_url, root, bridge=self.bridge, parent=self.window),
            map=MapFeed(
                db,
                broker_url,
                root,
                bridge=self.bridge,
                kinds=self.seat.unit_kinds,  # patrols only for the roles that send them
                watched_communes=frozenset(names)
                if options.watched_communes is None
                else options.watched_communes,
                coverage_gap=options.coverage_gap,
                snow=snow_watch,
                lighting=lighting,
                parent=self.window,
            ),
            equipment=EquipmentFeed(
                db,
                bridge=self.bridge,
                streams=self.seat.may(Act.VIEW_CAMERAS),
                parent=self.window,
            ),
        )
        self.desks = self._make_desks(options, (segments, schematic), snow_watch, photo_hosts)
        self.desks.video = VideoDesk(
            self.seat,
            self.feeds.equipment,
            self.desks.incidents,
            masks or _masks(),
            workstation_name(broker_url),
            snapshots_folder or default_snapshots_folder(),
            camera_hosts,
        )
        self.desks.map.map.sig_device_clicked.connect(self._device_clicked)
        # Online while this console runs; its Last Will tells the recorder if it dies, which then
        # closes the camera views this workstation left open.
        self.presence = ConsolePresence(
            broker_url, root, operator, on_connection=self._presence_changed
        )
        self._relay = _Relay(self.window)  # from paho's thread to the GUI thread
        self._relay.sig_back.connect(self.desks.video.link_returned)
        self.desks.modes = ModeDesk(
            self.seat,
            self.desks.city.panel,
            playbook_path=playbook,
            on_switched=self._switched,
            on_modes=self.desks.city.modes_in_force,
        )
        self.desks.approvals = ApprovalDesk(self.seat, self.desks.incidents, playbook, lighting)
        self.desks.energy = EnergyDesk(self.seat, lighting, playbook_path=playbook)
        # issue 22: the Statistics panel (a dock only for the roles that may see statistics)
        self.desks.statistics = StatisticsDesk(self.seat, self.desks.incidents)
        self.desks.shift_handover = ShiftHandoverDesk(self.seat)  # File > Hand over…
        self.desks.report = ReportDesk(self.seat)  # File > Daily report… (run_reports)
        self._show_refusals()
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
        if self.seat.may(Act.VIEW_CAMERAS):
            self.view.add_choice(
                translate("console", "Open the cameras of a building's alarm"),
                "cameras_on_alarms",
                lambda on: setattr(self.desks.video, "opens_on_alarms", on),
            )

    def _presence_changed(self, up: bool, _reason: str) -> None:  # paho's thread
        """Back on the broker after a loss: the recorder may have closed this desk's views."""
        if up and self.presence.connections > 1:
            self._relay.sig_back.emit()

    def _device_clicked(self, device_id: str) -> None:
        """A camera clicked on the map is offered to the wall's next free tile, if one may view.

        Dragged instead, it goes to the tile it is dropped on.
        """
        if device_id in self.desks.video.cameras and self.seat.may(Act.VIEW_CAMERAS):
            self.desks.video.ask([device_id])

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
        # Units by their names, not ids: the map's feed knows them from its snapshot on.
        incidents.detail.unit_name = incidents.queue_model.unit_name = feeds.map.unit_name
        feeds.map.sig_snapshot.connect(incidents.queue_model.names_changed)
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
        self.desks.energy.docked()
        self.desks.statistics.docked()
        return [dock for _desk, dock in declared]

    def _switched(self, entry: ModeEntry) -> None:
        """This console switched the city: the playbook may ask for another perspective."""
        self.feeds.equipment.refresh()  # the signals' new plans on the map without waiting
        if entry.perspective and entry.perspective != self.view.perspective:
            self.view.show_perspective(entry.perspective)

    def _show_refusals(self) -> None:
        """Every control of an act this operator may not do: disabled, its tooltip saying why.

        Once every desk is made (a desk may add a key's tooltip to another's button). The
        services refuse the same acts in the same words: this only says it first.
        """
        refusal, desks = self.seat.refusal, self.desks
        desks.incidents.detail.refuse(refusal(Act.ACT_ON_INCIDENTS))
        desks.logbook.panel.refuse(refusal(Act.WRITE_LOGBOOK))
        commands = refusal(Act.COMMAND_DEVICE, Act.COMMAND_GROUP)
        desks.equipment.equipment.refuse(commands)
        desks.commands.log.refuse(commands)
        desks.city.panel.snow.refuse(refusal(Act.SWITCH_SNOW))
        desks.city.panel.traffic.refuse(refusal(Act.SWITCH_TRAFFIC))
        desks.energy.panel.refuse(refusal(Act.COMMAND_GROUP))

    def start(self) -> None:
        self.view.set_theme(self.view.prefs.theme)
        if UnitKind.PATROL in self.seat.unit_kinds:
            # Each console session that shows police patrols is journaled (security.md).
            self.bridge.acts.submit(
                journal_patrols_opened, self.seat.db, self.seat.operator, socket.gethostname()
            )
        for feed in vars(self.feeds).values():
            feed.start()
        self.seat.sender.bus.start()
        self.presence.start()
        self.desks.modes.refresh()
        self.desks.approvals.start()
        self.desks.energy.start()
        self.desks.statistics.start()
        self.desks.shift_handover.start()
        self.view.place()
        self.window.show()
        self.view.arrange(self.view.layouts.current(self.seat.operator, self.seat.role))

    async def _ask_who_is_there(self) -> None:
        """The desk is locked: whoever is there logs in (the list read off the GUI thread)."""
        if self.login is not None and self.login.isVisible():
            return
        db = self.seat.db
        listed = await self.bridge.outside.run(lambda: enabled_operators(db))
        check = password_check(db)
        dialog = LoginDialog(listed, self.seat.operator, check, parent=self.window)
        dialog.accepted.connect(lambda: self._logged_in(dialog.operator, check))
        self.login = dialog
        dialog.open()

    def _logged_in(self, operator: Operator | None, check: PasswordCheck) -> None:
        if operator is None:
            return
        if operator.name == self.seat.operator or self.on_hand_over is None:
            check.forget(operator.name)  # the same login goes on with its own connections
            self.lock.unlock()
            return
        self.on_hand_over(operator, check.database_for(operator.name))

    def stop(self) -> None:
        self.lock.release()
        self.desks.approvals.timer.stop()
        self.desks.energy.stop()
        self.desks.statistics.stop()
        self.desks.shift_handover.stop()
        closing = self.desks.video.close_all()  # one act, waited for: the lanes stop next
        self.view.save()
        for feed in vars(self.feeds).values():
            feed.stop()
        self.seat.sender.close()
        try:
            closing.result(timeout=CLOSE_VIEWS_S)
        except Exception as error:  # noqa: BLE001 - said, and the recorder closes them later
            logging.getLogger(__name__).warning("camera views not closed: %s", error)
        self.bridge.shutdown()
        self.presence.stop()  # after the views are closed: nothing is left for the recorder
        self.desks.map.map.close_page()
        self.window.close()


class _Relay(QObject):
    """A signal emitted from another thread, delivered on the GUI thread (a queued connection)."""

    sig_back = Signal()


@functools.cache
def _masks() -> MaskBook:
    """The city's privacy masks (the bundled ones); unreadable, none: every camera black."""
    try:
        return read_mask_folder()
    except (OSError, ValueError) as error:
        logging.getLogger(__name__).error("privacy masks unreadable, cameras hidden: %s", error)
        return MaskBook()


def _docks(desk: object) -> tuple:
    return getattr(desk, "DOCKS", ())


class Workstation:
    """One desk, whoever sits at it: the console of the operator logged in.

    When another operator logs in at the lock, their console replaces the previous one.
    """

    def __init__(self, make: Callable[[Operator, Database, Callable[[Operator], None]], Console]):
        self.make = make
        self.console: Console | None = None

    def open(self, who: Operator, database: Database) -> Console:
        self.console = self.make(who, database, self.hand_over)
        self.console.start()
        return self.console

    def hand_over(self, who: Operator, database: Database | None = None) -> None:
        """Another operator takes the desk: their own console, layout and permissions.

        The new console opens before the old one closes, so the application never runs out of
        windows; its database is opened afresh, as the new login (no connection of the previous
        operator's serves the next one): on PostgreSQL the one the server opened for their login.
        """
        previous = self.console
        assert previous is not None
        self.open(who, database or Database(previous.seat.db.url))
        previous.stop()
        previous.seat.db.dispose()


def run(
    db: Database,
    broker_url: str,
    root: str,
    operator: Operator | None,
    *,
    default_operator: str = "",
    listed: list[Operator] | None = None,
    photo_hosts: frozenset[str] = frozenset(),
    map_options: MapOptions | None = None,
    playbook: str = "",
    lighting: str = "",
    matrix: Matrix | None = None,
    lock_after: timedelta = DEFAULT_IDLE,
    snapshots_folder: Path | None = None,
    camera_hosts: frozenset[str] = frozenset({"127.0.0.1", "localhost"}),
    argv: Any = None,
) -> int:
    """Run the console as ``operator``, or as whoever logs in first when it is None."""
    prepare_web_engine()
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    language = Preferences.load(default_folder() / PREFERENCES_FILE).language
    use_language(None if language == "system" else language)
    app.installTranslator(translator())
    # Ctrl+C in the terminal and SIGTERM (``vigie demo`` stopping) close the window cleanly,
    # the login dialog too; Python only sees a signal when it runs, hence the timer's wake-up.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: app.quit())
    wake = QTimer(interval=250)
    wake.timeout.connect(lambda: None)
    wake.start()
    if operator is None:
        logged_in = log_in(db, listed or [], default_operator)
        if logged_in is None:
            return 0
        operator, own = logged_in
        if own is not db:  # PostgreSQL: the desk acts as the login the server opened
            db.dispose()
            db = own
    # One loop on the GUI thread for Qt and asyncio: the desks' workflows are its coroutines.
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)

    def make(
        who: Operator, database: Database, hand_over: Callable[[Operator, Database | None], None]
    ) -> Console:
        console = Console(
            database,
            broker_url,
            root,
            who.name,
            who.role,
            photo_hosts=photo_hosts,
            map_options=map_options,
            playbook=playbook,
            lighting=lighting,
            matrix=matrix,
            lock_after=lock_after,
            on_hand_over=hand_over,
            snapshots_folder=snapshots_folder,
            camera_hosts=camera_hosts,
        )
        return console

    desk = Workstation(make)
    desk.open(operator, db)
    closing = asyncio.Event()
    app.aboutToQuit.connect(closing.set)
    with loop:
        try:
            loop.run_until_complete(closing.wait())
        finally:
            desk.console.stop()  # on the loop still open: the workflows under way are cancelled
    return 0
