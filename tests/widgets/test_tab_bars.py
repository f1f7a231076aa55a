"""Switching perspectives leaves no tab bar of an earlier layout painted over the panels."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QTabBar

from console.shell.tab_bars import hide_stale_tab_bars, tab_groups


def shown_bars(window: QMainWindow) -> list[frozenset[str]]:
    return [
        frozenset(bar.tabText(i) for i in range(bar.count()))
        for bar in window.findChildren(QTabBar)
        if bar.parentWidget() is window and bar.isVisible()
    ]


def test_a_restored_layout_keeps_only_its_own_tab_bars(qtbot, qapp):
    window = QMainWindow()
    qtbot.addWidget(window)
    window.resize(1200, 800)
    docks = {}
    for name in "abcdef":
        dock = QDockWidget(name)
        dock.setObjectName(name)
        dock.setWidget(QLabel(name))
        side = (
            Qt.DockWidgetArea.LeftDockWidgetArea
            if name in "abc"
            else Qt.DockWidgetArea.RightDockWidgetArea
        )
        window.addDockWidget(side, dock)
        docks[name] = dock
    window.show()
    qtbot.waitExposed(window)
    window.tabifyDockWidget(docks["a"], docks["b"])
    window.tabifyDockWidget(docks["d"], docks["e"])
    qapp.processEvents()  # each layout laid out, as an operator's clicks leave time for
    first = window.saveState()
    window.removeDockWidget(docks["d"])
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, docks["d"])
    docks["d"].show()
    window.tabifyDockWidget(docks["a"], docks["d"])
    qapp.processEvents()
    second = window.saveState()
    window.restoreState(first)
    qapp.processEvents()
    window.restoreState(second)
    qapp.processEvents()
    groups = tab_groups(window)
    assert groups == [frozenset("abd")]
    assert any(bar not in groups for bar in shown_bars(window))  # Qt 6.11 leaves them painted
    assert hide_stale_tab_bars(window) > 0
    assert set(shown_bars(window)) == set(groups)
