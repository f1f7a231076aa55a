"""``vigie bench ui``: the incident queue under load, and a report's way to the screen.

The queue's cost with 10,000 open incidents against an empty model, and how long a report takes
from its publication to its row in a running console.

Times are medians of several rounds; each is reported with the same operation on an empty model
(the baseline) measured in the same process.
"""

from __future__ import annotations

import dataclasses
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from services.domain.incidents import IncidentSource, Location, new_incident
from services.reference import communes
from widgets.incident_queue.model import Column, IncidentTableModel
from widgets.incident_queue.panel import IncidentQueuePanel

T0 = datetime(2026, 11, 25, 17, tzinfo=UTC)
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


def report_to_row_ms(rounds: int = 5) -> tuple[float, float]:
    """(report published → row in a running console's queue, broker round trip baseline)."""
    import paho.mqtt.client as mqtt

    from console.app import Console
    from services.bench.mosquitto import PrivateMosquitto
    from services.recorder.process import Recorder
    from services.store.database import Database
    from services.store.schema import upgrade

    with tempfile.TemporaryDirectory(prefix="vigie-bench-ui-") as tmp:
        folder = Path(tmp)
        broker = PrivateMosquitto(folder)
        broker.start()
        db = Database(f"sqlite:///{folder}/ui.db")
        upgrade(db)
        recorder = Recorder(db, broker.url, "benchui", "recorder-bench-ui")
        recorder.start()
        recorder.bus.wait_connected(15)
        console = Console(db, broker.url, "benchui", "bench", config_folder=folder / "cfg")
        console.start()
        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
        echoes: list[float] = []
        client.on_message = lambda c, u, m: echoes.append(time.perf_counter())
        client.connect("127.0.0.1", broker.port)
        client.subscribe("benchui/echo", 1)
        client.loop_start()
        try:
            _wait(lambda: "connected" in console.window._links["broker"].text(), 15)
            latencies, round_trips = [], []
            for n in range(rounds):
                before = console.queue_model.rowCount()
                start = time.perf_counter()
                client.publish(
                    "benchui/reports",
                    json.dumps(
                        {
                            "service_request_id": f"bench-{n}",
                            "service_code": "noise",
                            "lat": 47.32,
                            "long": 5.04,
                        }
                    ).encode(),
                    qos=1,
                )
                _wait(lambda b=before: console.queue_model.rowCount() > b, 15)
                latencies.append((time.perf_counter() - start) * 1000)
                heard = len(echoes)
                start = time.perf_counter()
                client.publish("benchui/echo", b"{}", qos=1)
                _wait(lambda h=heard: len(echoes) > h, 15)
                round_trips.append((echoes[-1] - start) * 1000)
            return statistics.median(latencies), statistics.median(round_trips)
        finally:
            client.loop_stop()
            client.disconnect()
            console.stop()
            recorder.stop()
            db.dispose()
            broker.stop()


def _wait(condition: Callable[[], bool], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the console did not show the report")
        QApplication.processEvents()
        time.sleep(0.002)
