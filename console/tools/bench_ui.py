"""``vigie bench ui``: the incident queue under load, and a report's way to the screen.

The queue's cost with 10,000 open incidents against an empty model, how long a report takes
from its publication to its row in a running console, how long the GUI thread of a running
console (queue, map, equipment) is ever kept busy while 5,000 light states a second arrive,
against the same console idle, and what a console weighs (resident memory, share of a core)
over a minute of a mild evening in Dijon, its map's web engine measured apart.

Times are medians of several rounds; each is reported with the same operation on an empty model
(the baseline) measured in the same process.
"""

from __future__ import annotations

import dataclasses
import os
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


# --- what the console weighs --------------------------------------------------------------
#
# Read from /proc rather than with psutil: psutil is in the development environment only as
# another tool's dependency, not one of Vigie's, and the control room's workstations run Linux,
# whose /proc says all this. Elsewhere the bench falls back to ``resource`` (the lifetime peak,
# which then includes the start-up burst) and reports no web engine.

PAGE_MB = os.sysconf("SC_PAGE_SIZE") / 2**20 if hasattr(os, "sysconf") else 0.0
TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


@dataclass(frozen=True)
class ProcessWeight:
    rss_mb: float  # the peak resident set over the window (see ``weigh_console``)
    end_rss_mb: float  # the resident set when the window closed
    cpu_percent: float  # CPU seconds over wall seconds, 100 for one whole core


@dataclass(frozen=True)
class Weight:
    console: ProcessWeight
    renderer: ProcessWeight | None  # the map page's QtWebEngine renderer, None if not found
    web_engine_mb: float  # every QtWebEngine process of the console, resident sets summed
    web_engine_processes: int
    seconds: float
    devices: int  # rows of the equipment table once settled: the field the console carried
    scale: str
    mix: str


def _status_kb(pid: int | str, key: str) -> int | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _cpu_seconds(pid: int) -> float | None:
    """CPU seconds (utime + stime) of another process; ``time.process_time`` is this one's."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / TICKS  # fields 14 and 15 of proc(5)


def _web_engine_processes() -> dict[int, str]:
    """This process's QtWebEngine descendants: pid -> their ``--type`` (renderer, gpu…)."""
    found: dict[int, str] = {}
    parents: dict[int, int] = {}
    try:
        pids = [int(p) for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        return found
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
                parents[pid] = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
    me = os.getpid()
    for pid in parents:
        ancestor, hops = parents.get(pid), 0
        while ancestor not in (None, 0, 1, me) and hops < 8:
            ancestor, hops = parents.get(ancestor), hops + 1
        if ancestor != me:
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as cmd:
                # Chromium rewrites its children's command line as one string: split both ways.
                argv = cmd.read().decode(errors="replace").replace("\0", " ").split()
        except OSError:
            continue
        if argv and "QtWebEngineProcess" in argv[0]:
            kind = next((a.split("=", 1)[1] for a in argv if a.startswith("--type=")), "?")
            found[pid] = kind
    # Renderers are forked by a zygote and keep its command line: a zygote's child renders.
    return {
        pid: "renderer" if parents[pid] in found and kind == "zygote" else kind
        for pid, kind in found.items()
    }


def _reset_peak() -> bool:
    """Reset this process's VmHWM (Linux ≥ 4.0), so that the peak read later is the window's."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
    except OSError:
        return False
    return True


def _rss_mb(pid: int | str = "self") -> float | None:
    kb = _status_kb(pid, "VmRSS")
    return None if kb is None else kb / 1024


@contextmanager
def _evening_console(scale: str, mix: str) -> Iterator[Any]:
    """A console as the room runs it, its field in processes of their own.

    The recorder and ``vigie simulate`` run apart (what they weigh is not the console's), with a
    private mosquitto and a scratch database. The supervisor's seat: it docks every panel
    (equipment, faults, telemetry, commands and modes besides the queue and the map) and sees
    every unit, so it is the heaviest console.
    """
    from console.app import Console
    from console.bridge import attach_loop, detach_loop
    from services.bench.mosquitto import PrivateMosquitto
    from services.bench.processes import bench_env, vigie_process
    from services.domain.operators import Role
    from services.store.database import Database
    from services.store.schema import upgrade

    with tempfile.TemporaryDirectory(prefix="vigie-bench-weight-") as tmp:
        folder = Path(tmp)
        broker = PrivateMosquitto(folder)
        broker.start()
        db = Database(f"sqlite:///{folder}/weight.db")
        upgrade(db)
        env = bench_env(db.url, broker.url, ROOT, folder)
        try:
            with (
                vigie_process(["recorder", "--id", "recorder-bench-weight"], env),
                vigie_process(["simulate", "--scale", scale, "--mix", mix], env),
            ):
                loop = attach_loop(QApplication.instance())
                console = Console(
                    db, broker.url, ROOT, "bench", Role.SUPERVISOR, config_folder=folder / "cfg"
                )
                console.start()
                try:
                    yield console
                finally:
                    console.stop()
                    detach_loop(loop)
        finally:
            db.dispose()
            broker.stop()


def _settle(console: Any, seconds: float) -> int:
    """Wait out the start-up burst; the number of devices in the console's table.

    Settled: the simulator's retained field recorded, and the equipment table of the same size
    at two reads running (the map has had the same burst live meanwhile).
    """
    reads: list[int] = []
    feed, table = console.feeds.equipment, console.desks.equipment.model
    feed.sig_equipment.connect(lambda _changed: reads.append(table.rowCount()))
    feed.refresh()
    deadline = time.monotonic() + seconds
    while not (len(reads) >= 2 and reads[-1] == reads[-2] > 0):
        if time.monotonic() > deadline:
            raise TimeoutError("the console's field did not settle")
        feed.refresh()  # no need to wait for its 15 s period (ignored while a read is under way)
        _run_for(2.0)
    _run_for(5.0)  # the map's last turns of the burst, and the frames they make
    return reads[-1]


def _run_for(seconds: float, every: Callable[[], None] | None = None) -> None:
    """Run the console's event loop (Qt's and its coroutines) for ``seconds``."""
    loop = QEventLoop()
    timer = QTimer()
    if every is not None:
        timer.timeout.connect(every)
        timer.start(1000)
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()
    timer.stop()


def weigh_console(
    seconds: float = 60.0, *, scale: str = "dijon", mix: str = "mild", settle: float = 300.0
) -> Weight:
    """The console process's resident memory and share of a core over ``seconds`` of the field.

    Measured once the start-up burst has settled; its map's web engine measured apart.

    Resident memory is the window's peak: the console reads the whole field again every few
    seconds (the equipment table, the map's resync), and the machine must hold the top of that
    wave, not whatever the last instant happened to catch; the end is given beside it. The peak
    is the kernel's (VmHWM, reset when the window opens), else the highest of one sample a second.
    Processor share is ``time.process_time()`` (every thread of this process, no child) over the
    wall time, so 100 is one whole core.
    """
    with _evening_console(scale, mix) as console:
        devices = _settle(console, settle)
        web = _web_engine_processes()
        web_cpu = {pid: _cpu_seconds(pid) for pid in web}
        samples: list[float] = []
        web_samples: dict[int, list[float]] = {pid: [] for pid in web}

        def sample() -> None:
            samples.append(_rss_mb() or 0.0)
            for pid in web:
                rss = _rss_mb(pid)
                if rss is not None:
                    web_samples[pid].append(rss)

        kernel_peak = _reset_peak()
        cpu, wall = time.process_time(), time.perf_counter()
        _run_for(seconds, sample)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        sample()
        hwm = _status_kb("self", "VmHWM") if kernel_peak else None
        peak = max([*samples, hwm / 1024 if hwm else 0.0])
        if not samples[-1]:  # no /proc: the lifetime peak is all there is (kB on Linux, B on macOS)
            import resource
            import sys

            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (
                2**20 if sys.platform == "darwin" else 1024
            )
        renderer = None
        for pid, kind in web.items():
            if kind == "renderer" and web_samples[pid]:
                spent = _cpu_seconds(pid)
                before = web_cpu[pid]
                share = 0.0 if spent is None or before is None else 100 * (spent - before) / wall
                renderer = ProcessWeight(max(web_samples[pid]), web_samples[pid][-1], share)
        return Weight(
            console=ProcessWeight(peak, samples[-1], 100 * cpu / wall),
            renderer=renderer,
            web_engine_mb=sum(s[-1] for s in web_samples.values() if s),
            web_engine_processes=len(web),
            seconds=wall,
            devices=devices,
            scale=scale,
            mix=mix,
        )
