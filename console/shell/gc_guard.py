"""Garbage collection on the GUI thread only.

Python's cyclic collector runs in whichever thread happens to allocate when a threshold is
crossed: a paho network thread, a database worker. A cycle holding a Python-owned Qt object (a
pyqtgraph menu, a closed dialog's closures) is then destroyed there, and ``QObject::~QObject``
off the GUI thread deadlocks on the GIL or crashes (seen here: a segfault in the technician's
tests, then a deadlock with a pyqtgraph ``WidgetGroup`` freed by a SQLAlchemy worker). So the
automatic collector is switched off and the GUI thread collects on a timer, generation by
generation with Python's own thresholds, as pyqtgraph's ``GarbageCollector`` recipe does.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

from services.collector import collect_due

#: Often enough that each collection is short: at ten times Dijon, 5,000 light states a second
#: leave ~100,000 young objects alive every 5 s, and the middle generation's pass over them
#: (every tenth collection) took 40-50 ms at a 500 ms period; a fifth of that at 100 ms.
INTERVAL_MS = 100

_guard: QObject | None = None


def collect_on_gui_thread() -> None:
    """Idempotent: the first call, with the application object built, installs the timer."""
    global _guard
    app = QCoreApplication.instance()
    if _guard is not None or app is None:
        return
    gc.disable()
    timer = QTimer(app)
    timer.timeout.connect(collect_due)
    timer.start(INTERVAL_MS)
    _guard = timer
