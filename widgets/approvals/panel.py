"""Approvals: the high-impact acts awaiting a second operator, each shown word for word.

The list says who asked, for what, why and until when; the chosen request's preview is shown as
its requester saw it. Approve and Refuse (with a reason) are the console's to carry out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from services.domain.approvals import Approval
from services.domain.room_time import in_room
from widgets.palette import style_error
from widgets.plain_text import plain_label
from widgets.refusal import set_permitted

ID_ROLE = Qt.ItemDataRole.UserRole


class ApprovalsPanel(QWidget):
    sig_approve_requested = Signal(str)
    """(the request's id)"""
    sig_refuse_requested = Signal(str, str)
    """(the request's id, why it is refused)"""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("approvals_panel")
        self.requests: dict[str, Approval] = {}
        self.operator = ""  # who is at the desk: their own requests are not theirs to approve
        self.refusal = ""  # why this operator may not approve, if they may not
        self.listing = QListWidget()
        self.listing.setWordWrap(True)
        self.preview = QPlainTextEdit()  # the request word for word: read, never rendered
        self.preview.setReadOnly(True)
        self.preview.setPlaceholderText(self.tr("Choose a request to read it."))
        self.why = QLineEdit()
        self.why.setPlaceholderText(self.tr("Why it is refused (required to refuse)"))
        self.approve = QPushButton(self.tr("Approve: it goes out now"))
        self.refuse_button = QPushButton(self.tr("Refuse"))
        self.problem = plain_label()
        self.problem.setWordWrap(True)
        style_error(self.problem)
        self.problem.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.why, 1)
        buttons.addWidget(self.refuse_button)
        buttons.addWidget(self.approve)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.listing, 1)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.problem)
        layout.addLayout(buttons)
        self.listing.currentItemChanged.connect(lambda *_: self._show_chosen())
        self.why.textChanged.connect(lambda *_: self._enable())
        self.approve.clicked.connect(self._approve)
        self.refuse_button.clicked.connect(self._refuse)
        self._enable()

    def show_requests(self, awaiting: Sequence[Approval]) -> None:
        """The requests awaiting now (newest first); the chosen one stays chosen."""
        chosen = self.chosen_id()
        self.requests = {a.id: a for a in awaiting}
        self.listing.clear()
        for approval in awaiting:
            until = in_room(approval.expires_at).strftime("%H:%M")
            text = (
                self.tr("%1 asks, until %2: %3")
                .replace("%1", approval.requested_by)
                .replace("%2", until)
                .replace("%3", approval.preview[0] if approval.preview else approval.act)
            )
            item = QListWidgetItem(text)
            item.setData(ID_ROLE, approval.id)
            self.listing.addItem(item)
            if approval.id == chosen:
                self.listing.setCurrentItem(item)
        self._show_chosen()

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    def refuse_all(self, refusal: str) -> None:
        """This operator may not approve: they still read what awaits."""
        self.refusal = refusal
        self._enable()

    def chosen_id(self) -> str | None:
        item = self.listing.currentItem()
        return item.data(ID_ROLE) if item is not None else None

    def _show_chosen(self) -> None:
        approval = self.requests.get(self.chosen_id() or "")
        if approval is None:
            self.preview.clear()
        else:
            lines = [
                *approval.preview,
                "",
                self.tr("Reason: %1").replace("%1", approval.reason),
                self.tr("Requested by %1").replace("%1", approval.requested_by),
            ]
            self.preview.setPlainText("\n".join(lines))
        self._enable()

    def _enable(self) -> None:
        approval = self.requests.get(self.chosen_id() or "")
        own = approval is not None and approval.requested_by == self.operator
        refusal = self.refusal or (
            self.tr("You asked for it: another operator approves it") if own else ""
        )
        set_permitted(self.approve, approval is not None, refusal)
        set_permitted(
            self.refuse_button, approval is not None and bool(self.why.text().strip()), self.refusal
        )

    def _approve(self) -> None:
        chosen = self.chosen_id()
        if chosen:
            self.approve.setEnabled(False)  # once: the console says what came of it
            self.sig_approve_requested.emit(chosen)

    def _refuse(self) -> None:
        chosen = self.chosen_id()
        if chosen and self.why.text().strip():
            self.sig_refuse_requested.emit(chosen, self.why.text().strip())
            self.why.clear()
