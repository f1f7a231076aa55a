"""The console's composition root: the one place where services meet widgets.

It builds the application (translator installed), the incident feed, the queue's model and
panel and the main window, and connects their signals. Nothing else wires things together.
"""

from __future__ import annotations

import sys
from typing import Any

from PySide6.QtWidgets import QApplication

from console.feed import IncidentFeed
from console.i18n import translate, translator
from console.main_window import MainWindow
from services.reference import communes
from services.store.database import Database
from widgets.incident_queue.model import IncidentTableModel
from widgets.incident_queue.panel import IncidentQueuePanel


class Console:
    """The running console: window, feed and models, for ``vigie console`` and for tests."""

    def __init__(self, db: Database, broker_url: str, root: str, operator: str) -> None:
        names = {c.insee: c.name for c in communes()}
        self.window = MainWindow(operator)
        self.queue_model = IncidentTableModel(names, parent=self.window)
        self.queue = IncidentQueuePanel(self.queue_model, names)
        self.window.add_panel("incident_queue", translate("console", "Incidents"), self.queue)
        self.feed = IncidentFeed(db, broker_url, root, parent=self.window)
        self.feed.sig_incidents.connect(self.queue_model.upsert)
        self.feed.sig_link.connect(self.window.set_link)

    def start(self) -> None:
        self.feed.start()
        self.window.show()

    def stop(self) -> None:
        self.feed.stop()
        self.window.close()


def run(db: Database, broker_url: str, root: str, operator: str, argv: Any = None) -> int:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.installTranslator(translator())
    console = Console(db, broker_url, root, operator)
    console.window.resize(1280, 800)
    console.start()
    try:
        return app.exec()
    finally:
        console.stop()
