"""The map page's two ways to Python: the batch it is sent, and what it reports back.

Registered on a QWebChannel as ``bridge``. The page connects ``sig_batch`` and calls the slots;
the slots only re-emit as Qt signals, which the panel handles on the GUI thread.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWebEngineCore import QWebEngineUrlRequestInfo, QWebEngineUrlRequestInterceptor

#: Schemes that never leave the machine: the page, its assets and what it makes itself.
LOCAL_SCHEMES = frozenset({"file", "qrc", "data", "blob", "about"})


class MapBridge(QObject):
    sig_batch = Signal(str)
    """To the page: one JSON batch (a frame)."""
    sig_clicked = Signal(str, str)
    """From the page: a marker was clicked (kind: unit, incident or device; its id)."""
    sig_ready = Signal()
    """From the page: its script runs and listens."""
    sig_frame = Signal(float)
    """From the page: milliseconds it took to apply a batch and redraw."""
    sig_view = Signal(float, float, float, float, float)
    """From the page: its zoom and bounds (south, west, north, east) after a move."""

    @Slot(str, str)
    def clicked(self, kind: str, ident: str) -> None:
        self.sig_clicked.emit(kind, ident)

    @Slot()
    def ready(self) -> None:
        self.sig_ready.emit()

    @Slot(float)
    def frame(self, milliseconds: float) -> None:
        self.sig_frame.emit(milliseconds)

    @Slot(float, float, float, float, float)
    def view(self, zoom: float, south: float, west: float, north: float, east: float) -> None:
        self.sig_view.emit(zoom, south, west, north, east)


class LocalOnlyInterceptor(QWebEngineUrlRequestInterceptor):
    """Blocks every request that would leave the machine, except to a configured tile server.

    The page is built from local files; this is the second line, should a library or a popup
    ever ask for something else. What it saw is kept for the tests and for the operator's log.
    """

    def __init__(self, allowed_hosts: frozenset[str] = frozenset(), parent: QObject | None = None):
        super().__init__(parent)
        self.allowed_hosts = allowed_hosts
        self.requested: list[str] = []
        self.blocked: list[str] = []

    def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:  # noqa: N802 (Qt's name)
        url = info.requestUrl()
        self.requested.append(url.toString()[:200])
        if url.scheme() in LOCAL_SCHEMES or url.host().lower() in self.allowed_hosts:
            return
        self.blocked.append(url.toString()[:200])
        info.block(True)
