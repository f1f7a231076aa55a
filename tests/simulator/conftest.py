"""Fixtures for the simulator's tests: a broker of one's own, topic roots, listeners, simulators."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import pytest

from services.simulator import Simulator
from tests.simulator.support import Listener, simulators


@pytest.fixture
def root() -> str:
    """A topic root of this test's own, so that tests sharing a broker never see each other."""
    return f"t{uuid.uuid4().hex[:10]}"


@pytest.fixture
def listen(broker) -> Iterator[Callable[..., Listener]]:
    listeners: list[Listener] = []

    def make(*filters: str, url: str | None = None) -> Listener:
        listener = Listener(url or broker.url, *filters)
        listeners.append(listener)
        return listener

    yield make
    for listener in listeners:
        listener.close()


@pytest.fixture
def simulate(broker, root) -> Iterator[Callable[..., Simulator]]:
    """Start a small, quiet simulator on the session broker; stopped after the test."""
    start, stop_all = simulators(broker.url, root, 7)
    yield start
    stop_all()
