"""What QtWebEngine (the map's page) needs before the application exists."""

from __future__ import annotations

import os


def prepare_web_engine() -> None:
    """Import QtWebEngine first (it shares OpenGL contexts); as root, go without its sandbox.

    As root, Chromium refuses to start with its sandbox: the map's page is built from local
    files and every request leaving the machine is blocked (``LocalOnlyInterceptor``), so the
    sandbox is the lesser loss there.
    """
    import PySide6.QtWebEngineWidgets  # noqa: F401

    if os.geteuid() == 0:
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
