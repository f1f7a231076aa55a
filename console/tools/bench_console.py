"""``vigie bench console``: a console opened on a field of Dijon's size or ten times it.

The field is put straight into a scratch database (one bulk insert: no simulator, no recorder),
34,000 street lights behind their cabinets at Dijon's scale and 340,000 at ``x10``, with the
signals, cameras and bollards of the same mix. A console (queue, map, equipment) is opened on it
with a private mosquitto; the GUI thread is watched by a 10 ms timer from the moment the console
starts until its panels have taken in the field, then for a few seconds while light states
arrive. Reported: the longest stall and the 99th percentile of each phase, how long the panels
took to show the field, and the console's resident memory (its web engine apart).
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QApplication

from services.bench.console_field import seed_field

ROOT = "benchconsole"


@dataclass(frozen=True)
class Phase:
    longest_ms: float
    p99_ms: float
    seconds: float


@dataclass(frozen=True)
class ConsoleBench:
    scale: str
    devices: int
    open_seconds: float  # console started → map and equipment table have the field
    opening: Phase  # the GUI thread while the console opened
    flood: Phase  # the GUI thread while light states arrived
    states_sent: int
    rss_mb: float | None
    web_engine_mb: float
    table_rows: int  # rows the equipment model holds (what it fetched)
    map_payload: int  # devices the map page was last sent in a snapshot
    table_paged: bool  # the table fetches its pages (ten times Dijon) or holds the field
    map_served: bool  # the map's healthy lights are sent as clusters of the view


class _Watch:
    """A 10 ms timer on the GUI thread: the gaps between its ticks, beyond the 10 ms."""

    def __init__(self) -> None:
        self.ticks: list[float] = []
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(lambda: self.ticks.append(time.perf_counter()))

    def start(self) -> None:
        self.ticks = [time.perf_counter()]
        self.timer.start(10)

    def stop(self) -> Phase:
        self.timer.stop()
        ticks = [*self.ticks, time.perf_counter()]
        gaps = sorted(max(0.0, (b - a) * 1000 - 10) for a, b in zip(ticks, ticks[1:], strict=False))
        seconds = ticks[-1] - ticks[0]
        if not gaps:
            return Phase(seconds * 1000, seconds * 1000, seconds)
        return Phase(gaps[-1], gaps[min(len(gaps) - 1, int(len(gaps) * 0.99))], seconds)


def _run_until(condition: Any, seconds: float) -> bool:
    """Run the event loop (Qt's and the console's coroutines) until ``condition()`` or timeout."""
    deadline = time.monotonic() + seconds
    loop = QEventLoop()
    check = QTimer()
    check.timeout.connect(lambda: (condition() or time.monotonic() > deadline) and loop.quit())
    check.start(50)
    loop.exec()
    check.stop()
    return bool(condition())


def _run_for(seconds: float) -> None:
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


@contextmanager
def _scratch(scale: str) -> Iterator[tuple[str, Any, int, Path]]:
    """(url, broker, n, folder): a scratch field, a private mosquitto, the console's settings.

    The SQLite database holding the field's n devices, and the folder, are gone afterwards.
    """
    from services.bench.mosquitto import PrivateMosquitto
    from services.reference import SYNTHETIC_ENVIRONMENT
    from services.store.database import Database
    from services.store.schema import upgrade

    before = os.environ.get(SYNTHETIC_ENVIRONMENT)
    if scale == "x10":  # as a room playing ten times Dijon: the synthetic communes by name
        os.environ[SYNTHETIC_ENVIRONMENT] = "1"
    with tempfile.TemporaryDirectory(prefix="vigie-bench-console-") as tmp:
        folder = Path(tmp)
        url = f"sqlite:///{folder}/field.db"
        db = Database(url)
        upgrade(db)
        db.dispose()
        devices = seed_field(url, scale)
        broker = PrivateMosquitto(folder)
        broker.start()
        try:
            settings = folder / "settings"
            settings.mkdir()
            yield url, broker, devices, settings
        finally:
            broker.stop()
            if before is None:
                os.environ.pop(SYNTHETIC_ENVIRONMENT, None)
            else:
                os.environ[SYNTHETIC_ENVIRONMENT] = before


def run(scale: str = "x10", *, rate: int = 5_000, seconds: float = 5.0) -> ConsoleBench:
    """Open a console on a field of ``scale``; watch its GUI thread, then flood it."""
    from console.app import Console
    from console.bridge import attach_loop, detach_loop
    from console.tools.bench_ui import _rss_mb, _web_engine_processes
    from services.bench.publisher import BenchPublisher
    from services.domain.operators import Role
    from services.store.database import Database

    app = QApplication.instance()
    with _scratch(scale) as (url, broker, devices, folder):
        db = Database(url)
        loop = attach_loop(app)
        console = Console(db, broker.url, ROOT, "bench", Role.SUPERVISOR, config_folder=folder)
        panel = console.desks.map.map
        snapshots: list[int] = []
        console.feeds.map.sig_snapshot.connect(lambda s: snapshots.append(len(s.devices)))
        table = console.desks.equipment.model
        watch = _Watch()
        watch.start()
        started = time.perf_counter()
        console.window.show()
        console.start()
        try:
            opened = _run_until(
                lambda: (
                    bool(snapshots)
                    and panel.ready
                    and not panel.frame_waiting
                    and _field_shown(console, devices)
                ),
                600,
            )
            open_seconds = time.perf_counter() - started
            opening = watch.stop()
            if not opened:
                raise TimeoutError("the console did not show its field")
            _run_for(2.0)
            field = BenchPublisher(broker.port, ROOT)
            field.start_flood(rate)
            watch.start()
            try:
                _run_for(seconds)
            finally:
                flood = watch.stop()
                sent = field.stop_flood()
                field.close()
            web = _web_engine_processes()
            return ConsoleBench(
                scale=scale,
                devices=devices,
                open_seconds=open_seconds,
                opening=opening,
                flood=flood,
                states_sent=sent,
                rss_mb=_rss_mb(),
                web_engine_mb=sum(_rss_mb(pid) or 0.0 for pid in web),
                table_rows=table.rowCount(),
                map_payload=snapshots[-1] if snapshots else 0,
                table_paged=console.desks.equipment.equipment.paged,
                map_served=console.feeds.map.served,
            )
        finally:
            console.stop()
            detach_loop(loop)
            db.dispose()


def _field_shown(console: Any, devices: int) -> bool:
    """Whether the equipment panel shows the field (its counts cover every device)."""
    equipment = console.desks.equipment
    return equipment.model.rowCount() >= devices


def screenshots(out: Path, scale: str = "x10", size: tuple[int, int] = (1920, 1080)) -> list[Path]:
    """The map and the equipment panel of a console on the field of ``scale``, as PNGs.

    ``python -m console.tools.bench_console docs/screenshots`` writes map-x10.png (the map's
    dock floated on a second screen, the whole field) and equipment-x10.png (the technician's
    view, the faults filtered by the database).
    """
    from console.app import Console
    from console.bridge import attach_loop, detach_loop
    from services.domain.operators import Role
    from services.store.database import Database

    app = QApplication.instance()
    out.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    with _scratch(scale) as (url, broker, devices, folder):
        db = Database(url)
        loop = attach_loop(app)
        console = Console(db, broker.url, ROOT, "bench", Role.SUPERVISOR, config_folder=folder)
        snapshots: list[int] = []
        console.feeds.map.sig_snapshot.connect(lambda s: snapshots.append(len(s.devices)))
        cells: list[int] = []
        console.feeds.map.sig_changes.connect(
            lambda c: c.light_cells is not None and cells.append(len(c.light_cells))
        )
        try:
            console.start()
            console.window.resize(*size)
            panel = console.desks.map.map
            _run_until(lambda: panel.ready and _field_shown(console, devices), 300)
            _run_until(lambda: bool(snapshots) and bool(cells), 300)
            dock = console.window.docks["map"]
            dock.setFloating(True)
            dock.resize(1500, 900)
            _run_for(2.0)
            before = len(cells)
            panel.show_whole()
            _run_until(lambda: len(cells) > before, 60)  # the view reported, its clusters
            _run_for(3.0)  # drawn
            panel.grab().save(str(out / f"map-{scale}.png"))
            saved.append(out / f"map-{scale}.png")
            dock.setFloating(False)
            console.view.show_perspective("technician")
            equipment = console.desks.equipment.equipment
            equipment.state_filter.setCurrentIndex(equipment.state_filter.findData("fault"))
            _run_until(lambda: equipment.proxy.rowCount() < devices, 60)
            _run_for(3.0)
            console.window.grab().save(str(out / f"equipment-{scale}.png"))
            saved.append(out / f"equipment-{scale}.png")
        finally:
            console.stop()
            detach_loop(loop)
            db.dispose()
    return saved


if __name__ == "__main__":
    import sys

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from console.shell.web_engine import prepare_web_engine

    prepare_web_engine()
    application = QApplication(sys.argv[:1])
    for path in screenshots(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")):
        print(path)
