"""Help > Keyboard shortcuts: the console's shortcuts, read from the window that has them.

The desks create their shortcuts on the main window (``QShortcut``), a panel its own (the queue's
search), the menus theirs (``QAction``). The dialog lists what it finds there, so the list shows
the keys that work at this desk and no other. What a shortcut does is its ``whatsThis`` when its
desk gave one, a menu entry's text, or else the description below, by key.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

#: What is shown for a shortcut nobody described.
UNDESCRIBED = "—"


class ShortcutsDialog(QDialog):
    def __init__(self, window: QWidget, parent: Any = None) -> None:
        super().__init__(parent or window)
        self.setObjectName("shortcuts_dialog")
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.rows = shortcuts_of(window, self._described)
        self.table = QTableWidget(len(self.rows), 2)
        self.table.setHorizontalHeaderLabels([self.tr("Key"), self.tr("What it does")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for row, (key, what) in enumerate(self.rows):
            self.table.setItem(row, 0, QTableWidgetItem(key))
            self.table.setItem(row, 1, QTableWidgetItem(what))
        self.table.resizeColumnToContents(0)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(520, 360)

    def _described(self, portable_key: str) -> str:
        """The console's own shortcuts, for the desks that do not describe them themselves."""
        known = {
            "F2": self.tr("Acknowledge the incident shown"),
            "F3": self.tr("Dispatch a unit to the incident shown"),
            "F4": self.tr("Resolve the incident shown"),
            "F5": self.tr("Show the next unacknowledged incident"),
            "Ctrl+F": self.tr("Search the incident queue"),
            "Ctrl+N": self.tr("New call (the hotline's form)"),
            "Ctrl+L": self.tr("Lock the desk"),
        }
        return known.get(portable_key, UNDESCRIBED)


def shortcuts_of(window: QWidget, described: Callable[[str], str]) -> list[tuple[str, str]]:
    """(key as this desktop writes it, what it does) for every enabled shortcut in ``window``.

    ``described(key)`` says what a shortcut without a description of its own does; ``key`` in
    Qt's portable form (``Ctrl+F``). Function keys come first, then by key.
    """
    found: dict[str, str] = {}
    for shortcut in window.findChildren(QShortcut):
        if shortcut.isEnabled() and not shortcut.key().isEmpty():
            portable = shortcut.key().toString()
            found[portable] = shortcut.whatsThis() or described(portable)
    for action in window.findChildren(QAction):
        if action.isEnabled() and not action.shortcut().isEmpty():
            portable = action.shortcut().toString()
            found[portable] = action.text().replace("&", "") or described(portable)
    ordered = sorted(found, key=lambda key: (key.count("+"), len(key), key))  # F2 before F10
    return [(_native(key), found[key]) for key in ordered]


def _native(portable: str) -> str:
    return QKeySequence(portable).toString(QKeySequence.SequenceFormat.NativeText)
