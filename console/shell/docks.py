"""What a desk declares about the panels it serves: where they dock, what they share, who sees them.

Each desk names its docks the way Spyder's plugins declare ``NAME`` and ``TABIFY``: the dock's
name, its title, its side of the window, the dock whose tab it shares (shown behind it), the
perspectives that show it and those it leads (brought to the front when the perspective opens
without a saved layout). The console's default arrangement and the perspectives' dock lists
are computed from these declarations; nobody keeps a table of them by hand.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt

Area = Qt.DockWidgetArea

#: The perspectives, in the View menu's order, and their titles (translated where shown).
PERSPECTIVE_TITLES = {
    "dispatcher": QT_TRANSLATE_NOOP("console", "Dispatcher"),
    "snow_coordinator": QT_TRANSLATE_NOOP("console", "Snow coordinator"),
    "technician": QT_TRANSLATE_NOOP("console", "Technician"),
    "supervisor": QT_TRANSLATE_NOOP("console", "Supervisor"),
    "video": QT_TRANSLATE_NOOP("console", "Video room"),
}
EVERYONE = frozenset(PERSPECTIVE_TITLES)


@dataclass(frozen=True)
class Dock:
    name: str
    title: str  # marked with QT_TRANSLATE_NOOP("console", ...), translated when the dock is made
    area: Qt.DockWidgetArea = Area.LeftDockWidgetArea
    behind: str = ""  # the dock whose tab this one shares, behind it
    shown_in: frozenset[str] = EVERYONE  # the perspectives that show it
    leads: frozenset[str] = frozenset()  # the perspectives whose main panel it is


def tab_pairs(docks: Iterable[Dock]) -> list[tuple[str, str]]:
    """(front, behind) for every dock declared behind another, in declaration order."""
    return [(d.behind, d.name) for d in docks if d.behind]


def perspectives(docks: Iterable[Dock]) -> dict[str, tuple[str, ...]]:
    """The docks each perspective shows, its main panel first."""
    docks = list(docks)
    shown: dict[str, tuple[str, ...]] = {}
    for perspective in PERSPECTIVE_TITLES:
        names = [d.name for d in docks if perspective in d.shown_in]
        leaders = [d.name for d in docks if perspective in d.leads]
        if len(leaders) != 1:
            raise ValueError(f"perspective {perspective!r} is led by {leaders}, not by one dock")
        shown[perspective] = (leaders[0], *(n for n in names if n != leaders[0]))
    return shown
