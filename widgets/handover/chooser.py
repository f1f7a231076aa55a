"""Which handover to read, when several wait.

At 07:00 the dispatcher, the technician and the snow coordinator may all hand over, and each
incoming operator must reach their own.

A short list, already worded and ordered by the console (the reader's own role first); each line
is outside text (names), shown as written. Opening one (a double click, Enter, or *Open*) says
which by its id; nothing here reads the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
)

from widgets.plain_text import plain_label


class WaitingHandoverChooser(QDialog):
    sig_chosen = Signal(int)
    """This handover (its id) is to be read."""

    def __init__(
        self, choices: Sequence[tuple[int, str]], note: str = "", parent: Any = None
    ) -> None:
        """Each handover's id and its line in ``choices``, in the order shown.

        ``note`` is said under the list (those waiting but not listed); empty for nothing.
        """
        super().__init__(parent)
        self.setObjectName("waiting_handovers")
        self.setWindowTitle(self.tr("Handovers waiting"))
        caption = plain_label(self.tr("Several handovers wait to be accepted. Which one to read?"))
        caption.setWordWrap(True)
        self.choices = QListWidget()
        self.choices.setObjectName("choices")
        for handover_id, line in choices:
            item = QListWidgetItem(line)  # an item's text is never read as markup
            item.setData(Qt.ItemDataRole.UserRole, handover_id)
            self.choices.addItem(item)
        self.choices.setCurrentRow(0)  # the reader's own role's, when one waits: Enter opens it
        self.choices.itemActivated.connect(self._choose)
        self.note = plain_label(note)
        self.note.setWordWrap(True)
        self.note.setVisible(bool(note))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel
        )
        self.open_button = self.buttons.button(QDialogButtonBox.StandardButton.Open)
        self.buttons.accepted.connect(lambda: self._choose(self.choices.currentItem()))
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(caption)
        layout.addWidget(self.choices, 1)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)

    def _choose(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        self.accept()
        self.sig_chosen.emit(int(item.data(Qt.ItemDataRole.UserRole)))
