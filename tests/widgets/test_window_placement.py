"""The window opens at the screen's free area the first time, then where its operator left it."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMainWindow

from console.app import Console
from console.shell.perspectives import PerspectiveStore
from services.domain.operators import Role


def test_a_first_start_takes_the_screens_free_area(qtbot, tmp_path):
    window = QMainWindow()
    qtbot.addWidget(window)
    window.resize(300, 200)  # what Qt's guess from the panels' hints would be
    store = PerspectiveStore(QSettings(str(tmp_path / "l.ini"), QSettings.Format.IniFormat), {})
    store.place(window, "c.bernard")
    assert window.geometry() == window.screen().availableGeometry()


def test_the_next_start_opens_where_the_operator_left_it(db, broker, qtbot, tmp_path):
    def console() -> Console:
        made = Console(
            db, broker.url, "place", "c.bernard", Role.DISPATCHER, config_folder=tmp_path
        )
        qtbot.addWidget(made.window)
        made.start()
        return made

    first = console()
    try:
        # within this (offscreen, 800×800) screen, as restoring fits a window to its screen
        first.window.resize(first.window.minimumWidth(), 650)
        left = first.window.size()
    finally:
        first.stop()
    again = console()
    try:
        assert again.window.size() == left
    finally:
        again.stop()
