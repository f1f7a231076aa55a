"""From an act's commit to its command on the bus, with the recorder as the only sender.

A private mosquitto, a scratch database, ``vigie simulate`` at Dijon's scale (the nominal load:
the field's states, positions, reports) and the real ``vigie recorder`` process. This process
records commands as a console does (one transaction each) and a subscriber of ``cmd/#`` notes
when each arrives. The baseline, run alongside on the same broker and in the same rounds, is a
command published straight to the bus (what consoles did before the recorder was the only
sender): the ratio says what going through the database and the recorder costs.
"""

from __future__ import annotations

import dataclasses
import json
import statistics
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import paho.mqtt.client as mqtt
from sqlalchemy import func, select

from services.bench.audit import scratch_database
from services.bench.mosquitto import PrivateMosquitto
from services.bench.processes import bench_env, vigie_process
from services.bus.topics import Topics
from services.commands import outbox
from services.store.database import Database
from services.store.models import CommandRow, EquipmentRow
from services.store.schema import upgrade

ROOT = "vigie"
TARGET_P99_MS = 200.0  # issue 16: an act's command is on the bus within 200 ms (p99)


@dataclass(frozen=True)
class OutboxBench:
    backend: str
    commands: int
    heard: int  # of the recorded commands, how many reached the bus
    recorded_ms: list[float]  # commit to arrival, per command
    direct_ms: list[float]  # publish to arrival, per command (the baseline)
    field_devices: int  # what the recorder knew of the field when the rounds began

    @property
    def p99_ms(self) -> float:
        return percentile(self.recorded_ms, 99)

    @property
    def direct_p99_ms(self) -> float:
        return percentile(self.direct_ms, 99)

    @property
    def ratio(self) -> float:
        return self.p99_ms / max(self.direct_p99_ms, 0.001)

    @property
    def within_target(self) -> bool:
        return self.heard == self.commands and self.p99_ms <= TARGET_P99_MS


def percentile(values: list[float], pct: int) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


class _Ears:
    """A subscriber of every command topic: when each request id arrived (wall clock)."""

    def __init__(self, port: int) -> None:
        self.arrived: dict[str, float] = {}
        self.ready = threading.Event()
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="bench-ears")
        self.client.on_connect = lambda c, *_: c.subscribe(f"{ROOT}/cmd/#", qos=1)
        self.client.on_subscribe = lambda *_: self.ready.set()
        self.client.on_message = self._heard
        self.client.connect("127.0.0.1", port)
        self.client.loop_start()
        if not self.ready.wait(10):
            raise RuntimeError("the bench's subscriber could not subscribe")

    def _heard(self, _c: object, _u: object, message: mqtt.MQTTMessage) -> None:
        at = time.time()
        try:
            self.arrived.setdefault(json.loads(message.payload)["request_id"], at)
        except (ValueError, KeyError, TypeError):
            pass

    def close(self) -> None:
        self.client.loop_stop()
        self.client.disconnect()


def _known(db: Database) -> int:
    with db.read() as session:
        return session.execute(select(func.count()).select_from(EquipmentRow)).scalar_one()


def settle_field(db: Database, timeout: float = 240.0) -> int:
    """Wait until the field's cold start is recorded (the count stops growing)."""
    deadline, last, still = time.monotonic() + timeout, -1, 0
    while time.monotonic() < deadline:
        now = _known(db)
        still = still + 1 if now == last and now > 0 else 0
        if still >= 6:  # three quiet seconds
            return now
        last = now
        time.sleep(0.5)
    return last


def _command(target: str) -> outbox.CommandRequest:
    return outbox.prepare(
        "Streetlight",
        target,
        "switch",
        {"powerState": "on"},
        issued_by="bench",
        reply_to=f"{ROOT}/ack/bench",
        now=datetime.now(UTC),
    )


def _record_one(db: Database, n: int) -> tuple[str, float]:
    """Recorded as a console does: the time is the commit's."""
    request = _command(f"light:bench-{n}")
    with db.write() as session:
        outbox.record(session, request, audited=False)
    return request.request_id, time.time()


def _publish_one(client: mqtt.Client, topics: Topics, n: int) -> tuple[str, float]:
    """Published straight to the bus, as consoles did before (the baseline)."""
    request = _command(f"light:direct-{n}")
    at = time.time()
    client.publish(request.topic(topics), json.dumps(request.payload()).encode(), qos=1)
    return request.request_id, at


def measure(db: Database, broker: PrivateMosquitto, commands: int, every: float) -> OutboxBench:
    """``commands`` of each kind, alternating, ``every`` seconds apart (an operator's pace)."""
    ears = _Ears(broker.port)
    direct = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="bench-direct")
    direct.connect("127.0.0.1", broker.port)
    direct.loop_start()
    topics = Topics(ROOT)
    recorded: dict[str, float] = {}
    published: dict[str, float] = {}
    try:
        for n in range(commands):
            request_id, at = _record_one(db, n)
            recorded[request_id] = at
            request_id, at = _publish_one(direct, topics, n)
            published[request_id] = at
            time.sleep(every)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not set(recorded) <= set(ears.arrived):
            time.sleep(0.05)
    finally:
        direct.loop_stop()
        direct.disconnect()
        ears.close()
    with db.read() as session:
        # Marked sent only once the broker confirmed it (PUBACK): heard and confirmed, both.
        sent = session.execute(
            select(func.count()).select_from(CommandRow).where(CommandRow.sent_at.is_not(None))
        ).scalar_one()
    return OutboxBench(
        backend=db.dialect,
        commands=commands,
        heard=min(sent, sum(1 for r in recorded if r in ears.arrived)),
        recorded_ms=_delays_ms(recorded, ears.arrived),
        direct_ms=_delays_ms(published, ears.arrived),
        field_devices=0,
    )


def _delays_ms(left: dict[str, float], arrived: dict[str, float]) -> list[float]:
    return [(arrived[r] - at) * 1000 for r, at in left.items() if r in arrived]


def run(db_url: str | None, commands: int = 300, every: float = 0.05) -> OutboxBench:
    with tempfile.TemporaryDirectory(prefix="vigie-outbox-") as tmp:
        folder = Path(tmp)
        broker = PrivateMosquitto(folder)
        broker.start()
        try:
            with scratch_database(db_url) as db:
                upgrade(db)
                env = bench_env(db.url, broker.url, ROOT, folder)
                with (
                    vigie_process(["recorder", "--id", "bench-outbox"], env),
                    vigie_process(["simulate", "--scale", "dijon"], env),
                ):
                    field = settle_field(db)
                    result = measure(db, broker, commands, every)
                    return dataclasses.replace(result, field_devices=field)
        finally:
            broker.stop()


__all__ = ["OutboxBench", "TARGET_P99_MS", "percentile", "run"]
