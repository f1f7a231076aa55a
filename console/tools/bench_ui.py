"""``vigie bench ui``: the incident queue under load, and a report's way to the screen.

The queue's cost with 10,000 open incidents against an empty model, how long a report takes
from its publication to its row in a running console, and how long the GUI thread of a running
console (queue, map, equipment) is ever kept busy while 5,000 light states a second arrive,
against the same console idle.

Times are medians of several rounds; each is reported with the same operation on an empty model
(the baseline) measured in the same process.
"""

from __future__ import annotations

import dataclasses
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QApplication

from services.domain.incidents import IncidentSource, Location, new_incident
from services.reference import communes
from widgets.incident_queue.model import Column, IncidentTableModel
from widgets.incident_queue.panel import IncidentQueuePanel

T0 = datetime(2026, 11, 25, 17, tzinfo=UTC)
ROOT = "benchui"
CATEGORIES = ("road_damage", "noise", "fallen_tree", "lighting_fault", "traffic", "fire")


@dataclass(frozen=True)
class Timing:
    what: str
    loaded_ms: float  # with 10,000 open incidents
    empty_ms: float  # the same operation on an empty model

    @property
    def ratio(self) -> float:
        return self.loaded_ms / self.empty_ms if self.empty_ms else float("inf")


def _incidents(n: int, names: list[str]) -> list:
    return [
        dataclasses.replace(
            new_incident(
                source=IncidentSource.REPORT,
                category=CATEGORIES[i % len(CATEGORIES)],
                at=T0 - timedelta(seconds=i),
                commune=names[i % len(names)],
                place=f"{i} rue de la République",
                location=Location(47.32, 5.04),
            ),
            id=i + 1,
        )
        for i in range(n)
    ]


def _median_ms(action: Callable[[], None], rounds: int = 5) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        QApplication.processEvents()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _filter_ms(panel: IncidentQueuePanel, rounds: int = 5) -> float:
    """Filter by text then back to everything, each applied (the typing pause set to zero)."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        for text in ("42 rue", ""):
            panel.search.setText(text)
            QApplication.processEvents()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _panel(names: dict[str, str]) -> tuple[IncidentTableModel, IncidentQueuePanel]:
    model = IncidentTableModel(names, clock=lambda: T0 + timedelta(hours=1))
    # no typing pause: the filter itself is what is measured
    panel = IncidentQueuePanel(model, names, tick_ms=3_600_000, search_delay_ms=0)
    panel.resize(1200, 700)
    panel.show()
    return model, panel


def queue_timings(count: int = 10_000) -> list[Timing]:
    names = {c.insee: c.name for c in communes()}
    loaded, loaded_panel = _panel(names)
    empty, empty_panel = _panel(names)
    rows = _incidents(count, list(names))
    results = [
        Timing(
            "insert",
            _median_ms(lambda: loaded.upsert(rows), 1),
            _median_ms(lambda: empty.upsert([]), 1),
        )
    ]
    changed = [dataclasses.replace(r, version=r.version + 1) for r in rows[:1000]]
    results.append(
        Timing(
            "update 1,000",
            _median_ms(lambda: loaded.upsert(changed)),
            _median_ms(lambda: empty.upsert([])),
        )
    )
    results.append(Timing("filter by text", _filter_ms(loaded_panel), _filter_ms(empty_panel)))
    results.append(
        Timing(
            "sort by time left",
            _median_ms(
                lambda: loaded_panel.table.sortByColumn(
                    Column.TIME_LEFT, Qt.SortOrder.DescendingOrder
                )
            ),
            _median_ms(
                lambda: empty_panel.table.sortByColumn(
                    Column.TIME_LEFT, Qt.SortOrder.DescendingOrder
                )
            ),
        )
    )
    results.append(Timing("clock tick", _median_ms(loaded.tick), _median_ms(empty.tick)))
    loaded_panel.close()
    empty_panel.close()
    return results


@contextmanager
def _live_console(*, with_recorder: bool = True) -> Iterator[tuple[Any, int]]:
    """A console on a private mosquitto and a scratch database: (console, broker's port).

    The recorder runs in this process when asked for (a report must reach the queue); the
    stall measurement leaves it out, since in the room it is another process and here it would
    compete with the console for this one's interpreter lock.
    """
    from console.app import Console
    from console.bridge import attach_loop, detach_loop
    from services.bench.mosquitto import PrivateMosquitto
    from services.recorder.writer import Recorder
    from services.store.database import Database
    from services.store.schema import upgrade

    with tempfile.TemporaryDirectory(prefix="vigie-bench-ui-") as tmp:
        folder = Path(tmp)
        broker = PrivateMosquitto(folder)
        broker.start()
        db = Database(f"sqlite:///{folder}/ui.db")
        upgrade(db)
        recorder = Recorder(db, broker.url, ROOT, "recorder-bench-ui") if with_recorder else None
        if recorder is not None:
            recorder.start()
            recorder.bus.wait_connected(15)
        loop = attach_loop(QApplication.instance())  # the console's coroutines, run by our waits
        console = Console(db, broker.url, ROOT, "bench", config_folder=folder / "cfg")
        console.start()
        try:
            _wait(lambda: "connected" in console.window._links["broker"].text(), 15)
            yield console, broker.port
        finally:
            console.stop()
            detach_loop(loop)
            if recorder is not None:
                recorder.stop()
            db.dispose()
            broker.stop()


def report_to_row_ms(rounds: int = 5) -> tuple[float, float]:
    """(report published → row in a running console's queue, broker round trip baseline)."""
    from services.bench.publisher import BenchPublisher

    with _live_console() as (console, port):
        field = BenchPublisher(port, ROOT)
        queue = console.desks.incidents.queue_model
        try:
            latencies, round_trips = [], []
            for n in range(rounds):
                before = queue.rowCount()
                start = time.perf_counter()
                field.report(n)
                _wait(lambda b=before: queue.rowCount() > b, 15)
                latencies.append((time.perf_counter() - start) * 1000)
                start = time.perf_counter()
                heard = field.echo()
                _wait(lambda h=heard: len(field.echoes()) > h, 15)
                round_trips.append((field.echoes()[-1] - start) * 1000)
            return statistics.median(latencies), statistics.median(round_trips)
        finally:
            field.close()


@dataclass(frozen=True)
class Stall:
    """The GUI thread's gaps between two ticks of a 10 ms timer, beyond the 10 ms."""

    longest_ms: float
    p99_ms: float
    messages: int


def gui_stalls(rate: int = 5_000, seconds: float = 5.0) -> tuple[Stall, Stall]:
    """(while ``rate`` light states a second arrive, the same console idle), measured alike."""
    from services.bench.publisher import BenchPublisher

    with _live_console(with_recorder=False) as (_console, port):
        idle = _stalls(seconds, 0)
        field = BenchPublisher(port, ROOT)
        field.start_flood(rate)
        try:
            loaded = _stalls(seconds, 0)
        finally:
            sent = field.stop_flood()
            field.close()
        return Stall(loaded.longest_ms, loaded.p99_ms, sent), idle


def _stalls(seconds: float, messages: int) -> Stall:
    """Run the event loop for ``seconds``; how late a 10 ms timer's ticks came."""
    ticks: list[float] = []
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    loop = QEventLoop()
    timer.start(10)
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()
    timer.stop()
    gaps = sorted(max(0.0, (b - a) * 1000 - 10) for a, b in zip(ticks, ticks[1:], strict=False))
    if not gaps:
        return Stall(seconds * 1000, seconds * 1000, messages)
    return Stall(gaps[-1], gaps[min(len(gaps) - 1, int(len(gaps) * 0.99))], messages)


def _wait(condition: Callable[[], bool], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the console did not show the report")
        QApplication.processEvents()
        time.sleep(0.002)
