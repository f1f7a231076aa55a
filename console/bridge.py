"""Work off the GUI thread, results back on it.

The GUI thread never waits on the database: ``run`` hands a function to a worker thread and the
outcome comes back through a queued signal, so the callbacks run on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal


class Background(QObject):
    _finished = Signal(object, object, object)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        # One worker: the console's writes then happen in the order the operator made them.
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="console-work")
        # Requests outside (a photo host) have their own: a slow host must not hold a write.
        self._outside = ThreadPoolExecutor(max_workers=2, thread_name_prefix="console-fetch")
        self._finished.connect(self._on_finished)

    def run(
        self,
        work: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
        *,
        outside: bool = False,
    ) -> None:
        future = (self._outside if outside else self._pool).submit(work)
        future.add_done_callback(lambda f: self._finished.emit(on_done, on_error, f))

    def _on_finished(self, on_done: Callable, on_error: Callable, future: Future) -> None:
        error = future.exception()
        if error is not None:
            on_error(error)
        else:
            on_done(future.result())

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._outside.shutdown(wait=False, cancel_futures=True)
