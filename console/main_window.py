"""The console's main window: dock panels with stable names, and a status bar you can trust.

The status bar always shows the broker's and the database's state, the operator and the room's
clock (Europe/Paris); a lost link is said in words and colour, never by colour alone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QWidget

PARIS = ZoneInfo("Europe/Paris")
LOST_STYLE = "QLabel { color: #c0392b; font-weight: bold; }"


class MainWindow(QMainWindow):
    def __init__(self, operator: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("vigie_main_window")
        self.setWindowTitle(self.tr("Vigie — control room"))
        self.setDockNestingEnabled(True)
        self._links: dict[str, QLabel] = {}
        self.docks: dict[str, QDockWidget] = {}
        self.view_menu = self.menuBar().addMenu(self.tr("&View"))
        bar = self.statusBar()
        for name in ("broker", "database"):
            label = QLabel()
            self._links[name] = label
            bar.addPermanentWidget(label)
        self.set_link("broker", False, "")
        self.set_link("database", False, "")
        self.operator_label = QLabel(self.tr("Operator: %1").replace("%1", operator))
        self.clock_label = QLabel()
        bar.addPermanentWidget(self.operator_label)
        bar.addPermanentWidget(self.clock_label)
        self._clock = QTimer(self)
        self._clock.timeout.connect(self._show_time)
        self._clock.start(1000)
        self._show_time()

    def build_menus(
        self, perspectives: list[tuple[str, str]], themes: list[tuple[str, str]]
    ) -> tuple[QActionGroup, QActionGroup]:
        """View menu: one checkable action per perspective and per theme (data = its name)."""
        view = self.view_menu
        groups = []
        for title, choices in ((self.tr("Perspective"), perspectives), (self.tr("Theme"), themes)):
            menu = view.addMenu(title)
            group = QActionGroup(self)
            group.setExclusive(True)
            for name, text in choices:
                action = QAction(text, self, checkable=True)
                action.setData(name)
                group.addAction(action)
                menu.addAction(action)
            groups.append(group)
        return groups[0], groups[1]

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
        return dock

    def set_link(self, name: str, up: bool, detail: str) -> None:
        label = self._links[name]
        if name == "broker":
            text = self.tr("Broker: connected") if up else self.tr("Broker: LOST")
        else:
            text = self.tr("Database: connected") if up else self.tr("Database: LOST")
        label.setText(text)
        label.setStyleSheet("" if up else LOST_STYLE)
        label.setToolTip(detail)

    def _show_time(self) -> None:
        self.clock_label.setText(datetime.now(UTC).astimezone(PARIS).strftime("%H:%M:%S"))
