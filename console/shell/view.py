"""The View menu and what it governs: perspectives, the docks' arrangement, theme, language, sound.

The docks and perspectives are what the desks declared (``console.shell.docks``); an operator's
own arrangement of each perspective is saved under their name (``PerspectiveStore``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication

from console.shell.docks import PERSPECTIVE_TITLES
from console.shell.main_window import MainWindow
from console.shell.perspectives import PerspectiveStore
from console.shell.preferences import PREFERENCES_FILE, Preferences
from console.shell.tab_bars import hide_stale_tab_bars
from console.shell.theme import apply_theme
from console.text.i18n import translate


class View:
    def __init__(
        self,
        window: MainWindow,
        folder: Path,
        operator: str,
        perspectives: dict[str, tuple[str, ...]],
        tabbed: list[tuple[str, str]],
        *,
        on_muted: Callable[[bool], None],
    ) -> None:
        self.window = window
        self.operator = operator
        self.perspectives = perspectives
        self.tabbed = tabbed  # (front, behind) pairs of docks sharing a tab
        self.prefs_path = folder / PREFERENCES_FILE
        self.prefs = Preferences.load(self.prefs_path)
        self.layouts = PerspectiveStore(
            QSettings(str(folder / "layouts.ini"), QSettings.Format.IniFormat), perspectives
        )
        self.perspective = ""
        self._on_muted = on_muted
        for _front, behind in tabbed:  # hidden until tabbed, or the window would stack them all
            window.docks[behind].hide()
        self.perspective_actions, self.theme_actions, self.language_actions = window.build_menus(
            [(name, translate("console", PERSPECTIVE_TITLES[name])) for name in perspectives],
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
        for action in self.language_actions.actions():
            action.setChecked(action.data() == self.prefs.language)
        self.language_actions.triggered.connect(lambda a: self.set_language(a.data()))
        self.perspective_actions.triggered.connect(lambda a: self.show_perspective(a.data()))
        self.theme_actions.triggered.connect(lambda a: self.set_theme(a.data()))
        self.mute_action = window.add_toggle(
            translate("console", "Mute the P1 sound"), self.prefs.muted, self._set_muted
        )

    def arrange(self, role_default: str) -> None:
        """Once the window is shown: the default arrangement, then the operator's perspective.

        Tabified before the window is shown, Qt (6.11) leaves a stale copy of a tab group's bar
        painted over the panels (reproduced with bare QDockWidgets).
        """
        docks = self.window.docks
        for front, behind in self.tabbed:
            self.window.tabifyDockWidget(docks[front], docks[behind])
        docks["map"].raise_()  # the map in front of its tab; the telemetry a click away
        self.show_perspective(role_default)

    def show_perspective(self, name: str) -> None:
        if self.perspective:
            self.layouts.save(self.window, self.operator, self.perspective)
        self.perspective = name
        if not self.layouts.apply(self.window, self.window.docks, self.operator, name):
            self._default_sizes()
            leader, shown = self.perspectives[name][0], self.perspectives[name]
            for front, behind in self.tabbed:  # each tab group shows its first panel...
                if front in shown and behind != leader:
                    self.window.docks[front].raise_()
            self.window.docks[leader].raise_()  # ...but the role's main panel comes first
        for action in self.perspective_actions.actions():
            action.setChecked(action.data() == name)
        # Once Qt has laid the docks out: the bars of the earlier layout's tab groups go.
        window = self.window
        QTimer.singleShot(0, window, lambda: hide_stale_tab_bars(window))

    def _default_sizes(self) -> None:
        """The queue readable to its place column, the map large, the logbook a quarter high.

        In the video room the wall takes half the width: its tiles are what is looked at.
        """
        docks, width, height = self.window.docks, self.window.width(), self.window.height()
        right = docks["video_wall"] if self.perspective == "video" else docks["map"]
        shares = (22, 24, 54) if self.perspective == "video" else (40, 26, 34)
        self.window.resizeDocks(
            [docks["incident_queue"], docks["incident_detail"], right],
            [width * share // 100 for share in shares],
            Qt.Orientation.Horizontal,
        )
        self.window.resizeDocks(
            [docks["incident_queue"], docks["logbook"]],
            [height * 3 // 4, height // 4],
            Qt.Orientation.Vertical,
        )

    def place(self) -> None:
        """Before the window shows: where this operator left it, or the whole screen."""
        self.layouts.place(self.window, self.operator)

    def save(self) -> None:
        if self.perspective:
            self.layouts.save(self.window, self.operator, self.perspective)
        self.layouts.save_geometry(self.window, self.operator)

    def set_theme(self, name: str) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, name)
        if self.prefs.theme != name:  # at start it is the one saved: no write on the GUI thread
            self.prefs.theme = name
            self.prefs.save(self.prefs_path)
        for action in self.theme_actions.actions():
            action.setChecked(action.data() == name)

    def set_language(self, name: str) -> None:
        """Kept for the next start: every panel would otherwise have to rebuild its texts."""
        self.prefs.language = name
        self.prefs.save(self.prefs_path)
        self.window.statusBar().showMessage(
            translate("console", "The language will change at the next start."), 10_000
        )

    def add_choice(self, text: str, name: str, on_change: Callable[[bool], None]) -> QAction:
        """A checkable entry of the View menu kept in the operator's preferences as ``name``."""

        def changed(on: bool) -> None:
            setattr(self.prefs, name, on)
            self.prefs.save(self.prefs_path)
            on_change(on)

        on_change(bool(getattr(self.prefs, name)))
        return self.window.add_toggle(text, bool(getattr(self.prefs, name)), changed)

    def _set_muted(self, muted: bool) -> None:
        self.prefs.muted = muted
        self.prefs.save(self.prefs_path)
        self._on_muted(muted)
