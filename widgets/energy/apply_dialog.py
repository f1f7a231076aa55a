"""Applying the city's lighting policy: the preview, the confirmation, the progress, the result.

The dialog opens while the console computes the preview (every street light is read), then shows
it word for word: the groups and lights of each profile with its steps, the energy tonight against
full power per commune, the warnings. The confirm button says what it does, applying to the groups
or requesting a second operator's approval, and stays disabled until the operator gives the reason.
Applying shows the groups answering as their cabinets acknowledge, then the result. Nothing here
talks to the network or the database: the console does, on ``sig_apply_requested``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QVBoxLayout,
)

from widgets.palette import Role, style_error, style_text
from widgets.plain_text import plain_label


class LightingApplyDialog(QDialog):
    sig_apply_requested = Signal(str)
    """The operator confirmed, with this reason."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("lighting_apply")
        self.setWindowTitle(self.tr("Apply the lighting policy"))
        self.setMinimumSize(720, 480)
        self.preview = QPlainTextEdit()
        self.preview.setObjectName("lighting_preview")
        self.preview.setReadOnly(True)
        self.preview.setPlaceholderText(
            self.tr("Reading every street light to compute what applying the policy will send…")
        )
        self.approval_note = plain_label()  # said before the confirmation, when it will wait
        self.approval_note.setObjectName("lighting_approval_note")
        self.approval_note.setWordWrap(True)
        self.approval_note.hide()
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("Why now (required)"))
        form = QFormLayout()
        form.addRow(self.tr("Reason"), self.reason)
        self.progress = QProgressBar()
        self.progress.setFormat(self.tr("%v of %m group(s) answered"))
        self.progress.hide()
        self.progress_text = plain_label()  # the groups answered and the lights that hold it
        self.progress_text.setObjectName("lighting_progress")
        self.progress_text.setWordWrap(True)
        self.progress_text.hide()
        self.headline = plain_label()  # how the apply ended (or that it awaits approval)
        self.headline.setObjectName("headline")
        self.headline.setWordWrap(True)
        self.headline.hide()
        self.problem = plain_label()
        self.problem.setObjectName("lighting_problem")
        self.problem.setWordWrap(True)
        style_error(self.problem)
        self.problem.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.apply_button = self.buttons.addButton(
            self.tr("Apply"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.apply_button.setEnabled(False)
        self.apply_button.clicked.connect(self._apply)
        self.buttons.rejected.connect(self.reject)
        self.reason.textChanged.connect(self._ready)
        layout = QVBoxLayout(self)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.approval_note)
        layout.addLayout(form)
        layout.addWidget(self.headline)
        layout.addWidget(self.progress)
        layout.addWidget(self.progress_text)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self._previewed = False

    def show_preview(self, lines: list[str], *, groups: int, awaits_approval: bool) -> None:
        """The preview's lines; the button says whether confirming applies or asks approval."""
        self.preview.setPlainText("\n".join(lines))
        if awaits_approval:
            self.apply_button.setText(self.tr("Request approval"))
            self.approval_note.setText(
                self.tr(
                    "The city's rules make this wait for a second operator's approval: "
                    "confirming records the request and sends nothing."
                )
            )
        else:
            self.apply_button.setText(self.tr("Apply to %n group(s)", "", groups))
            self.approval_note.setText("")
        self.approval_note.setVisible(awaits_approval)
        self._previewed = True
        self._ready()

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()
        self.apply_button.setEnabled(False)

    def show_progress(self, finished: int, total: int, line: str) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(finished if total else 1)
        self.progress.show()
        self.progress_text.setText(line)
        self.progress_text.show()

    def show_awaiting(self, line: str) -> None:
        """Recorded as requested: nothing was sent, another operator decides."""
        self.headline.setText(line)
        style_text(self.headline, Role.TEXT, bold=True)
        self.headline.show()
        self.apply_button.hide()

    def show_result(self, lines: list[str], *, complete: bool) -> None:
        """The outcome: its first line as the headline (green when every light holds it)."""
        self.headline.setText(lines[0])
        style_text(self.headline, Role.OK if complete else Role.ALARM, bold=True)
        self.headline.show()
        self.progress_text.hide()
        self.preview.appendPlainText("\n" + "\n".join(lines))
        bar = self.preview.verticalScrollBar()
        bar.setValue(bar.maximum())
        self.apply_button.hide()

    def _ready(self) -> None:
        self.apply_button.setEnabled(self._previewed and bool(self.reason.text().strip()))

    def _apply(self) -> None:
        reason = self.reason.text().strip()
        if not reason:  # the button is disabled without one; a stray click still sends nothing
            return
        self.apply_button.setEnabled(False)
        self.reason.setReadOnly(True)
        self.sig_apply_requested.emit(reason)
