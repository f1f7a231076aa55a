"""The console's one bridge between its GUI thread and the work that thread must never wait on.

Workflows are coroutines on the qasync loop, the GUI thread's one event loop: a desk's
coroutine awaits ``lane.run(function, ...)``, the function runs on the lane's worker thread
(the database, the broker, a photo host) and the coroutine resumes on the GUI thread with its
result or its exception, where it may touch widgets. A Qt signal starts a workflow with
``bridge.start(coroutine)``; an error the workflow does not handle goes to the loop's exception
handler (logged by the console; a failed test in the test suite), never silently away.

Lanes keep apart what must not wait on each other: the operator's acts go one at a time in the
order they were made; each feed reads on its own lane, so a 34,000-row equipment read never
holds an incident's; a slow photo host never holds a write.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Callable, Coroutine
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

import qasync
from PySide6.QtWidgets import QApplication

T = TypeVar("T")
log = logging.getLogger(__name__)


class Lane:
    """Worker threads for one kind of work, awaited from the GUI thread's coroutines."""

    def __init__(self, name: str, workers: int = 1) -> None:
        self.name = name
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=name)

    async def run(self, work: Callable[..., T], *args: Any) -> T:
        """``work(*args)`` on this lane's thread; the caller resumes on the GUI thread."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, functools.partial(work, *args))

    def submit(self, work: Callable[..., Any], *args: Any) -> Future[Any]:
        """``work(*args)`` on this lane's thread, awaited by nobody (a record kept on the side).

        A failure is logged: nobody is waiting to be told.
        """
        future = self._pool.submit(work, *args)
        future.add_done_callback(_log_failure)
        return future

    def close(self, *, wait: bool) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=True)


def _log_failure(future: Future[Any]) -> None:
    if not future.cancelled() and future.exception() is not None:
        log.warning("work on the side failed: %s", future.exception())


class Bridge:
    """The lanes and the running workflows of one console."""

    def __init__(self) -> None:
        # One worker: the console's writes happen in the order the operator made them.
        self.acts = Lane("console-acts")
        # Requests leaving the room (a photo host) have their own: a slow host holds no write.
        self.outside = Lane("console-fetch", workers=2)
        self._lanes = [self.acts, self.outside]
        self._running: set[asyncio.Task] = set()
        self._shut = False

    def lane(self, name: str) -> Lane:
        """A lane of its own (one per feed), closed with the bridge."""
        lane = Lane(name)
        self._lanes.append(lane)
        return lane

    def start(self, workflow: Coroutine[Any, Any, Any]) -> asyncio.Task | None:
        """Run a workflow on the loop; held till it ends (asyncio holds tasks weakly).

        After ``shutdown`` nothing starts (None): a signal queued before the console stopped,
        delivered after, must not run a workflow on lanes that are closed or a loop that is gone.
        """
        if self._shut:
            workflow.close()
            return None
        task = asyncio.get_event_loop().create_task(workflow)
        self._running.add(task)
        task.add_done_callback(self._ended)
        return task

    def _ended(self, task: asyncio.Task) -> None:
        self._running.discard(task)
        if task.cancelled() or task.exception() is None:
            return
        task.get_loop().call_exception_handler(
            {"message": "a console workflow failed", "exception": task.exception(), "task": task}
        )

    def shutdown(self) -> None:
        self._shut = True
        running = list(self._running)
        for task in running:
            task.cancel()
        self.acts.close(wait=True)  # an act under way is finished, not cut in half
        for lane in self._lanes[1:]:
            lane.close(wait=False)
        _settle(running)


def _settle(tasks: list[asyncio.Task], seconds: float = 2.0) -> None:
    """Let cancelled workflows unwind: the loop delivers a cancellation, so give it a few turns.

    Left pending, asyncio would report each as destroyed while pending when the loop goes.
    """
    app = QApplication.instance()
    deadline = time.monotonic() + seconds
    while app is not None and any(not t.done() for t in tasks) and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.001)


def attach_loop(app: QApplication) -> qasync.QEventLoop:
    """A qasync loop on an application whose Qt event loop is (or will be) driven by someone else.

    For tests (pytest-qt spins Qt's loop in ``qtbot.wait*``) and the development tools: their
    ``processEvents`` then runs the console's coroutines too. Undo with :func:`detach_loop`.
    """
    loop = qasync.QEventLoop(app, already_running=True)
    asyncio.set_event_loop(loop)
    return loop


def detach_loop(loop: qasync.QEventLoop) -> None:
    left = list(asyncio.all_tasks(loop))
    for task in left:
        task.cancel()
    _settle(left)
    asyncio.events._set_running_loop(None)  # set by already_running=True, for this thread
    asyncio.set_event_loop(None)
    # Its self-pipe's two sockets would wait for the collector (the console's waits for the GUI
    # thread): a test suite attaching a loop per console passed 1,024 descriptors, past which
    # paho's select refuses every client. (close() refuses a loop attached as already running.)
    loop._close_self_pipe()  # noqa: SLF001
