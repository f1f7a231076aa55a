"""Choosing the unit to send: the available ones, nearest first, as the console ranked them.

For a P1 the console may also offer busy units, as a re-tasking: choosing one asks first, in the
words the console gives, which incident the unit would leave. Names come from the field: every
text here is shown as plain text.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
)


class DispatchDialog(QDialog):
    sig_unit_chosen = Signal(str)
    """The operator chose this available unit (its id)."""
    sig_retask_chosen = Signal(str)
    """The operator chose this busy unit, and confirmed it leaves its incident (its id)."""

    def __init__(
        self,
        heading: str,
        choices: list[tuple[str, str]],
        parent=None,  # noqa: ANN001
        *,
        retask: dict[str, str] | None = None,
    ) -> None:
        """``retask``: the busy units offered, each with the question that confirms it."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("Dispatch a unit"))
        self.setMinimumWidth(560)  # a line must be read whole: name, kind, distance, ETA
        self.retask = dict(retask or {})
        self.units = QListWidget()
        for unit_id, text in choices:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, unit_id)
            if unit_id in self.retask:  # set apart: choosing it takes it off another incident
                font = QFont(item.font())
                font.setItalic(True)
                item.setFont(font)
            self.units.addItem(item)
        self.units.setCurrentRow(0)  # the nearest: Enter sends it
        self.units.itemActivated.connect(lambda _item: self.accept())
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Send"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        title = QLabel(heading)
        title.setTextFormat(Qt.TextFormat.PlainText)
        title.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.units)
        layout.addWidget(buttons)

    def accept(self) -> None:
        item = self.units.currentItem()
        if item is None:
            super().accept()
            return
        unit_id = item.data(Qt.ItemDataRole.UserRole)
        question = self.retask.get(unit_id)
        if question is None:
            self.sig_unit_chosen.emit(unit_id)
        elif self.confirm(question):
            self.sig_retask_chosen.emit(unit_id)
        else:
            return  # not confirmed: the operator chooses again, or cancels
        super().accept()

    def confirm(self, question: str) -> bool:
        """Ask before a re-tasking (a seam: tests answer it without a modal loop)."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Re-task a unit"))
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(question)
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)  # leaving an incident is never a slip
        return box.exec() == QMessageBox.StandardButton.Yes
