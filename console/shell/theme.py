"""Calm grey themes: dark for dimmed video rooms, light for lit ones (High Performance HMI).

Greys everywhere; colour is left for what needs action (the panels' amber and red, each with a
mark beside it). The colours are named by role in ``widgets/palette.py``; this builds Qt's palette
from its greys.
"""

from __future__ import annotations

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from widgets.palette import THEMES, Role, colour

#: Qt's palette roles and the greys (widgets/palette.py) that fill them.
_GREYS = (
    (QPalette.ColorRole.Window, Role.WINDOW),
    (QPalette.ColorRole.Base, Role.BASE),
    (QPalette.ColorRole.AlternateBase, Role.ALTERNATE_BASE),
    (QPalette.ColorRole.WindowText, Role.TEXT),
    (QPalette.ColorRole.Text, Role.TEXT),
    (QPalette.ColorRole.ButtonText, Role.TEXT),
    (QPalette.ColorRole.Button, Role.BUTTON),
    (QPalette.ColorRole.Highlight, Role.HIGHLIGHT),
    (QPalette.ColorRole.HighlightedText, Role.TEXT),
    (QPalette.ColorRole.ToolTipBase, Role.BASE),
    (QPalette.ColorRole.ToolTipText, Role.TEXT),
    (QPalette.ColorRole.PlaceholderText, Role.DISABLED_TEXT),
)
_DISABLED = (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText, QPalette.ColorRole.WindowText)

__all__ = ["THEMES", "apply_theme", "palette"]


def palette(name: str) -> QPalette:
    p = QPalette()
    for qt_role, role in _GREYS:
        p.setColor(qt_role, colour(role, name))
    for qt_role in _DISABLED:
        p.setColor(QPalette.ColorGroup.Disabled, qt_role, colour(Role.DISABLED_TEXT, name))
    return p


def apply_theme(app: QApplication, name: str) -> None:
    """Fusion draws the same on every platform; the palette gives it our greys.

    Each change re-polishes every widget (a tenth of a console's start): made only if it is one.
    """
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    wanted = palette(name if name in THEMES else "dark")
    if app.palette() != wanted:
        app.setPalette(wanted)
