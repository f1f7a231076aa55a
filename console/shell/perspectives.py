"""Perspectives: named dock layouts per role, saved and restored per operator.

A perspective says which panels a role sees by default (as the desks declare them,
``console.shell.docks``); what an operator makes of it (sizes,
positions, panels closed) is saved with ``saveState`` under their name and restored next time.
A saved state that no longer fits (panels renamed or added since) falls back to the default.
QSettings holds only this opaque Qt state.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMainWindow

from services.domain.operators import Role

#: Bumped when the docks change in a way that makes old saved layouts meaningless.
LAYOUT_VERSION = 10  # 2: map; 3: equipment; 4: faults; 5: command log; 6: telemetry; 7: modes;
# 8: video wall; 9: energy; 10: statistics

DEFAULT_FOR_ROLE = {
    Role.DISPATCHER: "dispatcher",
    Role.SNOW_COORDINATOR: "snow_coordinator",
    Role.TECHNICIAN: "technician",
    Role.SUPERVISOR: "supervisor",
    Role.AUDITOR: "supervisor",
    Role.ADMIN: "supervisor",
    Role.VIDEO_OPERATOR: "video",
}


class PerspectiveStore:
    def __init__(self, settings: QSettings, perspectives: dict[str, tuple[str, ...]]) -> None:
        self.settings = settings
        self.perspectives = perspectives  # the docks each shows (``console.shell.docks``)

    def _key(self, operator: str, perspective: str) -> str:
        return f"layouts/{operator}/{perspective}"

    def save(self, window: QMainWindow, operator: str, perspective: str) -> None:
        self.settings.setValue(self._key(operator, perspective), window.saveState(LAYOUT_VERSION))
        self.settings.setValue(f"layouts/{operator}/current", perspective)
        self.settings.sync()

    def save_geometry(self, window: QMainWindow, operator: str) -> None:
        self.settings.setValue(f"layouts/{operator}/geometry", window.saveGeometry())
        self.settings.sync()

    def place(self, window: QMainWindow, operator: str) -> None:
        """Where the operator left the window; the first time, the screen's whole free area.

        Qt's default (a size from the panels' hints) opened at 1354×800 on a 1920×1080 desk,
        cutting the search box to "S…" and the queue's columns.
        """
        saved = self.settings.value(f"layouts/{operator}/geometry")
        if isinstance(saved, QByteArray | bytes) and window.restoreGeometry(saved):
            return
        screen = window.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            window.setGeometry(screen.availableGeometry())

    def current(self, operator: str, role: Role) -> str:
        saved = self.settings.value(f"layouts/{operator}/current")
        return saved if saved in self.perspectives else DEFAULT_FOR_ROLE[role]

    def apply(self, window: QMainWindow, docks: dict, operator: str, perspective: str) -> bool:
        """Show the perspective: the operator's saved layout, else the default. True if saved."""
        for name, dock in docks.items():
            dock.setVisible(name in self.perspectives[perspective])
        state = self.settings.value(self._key(operator, perspective))
        if isinstance(state, QByteArray | bytes) and window.restoreState(
            QByteArray(state), LAYOUT_VERSION
        ):
            return True
        for name, dock in docks.items():  # restoreState failed part-way: start again clean
            dock.setVisible(name in self.perspectives[perspective])
        return False
