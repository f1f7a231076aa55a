"""One switch of the city's mode: the preview, the confirmation, the progress, the result.

The dialog opens on the preview the console computed (every command, the devices per commune, the
SLA that change, the warnings). The confirm button names the level or mode; it stays disabled until
the operator gives the reason. Applying shows a progress bar as acks arrive, then the result, and
offers the rollback. Nothing here talks to the network: the console does, on signals.
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

from services.domain.playbooks import SNOW, TRAFFIC
from widgets.palette import Role, style_error, style_text
from widgets.plain_text import plain_label


class ModeSwitchDialog(QDialog):
    sig_apply_requested = Signal(str, str)
    """The operator confirmed: (reason, the weather or event that motivates it)."""
    sig_rollback_requested = Signal()
    """After the result: back to the previous level or mode."""

    def __init__(
        self, title: str, target_name: str, parent: Any = None, *, kind: str = SNOW
    ) -> None:
        """``kind``: the snow plan's level or the traffic mode, for the motive's example."""
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumSize(720, 480)
        self.preview = QPlainTextEdit()
        self.preview.setReadOnly(True)
        self.preview.setPlaceholderText(self.tr("Computing what the switch will change…"))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("Why now (required)"))
        self.motive = QLineEdit()
        self.motive.setPlaceholderText(self._motive_example(kind))
        form = QFormLayout()
        form.addRow(self.tr("Reason"), self.reason)
        form.addRow(self.tr("Weather or event"), self.motive)
        self.progress = QProgressBar()
        self.progress.setFormat(self.tr("%v of %m command(s) answered"))
        self.progress.hide()
        self.headline = plain_label()  # how the switch ended, above the details
        self.headline.setWordWrap(True)
        self.headline.setObjectName("headline")
        self.headline.hide()
        self.problem = plain_label()
        self.problem.setWordWrap(True)
        style_error(self.problem)
        self.problem.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.apply_button = self.buttons.addButton(
            self.tr("Switch to %1").replace("%1", target_name),
            QDialogButtonBox.ButtonRole.ActionRole,
        )
        self.apply_button.setEnabled(False)
        self.rollback_button = self.buttons.addButton(
            self.tr("Roll back"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.rollback_button.hide()
        self.apply_button.clicked.connect(self._apply)
        self.rollback_button.clicked.connect(self.sig_rollback_requested)
        self.buttons.rejected.connect(self.reject)
        self.reason.textChanged.connect(self._ready)
        layout = QVBoxLayout(self)
        layout.addWidget(self.preview, 1)
        layout.addLayout(form)
        layout.addWidget(self.headline)
        layout.addWidget(self.progress)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self._previewed = False

    def _motive_example(self, kind: str) -> str:
        """Snow follows the weather; the traffic post switches for an event or an incident."""
        if kind == TRAFFIC:
            return self.tr("e.g. DFCO match at the Stade Gaston-Gérard, kick-off 20:00")
        return self.tr("e.g. Météo-France orange snow-ice warning")

    def show_preview(self, lines: list[str]) -> None:
        self.preview.setPlainText("\n".join(lines))
        self._previewed = True
        self._ready()

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()
        self.apply_button.setEnabled(False)

    def show_progress(self, finished: int, total: int) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(finished if total else 1)
        self.progress.show()

    def show_result(self, lines: list[str], can_roll_back: bool, *, complete: bool) -> None:
        """The outcome: its first line as the headline (green when all was done), the rest below."""
        self.headline.setText(lines[0])
        style_text(self.headline, Role.OK if complete else Role.ALARM, bold=True)
        self.headline.show()
        self.preview.appendPlainText("\n" + "\n".join(lines))
        self.preview.verticalScrollBar().setValue(self.preview.verticalScrollBar().maximum())
        self.rollback_button.setVisible(can_roll_back)

    def _ready(self) -> None:
        self.apply_button.setEnabled(self._previewed and bool(self.reason.text().strip()))

    def _apply(self) -> None:
        self.apply_button.setEnabled(False)
        self.reason.setReadOnly(True)
        self.motive.setReadOnly(True)
        self.sig_apply_requested.emit(self.reason.text().strip(), self.motive.text().strip())
