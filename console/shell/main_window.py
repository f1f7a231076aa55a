"""The console's main window: dock panels with stable names, and a status bar you can trust.

The status bar always shows the broker's and the database's state, the operator and the room's
clock (Europe/Paris); a lost link is said in words and colour, never by colour alone. Its labels
and tooltips show text as written (an operator's name, a mode's value, a driver's error), never as
markup.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QAction, QActionGroup, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QMessageBox, QToolBar, QWidget

from services.domain.room_time import in_room
from widgets.palette import Role, style_error, style_plain, style_role
from widgets.plain_text import plain_label, plain_tooltip
from widgets.shortcuts_dialog import ShortcutsDialog

#: The source tree's README, which leads to docs/ (absent from an install without the sources).
README = Path(__file__).resolve().parents[2] / "README.md"


def version() -> str:
    try:
        return metadata.version("vigie")
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "0+unknown"


class MainWindow(QMainWindow):
    def __init__(self, operator: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("vigie_main_window")
        self.setWindowTitle(self.tr("Vigie — control room"))
        self.setDockNestingEnabled(True)
        self._links: dict[str, QLabel] = {}
        self._link_up: dict[str, bool | None] = {"broker": None, "database": None}
        self.docks: dict[str, QDockWidget] = {}
        # Said in words when a link is lost, with what still works; hidden when all is well.
        self.banner = plain_label()
        self.banner.setObjectName("link_banner")
        self.banner.setWordWrap(True)
        style_role(
            self.banner,
            "QLabel {{ background: {bg}; color: {fg}; font-weight: bold; padding: 6px; }}",
            bg=Role.ALARM_BANNER,
            fg=Role.BANNER_TEXT,
        )
        banner_bar = QToolBar(self.tr("Links"), self)
        banner_bar.setObjectName("link_banner_bar")
        banner_bar.setMovable(False)
        banner_bar.addWidget(self.banner)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, banner_bar)
        self.banner_bar = banner_bar
        banner_bar.hide()
        self.file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.quit_action = self._add_action(self.file_menu, self.tr("&Quit"), self.close)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))  # not Qt's Quit key: none on Windows
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.view_menu = self.menuBar().addMenu(self.tr("&View"))
        # Every panel can be opened whatever the perspective shows (the dock's own action).
        self.panels_menu = self.view_menu.addMenu(self.tr("Panels"))
        self._build_help_menu()
        bar = self.statusBar()
        for name in ("broker", "database"):
            label = plain_label()
            self._links[name] = label
            bar.addPermanentWidget(label)
        self.set_link("broker", False, "")
        self.set_link("database", False, "")
        self.quarantine_label = plain_label()
        bar.addPermanentWidget(self.quarantine_label)
        self.modes_label = plain_label()  # a mode's value as its retained message says
        bar.addPermanentWidget(self.modes_label)
        self.operator_label = plain_label(self.tr("Operator: %1").replace("%1", operator))
        self.clock_label = plain_label()
        bar.addPermanentWidget(self.operator_label)
        # What enforces the permissions here, when it is not the database (security.md).
        self.authority_label = plain_label()
        self.authority_label.setObjectName("authority_label")
        bar.addPermanentWidget(self.authority_label)
        self.authority_label.hide()
        bar.addPermanentWidget(self.clock_label)
        self._clock = QTimer(self)
        self._clock.timeout.connect(self._show_time)
        self._clock.start(1000)
        self._show_time()

    def _add_action(self, menu: Any, text: str, slot: Callable[[], Any]) -> QAction:
        action = QAction(text, self)
        action.triggered.connect(lambda: slot())  # triggered(bool) would hand the slot 'checked'
        menu.addAction(action)
        return action

    def _build_help_menu(self) -> None:
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        self.about_action = self._add_action(help_menu, self.tr("&About Vigie"), self.show_about)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.shortcuts_action = self._add_action(
            help_menu, self.tr("&Keyboard shortcuts"), self.show_shortcuts
        )
        self.documentation_action = self._add_action(
            help_menu, self.tr("&Documentation"), self.open_documentation
        )
        self.documentation_action.setEnabled(README.is_file())

    def show_about(self) -> QMessageBox:
        box = QMessageBox(self)
        box.setObjectName("about_vigie")
        box.setWindowTitle(self.tr("About Vigie"))
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(
            self.tr("Vigie %1\nThe operator console of a city's unified control room.").replace(
                "%1", version()
            )
        )
        box.open()
        return box

    def show_shortcuts(self) -> ShortcutsDialog:
        dialog = ShortcutsDialog(self)
        dialog.open()
        return dialog

    def open_documentation(self) -> bool:
        """The README, a local file, in the desktop's own viewer: no network is asked."""
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(README)))

    def set_authority(self, note: str) -> None:
        self.authority_label.setText(note)
        self.authority_label.setVisible(bool(note))

    def build_menus(
        self,
        perspectives: list[tuple[str, str]],
        themes: list[tuple[str, str]],
        languages: list[tuple[str, str]],
    ) -> tuple[QActionGroup, QActionGroup, QActionGroup]:
        """View menu: a checkable action per perspective, theme and language (data = its name)."""
        view = self.view_menu
        groups = []
        for title, choices in (
            (self.tr("Perspective"), perspectives),
            (self.tr("Theme"), themes),
            (self.tr("Language"), languages),
        ):
            menu = view.addMenu(title)
            group = QActionGroup(self)
            group.setExclusive(True)
            for name, text in choices:
                action = QAction(text, self, checkable=True)
                action.setData(name)
                group.addAction(action)
                menu.addAction(action)
            groups.append(group)
        return groups[0], groups[1], groups[2]

    def add_toggle(self, text: str, checked: bool, on_toggle: Callable[[bool], None]) -> QAction:
        """A checkable entry of the View menu (e.g. muting the P1 sound)."""
        action = QAction(text, self, checkable=True)
        action.setChecked(checked)
        action.toggled.connect(on_toggle)
        self.view_menu.addAction(action)
        return action

    def add_panel(
        self,
        name: str,
        title: str,
        panel: QWidget,
        area: Qt.DockWidgetArea = Qt.DockWidgetArea.LeftDockWidgetArea,
    ) -> QDockWidget:
        """A dock whose object name stays the same across versions, for saveState/restoreState."""
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock_{name}")
        dock.setWidget(panel)
        self.addDockWidget(area, dock)
        self.docks[name] = dock
        self.panels_menu.addAction(dock.toggleViewAction())
        return dock

    def set_link(self, name: str, up: bool, detail: str) -> None:
        label = self._links[name]
        was = self._link_up[name]
        self._link_up[name] = up if (up or was is not None) else None  # None: never reached yet
        state = self._link_up[name]
        if name == "broker":
            text = {
                True: self.tr("Broker: connected"),
                False: self.tr("Broker: LOST"),
                None: self.tr("Broker: connecting…"),
            }[state]
        else:
            text = {
                True: self.tr("Database: connected"),
                False: self.tr("Database: LOST"),
                None: self.tr("Database: connecting…"),
            }[state]
        label.setText(text)
        if state is False:
            style_error(label)
        else:
            style_plain(label)
        label.setToolTip(plain_tooltip(detail))  # a driver's or broker's words
        self._show_banner()

    def _show_banner(self) -> None:
        lines = []
        if self._link_up["database"] is False:
            lines.append(
                self.tr(
                    "Database lost: nothing can be recorded and what you see may be out of date. "
                    "Vigie retries by itself and re-reads everything when it is back."
                )
            )
        if self._link_up["broker"] is False:
            lines.append(
                self.tr(
                    "Broker lost: live updates are paused; the queue shows the last state read and "
                    "your actions are still recorded. Vigie reconnects by itself and re-reads what "
                    "it missed."
                )
            )
        self.banner.setText("\n".join(lines))
        self.banner_bar.setVisible(bool(lines))

    def set_quarantined(self, count: int) -> None:
        self.quarantine_label.setText(self.tr("Quarantine: %1").replace("%1", str(count)))
        self.quarantine_label.setStyleSheet("" if count == 0 else "QLabel { font-weight: bold; }")

    def _show_time(self) -> None:
        self.clock_label.setText(in_room(datetime.now(UTC)).strftime("%H:%M:%S"))
