"""The console's coroutines run on a qasync loop; pytest-qt spins Qt's loop, not asyncio's.

Every test here gets a qasync loop attached to the test application (``console.bridge``), so
``qtbot.wait*`` runs the desks' and feeds' workflows as ``QApplication.exec`` runs them in the
console. A workflow that fails with an error nobody handled fails the test that started it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from console.bridge import attach_loop, detach_loop


@pytest.fixture(autouse=True)
def gui_loop(qapp) -> Iterator:
    loop = attach_loop(qapp)
    failures: list[dict] = []
    loop.set_exception_handler(lambda _loop, context: failures.append(context))
    yield loop
    detach_loop(loop)
    # A whole collection on the GUI thread after each test: the console collects generation by
    # generation (gc_guard), so a stopped console's cycles would wait for a rare full pass with
    # their sockets open; hundreds of them took the process past 1024 descriptors, where paho's
    # select() fails and every later console's broker connection with it.
    gc.collect()
    unhandled = [c for c in failures if c.get("exception") is not None]
    assert not unhandled, f"a console workflow failed: {unhandled[0]['exception']!r}"
