"""A console at work on a simulated field: the simulator, a recorder and the console, started and
stopped together (the widget tests that command the field share it)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from console.app import Console
from services.domain.operators import Role
from services.recorder.writer import Recorder, RecorderOptions
from services.simulator import Simulator, SimulatorOptions


@contextmanager
def console_on_field(
    db, broker, qtbot, root: str, operator: str, role: Role, folder: Path, options: SimulatorOptions
) -> Iterator[tuple[Console, Simulator, Recorder]]:  # noqa: ANN001
    sim = Simulator(broker.url, root, options)
    sim.start()
    assert sim.wait_ready(60)
    recorder = Recorder(db, broker.url, root, f"rec-{root}", options=RecorderOptions())
    recorder.start()
    console = Console(db, broker.url, root, operator, role, config_folder=folder)
    qtbot.addWidget(console.window)
    console.start()
    try:
        yield console, sim, recorder
    finally:
        console.stop()
        recorder.stop()
        sim.stop()
