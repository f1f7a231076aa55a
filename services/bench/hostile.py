"""``vigie bench hostile``: issue 14's hostile run, which anyone can repeat.

A private mosquitto on a free port of 127.0.0.1, a scratch database (a temporary SQLite file, or a
fresh schema on the PostgreSQL server named), and a real ``vigie recorder`` process. Each class
of bad input (``hostile_payloads``) gets a recorder of its own, on a topic root of its own, so
that a class that kills the recorder does not hide what the next one would show; then the bench
checks, message by message, that each was quarantined or recorded as it must be, that the
recorder counted every message sent (nothing dropped), and that it is alive at the end and
records a last valid report (the canary). The poison class kills the recorder (SIGKILL) after
a retained poison state and restarts it: it must come back and record.

Bounded: a global deadline; the broker and every recorder are stopped whatever happens.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
from sqlalchemy import func, select

from services.bench import mosquitto
from services.bench.audit import scratch_database
from services.bench.hostile_payloads import (
    ACK_DEVICE,
    QUARANTINED,
    RECORDED,
    HostileClass,
    Kind,
    Probe,
    canary,
    catalogue,
)
from services.config import redact_url
from services.domain.errors import VigieError
from services.store.database import Database
from services.store.models import (
    CommandAckRow,
    CommandRow,
    EquipmentRow,
    GatewayRow,
    IncidentRow,
    PersonalDataRow,
    QuarantineRow,
    RecorderStatsRow,
    UnitPositionRow,
    UnitRow,
)
from services.store.schema import upgrade

DEADLINE_S = 120.0
READY_S = 30.0  # a recorder's start: imports, connection, subscription
STALL_S = 6.0  # nothing moved for this long: what is missing will not come
CANARY_S = 10.0
STOP_S = 15.0
POLL_S = 0.1
MIN_CLASS_S = 8.0  # a class is not begun with less time than this left

BOTH = "recorded_and_quarantined"
MISSING = "missing"


@dataclass
class MessageResult:
    label: str
    topic: str
    expected: str
    outcome: str  # recorded, quarantined, recorded_and_quarantined or missing
    problem: str | None = None  # flag_missing, first_name_differs, description_differs
    reason: str | None = None  # the quarantine's, when there is one

    @property
    def held(self) -> bool:
        return self.outcome == self.expected and self.problem is None


@dataclass
class ClassResult:
    name: str
    sent: int
    messages: list[MessageResult] = field(default_factory=list)
    received: int = 0  # the recorder's own count (recorder_stats), canary excluded
    recorder_alive: bool = False
    canary_recorded: bool = False
    restarts: int = 0
    exit_code: int | None = None  # the recorder's, when it stopped or died
    recorder_said: str | None = None  # its last line on standard error, when it died
    problem: str | None = None  # recorder_not_ready, recorder_not_back, deadline

    def count(self, outcome: str) -> int:
        return sum(m.outcome in (outcome, BOTH) for m in self.messages)

    @property
    def missing(self) -> int:
        return sum(m.outcome == MISSING for m in self.messages)

    @property
    def dropped(self) -> bool:
        return self.received < self.sent

    @property
    def held(self) -> bool:
        return (
            self.problem is None
            and len(self.messages) == self.sent
            and all(m.held for m in self.messages)
            and not self.dropped
            and self.recorder_alive
            and self.canary_recorded
        )


@dataclass
class HostileRun:
    backend: str
    started_at: datetime
    seconds: float
    deadline: float
    classes: list[ClassResult]

    @property
    def held(self) -> bool:
        return all(c.held for c in self.classes)


# --- the bench's own MQTT client: publishes, and watches the recorders' status -------------------
class _Bus:
    def __init__(self, port: int) -> None:
        self._online: dict[str, list[tuple[float, bool]]] = {}
        self._subscribed: dict[int, threading.Event] = {}
        self._lock = threading.Lock()
        self.client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2, client_id=f"hostile-bench-{os.getpid()}"
        )
        self.client.max_inflight_messages_set(100)
        self.client.on_message = self._on_message
        self.client.on_subscribe = self._on_subscribe
        self.client.connect("127.0.0.1", port)
        self.client.loop_start()

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()

    def _on_message(self, client, userdata, msg: mqtt.MQTTMessage) -> None:  # noqa: ANN001
        try:
            online = json.loads(msg.payload).get("online") is True
        except (ValueError, AttributeError):
            online = False
        with self._lock:
            self._online.setdefault(msg.topic, []).append((time.monotonic(), online))

    def _on_subscribe(self, client, userdata, mid, reason_codes, properties) -> None:  # noqa: ANN001
        with self._lock:
            self._subscribed.setdefault(mid, threading.Event()).set()

    def watch(self, topic: str, timeout: float = 10.0) -> None:
        """Follow a recorder's retained status topic (its online message means subscribed)."""
        with self._lock:
            _, mid = self.client.subscribe(topic, 1)
            done = self._subscribed.setdefault(mid, threading.Event())
        done.wait(timeout)

    def online_since(self, topic: str, since: float) -> bool:
        with self._lock:
            return any(at >= since and online for at, online in self._online.get(topic, []))

    def publish(self, root: str, probe: Probe, timeout: float) -> bool:
        info = self.client.publish(
            f"{root}/{probe.tail}", probe.payload, qos=probe.qos, retain=probe.retain
        )
        try:
            info.wait_for_publish(timeout)
        except (RuntimeError, ValueError):
            return False
        return info.is_published()


# --- one recorder process ----------------------------------------------------------------------
class _Recorder:
    """``vigie recorder`` in a process group of its own, so that its writer dies with it."""

    def __init__(
        self, db_url: str, broker_url: str, root: str, recorder_id: str, folder: Path
    ) -> None:
        self.recorder_id = recorder_id
        self.log = folder / f"{recorder_id}.log"
        self.env = {
            **os.environ,
            "VIGIE_DB_URL": db_url,
            "VIGIE_BROKER_URL": broker_url,
            "VIGIE_MQTT_ROOT": root,
            "VIGIE_CONFIG": str(folder / "none.toml"),  # no user configuration
        }
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "console", "recorder", "--id", self.recorder_id],
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=log,
                start_new_session=True,
            )

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL to the recorder and its writer (our own process group)."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=STOP_S)

    def stop(self) -> int | None:
        """SIGTERM (it flushes and stops), SIGKILL if it does not; its exit code."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=STOP_S)
            except subprocess.TimeoutExpired:
                pass
        code = self.process.poll()
        self.kill()  # whatever is left of the group (a writer that outlived its receiver)
        return code

    def last_words(self) -> str | None:
        if not self.log.exists():
            return None
        lines = [ln for ln in self.log.read_text(errors="replace").splitlines() if ln.strip()]
        return lines[-1][:500] if lines else None


# --- what the record holds --------------------------------------------------------------------
@dataclass
class _Trace:
    recorded: dict[str, dict[str, Any]]  # entity -> what the record holds of it
    quarantine: list[tuple[int, str, str | None, str, bytes | None]]  # id, topic, entity, reason


def _in(column, values: Sequence[str]):  # noqa: ANN001, ANN202
    return column.in_(list(values) or [""])


def _trace(db: Database, root: str, probes: Sequence[Probe]) -> _Trace:
    by_kind: dict[Kind, list[str]] = {}
    for p in probes:
        if p.entity is not None:
            by_kind.setdefault(p.kind, []).append(p.entity)
    recorded: dict[str, dict[str, Any]] = {}
    with db.read() as s:
        for ident, flags in s.execute(
            select(EquipmentRow.id, EquipmentRow.flags).where(
                _in(EquipmentRow.id, by_kind.get(Kind.STATE, []))
            )
        ):
            recorded[f"state:{ident}"] = {"flags": flags or []}
        units = by_kind.get(Kind.POSITION, []) + by_kind.get(Kind.UNIT_STATUS, [])
        for (ident,) in s.execute(select(UnitRow.id).where(_in(UnitRow.id, units))):
            recorded[f"unit:{ident}"] = {}
        for (ident,) in s.execute(
            select(UnitPositionRow.unit_id).where(_in(UnitPositionRow.unit_id, units)).distinct()
        ):
            recorded[f"unit:{ident}"] = {}
        refs = by_kind.get(Kind.ALERT, []) + by_kind.get(Kind.REPORT, [])
        for source, ref, flags, description, first_name in s.execute(
            select(
                IncidentRow.source,
                IncidentRow.source_ref,
                IncidentRow.flags,
                IncidentRow.description,
                PersonalDataRow.first_name,
            )
            .outerjoin(PersonalDataRow, PersonalDataRow.incident_id == IncidentRow.id)
            .where(IncidentRow.source.in_(["alert", "report"]), _in(IncidentRow.source_ref, refs))
        ):
            recorded[f"{source}:{ref}"] = {
                "flags": flags or [],
                "description": description,
                "first_name": first_name,
            }
        for (ident,) in s.execute(
            select(CommandAckRow.request_id).where(
                _in(CommandAckRow.request_id, by_kind.get(Kind.ACK, []))
            )
        ):
            recorded[f"ack:{ident}"] = {}
        for (ident,) in s.execute(
            select(GatewayRow.id).where(_in(GatewayRow.id, by_kind.get(Kind.GATEWAY, [])))
        ):
            recorded[f"gateway:{ident}"] = {}
        rows = s.execute(
            select(
                QuarantineRow.id, QuarantineRow.topic, QuarantineRow.entity_id, QuarantineRow.reason
            )
            .where(QuarantineRow.topic.startswith(root + "/", autoescape=True))
            .order_by(QuarantineRow.id)
        ).all()
    return _Trace(recorded, [(r[0], r[1], r[2], r[3], None) for r in rows])


def _record_key(p: Probe) -> str | None:
    if p.entity is None:
        return None
    prefix = {Kind.POSITION: "unit", Kind.UNIT_STATUS: "unit"}.get(p.kind, p.kind.value)
    return f"{prefix}:{p.entity}"


def _payloads(db: Database, ids: Sequence[int]) -> dict[int, bytes]:
    if not ids:
        return {}
    with db.read() as s:
        rows = s.execute(
            select(QuarantineRow.id, QuarantineRow.payload).where(QuarantineRow.id.in_(ids))
        )
        return {i: bytes(p) for i, p in rows}


def _match_quarantine(
    db: Database, root: str, probes: Sequence[Probe], rows: list
) -> dict[str, list[tuple]]:
    """Each probe's quarantine rows.

    By topic where the topic is the probe's own; else by entity_id, then by payload, then in
    order of reception among the probes of that topic left over.
    """
    topic_of = {p.label: f"{root}/{p.tail}" for p in probes}
    shared = {t for t in topic_of.values() if list(topic_of.values()).count(t) > 1}
    unknown_ack = f"{root}/ack/?"
    matched: dict[str, list[tuple]] = {p.label: [] for p in probes}
    taken: set[int] = set()
    for p in probes:
        topic = topic_of[p.label]
        for row in rows:
            own_topic = row[1] == topic and topic not in shared
            same_entity = p.entity is not None and row[2] == p.entity
            if own_topic or (same_entity and row[1] in (topic, unknown_ack)):
                matched[p.label].append(row)
                taken.add(row[0])
    for topic in shared:
        left = [r for r in rows if r[1] == topic and r[0] not in taken]
        waiting = [p for p in probes if topic_of[p.label] == topic and not matched[p.label]]
        if not left or not waiting:
            continue
        payloads = _payloads(db, [r[0] for r in left])
        for p in list(waiting):
            for r in left:
                if payloads.get(r[0]) == p.payload:
                    matched[p.label].append(r)
                    left.remove(r)
                    waiting.remove(p)
                    break
        # What no id or payload tells apart is taken in the order it was received.
        for p, r in zip(waiting, left, strict=False):
            matched[p.label].append(r)
    return matched


def _judge(db: Database, root: str, probes: Sequence[Probe]) -> list[MessageResult]:
    trace = _trace(db, root, probes)
    quarantined = _match_quarantine(db, root, probes, trace.quarantine)
    results = []
    for p in probes:
        key = _record_key(p)
        record = trace.recorded.get(key) if key else None
        rows = quarantined[p.label]
        outcome = (
            BOTH
            if record is not None and rows
            else RECORDED
            if record is not None
            else QUARANTINED
            if rows
            else MISSING
        )
        problem = None
        if record is not None and p.expected == RECORDED:
            if p.flag and p.flag not in record.get("flags", []):
                problem = "flag_missing"
            elif p.first_name is not None and record.get("first_name") != p.first_name:
                problem = "first_name_differs"
            elif p.description is not None and record.get("description") != p.description:
                problem = "description_differs"
        reason = rows[0][3][:300] if rows else None
        results.append(
            MessageResult(p.label, f"{root}/{p.tail}", p.expected, outcome, problem, reason)
        )
    return results


def _received(db: Database, recorder_id: str) -> int:
    with db.read() as s:
        return int(
            s.execute(
                select(func.coalesce(func.sum(RecorderStatsRow.messages_received), 0)).where(
                    RecorderStatsRow.recorder_id == recorder_id
                )
            ).scalar_one()
        )


def _seed_commands(db: Database, root: str, request_ids: Sequence[str], now: datetime) -> None:
    """The commands the class's acks answer: an ack for a request never sent is quarantined."""
    if not request_ids:
        return
    with db.write() as s:
        for request_id in request_ids:
            s.add(
                CommandRow(
                    request_id=request_id,
                    target_type="Streetlight",
                    target=ACK_DEVICE,
                    command="switch",
                    params={"powerState": "on"},
                    status="pending",
                    issued_by="bench",
                    issued_at=now,
                    expires_at=now + timedelta(minutes=10),  # no time-out during the run
                    reply_to=f"{root}/ack/hostile-bench",
                )
            )


# --- waiting ------------------------------------------------------------------------------------
def _wait(
    done: Callable[[], bool],
    progress: Callable[[], object],
    alive: Callable[[], bool],
    until: float,
    stall: float = STALL_S,
) -> bool:
    """Until ``done``; or the recorder gone, nothing moving for ``stall`` s, or ``until``."""
    last, since = progress(), time.monotonic()
    while time.monotonic() < until:
        if done():
            return True
        if not alive():
            return done()
        time.sleep(POLL_S)
        now = progress()
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since > stall:
            return done()
    return done()


@dataclass
class _Run:
    db: Database
    broker: mosquitto.PrivateMosquitto
    bus: _Bus
    folder: Path
    deadline: float
    now: datetime
    recorders: list[_Recorder] = field(default_factory=list)

    def recorder(self, root: str, recorder_id: str) -> _Recorder:
        rec = _Recorder(self.db.url, self.broker.url, root, recorder_id, self.folder)
        self.recorders.append(rec)
        return rec

    def start(self, rec: _Recorder, root: str) -> bool:
        """Start ``rec``; True once it is subscribed (its online status arrived after start)."""
        status = f"{root}/recorders/{rec.recorder_id}/status"
        self.bus.watch(status)
        since = time.monotonic()
        rec.start()
        until = min(self.deadline, since + READY_S)
        while time.monotonic() < until and rec.alive():
            if self.bus.online_since(status, since):
                return True
            time.sleep(POLL_S)
        return self.bus.online_since(status, since)

    def publish(self, root: str, probes: Sequence[Probe]) -> None:
        for p in probes:
            self.bus.publish(root, p, timeout=max(1.0, self.deadline - time.monotonic()))

    def settle(self, rec: _Recorder, root: str, probes: Sequence[Probe], sent: int) -> None:
        """Wait for the recorder to have counted ``sent`` and every probe to have a trace."""

        def state() -> tuple[int, int]:
            left = sum(m.outcome == MISSING for m in _judge(self.db, root, probes))
            return _received(self.db, rec.recorder_id), left

        _wait(
            lambda: (s := state())[0] >= sent and s[1] == 0,
            state,
            rec.alive,
            self.deadline,
        )

    def run_class(self, cls: HostileClass, number: int) -> ClassResult:
        root = f"hostile_{cls.name}"
        result = ClassResult(cls.name, sent=len(cls.all_probes))
        if self.deadline - time.monotonic() < MIN_CLASS_S:
            result.problem = "deadline"
            return result
        _seed_commands(self.db, root, cls.commands, self.now)
        rec = self.recorder(root, f"hostile-{number}-{cls.name.replace('_', '-')}")
        try:
            if not self.start(rec, root):
                result.problem = "recorder_not_ready"
            else:
                self.publish(root, cls.probes)
                self.settle(rec, root, cls.probes, len(cls.probes))
                if cls.after_restart and not self._restart(rec, root, cls, result):
                    result.problem = "recorder_not_back"
            result.received = _received(self.db, rec.recorder_id)
            if rec.alive():
                self._canary(rec, root, cls.name, number, result)
            result.recorder_alive = rec.alive()
        finally:
            dead = not rec.alive()
            result.exit_code = rec.stop()
            if dead:
                result.recorder_said = rec.last_words()
        result.messages = _judge(self.db, root, cls.all_probes)
        return result

    def _restart(self, rec: _Recorder, root: str, cls: HostileClass, result: ClassResult) -> bool:
        """SIGKILL, start again under the same id (same session), then what follows."""
        rec.kill()
        result.restarts += 1
        if not self.start(rec, root):
            return False
        self.publish(root, cls.after_restart)
        self.settle(rec, root, cls.all_probes, len(cls.all_probes))
        return True

    def _canary(
        self, rec: _Recorder, root: str, name: str, number: int, result: ClassResult
    ) -> None:
        probe = canary(self.now, name, number)
        self.publish(root, [probe])
        until = min(self.deadline, time.monotonic() + CANARY_S)
        # Its incident alone says it was recorded: the class's own reports share its topic.
        key = _record_key(probe)
        recorded = lambda: key in _trace(self.db, root, [probe]).recorded  # noqa: E731
        _wait(recorded, lambda: _received(self.db, rec.recorder_id), rec.alive, until)
        result.canary_recorded = recorded()


@contextmanager
def _terminated_cleanly() -> Iterator[None]:
    """A SIGTERM to the bench still stops its broker and recorders (``finally`` runs)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def leave(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, leave)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def run(
    db_url: str | None,
    *,
    deadline: float = DEADLINE_S,
    classes: Sequence[str] | None = None,
) -> HostileRun:
    """Run every class (or those named) and judge them; see the module's docstring.

    ``db_url``: a PostgreSQL server to hold a fresh schema, or None for a temporary SQLite file.
    Raises ``VigieError('bus.unreachable')`` when the broker cannot be started and
    ``db.unreachable`` when the database cannot be reached.
    """
    started_at, start = datetime.now(UTC), time.monotonic()
    until = start + deadline
    chosen = [c for c in catalogue(started_at) if classes is None or c.name in classes]
    with (
        _terminated_cleanly(),
        tempfile.TemporaryDirectory(prefix="vigie-hostile-") as tmp,
    ):
        folder = Path(tmp)
        broker = mosquitto.PrivateMosquitto(folder)
        try:
            broker.start()
        except (RuntimeError, OSError):
            broker.stop(kill=True)
            raise VigieError("bus.unreachable", url=broker.url) from None
        try:
            with _database(db_url) as db:
                bus = _Bus(broker.port)
                work = _Run(db, broker, bus, folder, until, started_at)
                try:
                    results = [work.run_class(c, n) for n, c in enumerate(chosen, 1)]
                finally:
                    for rec in work.recorders:
                        rec.stop()
                    bus.close()
                return HostileRun(
                    db.dialect, started_at, time.monotonic() - start, deadline, results
                )
        finally:
            broker.stop(kill=True)


@contextmanager
def _database(db_url: str | None) -> Iterator[Database]:
    """A scratch database at the current schema; ``db.unreachable`` if it cannot be had."""
    with ExitStack() as stack:
        try:
            db = stack.enter_context(scratch_database(db_url))
            upgrade(db)
        except VigieError:
            raise
        except Exception as exc:  # noqa: BLE001 - the driver's error, told in one line
            url = redact_url(db_url or "sqlite")
            raise VigieError("db.unreachable", url=url, reason=_first_line(exc)) from None
        yield db


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0][:300] if text else type(exc).__name__


__all__ = ["DEADLINE_S", "ClassResult", "HostileRun", "MessageResult", "run"]
