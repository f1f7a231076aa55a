"""Who is at this desk: a name and a password, checked before the console opens or unlocks.

The check (a password hash, or a database login) runs on a thread of its own: the dialog stays
responsive and the GUI thread never waits on the disk or the network. The console gives the
check; this dialog only asks, waits and shows the answer.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
)

from services.domain.operators import Operator
from widgets.labels import ROLE, label
from widgets.palette import style_error
from widgets.plain_text import plain_label

# The console's check: the operator logged in, or the refusal in the operator's words.
Check = Callable[[str, str], "Operator | str"]


class _Answer(QObject):
    """Carries the check's answer from its thread to the dialog's (a queued signal)."""

    ready = Signal(object)


class LoginDialog(QDialog):
    def __init__(
        self,
        operators: Sequence[Operator],
        default: str,
        check: Check,
        *,
        note: str = "",
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("login_dialog")
        self.setWindowTitle(self.tr("Vigie — who is at this desk?"))
        self._check = check
        self.operator: Operator | None = None
        self._answer = _Answer(self)
        self._answer.ready.connect(self._answered)
        self.name = QComboBox()
        self.name.setEditable(True)  # a name the list does not show can be typed
        for operator in operators:
            role = label(ROLE, operator.role.value)
            self.name.addItem(f"{operator.name}  ({role})", operator.name)
        index = self.name.findData(default)
        if index >= 0:
            self.name.setCurrentIndex(index)
        else:
            self.name.setEditText(default)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setObjectName("login_password")
        self.status = plain_label()
        self.status.setObjectName("login_status")
        self.status.setWordWrap(True)
        style_error(self.status)  # a refusal reads as one; "Checking…" is short-lived
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Log in"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Quit"))
        self.buttons.accepted.connect(self.try_login)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Operator"), self.name)
        form.addRow(self.tr("Password"), self.password)
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label(self.tr("Every act of this session will carry your name.")))
        if note:
            hint = plain_label(note)
            hint.setWordWrap(True)
            layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.password.setFocus()

    @property
    def chosen(self) -> str:
        text = self.name.currentText().strip()
        data = self.name.currentData()
        # A listed entry reads "name  (role)": its data is the name.
        return data if data and text == self.name.itemText(self.name.currentIndex()) else text

    def try_login(self) -> None:
        name, password = self.chosen, self.password.text()
        if not name or not password:
            self.status.setText(self.tr("Give your name and your password."))
            return
        self._busy(True)
        self.status.setText(self.tr("Checking…"))
        threading.Thread(
            target=lambda: self._answer.ready.emit(self._safe_check(name, password)),
            name="vigie-login",
            daemon=True,
        ).start()

    def _safe_check(self, name: str, password: str) -> Operator | str:
        try:
            return self._check(name, password)
        except Exception as error:  # noqa: BLE001 - shown to the operator, who may retry
            return str(error)

    def _answered(self, answer: Operator | str) -> None:
        self._busy(False)
        if isinstance(answer, Operator):
            self.operator = answer
            self.accept()
            return
        self.status.setText(answer)
        self.password.clear()
        self.password.setFocus()

    def reject(self) -> None:
        # Not while a check runs (Quit, Escape): closing and opening another dialog must not
        # skip the wait a refusal brings, nor let a late answer log in behind a closed one.
        if not self.buttons.button(QDialogButtonBox.StandardButton.Cancel).isEnabled():
            return
        super().reject()

    def _busy(self, busy: bool) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not busy)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setEnabled(not busy)
        self.name.setEnabled(not busy)
        self.password.setEnabled(not busy)
