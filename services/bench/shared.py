"""Sustained ingest by one recorder, then by several sharing the flow (``vigie recorder --share``).

Both runs take the same live mix on the same broker and database, each recorder with a fresh
``--id`` (so no persistent session is carried over), after the retained states it receives on
subscribing have been written (every member of a share group receives every retained state: a
cold start is not split). The mix marks every message so that the record can be checked:

- light states on a few thousand devices, each dated (``observationDateTime``) later than the
  one before it for that device: with several recorders a device's states reach different members
  in turn, and the record must end on the newest one of each device (``devices_behind`` counts
  those it does not);
- unit positions, each unit's dated apart: one row each in ``unit_positions``;
- field alerts (QoS 1) with their own ids: one row each in ``alerts``.

``lost`` is what the record misses of these (positions and alerts missing, devices not on their
newest state); ``doubled`` is what the recorders received beyond what was sent (their
``recorder_stats`` rows' growth, summed), and each member's part is its own row's growth. On
this 2-core machine both cores are busy before a second recorder starts, so two members are not
expected to go faster than one: the figures to read are nothing lost, nothing doubled, each took
its part, and the throughput per recorder.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import paho.mqtt.client as mqtt
from sqlalchemy import func, select

from services.bench.processes import bench_env, vigie_process
from services.store.database import Database
from services.store.models import AlertRow, EquipmentRow, RecorderStatsRow, UnitPositionRow

#: Devices whose states the mix changes: few enough that each gets several states in a run.
DEVICES = 2000
#: Units whose positions the mix sends.
UNITS = 50


@dataclass
class Member:
    """One recorder of a run: what it took of the live mix, and how fast."""

    recorder_id: str
    received: int  # its recorder_stats row's growth during the live mix
    seconds: float  # from the first message sent until the record held the whole mix

    @property
    def throughput(self) -> float:
        return self.received / self.seconds if self.seconds else 0.0


@dataclass
class SharedRun:
    recorders: int
    group: str | None  # the share group, None when a single recorder takes everything
    rate: int  # messages per second offered
    sent_states: int = 0
    sent_positions: int = 0
    sent_alerts: int = 0
    members: list[Member] = field(default_factory=list)
    recorded_positions: int = 0
    recorded_alerts: int = 0
    devices: int = 0
    devices_behind: int = 0  # devices whose record does not hold the newest state sent
    quarantined: int = 0
    seconds: float = 0.0
    problem: str | None = None  # why the run could not be made (a recorder refused, died…)

    @property
    def sent(self) -> int:
        return self.sent_states + self.sent_positions + self.sent_alerts

    @property
    def received(self) -> int:
        return sum(m.received for m in self.members)

    @property
    def lost(self) -> int:
        return (
            self.sent_positions
            - self.recorded_positions
            + self.sent_alerts
            - self.recorded_alerts
            + self.devices_behind
        )

    @property
    def doubled(self) -> int:
        return max(0, self.received - self.sent)

    @property
    def sustained(self) -> float:
        """Messages recorded a second, all members together."""
        return self.sent / self.seconds if self.seconds else 0.0


def _stamp(at: datetime) -> str:
    return at.isoformat(timespec="microseconds").replace("+00:00", "Z")


def _counters(db: Database, ids: list[str]) -> dict[str, tuple[int, int]]:
    """Each recorder's (received, quarantined), from its own recorder_stats row."""
    query = select(
        RecorderStatsRow.recorder_id,
        RecorderStatsRow.messages_received,
        RecorderStatsRow.messages_quarantined,
    ).where(RecorderStatsRow.recorder_id.in_(ids))
    with db.read() as s:
        found = {r: (int(n or 0), int(q or 0)) for r, n, q in s.execute(query)}
    return {i: found.get(i, (0, 0)) for i in ids}


def _wait(condition: Callable[[], bool], timeout: float, poll: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(poll)
    return False


def _settle(value: Callable[[], int], quiet: float, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    last, since = value(), time.monotonic()
    while time.monotonic() < deadline and time.monotonic() - since < quiet:
        time.sleep(0.1)
        now = value()
        if now != last:
            last, since = now, time.monotonic()


def _publish_mix(
    port: int, root: str, tag: str, rate: int, seconds: float, devices: int
) -> tuple[SharedRun, dict[str, datetime]]:
    """The marked mix at ``rate`` for ``seconds``; returns the counts and each device's newest."""
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"bench-mix-{tag}")
    client.max_inflight_messages_set(1000)
    client.connect("127.0.0.1", port)
    client.loop_start()
    counts = SharedRun(recorders=0, group=None, rate=rate)
    newest: dict[str, datetime] = {}
    infos = []
    total = int(rate * seconds)
    start = time.perf_counter()
    last = datetime.now(UTC)
    for n in range(total):
        # Strictly later than the message before: a device's states, a unit's positions.
        at = max(datetime.now(UTC), last + timedelta(microseconds=1))
        last = at
        kind = n % 20
        if kind == 0:
            topic = f"{root}/alerts"
            body = {
                "id": f"alert:{tag}:{n}",
                "category": "traffic",
                "address": "rue",
                "dateIssued": _stamp(at),
            }
            infos.append(client.publish(topic, json.dumps(body).encode(), qos=1))
            counts.sent_alerts += 1
        elif kind == 1:
            topic = f"{root}/units/u:{tag}-{n % UNITS}/position"
            body = {
                "location": {"type": "Point", "coordinates": [5.04, 47.32]},
                "observationDateTime": _stamp(at),
            }
            client.publish(topic, json.dumps(body).encode(), qos=0)
            counts.sent_positions += 1
        else:
            device = f"sl:{n % devices}"
            body = {
                "status": "ok",
                "powerState": "on" if n % 2 else "off",
                "observationDateTime": _stamp(at),
            }
            client.publish(f"{root}/state/Streetlight/{device}", json.dumps(body).encode(), qos=0)
            newest[device] = at
            counts.sent_states += 1
        lag = start + (n + 1) / rate - time.perf_counter()
        if lag > 0:
            time.sleep(lag)
    for info in infos:
        info.wait_for_publish(60)
    client.loop_stop()
    client.disconnect()
    return counts, newest


def _behind(db: Database, newest: dict[str, datetime]) -> int:
    """Devices whose record is not on the newest state sent (a microsecond's slack)."""
    query = select(EquipmentRow.id, EquipmentRow.observed_at).where(
        EquipmentRow.id.in_(sorted(newest))
    )
    with db.read() as s:
        held = dict(s.execute(query).all())
    slack = timedelta(milliseconds=1)
    behind = 0
    for device, sent in newest.items():
        at = held.get(device)
        if at is not None and at.tzinfo is None:
            at = at.replace(tzinfo=UTC)
        if at is None or at < sent - slack:
            behind += 1
    return behind


def _said(path: Path) -> str:
    text = path.read_text(errors="replace").strip() if path.exists() else ""
    return text.splitlines()[-1][:300] if text else ""


def sustained(
    db: Database,
    broker_url: str,
    port: int,
    root: str,
    folder: Path,
    *,
    recorders: int,
    group: str | None,
    rate: int,
    seconds: float,
    retained: int,
    timeout: float = 120.0,
) -> SharedRun:
    """``recorders`` recorders (sharing ``group`` when given) take the marked mix.

    ``retained`` is how many retained states each will receive on subscribing (the bench's
    lights): the live mix starts once they are written.
    """
    tag = f"s{recorders}p{os.getpid()}t{int(time.time()) % 100000}"
    ids = [f"bench-{tag}-{k}" for k in range(1, recorders + 1)]
    result = SharedRun(recorders=recorders, group=group, rate=rate)
    env = bench_env(db.url, broker_url, root, folder)
    with ExitStack() as stack:
        procs: list[tuple[subprocess.Popen, Path]] = []
        for recorder_id in ids:
            args = ["recorder", "--id", recorder_id]
            if group is not None:
                args += ["--share", group]
            said = folder / f"{recorder_id}.stderr"
            err = stack.enter_context(said.open("wb"))
            procs.append((stack.enter_context(vigie_process(args, env, stderr=err)), said))

        def died() -> str | None:
            for proc, said in procs:
                if proc.poll() is not None:
                    return f"recorder exited with status {proc.returncode}: {_said(said)}"
            return None

        def received() -> int:
            return sum(n for n, _ in _counters(db, ids).values())

        # The retained burst, every member its own; then quiet.
        _wait(lambda: died() is not None or received() >= recorders * retained, timeout)
        _settle(received, quiet=2.0, timeout=timeout)
        if (problem := died()) is not None:
            result.problem = problem
            return result
        before = _counters(db, ids)
        start = time.perf_counter()
        counts, newest = _publish_mix(port, root, tag, rate, seconds, min(retained, DEVICES))
        for name in ("sent_states", "sent_positions", "sent_alerts"):
            setattr(result, name, getattr(counts, name))
        sent = result.sent
        _wait(
            lambda: (
                died() is not None
                or sum(n for n, _ in _counters(db, ids).values())
                - sum(n for n, _ in before.values())
                >= sent
            ),
            timeout,
        )
        result.seconds = time.perf_counter() - start
        # Whatever comes late (a double) comes now.
        _settle(received, quiet=1.0, timeout=timeout)
        after = _counters(db, ids)
        result.members = [Member(i, after[i][0] - before[i][0], result.seconds) for i in ids]
        result.quarantined = sum(after[i][1] - before[i][1] for i in ids)
        result.problem = died()
    with db.read() as s:
        result.recorded_positions = int(
            s.execute(
                select(func.count())
                .select_from(UnitPositionRow)
                .where(UnitPositionRow.unit_id.like(f"u:{tag}-%"))
            ).scalar_one()
        )
        result.recorded_alerts = int(
            s.execute(
                select(func.count()).select_from(AlertRow).where(AlertRow.id.like(f"alert:{tag}:%"))
            ).scalar_one()
        )
    result.devices = len(newest)
    result.devices_behind = _behind(db, newest)
    return result


__all__ = ["DEVICES", "Member", "SharedRun", "sustained"]
