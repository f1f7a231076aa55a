"""Qt 6.11 leaves the tab bars of an earlier dock layout painted after ``restoreState``.

Switching perspectives (the snow coordinator's, then the technician's…) left bars of tab groups
that no longer exist over the panels ("Modes" drawn across "Équipements", a "Map | Telemetry"
bar in the middle of the map's dock); reproduced with bare QDockWidgets. Qt shows a bar again
when it puts it back to use, so hiding those that match no tab group of the layout in force is
safe.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDockWidget, QMainWindow, QTabBar


def tab_groups(window: QMainWindow) -> list[frozenset[str]]:
    """The titles of each group of docks tabbed together, as the layout in force has them."""
    groups = set()
    for dock in window.findChildren(QDockWidget):
        if dock.isFloating() or dock.isHidden():
            continue
        together = [d for d in window.tabifiedDockWidgets(dock) if not d.isHidden()]
        if together:
            groups.add(frozenset([dock.windowTitle(), *(d.windowTitle() for d in together)]))
    return list(groups)


def hide_stale_tab_bars(window: QMainWindow) -> int:
    """Hide the window's tab bars that match no tab group in force; how many were hidden."""
    groups = tab_groups(window)
    hidden = 0
    for bar in window.findChildren(QTabBar):
        if bar.parentWidget() is not window or not bar.isVisible():
            continue  # a panel's own tabs, or one Qt already put away
        titles = frozenset(bar.tabText(i) for i in range(bar.count()))
        if titles not in groups:
            bar.hide()
            hidden += 1
    return hidden
