"""Calm grey themes: dark for dimmed video rooms, light for lit ones (High Performance HMI).

Greys everywhere; colour is left for what needs action (the panels' amber and red, each with a
mark beside it).
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

THEMES = ("dark", "light")

_GREYS = {
    # window, base, alternate, text, button, highlight, disabled text
    "dark": ("#2b2d30", "#232427", "#2a2c2f", "#d8d8d8", "#3a3c40", "#4a5a6a", "#7a7a7a"),
    "light": ("#e6e6e6", "#f4f4f4", "#ececec", "#202020", "#dcdcdc", "#9fb1c3", "#8a8a8a"),
}


def palette(name: str) -> QPalette:
    window, base, alternate, text, button, highlight, disabled = (QColor(c) for c in _GREYS[name])
    p = QPalette()
    role = QPalette.ColorRole
    for r, c in (
        (role.Window, window),
        (role.Base, base),
        (role.AlternateBase, alternate),
        (role.WindowText, text),
        (role.Text, text),
        (role.ButtonText, text),
        (role.Button, button),
        (role.Highlight, highlight),
        (role.HighlightedText, text),
        (role.ToolTipBase, base),
        (role.ToolTipText, text),
        (role.PlaceholderText, disabled),
    ):
        p.setColor(r, c)
    for r in (role.Text, role.ButtonText, role.WindowText):
        p.setColor(QPalette.ColorGroup.Disabled, r, disabled)
    return p


def apply_theme(app: QApplication, name: str) -> None:
    """Fusion draws the same on every platform; the palette gives it our greys."""
    app.setStyle("Fusion")
    app.setPalette(palette(name if name in THEMES else "dark"))
