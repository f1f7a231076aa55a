"""The one bridge: workflows on the GUI thread, their blocking work on lanes' threads."""

from __future__ import annotations

import threading
import time

import pytest

from console.bridge import Bridge


@pytest.fixture
def bridge():
    made = Bridge()
    yield made
    made.shutdown()


def test_a_workflow_waits_on_a_lane_and_resumes_on_the_gui_thread(bridge, qtbot):
    seen: dict[str, object] = {}

    async def workflow() -> None:
        seen["worker"] = await bridge.acts.run(lambda: threading.current_thread().name)
        seen["resumed"] = threading.current_thread() is threading.main_thread()

    bridge.start(workflow())
    qtbot.waitUntil(lambda: "resumed" in seen, timeout=5_000)
    assert str(seen["worker"]).startswith("console-acts")
    assert seen["resumed"] is True


def test_acts_run_in_the_order_they_were_made(bridge, qtbot):
    done: list[int] = []

    async def act(n: int, pause: float) -> None:
        await bridge.acts.run(time.sleep, pause)
        done.append(n)

    bridge.start(act(1, 0.2))  # the slower first: still first
    bridge.start(act(2, 0.0))
    qtbot.waitUntil(lambda: len(done) == 2, timeout=5_000)
    assert done == [1, 2]


def test_a_workflow_catches_its_lanes_errors_where_it_awaits(bridge, qtbot):
    caught: list[str] = []

    def fails() -> None:
        raise LookupError("gone")

    async def workflow() -> None:
        try:
            await bridge.outside.run(fails)
        except LookupError as exc:
            caught.append(str(exc))

    bridge.start(workflow())
    qtbot.waitUntil(lambda: caught == ["gone"], timeout=5_000)


def test_an_unhandled_error_reaches_the_loops_handler(bridge, qtbot, gui_loop):
    reported: list[dict] = []
    gui_loop.set_exception_handler(lambda _loop, context: reported.append(context))

    async def workflow() -> None:
        await bridge.acts.run(int, "not a number")

    bridge.start(workflow())
    qtbot.waitUntil(lambda: bool(reported), timeout=5_000)
    assert isinstance(reported[0]["exception"], ValueError)


def test_shutdown_cancels_the_workflows_still_waiting(bridge, qtbot):
    started = threading.Event()

    async def workflow() -> None:
        await bridge.outside.run(lambda: (started.set(), time.sleep(0.5)))

    task = bridge.start(workflow())
    qtbot.waitUntil(started.is_set, timeout=5_000)  # the workflow runs when Qt's loop does
    bridge.shutdown()
    # unwound by shutdown itself: asyncio would otherwise report it destroyed while pending
    assert task.cancelled()


def test_nothing_starts_once_the_bridge_is_shut():
    from console.bridge import Bridge

    ran = []

    async def workflow() -> None:
        ran.append(True)

    bridge = Bridge()
    bridge.shutdown()
    assert bridge.start(workflow()) is None  # closed, not left "never awaited"
    assert ran == []


def test_a_detached_loop_leaves_no_descriptor(qtbot, collector_off):
    """A test suite attaches one per console: each left two sockets to a collector that waits."""
    from PySide6.QtWidgets import QApplication

    from console.bridge import attach_loop, detach_loop
    from tests.conftest import open_descriptors

    kept = []
    before = open_descriptors()
    for _ in range(5):
        loop = attach_loop(QApplication.instance())
        detach_loop(loop)
        kept.append(loop)
    assert open_descriptors() <= before
