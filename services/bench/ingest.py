"""The recorder against a bare paho subscriber, on one broker, in one run.

Cold start: 34,000 retained light states (340,000 at ``x10``) wait on the broker; we time, from
process start, how long a bare subscriber takes to receive them all, then how long ``vigie
recorder`` takes to have them all in an empty database. With ``loaded``, each round also times a
recorder whose imports were done before the clock started (``services.bench.loaded_recorder``):
what the writer's loading costs a cold start. Steady mix: states, positions and alerts
published at a paced rate while the recorder runs; we report what it recorded against what a bare
subscriber received. Then the marked mix of ``services.bench.shared``: one recorder, and on
PostgreSQL two sharing the flow (``--share``): lost, doubled, each one's part.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import paho.mqtt.client as mqtt
from sqlalchemy import func, select

from services.bench import shared
from services.bench.audit import scratch_database
from services.bench.mosquitto import PrivateMosquitto
from services.bench.processes import bench_env, vigie_process
from services.store.database import Database
from services.store.models import EquipmentRow, RecorderStatsRow
from services.store.schema import upgrade

ROOT = "bench"
#: Retained light states at cold start, by scale: Dijon's, and ten times Dijon (issue 23).
SCALES = {"dijon": 34_000, "x10": 340_000}
BARE_SUBSCRIBER = textwrap.dedent(
    """
    import sys, threading, paho.mqtt.client as mqtt
    port, topic, expected = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    timeout = float(sys.argv[4])
    done, seen = threading.Event(), [0]
    def on_message(c, u, m):
        seen[0] += 1
        if seen[0] >= expected:
            done.set()
    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    c.on_connect = lambda c, u, f, rc, p: c.subscribe(topic, 0)
    c.on_message = on_message
    c.connect("127.0.0.1", port)
    c.loop_start()
    done.wait(timeout)
    print(seen[0])
    """
)

KNOWN = select(func.count()).select_from(EquipmentRow)
RECEIVED = select(func.sum(RecorderStatsRow.messages_received))


@dataclass
class SteadyRun:
    rate: int  # messages per second offered
    sent: int
    bare_received: int
    recorded: int
    seconds_to_record: float

    @property
    def sustained(self) -> float:
        return self.recorded / self.seconds_to_record if self.seconds_to_record else 0.0


@dataclass
class ColdStart:
    """One round: a bare subscriber, then the recorder on an empty database, one after the other."""

    bare_seconds: float
    bare_received: int
    recorder_seconds: float
    recorder_recorded: int

    @property
    def ratio(self) -> float:
        return self.recorder_seconds / self.bare_seconds


@dataclass
class IngestBench:
    backend: str
    lights: int
    cold_starts: list[ColdStart]
    steady: list[SteadyRun] = field(default_factory=list)
    sharing: list[shared.SharedRun] = field(default_factory=list)
    loaded_starts: list[ColdStart] = field(default_factory=list)  # ``loaded``: imports done first

    @property
    def ratio(self) -> float:
        """The median round's: one noisy round (these machines share their cores) moves it least."""
        return statistics.median(c.ratio for c in self.cold_starts)

    @property
    def loaded_ratio(self) -> float | None:
        """The median round's with the recorder loaded beforehand; None when not measured."""
        if not self.loaded_starts:
            return None
        return statistics.median(c.ratio for c in self.loaded_starts)


def _timeout(lights: int) -> float:
    """How long a burst of ``lights`` may take: 120 s at Dijon's scale, in proportion above."""
    return max(120.0, 120.0 * lights / SCALES["dijon"])


def _light(i: int) -> bytes:
    # Dijon's grid of 34,000 points inside the métropole, laid again a few metres north for each
    # further 34,000 (ten times Dijon stays where the commune lookup is as cheap as in Dijon).
    tile, k = divmod(i, SCALES["dijon"])
    lat, lon = 47.28 + (k % 200) * 0.0005 + tile * 0.00004, 4.98 + (k // 200) * 0.0008
    return json.dumps(
        {
            "id": f"sl:{i}",
            "type": "Streetlight",
            "status": "ok",
            "powerState": "on",
            "illuminanceLevel": 1.0,
            "refGateway": f"cab:{i // 100}",
            "location": {"type": "Point", "coordinates": [lon, lat]},
        }
    ).encode()


def _publisher(port: int) -> mqtt.Client:
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"bench-pub-{os.getpid()}")
    client.max_inflight_messages_set(1000)
    client.connect("127.0.0.1", port)
    client.loop_start()
    return client


def _count(db: Database, query) -> int:  # noqa: ANN001
    with db.read() as s:
        return int(s.execute(query).scalar_one() or 0)


def _settle(value: Callable[[], int], quiet: float = 3.0, timeout: float = 180.0) -> None:
    """Wait until ``value`` has not moved for ``quiet`` seconds."""
    deadline = time.monotonic() + timeout
    last, since = value(), time.monotonic()
    while time.monotonic() < deadline and time.monotonic() - since < quiet:
        time.sleep(0.1)
        now = value()
        if now != last:
            last, since = now, time.monotonic()


def _wait(condition: Callable[[], bool], timeout: float, poll: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(poll)
    return False


@contextmanager
def _recorder(
    db_url: str, broker: PrivateMosquitto, folder: Path, recorder_id: str
) -> Iterator[subprocess.Popen]:
    env = bench_env(db_url, broker.url, ROOT, folder)
    with vigie_process(["recorder", "--id", recorder_id], env) as proc:
        yield proc


@contextmanager
def _loaded_recorder(
    db_url: str, broker: PrivateMosquitto, folder: Path, recorder_id: str
) -> Iterator[subprocess.Popen]:
    """A recorder loaded beforehand, receiving from the moment this is entered; stopped on leaving.

    Its loading is done outside the caller's clock: it says ``ready`` once it is. What it says
    on its standard error is kept in ``folder`` and given as the reason should it fail.
    """
    said = folder / f"{recorder_id}.stderr"
    with open(said, "wb") as stderr:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "services.bench.loaded_recorder",
                broker.url,
                db_url,
                ROOT,
                recorder_id,
            ],
            env=bench_env(db_url, broker.url, ROOT, folder),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
    assert proc.stdin is not None and proc.stdout is not None
    try:
        if proc.stdout.readline().strip() != "ready":
            proc.kill()
            proc.wait()
            why = said.read_text(errors="replace").strip().splitlines()
            raise RuntimeError(f"the loaded recorder did not start: {why[-1] if why else '?'}")
        proc.stdin.write("go\n")  # the caller's clock starts now: receive from here
        proc.stdin.flush()
        yield proc
        try:
            proc.stdin.write("stop\n")
            proc.stdin.flush()
            proc.wait(timeout=90)  # its receiver's stop waits 60 s at most, then kills its writer
        except (OSError, subprocess.TimeoutExpired):
            pass  # gone, or stuck: killed below; the caller has its figure already
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        for stream in (proc.stdin, proc.stdout):
            try:
                stream.close()
            except OSError:
                pass


#: QoS 1 publications a publisher keeps unconfirmed: paho's message ids wrap at 65,535, and a
#: new one equal to one still queued is refused (340,000 at once would be).
PUBLISH_WINDOW = 20_000


def _retain_lights(broker: PrivateMosquitto, lights: int) -> None:
    publisher = _publisher(broker.port)
    waiting: deque = deque()
    for i in range(lights):
        info = publisher.publish(f"{ROOT}/state/Streetlight/sl:{i}", _light(i), qos=1, retain=True)
        waiting.append(info)
        if len(waiting) >= PUBLISH_WINDOW:
            waiting.popleft().wait_for_publish(_timeout(lights))
    for info in waiting:
        info.wait_for_publish(_timeout(lights))
    publisher.loop_stop()
    publisher.disconnect()


def cold_start(
    db: Database,
    broker: PrivateMosquitto,
    folder: Path,
    lights: int,
    recorder_id: str,
    *,
    loaded: bool = False,
) -> ColdStart:
    """The retained lights received by a bare subscriber, then recorded by ``vigie recorder``.

    ``loaded``: by a recorder timed from once its imports are done (``loaded_recorder``).
    """
    start = time.perf_counter()
    bare = subprocess.run(
        [
            sys.executable,
            "-c",
            BARE_SUBSCRIBER,
            str(broker.port),
            f"{ROOT}/state/#",
            str(lights),
            str(_timeout(lights)),
        ],
        capture_output=True,
        text=True,
        timeout=_timeout(lights) + 60,
    )
    bare_seconds = time.perf_counter() - start
    bare_received = int(bare.stdout.strip() or 0)
    upgrade(db)
    # The measure keeps off the cores it measures: it polls the recorder's count, committed with
    # the rows it counts (counting 34,000 rows every 20 ms took PostgreSQL a fifth of a core),
    # on one connection kept open (an ORM session a poll took 0.5 ms of processor); the rows
    # are counted at the end.
    with db.engine.connect() as poller:

        def count(query) -> int:  # noqa: ANN001
            try:
                return int(poller.execute(query).scalar_one() or 0)
            finally:
                poller.rollback()  # the next poll reads what was committed since

        start = time.perf_counter()
        starting = _loaded_recorder if loaded else _recorder
        with starting(db.url, broker, folder, recorder_id) as proc:
            if loaded:  # its loading is not timed: the clock starts as it starts receiving
                start = time.perf_counter()
            _wait(
                lambda: (
                    proc.poll() is not None
                    or (count(RECEIVED) >= lights and count(KNOWN) >= lights)
                ),
                timeout=_timeout(lights) * 2.5,
                poll=0.02,
            )
            recorder_seconds = time.perf_counter() - start
            if proc.poll() is not None:
                raise RuntimeError(f"the recorder ended ({proc.returncode}) during its cold start")
            recorded = count(KNOWN)
    return ColdStart(bare_seconds, bare_received, recorder_seconds, recorded)


def steady(
    db: Database,
    broker: PrivateMosquitto,
    folder: Path,
    rates: list[int],
    seconds: float,
    lights: int = SCALES["dijon"],
) -> list[SteadyRun]:
    publisher = _publisher(broker.port)
    seen = [0]
    bare = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="bench-bare")
    # live messages only: the retained burst it gets on subscribing is not part of the flow
    bare.on_message = lambda c, u, m: seen.__setitem__(0, seen[0] + (not m.retain))
    bare.connect("127.0.0.1", broker.port)
    bare.subscribe([(f"{ROOT}/state/#", 0), (f"{ROOT}/units/+/position", 0), (f"{ROOT}/alerts", 1)])
    bare.loop_start()
    runs = []
    burst = _count(db, RECEIVED)  # what the cold start received: it comes again, retained
    with _recorder(db.url, broker, folder, "bench-steady"):
        _wait(lambda: _count(db, RECEIVED) >= 2 * burst, timeout=_timeout(lights) * 2.5, poll=0.1)
        _settle(lambda: _count(db, RECEIVED))
        for rate in rates:
            before_rec, before_bare = _count(db, RECEIVED), seen[0]
            total = int(rate * seconds)
            start = time.perf_counter()
            for n in range(total):
                kind = n % 20
                if kind == 0:
                    topic, body, qos = (
                        f"{ROOT}/alerts",
                        {
                            "id": f"alert:{rate}:{n}",
                            "category": "traffic",
                            "address": "rue",
                            "dateIssued": "2026-11-25T17:00:00Z",
                        },
                        1,
                    )
                elif kind == 1:
                    topic, body, qos = (
                        f"{ROOT}/units/u:{n % 205}/position",
                        {
                            "location": {"type": "Point", "coordinates": [5.04, 47.32]},
                            "observationDateTime": time.strftime("%Y-%m-%dT%H:%M:%S")
                            + f".{n % 1000:03d}Z",
                        },
                        0,
                    )
                else:
                    topic, body, qos = (
                        f"{ROOT}/state/Streetlight/sl:{n % lights}",
                        {"status": "ok", "powerState": "on" if n % 2 else "off"},
                        0,
                    )
                publisher.publish(topic, json.dumps(body).encode(), qos=qos)
                lag = start + (n + 1) / rate - time.perf_counter()
                if lag > 0:
                    time.sleep(lag)
            _wait(lambda b=before_rec, t=total: _count(db, RECEIVED) - b >= t, timeout=60, poll=0.1)
            elapsed = time.perf_counter() - start
            runs.append(
                SteadyRun(
                    rate, total, seen[0] - before_bare, _count(db, RECEIVED) - before_rec, elapsed
                )
            )
    for client in (publisher, bare):
        client.loop_stop()
        client.disconnect()
    return runs


def sharing(
    db: Database,
    broker: PrivateMosquitto,
    folder: Path,
    lights: int,
    rate: int,
    seconds: float,
    members: int = 2,
) -> list[shared.SharedRun]:
    """The marked mix taken by one recorder, then (PostgreSQL) by ``members`` sharing it."""
    plan: list[tuple[int, str | None]] = [(1, None)]
    if db.dialect == "postgresql":  # --share is refused on SQLite: one recorder only there
        plan.append((members, f"bench{os.getpid()}"))
    return [
        shared.sustained(
            db,
            broker.url,
            broker.port,
            ROOT,
            folder,
            recorders=n,
            group=group,
            rate=rate,
            seconds=seconds,
            retained=lights,
            timeout=_timeout(lights) * 2.5,
        )
        for n, group in plan
    ]


def compile_bytecode() -> bool:
    """Vigie's own modules compiled, as an installation has them; whether it could be done.

    pip compiles what it installs, but a work tree installed in place (``pip install -e``) gets
    its bytecode from its first runs, unless ``PYTHONDONTWRITEBYTECODE`` is set, as it is on
    some machines: then every recorder start compiles the modules it imports (measured: 0.8 s
    of processor in a cold start of 34,000, where the bare subscriber imports only paho, which
    is installed compiled). Processes read bytecode whatever that variable says.
    """
    root = Path(__file__).resolve().parents[2]
    packages = [str(root / name) for name in ("services", "console") if (root / name).is_dir()]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    done = subprocess.run(
        [sys.executable, "-m", "compileall", "-q", *packages],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=600,
    )
    return done.returncode == 0


def run(
    db_url: str | None,
    lights: int,
    rates: list[int],
    seconds: float,
    rounds: int = 3,
    share_rate: int = 0,
    loaded: bool = False,
) -> IngestBench:
    """``rounds`` cold starts, each recorder on an empty database; the steady mix after the last.

    With ``share_rate``, the marked mix at that rate after the steady one (``sharing``). With
    ``loaded``, each round first times a recorder loaded beforehand (``loaded_starts``).
    """
    with tempfile.TemporaryDirectory(prefix="vigie-ingest-") as tmp:
        folder = Path(tmp)
        broker = PrivateMosquitto(folder)
        broker.start()
        try:
            compile_bytecode()
            _retain_lights(broker, lights)
            # Each round its own database and recorder id (no persistent session carried over);
            # the last round's database stays for the steady mix.
            done: list[ColdStart] = []
            done_loaded: list[ColdStart] = []
            for n in range(1, rounds + 1):
                if loaded:
                    with scratch_database(db_url) as db:
                        done_loaded.append(
                            cold_start(db, broker, folder, lights, f"bench-l{n}", loaded=True)
                        )
                if n < rounds:
                    with scratch_database(db_url) as db:
                        done.append(cold_start(db, broker, folder, lights, f"bench-{n}"))
            with scratch_database(db_url) as db:
                done.append(cold_start(db, broker, folder, lights, f"bench-{rounds}"))
                runs = steady(db, broker, folder, rates, seconds, lights)
                together = (
                    sharing(db, broker, folder, lights, share_rate, seconds) if share_rate else []
                )
                return IngestBench(db.dialect, lights, done, runs, together, done_loaded)
        finally:
            broker.stop()


__all__ = ["SCALES", "ColdStart", "IngestBench", "SteadyRun", "compile_bytecode", "run", "sharing"]
