"""``vigie broker config`` on a real Mosquitto: what the ACL forbids never reaches a subscriber.

On MQTT 3.1.1 the broker still answers PUBACK to a forbidden publish, so the tests watch a
subscriber of ``{root}/#`` (the recorder's identity): each publisher sends its forbidden
messages first, then an allowed marker; once the markers arrive, nothing forbidden has.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest

from services.broker_config import write_broker_config
from services.bus.ports import free_port
from services.store.models import EquipmentRow, UnitRow
from tests.broker import generated_mosquitto

pytestmark = pytest.mark.skipif(shutil.which("mosquitto") is None, reason="needs mosquitto")
ROOT = "acl"


@pytest.fixture
def folder():
    """Outside pytest's own temporary folders, which only their owner may enter: mosquitto
    started as root runs as the ``mosquitto`` user, who must read its files."""
    made = Path(tempfile.mkdtemp(prefix="vigie-acl-"))
    made.chmod(0o755)
    yield made
    shutil.rmtree(made, ignore_errors=True)


@pytest.fixture
def broker(db, folder):
    now = datetime.now(UTC)
    with db.write() as s:
        for ident, gateway in (("sl:1", "cab-1"), ("sl:2", "cab-2")):
            s.add(
                EquipmentRow(
                    id=ident, type="Streetlight", gateway=gateway, received_at=now, updated_at=now
                )
            )
        s.add(UnitRow(id="vehicle:pm-01", kind="patrol", status="available"))
    port = free_port()
    written = write_broker_config(db, folder / "broker", ROOT, port=port, consoles=["pc1"])
    with generated_mosquitto(written.folder, port, folder / "mosquitto.log"):
        yield port, written.folder


def _client(port: int, folder, identity: str | None, password: str | None = None):
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"t-{identity}")
    if identity is not None:
        secret = password or (folder / "credentials" / identity).read_text().strip()
        client.username_pw_set(identity, secret)
    answered = threading.Event()
    codes: list = []

    def on_connect(c, u, flags, reason, props):  # noqa: ANN001
        codes.append(reason)
        answered.set()

    client.on_connect = on_connect
    client.connect("127.0.0.1", port)
    client.loop_start()
    assert answered.wait(5)
    return client, codes[0]


def test_each_identity_publishes_only_what_the_acl_allows(broker):
    port, folder = broker
    heard: list[str] = []
    recorder, code = _client(port, folder, "recorder.main")
    assert not code.is_failure
    recorder.on_message = lambda c, u, m: heard.append(m.topic)
    subscribed = threading.Event()
    recorder.on_subscribe = lambda *_: subscribed.set()
    recorder.subscribe(f"{ROOT}/#", 1)
    assert subscribed.wait(5)  # SUBACK: whatever is published from now on reaches it
    sends = {
        "gw.cab-1": (
            [
                f"{ROOT}/state/Streetlight/sl:2",  # another gateway's device
                f"{ROOT}/cmd/Streetlight/sl:1",
                f"{ROOT}/modes/snow",
                f"{ROOT}/events/commands",
                f"{ROOT}/audit/head",
                f"{ROOT}/gateways/cab-2/status",
                f"{ROOT}/units/vehicle:pm-01/position",
            ],
            f"{ROOT}/state/Streetlight/sl:1",
        ),
        "console.pc1": (
            [
                f"{ROOT}/cmd/Streetlight/sl:1",
                f"{ROOT}/cmd/group/all:Streetlight",
                f"{ROOT}/modes/snow",
                f"{ROOT}/units/vehicle:pm-01/dispatch",
                f"{ROOT}/ack/console-1",
                f"{ROOT}/state/Streetlight/sl:1",
                f"{ROOT}/events/commands",
                f"{ROOT}/audit/head",
                f"{ROOT}/consoles/pc2/status",
            ],
            f"{ROOT}/events/incidents",
        ),
        "unit.vehicle.pm-01": (
            [
                f"{ROOT}/units/other/position",
                f"{ROOT}/units/vehicle:pm-01/dispatch",
                f"{ROOT}/cmd/Streetlight/sl:1",
                f"{ROOT}/reports",
                f"{ROOT}/alerts",
            ],
            f"{ROOT}/units/vehicle:pm-01/position",
        ),
        "citizen-app": ([f"{ROOT}/alerts", f"{ROOT}/cmd/Streetlight/sl:1"], f"{ROOT}/reports"),
        "alarms": (
            [f"{ROOT}/reports", f"{ROOT}/state/Streetlight/sl:1", f"{ROOT}/ack/x"],
            f"{ROOT}/alerts",
        ),
    }
    for identity, (forbidden, allowed) in sends.items():
        client, code = _client(port, folder, identity)
        assert not code.is_failure, identity
        for topic in [*forbidden, allowed]:
            client.publish(topic, b"{}", qos=1).wait_for_publish(5)
        client.loop_stop()
        client.disconnect()
    markers = {allowed for _f, allowed in sends.values()}
    deadline = time.monotonic() + 10
    while not markers <= set(heard) and time.monotonic() < deadline:
        time.sleep(0.05)
    recorder.loop_stop()
    assert markers <= set(heard), heard
    assert set(heard) == markers  # nothing forbidden got through


def test_a_console_reads_the_bus_but_never_a_units_position(broker):
    """Positions reach consoles through the database, where row-level security decides."""
    port, folder = broker
    console_heard: list[str] = []
    console, code = _client(port, folder, "console.pc1")
    assert not code.is_failure
    console.on_message = lambda c, u, m: console_heard.append(m.topic)
    subscribed = threading.Event()
    console.on_subscribe = lambda *_: subscribed.set()
    console.subscribe([(f"{ROOT}/#", 1), (f"{ROOT}/units/#", 1)])
    assert subscribed.wait(5)
    unit, _ = _client(port, folder, "unit.vehicle.pm-01")
    unit.publish(f"{ROOT}/units/vehicle:pm-01/position", b"{}", qos=1).wait_for_publish(5)
    unit.publish(f"{ROOT}/units/vehicle:pm-01/status", b"{}", qos=1).wait_for_publish(5)
    gateway, _ = _client(port, folder, "gw.cab-1")
    marker = f"{ROOT}/state/Streetlight/sl:1"  # sent after the unit's: its arrival closes the wait
    gateway.publish(marker, b"{}", qos=1).wait_for_publish(5)
    deadline = time.monotonic() + 10
    while marker not in console_heard and time.monotonic() < deadline:
        time.sleep(0.05)
    for client in (console, unit, gateway):
        client.loop_stop()
    assert console_heard == [marker]


def test_strangers_and_wrong_passwords_are_turned_away(broker):
    port, folder = broker
    _anonymous, code = _client(port, folder, None)
    assert code.is_failure
    _wrong, code = _client(port, folder, "gw.cab-1", password="not-the-password")
    assert code.is_failure


def test_the_credentials_are_the_operators_alone(broker):
    _port, folder = broker
    for secret in (folder / "credentials").iterdir():
        assert secret.stat().st_mode & 0o077 == 0, secret
    assert (folder / "passwd").stat().st_mode & 0o077 == 0
    conf = (folder / "mosquitto.conf").read_text()
    assert "max_queued_messages 1000000" in conf and "allow_anonymous false" in conf


def test_the_recorder_logs_in_with_its_identity_and_records_only_what_gateways_may_say(broker, db):
    from urllib.parse import quote

    from services.recorder.writer import Recorder, RecorderOptions

    port, folder = broker
    secret = (folder / "credentials" / "recorder.main").read_text().strip()
    url = f"mqtt://recorder.main:{quote(secret, safe='')}@127.0.0.1:{port}"
    recorder = Recorder(db, url, ROOT, "acl-recorder", options=RecorderOptions())
    recorder.start()
    try:
        assert recorder.bus.wait_connected(10)
        gateway, code = _client(port, folder, "gw.cab-1")
        assert not code.is_failure
        for ident, gw in (("sl:2", "cab-2"), ("sl:1", "cab-1")):  # the forgery first
            body = {
                "status": "ok",
                "powerState": "on",
                "refGateway": gw,
                "location": {"type": "Point", "coordinates": [5.04, 47.32]},
            }
            topic = f"{ROOT}/state/Streetlight/{ident}"
            gateway.publish(topic, json.dumps(body), qos=1).wait_for_publish(5)
        gateway.loop_stop()
        gateway.disconnect()

        def status(ident: str) -> str | None:
            with db.read() as s:
                return s.get(EquipmentRow, ident).status

        deadline = time.monotonic() + 15
        while status("sl:1") != "ok" and time.monotonic() < deadline:
            time.sleep(0.1)
        assert status("sl:1") == "ok"  # its own device: recorded
        assert status("sl:2") is None  # another gateway's device: never reached the recorder
    finally:
        recorder.stop()
