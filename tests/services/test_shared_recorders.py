"""Recorders sharing the live flow (``vigie recorder --share GROUP``, issue 23).

Against a real mosquitto (its ``$share`` hands each message to one member, round-robin) and a
real PostgreSQL: each message recorded once, no device's state moved back, each member taking a
part; a member stopped with SIGTERM leaves the group and loses nothing, a member killed and
restarted with its id takes its queue back; the outbox goes out once. Refusals: on SQLite, and
against a broker without ``$share`` (the demo's amqtt). The record's rule that a state never
moves back is also tested without a broker, on both backends.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from console.cli.recorder_early import plain_recorder_options
from services.bus.messages import StateMessage
from services.bus.topics import Topics, shared, valid_share_group
from services.commands.sender import CommandSender
from services.domain.equipment import EquipmentType
from services.recorder import equipment
from services.recorder.receiver import subscriptions
from services.store.database import Database
from services.store.models import (
    EquipmentChangeRow,
    EquipmentRow,
    IncidentRow,
    QuarantineRow,
    RecorderStatsRow,
)
from services.store.schema import upgrade
from tests.conftest import pg_schema, seed_room
from tests.services.test_recorder import Field, count, report, wait_until
from tests.services.test_recorder_process import _wait_online
from tests.services.test_recorder_sends import Listener

GROUP = "vigie-rec"
DEVICES, OBSERVATIONS = 500, 20  # 10,000 states
REPORTS = 1000


# --- the rule, without a broker (both backends) ----------------------------------------------
def _state(device: str, observed: datetime | None, level: float) -> StateMessage:
    return StateMessage(
        type=EquipmentType("Streetlight"),
        id=device,
        attributes={"powerState": "on", "illuminanceLevel": level},
        status="ok",
        name=None,
        place=None,
        gateway=None,
        observed_at=observed,
    )


def _stored(db: Database, device: str) -> tuple[float, datetime | None]:
    with db.read() as s:
        row = s.get(EquipmentRow, device)
        return row.attributes["illuminanceLevel"], row.observed_at


def test_an_older_observation_never_moves_a_state_back(db):
    base = datetime(2026, 12, 6, 10, 0, tzinfo=UTC)
    now = base + timedelta(hours=1)
    with db.write() as s:
        newer = _state("sl:1", base + timedelta(seconds=10), 0.5)
        equipment.record_states(s, [(newer, False)], now)
    with db.write() as s:  # late: observed before the stored state
        equipment.record_states(s, [(_state("sl:1", base, 0.2), False)], now)
    level, observed = _stored(db, "sl:1")
    assert level == 0.5 and observed.replace(tzinfo=UTC) == base + timedelta(seconds=10)
    assert count(db, EquipmentChangeRow, EquipmentChangeRow.equipment_id == "sl:1") == 0
    # In one batch too: the late one between two newer ones is left out, history included.
    with db.write() as s:
        equipment.record_states(
            s,
            [
                (_state("sl:1", base + timedelta(seconds=20), 0.7), False),
                (_state("sl:1", base + timedelta(seconds=15), 0.6), False),
                (_state("sl:1", base + timedelta(seconds=30), 0.9), False),
            ],
            now,
        )
    assert _stored(db, "sl:1")[0] == 0.9
    with db.read() as s:
        steps = s.execute(
            select(EquipmentChangeRow.old, EquipmentChangeRow.new)
            .where(EquipmentChangeRow.field == "illuminanceLevel")
            .order_by(EquipmentChangeRow.id)
        ).all()
    assert steps == [("0.5", "0.7"), ("0.7", "0.9")]
    # Without an observation time, arrival order, as ever.
    with db.write() as s:
        equipment.record_states(s, [(_state("sl:1", None, 0.1), False)], now)
    assert _stored(db, "sl:1")[0] == 0.1


def test_the_upsert_itself_refuses_an_older_observation(db):
    """Two recorders inserting one new device at once: neither read a row, the later commit
    must not put the older observation over the newer one."""
    base = datetime(2026, 12, 6, 10, 0, tzinfo=UTC)
    now = base + timedelta(hours=1)
    with db.write() as s:
        equipment.record_states(s, [(_state("sl:2", base + timedelta(seconds=5), 0.8), False)], now)
    with db.write() as s:
        dialect = s.get_bind().dialect.name
        when = equipment._time_text(dialect)
        plan = equipment._plan([(_state("sl:2", base, 0.3), False)], {}, when, now)  # read nothing
        equipment._upsert_rows(s, dialect, list(plan.rows.values()), all_new=False)
    assert _stored(db, "sl:2")[0] == 0.8
    with db.write() as s:
        plan = equipment._plan(
            [(_state("sl:2", base + timedelta(seconds=9), 0.4), False)], {}, when, now
        )
        equipment._upsert_rows(s, dialect, list(plan.rows.values()), all_new=False)
    assert _stored(db, "sl:2")[0] == 0.4


def test_a_device_whose_clock_went_back_is_not_frozen(db):
    """Further back than a reordering (a reset battery, an NTP step): its states are written,
    a fault included, by the plan and by the upsert alike."""
    base = datetime(2026, 12, 6, 10, 0, tzinfo=UTC)
    now = base + timedelta(hours=1)
    with db.write() as s:
        equipment.record_states(s, [(_state("sl:3", base, 0.5), False)], now)
    went_back = base - equipment.REORDERED - timedelta(minutes=55)
    with db.write() as s:
        equipment.record_states(s, [(_state("sl:3", went_back, 0.2), False)], now)
    level, observed = _stored(db, "sl:3")
    assert level == 0.2 and observed.replace(tzinfo=UTC) == went_back
    with db.write() as s:  # the upsert alone (a row it did not read) lets it through too
        dialect = s.get_bind().dialect.name
        when = equipment._time_text(dialect)
        back = went_back - timedelta(hours=2)
        plan = equipment._plan([(_state("sl:3", back, 0.1), False)], {}, when, now)
        equipment._upsert_rows(s, dialect, list(plan.rows.values()), all_new=False)
    assert _stored(db, "sl:3")[0] == 0.1


def test_share_mode_splits_the_flow_but_not_gateways_nor_consoles():
    topics = Topics("vigie")
    plain = dict(subscriptions(topics))
    split = dict(subscriptions(topics, "g1"))
    assert len(split) == len(plain)
    assert split["$share/g1/vigie/state/#"] == 0 and split["$share/g1/vigie/alerts"] == 1
    assert split["$share/g1/vigie/ack/#"] == 1 and split["$share/g1/vigie/reports"] == 1
    assert "vigie/gateways/+/status" in split and "vigie/consoles/+/status" in split
    assert not any(f.startswith("$share") for f in plain)
    assert valid_share_group("a_B-9") and not valid_share_group("a/b")
    assert not valid_share_group("") and not valid_share_group("x" * 65)
    with pytest.raises(ValueError):
        shared("a+b", "vigie/#")
    assert plain_recorder_options(["recorder", "--id", "r1", "--share", "g"]) == {
        "recorder_id": "r1",
        "share": "g",
    }
    assert plain_recorder_options(["--share", "g", "recorder"]) is None  # not a global option


# --- refusals ---------------------------------------------------------------------------------
def _vigie(env: dict[str, str], *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "console", *args],
        env={**os.environ, "LC_ALL": "C", **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_share_is_refused_on_sqlite_before_anything_starts(tmp_path):
    from services.bus.ports import free_port

    env = {
        "VIGIE_DB_URL": f"sqlite:///{tmp_path / 'vigie.db'}",
        "VIGIE_BROKER_URL": f"mqtt://127.0.0.1:{free_port()}",  # nobody there: never reached
        "VIGIE_CONFIG": str(tmp_path / "none.toml"),
    }
    done = _vigie(env, "recorder", "--id", "rec-sqlite", "--share", GROUP)
    assert done.returncode == 2, done.stderr
    assert "--share needs PostgreSQL" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "vigie.db").exists()
    bad = _vigie(env, "recorder", "--id", "rec-sqlite", "--share", "a/b")
    assert bad.returncode == 2 and "is not a share group" in bad.stderr, bad.stderr


def test_share_is_refused_by_a_broker_without_shared_subscriptions(tmp_path):
    """amqtt (the demo's broker) grants ``$share/...`` as a plain filter nothing matches."""
    from services.embedded_broker import EmbeddedBroker

    with EmbeddedBroker() as amqtt:
        env = {
            # never reached: the broker is probed first
            "VIGIE_DB_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none",
            "VIGIE_BROKER_URL": amqtt.url,
            "VIGIE_CONFIG": str(tmp_path / "none.toml"),
        }
        done = _vigie(env, "recorder", "--id", "rec-amqtt", "--share", GROUP)
    assert done.returncode == 2, done.stderr
    assert "does not serve shared subscriptions" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


# --- two recorders in one group ---------------------------------------------------------------
@pytest.fixture
def pg_db() -> Iterator[tuple[str, Database]]:
    with pg_schema() as url:
        database = Database(url)
        upgrade(database)
        seed_room(database)
        yield url, database
        database.dispose()


@pytest.fixture
def members(pg_db, broker, tmp_path):
    """Start ``vigie recorder --id ID --share GROUP`` processes; each killed at the end."""
    url, _ = pg_db
    procs: list[subprocess.Popen[str]] = []
    root = f"share{abs(hash(tmp_path.name)) % 10**8}"

    def start(name: str) -> subprocess.Popen[str]:
        recorder_id = f"{root}-{name}"
        env = {
            **os.environ,
            "VIGIE_DB_URL": url,
            "VIGIE_BROKER_URL": broker.url,
            "VIGIE_MQTT_ROOT": root,
            "VIGIE_CONFIG": str(tmp_path / "none.toml"),
            "LC_ALL": "C",
        }
        proc = subprocess.Popen(
            [sys.executable, "-m", "console", "recorder", "--id", recorder_id, "--share", GROUP],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        procs.append(proc)
        _wait_online(broker.url, f"{root}/recorders/{recorder_id}/status", timeout=30)
        return proc

    start.root = root  # type: ignore[attr-defined]
    yield start
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


BASE = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)


def _states(seed: int) -> list[tuple[int, int]]:
    """Every (device, observation), in an order that shuffles each device's observations."""
    pairs = [(d, i) for d in range(DEVICES) for i in range(OBSERVATIONS)]
    random.Random(seed).shuffle(pairs)
    return pairs


def _publish_state(field: Field, root: str, device: int, i: int) -> None:
    body = {
        "status": "ok",
        "powerState": "on",
        "illuminanceLevel": i / 100,  # rises with the observation time
        "dateObserved": (BASE + timedelta(seconds=i)).isoformat().replace("+00:00", "Z"),
    }
    field.client.publish(f"{root}/state/Streetlight/sl:{device}", json.dumps(body), 0, True)


def _publish_report(field: Field, root: str, n: int):  # noqa: ANN202
    return field.client.publish(f"{root}/reports", json.dumps(report(n)), qos=1)


def _incidents(db: Database) -> tuple[int, int]:
    with db.read() as s:
        total = s.execute(select(func.count()).select_from(IncidentRow)).scalar_one()
        distinct = s.execute(select(func.count(func.distinct(IncidentRow.source_ref)))).scalar()
    return total, distinct


def _states_final(db: Database) -> bool:
    last = BASE + timedelta(seconds=OBSERVATIONS - 1)
    with db.read() as s:
        rows = s.execute(select(EquipmentRow.observed_at)).scalars().all()
    return len(rows) == DEVICES and all(at == last for at in rows)


def _assert_never_back(db: Database) -> None:
    """Every change in the history goes forward: a level only rises with observation time."""
    with db.read() as s:
        steps = s.execute(
            select(EquipmentChangeRow.old, EquipmentChangeRow.new).where(
                EquipmentChangeRow.field == "illuminanceLevel"
            )
        ).all()
        levels = s.execute(select(EquipmentRow.attributes)).scalars().all()
    assert steps and all(float(new) > float(old) for old, new in steps if old is not None)
    assert {a["illuminanceLevel"] for a in levels} == {(OBSERVATIONS - 1) / 100}


def _stats(db: Database) -> dict[str, int]:
    with db.read() as s:
        rows = s.execute(select(RecorderStatsRow.recorder_id, RecorderStatsRow.messages_received))
        return dict(rows.all())


def test_two_members_record_each_message_once_and_each_takes_a_part(members, pg_db, broker):
    _, db = pg_db
    root = members.root
    members("a")
    members("b")
    field = Field(broker.url, client_id=f"field-{root}")
    try:
        for n, (device, i) in enumerate(_states(seed=23)):
            _publish_state(field, root, device, i)
            if n % 10 == 9:
                last = _publish_report(field, root, n // 10)
        last.wait_for_publish(30)
        wait_until(lambda: _incidents(db)[0] >= REPORTS, timeout=120, what="every report")
        wait_until(lambda: _states_final(db), timeout=60, what="every device at its newest")
    finally:
        field.close()
    assert _incidents(db) == (REPORTS, REPORTS)
    _assert_never_back(db)
    assert count(db, QuarantineRow) == 0
    stats = _stats(db)
    parts = [stats.get(f"{root}-a", 0), stats.get(f"{root}-b", 0)]
    # Round-robin: each took about half of the 11,000 (at least a fifth, whatever the timing).
    assert all(part >= 2200 for part in parts), parts
    assert sum(parts) >= DEVICES * OBSERVATIONS + REPORTS


def _flow(field: Field, root: str, reports: range, seed: int):  # noqa: ANN202
    """Reports, and a state between each two: the live flow a member leaves in the middle of."""
    pairs = _states(seed)[: 2 * len(reports)]
    info = None
    for k, n in enumerate(reports):
        for device, i in pairs[2 * k : 2 * k + 2]:
            _publish_state(field, root, device, i)
        info = _publish_report(field, root, n)
    return info


def test_a_member_stopped_with_sigterm_leaves_the_group_and_nothing_is_lost(members, pg_db, broker):
    _, db = pg_db
    root = members.root
    leaving = members("a")
    members("b")
    field = Field(broker.url, client_id=f"field-{root}")
    try:
        _flow(field, root, range(REPORTS // 2), seed=1).wait_for_publish(30)
        wait_until(lambda: _incidents(db)[0] >= REPORTS // 4, what="recording under way")
        leaving.send_signal(signal.SIGTERM)
        # The flow goes on while it leaves: what it held is recorded, the rest goes to b.
        _flow(field, root, range(REPORTS // 2, REPORTS), seed=2).wait_for_publish(30)
        out, err = leaving.communicate(timeout=60)
        assert leaving.returncode == 0, err
        # Nothing waits in the stopped member's session: b alone records all of it.
        wait_until(lambda: _incidents(db)[0] >= REPORTS, timeout=60, what="every report")
    finally:
        field.close()
    assert "left the share group" in err and "Traceback" not in err
    assert _incidents(db) == (REPORTS, REPORTS)
    stats = _stats(db)
    assert stats.get(f"{root}-a", 0) > 0 and stats.get(f"{root}-b", 0) > 0


def test_a_member_killed_takes_its_queue_back_when_restarted_with_its_id(members, pg_db, broker):
    _, db = pg_db
    root = members.root
    victim = members("a")
    members("b")
    field = Field(broker.url, client_id=f"field-{root}")
    try:
        _flow(field, root, range(REPORTS // 2), seed=3).wait_for_publish(30)
        wait_until(lambda: _incidents(db)[0] >= REPORTS // 4, what="recording under way")
        victim.kill()  # SIGKILL: it leaves nothing, and its session stays in the group
        victim.wait()
        _flow(field, root, range(REPORTS // 2, REPORTS), seed=4).wait_for_publish(30)
        # The broker hands the reports in turn, to the killed member too, and holds its part
        # (a quarter at least: its half of the second half) for it: b alone records its half.
        wait_until(lambda: _incidents(db)[0] >= REPORTS // 2, timeout=90, what="b's half")
        assert _incidents(db)[0] <= REPORTS - REPORTS // 4
        members("a")  # the same id: its persistent session gives its queue back
        wait_until(lambda: _incidents(db)[0] >= REPORTS, timeout=90, what="every report")
    finally:
        field.close()
    assert _incidents(db) == (REPORTS, REPORTS)


def test_the_outbox_goes_out_once_with_two_members_up(members, pg_db, broker):
    url, db = pg_db
    root = members.root
    members("a")
    members("b")
    listener = Listener(broker.url, root)
    sender = CommandSender(db, broker.url, root)
    sender.connect()
    try:
        sent = []
        for n in range(120):
            plan = sender.plan(
                "Streetlight", f"light:{n}", "switch", {"powerState": "on"}, issued_by="t.roux"
            )
            sent.append(sender.send(plan).request_id)
        wait_until(lambda: set(sent) <= set(listener.heard), what="every command")
        wait_until(lambda: _all_marked_sent(db, sent), what="every command marked sent")
    finally:
        sender.close()
        listener.close()
    assert [r for r, n in Counter(listener.heard).items() if n > 1] == []
    assert sorted(listener.heard) == sorted(sent)


def _all_marked_sent(db: Database, request_ids: list[str]) -> bool:
    from services.store.models import CommandRow

    with db.read() as s:
        unsent = s.execute(
            select(func.count())
            .select_from(CommandRow)
            .where(CommandRow.request_id.in_(request_ids), CommandRow.sent_at.is_(None))
        ).scalar_one()
    return unsent == 0
