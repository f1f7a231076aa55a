"""Approvals: the high-impact acts awaiting a second operator, each shown word for word.

The list says who asked, for what, why and until when. The chosen request is shown as what
approving it does: its preview rebuilt from the request's own act, target and parameters by the
code that builds a requester's (the console's ``Rebuilt``), in this operator's language. The text
the requester's console recorded is not trusted: when it differs from the rebuilt one, or nothing
could be rebuilt, the panel says so plainly and shows it apart. Approve and Refuse (with a
reason) are the console's to carry out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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

from services.domain.approvals import Approval, Rebuilt
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
        self.rebuilt: dict[str, Rebuilt] = {}  # by request id; absent: not rebuilt yet
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
        # A red flag: what the request does is not what its requester's console wrote.
        self.mismatch = plain_label()
        self.mismatch.setObjectName("approval_mismatch")
        self.mismatch.setWordWrap(True)
        style_error(self.mismatch)
        self.mismatch.hide()
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
        layout.addWidget(self.mismatch)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.problem)
        layout.addLayout(buttons)
        self.listing.currentItemChanged.connect(lambda *_: self._show_chosen())
        self.why.textChanged.connect(lambda *_: self._enable())
        self.approve.clicked.connect(self._approve)
        self.refuse_button.clicked.connect(self._refuse)
        self._enable()

    def show_requests(
        self, awaiting: Sequence[Approval], rebuilt: Mapping[str, Rebuilt] | None = None
    ) -> None:
        """The requests awaiting now (newest first), with their previews rebuilt (by id)."""
        chosen = self.chosen_id()
        self.requests = {a.id: a for a in awaiting}
        self.rebuilt = dict(rebuilt or {})
        self.listing.clear()
        for approval in awaiting:
            until = in_room(approval.expires_at).strftime("%H:%M")
            again = self.rebuilt.get(approval.id)
            # The list names what the request does, never what its recorded text claims.
            said = (again.lines[0] if again is not None and again.lines else "") or approval.act
            if again is not None and again.differs_from(approval):
                said = self.tr("%1 (its recorded text differs: read it)").replace("%1", said)
            text = (
                self.tr("%1 asks, until %2: %3")
                .replace("%1", approval.requested_by)
                .replace("%2", until)
                .replace("%3", said)
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
        warning = ""
        if approval is None:
            self.preview.clear()
        else:
            lines = self._what_it_does(approval)
            again = self.rebuilt.get(approval.id)
            if again is not None and again.problem:
                warning = self.tr(
                    "Warning: Vigie could not rebuild what this request does (%1). The text "
                    "below is only what the requester's console recorded: nothing checked it."
                ).replace("%1", again.problem)
            elif again is not None and again.differs_from(approval):
                warning = self.tr(
                    "Warning: the text recorded with this request is not what it does. What "
                    "approving it does is shown first; the recorded text follows, for comparison."
                )
            lines += [
                "",
                self.tr("Reason: %1").replace("%1", approval.reason),
                self.tr("Requested by %1").replace("%1", approval.requested_by),
            ]
            if warning:
                lines[:0] = [warning, ""]
            self.preview.setPlainText("\n".join(lines))
        self.mismatch.setText(warning)
        self.mismatch.setVisible(bool(warning))
        self._enable()

    def _what_it_does(self, approval: Approval) -> list[str]:
        """The rebuilt preview, then the recorded text when it says something else."""
        again = self.rebuilt.get(approval.id)
        if again is None:  # not rebuilt yet (the first read is on its way): say whose it is
            return [self.tr("As the requester's console recorded it:"), *approval.preview]
        if not again.differs_from(approval):
            return [self.tr("What approving it does:"), *again.lines]
        lines = []
        if again.lines:
            lines += [self.tr("What approving it does, rebuilt from the request:"), *again.lines]
            lines.append("")
        return [
            *lines,
            self.tr("What the requester's console recorded (not checked):"),
            *approval.preview,
        ]

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
