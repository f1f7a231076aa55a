"""Fixtures for the simulator's tests: a broker of one's own, topic roots, listeners, simulators."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from services.simulator import Simulator, SimulatorOptions
from tests.simulator.support import QUIET, Listener


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
    started: list[Simulator] = []

    def start(url: str | None = None, **options: Any) -> Simulator:
        opts = SimulatorOptions(**{"scale": "small", "seed": 7, **QUIET, **options})
        sim = Simulator(url or broker.url, root, opts)
        started.append(sim)
        sim.start()
        assert sim.wait_ready(30), "initial burst not acknowledged"
        return sim

    yield start
    for sim in started:
        sim.stop()
