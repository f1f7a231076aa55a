"""Who is at this desk: the operator picks their name at start-up (real sign-in comes later).

The identity chosen goes on every act of the session.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QVBoxLayout

from services.domain.operators import Operator
from widgets.plain_text import plain_label


class OperatorPickerDialog(QDialog):
    def __init__(self, operators: Sequence[Operator], default: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("operator_picker")
        self.setWindowTitle(self.tr("Vigie — who is at this desk?"))
        self.choice = QComboBox()
        for operator in operators:
            self.choice.addItem(f"{operator.name}  ({operator.role.value})", operator.name)
        index = self.choice.findData(default)
        self.choice.setCurrentIndex(max(index, 0))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Start"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Quit"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label(self.tr("Every act of this session will carry your name.")))
        layout.addWidget(self.choice)
        layout.addWidget(buttons)

    @property
    def chosen(self) -> str:
        return self.choice.currentData()
