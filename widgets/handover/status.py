"""The status bar's word that a handover waits: "Handover from NAME at HH:MM not accepted".

A label, so the name is shown as written (plain text, never markup), that opens the handover when
clicked, or with Enter or Space once it has the keyboard's focus (Tab reaches it). Hidden while
no handover waits; on a banner's background while one does, the words saying what it is (never
colour alone).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QLabel

from widgets.palette import Role, style_role
from widgets.plain_text import plain_tooltip


class PendingHandoverLabel(QLabel):
    sig_clicked = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("pending_handover")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        # A banner's colours, without its height: the status bar stays as high as it was (it is
        # as high as its tallest word, hidden or not).
        style_role(
            self,
            "QLabel {{ background: {bg}; color: {fg}; font-weight: bold; padding: 0px 6px; }}",
            bg=Role.WARNING_BANNER,
            fg=Role.BANNER_TEXT,
        )
        self.hide()

    def show_pending(self, text: str, details: str) -> None:
        """``text`` shown (empty: hidden); ``details`` its tooltip, every handover waiting."""
        self.setText(text)
        self.setToolTip(plain_tooltip(details))
        self.setAccessibleName(text)
        self.setVisible(bool(text))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
            event.position().toPoint()
        ):
            self.sig_clicked.emit()
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.sig_clicked.emit()
            return
        super().keyPressEvent(event)
