"""The Open311 service under citizens' apps: many readers, a steady flow of requests posted.

``vigie opendata serve`` runs as a separate process, as a city runs it, on a free port of
127.0.0.1, against a scratch database (a temporary SQLite file, or a temporary schema on a
PostgreSQL server) migrated to the current schema, with a private mosquitto for its wake-ups when
there is one. An admin issues the bench a rate-exempt key and the per-address limit is off (every
reader comes from 127.0.0.1: the bench measures the service, not its limiter). Some requests are
posted first, so that the readers have something to read.

Two phases follow, each with the same number of concurrent readers on keep-alive connections
(HTTP/1.1), each reader sending its next request as soon as the last is answered:

* the baseline: every reader on ``GET /health``, a static answer that touches no database, so
  that what the client, uvicorn and the loopback cost on this machine is measured in the same
  run;
* the load: the readers loop over ``GET requests.json?page_size=50``, ``GET requests/{id}.json``
  of a known request and ``GET services.json``, while this process posts requests at a steady
  rate, open loop (each POST its own task, timed from when it was due, so a slow answer neither
  slows the pace nor hides its own delay), and probes ``GET /health`` ten times a second.

The readers run in a process of their own (``python -m services.bench.opendata``): in this one
they would share an event loop with the posts and delay them, and the pace would be the client's.
Every request is timed from when it was sent (a post, from when it was due) to its whole answer.
Reads are reported against the static route (ratios of their p50 and p99), and against issue 19's
goals; after the server has stopped, the record is checked: every accepted post is exactly one
incident, and nothing else was recorded.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select

from services.bench.audit import scratch_database
from services.bench.outbox import percentile
from services.bench.processes import bench_env, vigie_process
from services.bus.ports import free_port
from services.domain.operators import Role
from services.store import authority, open311, pg_authority
from services.store.database import Database
from services.store.models import IncidentRow, Open311RequestRow, OperatorRow
from services.store.schema import upgrade
from services.store.types import utcnow

ROOT = "vigie"
HOST = "127.0.0.1"
PREFIX = "/open311/v2"
TARGET_READ_P99_MS = 250.0  # issue 19, on this machine
TARGET_POST_P99_MS = 500.0
KEY_NAME = "bench-opendata"
ADMIN = "bench.admin"
#: Each reader's requests, in turn (reader ``n`` starts at ``n % 3``).
READS = {
    "requests": f"{PREFIX}/requests.json?page_size=50",
    "request": f"{PREFIX}/requests/{{id}}.json",
    "services": f"{PREFIX}/services.json",
}
STATIC = {"health": "/health"}
PROBES_PER_SECOND = 10
POST_POOLS = 20  # of 5 connections each
TIMEOUT = 60.0  # an answer this late is an error; the posts' integrity check counts it apart
KEEPALIVE = 20.0  # an idle connection is closed before the service's 30 s close it
DIJON = (47.32, 5.04)


@dataclass(frozen=True)
class Timings:
    """One kind of request in one phase: the answered ones' times, the others by what failed."""

    ms: list[float]
    errors: dict[str, int] = field(default_factory=dict)  # "429", "ReadTimeout"...
    seconds: float = 0.0  # the measured window

    @property
    def answered(self) -> int:
        return len(self.ms)

    @property
    def failed(self) -> int:
        return sum(self.errors.values())

    @property
    def p50_ms(self) -> float:
        return percentile(self.ms, 50)

    @property
    def p99_ms(self) -> float:
        return percentile(self.ms, 99)

    @property
    def rate(self) -> float:
        """Answered a second over the window."""
        return self.answered / self.seconds if self.seconds else 0.0

    @staticmethod
    def merged(parts: list[Timings], seconds: float) -> Timings:
        errors: Counter[str] = Counter()
        for p in parts:
            errors.update(p.errors)
        return Timings([ms for p in parts for ms in p.ms], dict(errors), seconds)


@dataclass(frozen=True)
class Integrity:
    """The record after the run: each accepted post exactly one incident, and nothing more."""

    accepted: int  # posts answered 201 with a service_request_id (the seeds' too)
    distinct_ids: int  # of their service_request_ids, how many differ
    recorded: int  # open311_requests rows of the bench's key, channel 'api'
    mapped: int  # incidents those ids map to (open311.incident_ids)
    distinct_incidents: int
    incidents: int  # incidents on the scratch database: the bench made every one

    @property
    def held(self) -> bool:
        return self.accepted > 0 and (
            self.accepted
            == self.distinct_ids
            == self.recorded
            == self.mapped
            == self.distinct_incidents
            == self.incidents
        )


@dataclass(frozen=True)
class OpendataBench:
    backend: str
    seconds: float  # the load phase's measured window
    baseline_seconds: float
    readers: int
    reader_processes: int
    posts_per_second: float
    seeded: int
    static: Timings  # the baseline phase: every reader on /health
    reads: dict[str, Timings]  # the load phase, by route
    probe: Timings  # /health during the load phase, PROBES_PER_SECOND
    posts: Timings
    posts_offered: int
    integrity: Integrity
    cpu: dict[str, dict[str, float | None]]  # phase -> process -> % of one core
    server_exit: int | None  # the server's exit status after SIGTERM

    @property
    def all_reads(self) -> Timings:
        return Timings.merged(list(self.reads.values()), self.seconds)

    @property
    def read_p50_ratio(self) -> float:
        return self.all_reads.p50_ms / max(self.static.p50_ms, 0.001)

    @property
    def read_p99_ratio(self) -> float:
        return self.all_reads.p99_ms / max(self.static.p99_ms, 0.001)

    @property
    def read_goal_met(self) -> bool:
        return self.all_reads.failed == 0 and self.all_reads.p99_ms <= TARGET_READ_P99_MS

    @property
    def post_goal_met(self) -> bool:
        return self.posts.failed == 0 and self.posts.p99_ms <= TARGET_POST_P99_MS

    @property
    def passed(self) -> bool:
        return self.integrity.held and self.read_goal_met and self.post_goal_met


class BenchFailed(RuntimeError):
    """The bench could not run (the service did not start, a reader process failed)."""


# --- the service -------------------------------------------------------------------------------
def _prepare(db: Database) -> str:
    """The schema, an admin, and the bench's rate-exempt key (returned)."""
    upgrade(db)
    with db.write() as session:
        if pg_authority.database_checks(session):
            # The database checks: the URL's login (a superuser, as for any bench's schema)
            # issues the key, as an installer may.
            by = authority.session_login(session)
        else:
            by = ADMIN
            session.add(
                OperatorRow(
                    name=ADMIN,
                    role=Role.ADMIN.value,
                    created_at=utcnow(),
                    created_by="system:bench",
                )
            )
            session.flush()
        return open311.add_key(session, KEY_NAME, by=by, rate_exempt=True)


@contextlib.contextmanager
def _service(env: dict[str, str], port: int, log: Path) -> Iterator[subprocess.Popen]:
    """``vigie opendata serve`` until SIGTERM, its standard error kept for a failure's reason."""
    args = ["opendata", "serve", "--host", HOST, "--port", str(port)]
    with log.open("wb") as err, vigie_process(args, env, stderr=err) as proc:
        yield proc


def _wait_until_up(proc: subprocess.Popen, base: str, log: Path, timeout: float = 60.0) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise BenchFailed(f"the Open311 service exited ({proc.returncode}): {_tail(log)}")
        try:
            if httpx.get(base + "/health", timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise BenchFailed(f"the Open311 service did not answer within {timeout:.0f} s: {_tail(log)}")


def _tail(log: Path) -> str:
    text = log.read_text(errors="replace").strip() if log.exists() else ""
    return text[-600:] or "nothing on its standard error"


def _cpu_seconds(pid: int) -> float | None:
    """A process's processor time so far (Linux's /proc; None elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _share(before: float | None, after: float | None, seconds: float) -> float | None:
    if before is None or after is None or seconds <= 0:
        return None
    return 100.0 * (after - before) / seconds


# --- the client --------------------------------------------------------------------------------
def _client(connections: int, tls=None):  # noqa: ANN001, ANN202 - httpx is imported late
    """An HTTP/1.1 client, keep-alive, ``connections`` at most.

    ``tls``: a context to share; httpx otherwise loads the certificate store for each client (a
    fortieth of a second: 200 readers' clients took five).
    """
    import httpx

    return httpx.AsyncClient(
        verify=tls if tls is not None else True,
        http1=True,
        http2=False,
        timeout=httpx.Timeout(TIMEOUT),
        limits=httpx.Limits(
            max_connections=connections,
            max_keepalive_connections=connections,
            # Below the service's own keep-alive (30 s): a connection it has closed while idle
            # is never taken again (a ReadError on the probe's second connection, once).
            keepalive_expiry=KEEPALIVE,
        ),
    )


def _form(n: int, key: str) -> dict[str, str]:
    rng = random.Random(n)
    form = {
        "api_key": key,
        "lat": f"{DIJON[0] + rng.uniform(-0.01, 0.01):.6f}",
        "long": f"{DIJON[1] + rng.uniform(-0.01, 0.01):.6f}",
        "description": f"vigie bench opendata, request {n}",
    }
    if n % 2:
        form["service_code"] = "eclairage"
        form["attribute[etat]"] = "eteint"
    else:
        form["service_code"] = "bruit"
    return form


async def _post(client, base: str, form: dict[str, str]) -> tuple[str | None, str | None]:  # noqa: ANN001
    """(service_request_id, None) when accepted; (None, what failed) otherwise."""
    import httpx

    try:
        response = await client.post(base + f"{PREFIX}/requests.json", data=form)
    except httpx.HTTPError as exc:
        return None, type(exc).__name__
    if response.status_code != 201:
        return None, str(response.status_code)
    try:
        return str(response.json()[0]["service_request_id"]), None
    except (ValueError, LookupError, TypeError):
        return None, "201 unreadable"


async def _seed(base: str, key: str, count: int) -> tuple[list[str], Counter[str]]:
    """``count`` requests posted, four at a time: what the readers read."""
    ids: list[str] = []
    failed: Counter[str] = Counter()
    async with _client(4) as client:
        for start in range(0, count, 4):
            forms = [_form(-1 - n, key) for n in range(start, min(count, start + 4))]
            for ident, error in await asyncio.gather(*(_post(client, base, f) for f in forms)):
                if ident is not None:
                    ids.append(ident)
                else:
                    failed[error or "?"] += 1
    return ids, failed


async def _load(
    base: str,
    key: str,
    rate: float,
    start: float,
    seconds: float,
    server_pid: int,
) -> tuple[Timings, Timings, list[str], int, dict[str, float | None]]:
    """Posts at ``rate`` a second and the static probe, over [start, start + seconds) (wall)."""
    import ssl

    loop = asyncio.get_running_loop()
    posts_ms: list[float] = []
    post_errors: Counter[str] = Counter()
    accepted: list[str] = []
    probe_ms: list[float] = []
    probe_errors: Counter[str] = Counter()
    # Wall clock to this loop's clock: the reader processes were told the wall clock.
    t0 = loop.time() + (start - time.time())

    async def one_post(client, n: int, due: float) -> None:  # noqa: ANN001
        ident, error = await _post(client, base, _form(n, key))
        if ident is None:
            post_errors[error or "?"] += 1
            return
        posts_ms.append((loop.time() - due) * 1000)
        accepted.append(ident)

    async def one_probe(client, due: float) -> None:  # noqa: ANN001
        import httpx

        try:
            response = await client.get(base + STATIC["health"])
        except httpx.HTTPError as exc:
            probe_errors[type(exc).__name__] += 1
            return
        if response.status_code != 200:
            probe_errors[str(response.status_code)] += 1
            return
        probe_ms.append((loop.time() - due) * 1000)

    async def paced(every: float, count: int, launch) -> None:  # noqa: ANN001
        for n in range(count):
            due = t0 + n * every
            delay = due - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.add(task := asyncio.create_task(launch(n, due)))
            task.add_done_callback(tasks.discard)

    offered = int(rate * seconds)
    probes = int(PROBES_PER_SECOND * seconds)
    tasks: set[asyncio.Task] = set()
    async with contextlib.AsyncExitStack() as stack:
        # Posts in turn over small pools (httpcore's pool is slow with many queued at once).
        tls = ssl.create_default_context()
        posting = [await stack.enter_async_context(_client(5, tls)) for _ in range(POST_POOLS)]
        probing = await stack.enter_async_context(_client(2, tls))
        await asyncio.sleep(max(0.0, t0 - loop.time()))
        cpu_before = (_cpu_seconds(server_pid), time.process_time())
        await asyncio.gather(
            paced(1.0 / rate, offered, lambda n, due: one_post(posting[n % POST_POOLS], n, due)),
            paced(1.0 / PROBES_PER_SECOND, probes, lambda n, due: one_probe(probing, due)),
        )
        await asyncio.sleep(max(0.0, t0 + seconds - loop.time()))
        window = loop.time() - t0
        cpu_after = (_cpu_seconds(server_pid), time.process_time())
        if tasks:  # the last posts' answers
            await asyncio.wait(set(tasks), timeout=TIMEOUT + 5)
    cpu = {
        "server": _share(cpu_before[0], cpu_after[0], window),
        "poster": _share(cpu_before[1], cpu_after[1], window),
    }
    return (
        Timings(posts_ms, dict(post_errors), seconds),
        Timings(probe_ms, dict(probe_errors), seconds),
        accepted,
        offered,
        cpu,
    )


# --- the readers' process ----------------------------------------------------------------------
class _Readers:
    """Reader processes: started, then told when to begin, then read for their results."""

    def __init__(self, processes: int, readers: int, job: dict) -> None:
        self.procs: list[subprocess.Popen] = []
        shares = [readers // processes + (n < readers % processes) for n in range(processes)]
        for n, share in enumerate(shares):
            proc = subprocess.Popen(
                [sys.executable, "-m", "services.bench.opendata"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            self.procs.append(proc)
            assert proc.stdin is not None
            proc.stdin.write(json.dumps({**job, "readers": share, "first": sum(shares[:n])}) + "\n")
            proc.stdin.flush()
        for proc in self.procs:
            assert proc.stdout is not None
            if proc.stdout.readline().strip() != "ready":
                self.close()
                raise BenchFailed("a reader process did not start")

    def go(self, start: float, seconds: float) -> None:
        for proc in self.procs:
            assert proc.stdin is not None
            proc.stdin.write(json.dumps({"start": start, "seconds": seconds}) + "\n")
            proc.stdin.flush()

    def results(self) -> list[dict]:
        out = []
        for proc in self.procs:
            assert proc.stdout is not None
            line = proc.stdout.readline()
            proc.wait(timeout=TIMEOUT + 30)
            if not line.strip():
                raise BenchFailed(f"a reader process failed (exit status {proc.returncode})")
            out.append(json.loads(line))
        return out

    def close(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def _phase(
    processes: int,
    readers: int,
    base: str,
    ids: list[str],
    warmup: float,
    seconds: float,
    server_pid: int,
) -> tuple[Timings, dict[str, float | None]]:
    """The baseline: every reader on the static route; measured over its window."""
    pool = _Readers(processes, readers, {"base": base, "routes": STATIC, "ids": ids})
    try:
        start = time.time() + warmup
        pool.go(start, seconds)
        time.sleep(max(0.0, start - time.time()))
        before = _cpu_seconds(server_pid)
        time.sleep(max(0.0, start + seconds - time.time()))
        server = _share(before, _cpu_seconds(server_pid), seconds)
        raw = pool.results()
    finally:
        pool.close()
    return _merged(raw, "health", seconds), {"server": server, "readers": _sum_cpu(raw)}


def _merged(raw: list[dict], name: str, seconds: float) -> Timings:
    parts = [Timings(r["routes"][name]["ms"], r["routes"][name]["errors"]) for r in raw]
    return Timings.merged(parts, seconds)


def _reader_main() -> None:
    """``python -m services.bench.opendata``: one reader process, spoken to on stdin/stdout.

    A line of JSON in (the job); ``ready`` out once its clients are made; a line in (when the
    measure starts, wall clock, and how long it lasts); a line of JSON out (what was measured).
    """
    job = json.loads(sys.stdin.readline())
    print(json.dumps(asyncio.run(_read(job))), flush=True)


async def _read(job: dict) -> dict:
    """``job["readers"]`` readers from the go until the window's end; kept: what began in it."""
    import ssl

    import httpx

    loop = asyncio.get_running_loop()
    base, routes, ids = job["base"], job["routes"], job["ids"] or ["V-0"]
    names = list(routes)
    kept: dict[str, dict] = {n: {"ms": [], "errors": Counter()} for n in names}
    cpu: list[float] = []
    first, count = job["first"], job["readers"]
    async with contextlib.AsyncExitStack() as stack:
        # A client, and its one connection, for each reader: httpcore's pool looks over all its
        # connections for each request queued, and 200 readers on one pool took a whole core
        # for some twenty requests a second.
        tls = ssl.create_default_context()
        clients = [await stack.enter_async_context(_client(1, tls)) for _ in range(count)]
        print("ready", flush=True)
        when = json.loads(await loop.run_in_executor(None, sys.stdin.readline))
        t0 = loop.time() + (when["start"] - time.time())
        end = t0 + when["seconds"]

        async def reader(n: int, client) -> None:  # noqa: ANN001
            rng = random.Random(n)
            turn = n
            while loop.time() < end:
                name = names[turn % len(names)]
                turn += 1
                path = routes[name].replace("{id}", rng.choice(ids))
                sent = loop.time()
                try:
                    response = await client.get(base + path)
                    status = response.status_code
                    error = None if status == 200 else str(status)
                except httpx.HTTPError as exc:
                    error = type(exc).__name__
                if sent < t0:
                    continue  # the warm-up: connections opened, caches filled
                if error is None:
                    kept[name]["ms"].append((loop.time() - sent) * 1000)
                else:
                    kept[name]["errors"][error] += 1

        async def clock() -> None:
            await asyncio.sleep(max(0.0, t0 - loop.time()))
            cpu.append(time.process_time())
            await asyncio.sleep(max(0.0, end - loop.time()))
            cpu.append(time.process_time())

        await asyncio.gather(clock(), *(reader(first + n, c) for n, c in enumerate(clients)))
    return {
        "routes": {n: {"ms": k["ms"], "errors": dict(k["errors"])} for n, k in kept.items()},
        "cpu_percent": _share(cpu[0], cpu[1], when["seconds"]) if len(cpu) == 2 else None,
    }


# --- the record --------------------------------------------------------------------------------
def _integrity(db: Database, accepted: list[str]) -> Integrity:
    with db.read() as session:
        recorded = session.execute(
            select(func.count())
            .select_from(Open311RequestRow)
            .where(Open311RequestRow.channel == "api", Open311RequestRow.api_key == KEY_NAME)
        ).scalar_one()
        mapped: list[int] = []
        unique = sorted(set(accepted))
        for n in range(0, len(unique), 500):
            mapped.extend(open311.incident_ids(session, unique[n : n + 500]))
        incidents = session.execute(select(func.count()).select_from(IncidentRow)).scalar_one()
    return Integrity(
        accepted=len(accepted),
        distinct_ids=len(set(accepted)),
        recorded=recorded,
        mapped=len(mapped),
        distinct_incidents=len(set(mapped)),
        incidents=incidents,
    )


# --- the run -----------------------------------------------------------------------------------
def run(
    db_url: str | None = None,
    *,
    seconds: float = 60.0,
    readers: int = 200,
    posts_per_second: float = 50.0,
    seed: int = 100,
    baseline_seconds: float | None = None,
    reader_processes: int = 1,
    warmup: float = 2.0,
) -> OpendataBench:
    """The whole bench; ``db_url`` a PostgreSQL server for a scratch schema there, else SQLite.

    The baseline phase lasts ``baseline_seconds`` (a quarter of ``seconds``, two at least).
    """
    from services.bench import mosquitto

    baseline = baseline_seconds if baseline_seconds is not None else max(2.0, seconds / 4)
    with (
        tempfile.TemporaryDirectory(prefix="vigie-opendata-") as tmp,
        contextlib.ExitStack() as stack,
    ):
        folder = Path(tmp)
        broker_url = f"mqtt://{HOST}:{free_port()}"  # nobody there: the service records anyway
        if mosquitto.available():
            broker = mosquitto.PrivateMosquitto(folder)
            broker.start()
            stack.callback(broker.stop)
            broker_url = broker.url
        db = stack.enter_context(scratch_database(db_url))
        key = _prepare(db)
        env = bench_env(db.url, broker_url, ROOT, folder)
        # Every reader comes from 127.0.0.1: the per-address limit would refuse nearly all.
        env["VIGIE_OPENDATA_ADDRESS_RATE"] = "0"
        port = free_port(HOST)
        base = f"http://{HOST}:{port}"
        log = folder / "serve.log"
        with _service(env, port, log) as server:
            _wait_until_up(server, base, log)
            ids, seed_errors = asyncio.run(_seed(base, key, seed))
            if not ids:
                raise BenchFailed(f"no request could be posted: {dict(seed_errors)}")

            static, static_cpu = _phase(
                reader_processes, readers, base, ids, warmup, baseline, server.pid
            )

            pool = _Readers(reader_processes, readers, {"base": base, "routes": READS, "ids": ids})
            try:
                start = time.time() + warmup
                pool.go(start, seconds)
                posts, probe, accepted, offered, load_cpu = asyncio.run(
                    _load(base, key, posts_per_second, start, seconds, server.pid)
                )
                raw = pool.results()
            finally:
                pool.close()
        server_exit = server.returncode
        reads = {name: _merged(raw, name, seconds) for name in READS}
        integrity = _integrity(db, ids + accepted)
    return OpendataBench(
        backend=db.dialect,
        seconds=seconds,
        baseline_seconds=baseline,
        readers=readers,
        reader_processes=reader_processes,
        posts_per_second=posts_per_second,
        seeded=len(ids),
        static=static,
        reads=reads,
        probe=probe,
        posts=posts,
        posts_offered=offered,
        integrity=integrity,
        cpu={
            "baseline": static_cpu,
            "load": {**load_cpu, "readers": _sum_cpu(raw)},
        },
        server_exit=server_exit,
    )


def _sum_cpu(raw: list[dict]) -> float | None:
    shares = [r.get("cpu_percent") for r in raw]
    return None if any(s is None for s in shares) else sum(shares)  # type: ignore[misc]


__all__ = [
    "TARGET_POST_P99_MS",
    "TARGET_READ_P99_MS",
    "BenchFailed",
    "Integrity",
    "OpendataBench",
    "Timings",
    "run",
]

if __name__ == "__main__":
    _reader_main()
