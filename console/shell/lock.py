"""The desk's lock: Ctrl+L, or by itself after the city's idle time; then someone logs in.

While locked, an opaque cover hides the whole window (the queue, callers' details, the map's
patrols) and the floating panels are hidden; the console keeps following the field behind it, so
that whoever logs in finds it current. Logging in again as the same operator unlocks; another
operator takes the desk over (the composition root swaps the console, see ``console.app``).
"""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDockWidget,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from widgets.plain_text import plain_label

#: What counts as someone at the desk: a key pressed or the mouse used, anywhere in the console.
_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
}
DEFAULT_IDLE = timedelta(minutes=15)


class DeskLock(QObject):
    sig_locked = Signal()
    """The desk was locked (Ctrl+L or idle): the console asks who is there."""

    def __init__(self, window: QMainWindow, operator: str, idle: timedelta = DEFAULT_IDLE) -> None:
        super().__init__(window)
        self.window = window
        self.locked = False
        self.cover = QWidget(window)
        self.cover.setObjectName("desk_lock")
        self.cover.setAutoFillBackground(True)
        self.cover.hide()
        self.message = plain_label(self.tr("Locked. %1 is logged in.").replace("%1", operator))
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.log_in = QPushButton(self.tr("Log in…"))
        self.log_in.clicked.connect(self.sig_locked.emit)
        column = QVBoxLayout(self.cover)
        column.addStretch(1)
        column.addWidget(self.message)
        column.addWidget(self.log_in, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addStretch(1)
        self._hidden_floating: list[QDockWidget] = []
        QShortcut(QKeySequence("Ctrl+L"), window, self.lock)
        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.idle.setInterval(int(idle.total_seconds() * 1000))
        self.idle.timeout.connect(self.lock)
        self.idle.start()
        window.installEventFilter(self)
        # Input reaches the top-level QWindow before any widget: watching it sees every key and
        # click of the console. (An application-wide filter in Python also sees QtWebEngine's
        # internal events, and crashed the process under PySide6 6.11.)
        window.winId()  # the native window exists from now on
        self._input = window.windowHandle()
        self._input.installEventFilter(self)

    def lock(self) -> None:
        if self.locked:
            return
        self.locked = True
        self.idle.stop()
        self._hidden_floating = [
            d for d in self.window.findChildren(QDockWidget) if d.isFloating() and d.isVisible()
        ]
        for dock in self._hidden_floating:
            dock.hide()
        self.cover.setGeometry(self.window.rect())
        self.cover.raise_()
        self.cover.show()
        self.sig_locked.emit()

    def unlock(self) -> None:
        self.cover.hide()
        for dock in self._hidden_floating:
            dock.show()
        self._hidden_floating = []
        self.locked = False
        self.idle.start()

    def release(self) -> None:
        """Before the console goes: the application stops telling this lock about activity."""
        self.idle.stop()
        self._input.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.window and event.type() == QEvent.Type.Resize and self.locked:
            self.cover.setGeometry(self.window.rect())
        elif event.type() in _ACTIVITY and not self.locked:
            self.idle.start()  # restarted: the idle time counts from the last activity
        return False
