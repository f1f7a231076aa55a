"""``vigie recorder`` as a process: killed mid-batch, restarted, nothing lost nor doubled."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import paho.mqtt.client as mqtt
import pytest
from sqlalchemy import func, select

from services.bus.topics import Topics
from services.store.models import EquipmentChangeRow, EquipmentRow, IncidentRow, QuarantineRow
from tests.services.test_recorder import Field, count, publish_events, wait_until


@pytest.fixture
def recorder_process(db_url, broker, tmp_path):
    procs: list[subprocess.Popen[str]] = []
    root = f"kill-{tmp_path.name}"

    def start(
        recorder_id: str = "rec-kill", broker_url: str | None = None, **environ: str
    ) -> subprocess.Popen[str]:
        env = {
            **os.environ,
            **environ,
            "VIGIE_DB_URL": db_url,
            "VIGIE_BROKER_URL": broker_url or broker.url,
            "VIGIE_MQTT_ROOT": root,
            "VIGIE_CONFIG": str(tmp_path / "none.toml"),
            "LC_ALL": "C",
        }
        proc = subprocess.Popen(
            [sys.executable, "-m", "console", "recorder", "--id", recorder_id],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        procs.append(proc)
        _wait_online(broker.url, f"{root}/recorders/{recorder_id}/status")
        return proc

    start.root = root  # type: ignore[attr-defined]
    yield start
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _wait_online(url: str, topic: str, timeout: float = 20) -> None:
    """Wait for the recorder's retained status to say online (it is subscribed by then)."""
    seen: list[bool] = []
    host, port = url.removeprefix("mqtt://").split(":")
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    client.on_message = lambda c, u, m: seen.append(json.loads(m.payload).get("online", False))
    client.connect(host, int(port))
    client.subscribe(topic, 1)
    client.loop_start()
    try:
        wait_until(lambda: bool(seen) and seen[-1], timeout=timeout, what=f"{topic} online")
    finally:
        client.loop_stop()
        client.disconnect()


def test_sigterm_flushes_and_exits_zero(recorder_process, db, broker):
    proc = recorder_process()
    root = recorder_process.root
    field = Field(broker.url, client_id="field-term")
    for i in range(50):
        field.client.publish(
            f"{root}/alerts",
            json.dumps(
                {
                    "id": f"t-{i}",
                    "category": "traffic",
                    "address": "rue",
                    "dateIssued": "2026-11-25T17:00:00Z",
                }
            ).encode(),
            qos=1,
        )
    field.close()
    wait_until(lambda: count(db, IncidentRow) >= 1, what="first incidents")
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "stopped" in out and "Traceback" not in err


def test_killed_mid_batch_then_restarted_records_each_event_once(recorder_process, db, broker):
    proc = recorder_process()
    root = recorder_process.root
    field = Field(broker.url, client_id="field-kill")
    total = 1000
    publish_events(field, Topics(root), total // 2)
    wait_until(lambda: count(db, IncidentRow) >= 100, what="recording under way")
    proc.kill()  # SIGKILL, most likely between a batch's writes and its acks
    proc.wait()
    done_before_restart = count(db, IncidentRow)
    assert done_before_restart < total
    recorder_process()
    wait_until(lambda: count(db, IncidentRow) == total, timeout=180, what="all recorded")
    field.close()
    with db.read() as s:
        refs = list(s.execute(select(IncidentRow.source_ref)).scalars())
        assert (
            s.execute(select(func.count(func.distinct(IncidentRow.source_ref)))).scalar() == total
        )
    assert len(refs) == total


def _children(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in found.split()]


def test_each_device_is_written_in_the_order_it_spoke(recorder_process, db, broker):
    """With two writing lanes, a device's states still land in the order they came."""
    proc = recorder_process()
    root = recorder_process.root
    (writer,) = _children(proc.pid)
    if (os.cpu_count() or 1) > 1:
        assert len(_children(writer)) == 1, "the writer runs two lanes on this machine"
    field = Field(broker.url, client_id="field-order")
    devices, rounds = 40, 25
    for r in range(rounds):
        for d in range(devices):
            field.client.publish(
                f"{root}/state/Streetlight/sl:o{d}",
                json.dumps({"status": "ok", "powerState": "on", "illuminanceLevel": r / 100}),
                qos=0,
            )
    field.close()
    last = (rounds - 1) / 100

    def levels() -> dict[str, float]:
        with db.read() as s:
            rows = s.execute(select(EquipmentRow.id, EquipmentRow.attributes)).all()
        return {i: a.get("illuminanceLevel") for i, a in rows}

    wait_until(
        lambda: len(levels()) == devices and set(levels().values()) == {last},
        what="every device at its last level",
    )
    with db.read() as s:
        history = s.execute(
            select(EquipmentChangeRow.equipment_id, EquipmentChangeRow.new)
            .where(EquipmentChangeRow.field == "illuminanceLevel")
            .order_by(EquipmentChangeRow.id)
        ).all()
    for d in range(devices):
        steps = [float(new) for device, new in history if device == f"sl:o{d}"]
        assert steps == sorted(steps) and steps[-1] == last, (d, steps)


@pytest.mark.parametrize("victim", ["writer", "second lane"])
def test_a_dead_writer_stops_the_recorder_with_a_clear_message(recorder_process, db, victim):
    proc = recorder_process()
    (writer,) = _children(proc.pid)
    if victim == "second lane":
        lanes = _children(writer)
        if not lanes:
            pytest.skip("one core: the writer runs a single lane")
        os.kill(lanes[0], signal.SIGKILL)
    else:
        os.kill(writer, signal.SIGKILL)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1, err
    assert "writer process stopped unexpectedly" in err
    assert "Traceback" not in err


def test_a_database_without_tables_is_refused_at_start(broker, tmp_path):
    env = {
        **os.environ,
        "VIGIE_DB_URL": f"sqlite:///{tmp_path / 'empty.db'}",
        "VIGIE_BROKER_URL": broker.url,
        "VIGIE_CONFIG": str(tmp_path / "none.toml"),
        "LC_ALL": "C",
    }
    proc = subprocess.run(
        [sys.executable, "-m", "console", "recorder", "--id", "rec-empty"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 4, proc.stderr
    assert "vigie db upgrade" in proc.stderr and "Traceback" not in proc.stderr


def test_the_burst_is_settled_only_once_recorded(db, broker, tmp_path):
    """The command line waits for ``settled`` before loading: it must mean "all recorded"."""
    from services.recorder.receiver import Receiver

    root = f"settle-{tmp_path.name}"
    states = 3000
    field = Field(broker.url, client_id=f"settle-field-{tmp_path.name}")
    for i in range(states):
        topic = Topics(root).state("Streetlight", f"sl:s{i}")
        field.client.publish(topic, json.dumps({"status": "ok"}), qos=1, retain=True)
    field.send(Topics(root).state("Streetlight", "sl:last"), {"status": "ok"}, retain=True)
    receiver = Receiver(broker.url, db.url, root, f"{root}-rec")
    receiver.start()
    try:
        assert receiver.settled.wait(60)
        assert count(db, EquipmentRow) == states + 1
    finally:
        receiver.stop()
        field.close()


def test_a_poison_message_stops_nothing_at_any_restart(recorder_process, db, broker):
    """Issue 14, item 1: one overflowing date killed the writer at every start, for good."""
    proc = recorder_process()
    root = recorder_process.root
    topics = Topics(root)
    field = Field(broker.url, client_id="field-poison")
    poison = "9999-12-31T23:59:59-01:00"
    field.send(
        topics.state("Streetlight", "sl:poison"),
        {"status": "ok", "dateObserved": poison},
        qos=1,
        retain=True,
    )
    field.send(
        topics.alerts, {"id": "p-1", "category": "security", "dateIssued": poison, "address": "rue"}
    )
    field.send(topics.unit_status("v-poison"), {"status": "available", "ts": poison})

    def reports(first: int, n: int = 200) -> None:
        for i in range(first, first + n):
            field.client.publish(
                topics.reports,
                json.dumps(
                    {
                        "service_request_id": f"p-{i}",
                        "service_code": "eclairage",
                        "lat": 47.32,
                        "long": 5.04,
                    }
                ),
                qos=1,
            )

    reports(0)
    wait_until(lambda: count(db, IncidentRow) == 201, timeout=60, what="200 reports recorded")
    proc.kill()
    proc.wait()
    proc = recorder_process()  # the retained poison comes back at this start
    reports(200)
    wait_until(lambda: count(db, IncidentRow) == 401, timeout=60, what="200 more after restart")
    assert proc.poll() is None, "the recorder is alive"
    assert count(db, QuarantineRow) == 1  # the unit's status, whose time orders things
    field.client.publish(topics.state("Streetlight", "sl:poison"), b"", qos=1, retain=True)
    field.close()
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err


def test_no_credential_is_printed(recorder_process, db, broker):
    """Issue 14, item 6: the start-up line printed the broker's password from its URL."""
    host_port = broker.url.removeprefix("mqtt://")
    proc = recorder_process(broker_url=f"mqtt://vigie:s3cr3t-pw@{host_port}")
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "running on mqtt://vigie:***@" in out
    assert "s3cr3t-pw" not in out + err


def test_the_clock_tolerance_is_a_setting(recorder_process, db, broker):
    """A unit's status an hour ahead: quarantined by default, taken within a 2-hour tolerance."""
    from datetime import UTC, datetime, timedelta

    from services.store.models import UnitRow

    ahead = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    for recorder_id, tolerance, unit in (("rec-5", "5", "v-strict"), ("rec-120", "120", "v-lax")):
        proc = recorder_process(recorder_id, VIGIE_CLOCK_TOLERANCE_MINUTES=tolerance)
        field = Field(broker.url, client_id=f"field-{recorder_id}")
        topic = Topics(recorder_process.root).unit_status(unit)
        field.send(topic, {"status": "on_scene", "ts": ahead})
        field.close()
        wait_until(
            lambda unit=unit: (
                count(db, UnitRow, UnitRow.id == unit)
                + count(db, QuarantineRow, QuarantineRow.entity_id == unit)
                == 1
            ),
            what=f"{unit} recorded or quarantined",
        )
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=30)
    assert count(db, QuarantineRow, QuarantineRow.entity_id == "v-strict") == 1
    assert count(db, UnitRow, UnitRow.id == "v-lax") == 1
