"""Choosing the unit to send: the available ones, nearest first, as the console ranked them."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
)


class DispatchDialog(QDialog):
    sig_unit_chosen = Signal(str)
    """The operator chose this unit (its id)."""

    def __init__(self, heading: str, choices: list[tuple[str, str]], parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.setWindowTitle(self.tr("Dispatch a unit"))
        self.setMinimumWidth(560)  # a line must be read whole: name, kind, distance, ETA
        self.units = QListWidget()
        for unit_id, text in choices:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, unit_id)
            self.units.addItem(item)
        self.units.setCurrentRow(0)  # the nearest: Enter sends it
        self.units.itemActivated.connect(lambda _item: self.accept())
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Send"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(heading))
        layout.addWidget(self.units)
        layout.addWidget(buttons)

    def accept(self) -> None:
        item = self.units.currentItem()
        if item is not None:
            self.sig_unit_chosen.emit(item.data(Qt.ItemDataRole.UserRole))
        super().accept()
