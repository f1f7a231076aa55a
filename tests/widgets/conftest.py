"""The console's coroutines run on a qasync loop; pytest-qt spins Qt's loop, not asyncio's.

Every test here gets a qasync loop attached to the test application (``console.bridge``), so
``qtbot.wait*`` runs the desks' and feeds' workflows as ``QApplication.exec`` runs them in the
console. A workflow that fails with an error nobody handled fails the test that started it.
"""

from __future__ import annotations

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
    unhandled = [c for c in failures if c.get("exception") is not None]
    assert not unhandled, f"a console workflow failed: {unhandled[0]['exception']!r}"
