"""The embedded demo broker: a real amqtt process, real paho clients, bounded waits."""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.client import CallbackAPIVersion

from services.embedded_broker import (
    READY_LINE,
    EmbeddedBroker,
    EmbeddedBrokerError,
    broker_config,
    free_port,
    main,
)

ROOT = Path(__file__).resolve().parents[2]
WAIT_S = 10.0
BURST = 2_000


def wait_until(predicate: Callable[[], bool], timeout: float = WAIT_S) -> bool:
    """Poll ``predicate`` until it holds or ``timeout`` passes; returns its last value."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return predicate()
        time.sleep(0.02)
    return True


def alive(pid: int) -> bool:
    """Whether ``pid`` is a live process (a zombie nobody reaped yet counts as gone)."""
    stat = Path(f"/proc/{pid}/stat")
    if sys.platform.startswith("linux"):
        try:
            return stat.read_text().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
        except (FileNotFoundError, ProcessLookupError):
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


class Client:
    """A paho 2 client (MQTT 3.1.1) that records what it receives, with events to wait on."""

    def __init__(self, port: int, client_id: str, *, clean_session: bool = True) -> None:
        self.port = port
        self.messages: list[mqtt.MQTTMessage] = []
        self.session_present: bool | None = None
        self.connected = threading.Event()
        self.disconnected = threading.Event()
        self.subscribed = threading.Event()
        self._expected = 0
        self.all_received = threading.Event()
        self.paho = mqtt.Client(
            CallbackAPIVersion.VERSION2,
            client_id=client_id,
            clean_session=clean_session,
            protocol=mqtt.MQTTv311,
        )
        self.paho.on_connect = self._on_connect
        self.paho.on_disconnect = lambda *_: self.disconnected.set()
        self.paho.on_subscribe = lambda *_: self.subscribed.set()
        self.paho.on_message = self._on_message

    def _on_connect(self, _client, _userdata, flags, reason_code, _properties) -> None:
        assert not reason_code.is_failure, reason_code
        self.session_present = flags.session_present
        self.connected.set()

    def _on_message(self, _client, _userdata, message: mqtt.MQTTMessage) -> None:
        self.messages.append(message)
        if self._expected and len(self.messages) >= self._expected:
            self.all_received.set()

    def expect(self, count: int) -> None:
        self._expected = count

    def connect(self) -> Client:
        self.paho.connect("127.0.0.1", self.port, keepalive=30)
        self.paho.loop_start()
        assert self.connected.wait(WAIT_S), "no CONNACK"
        return self

    def subscribe(self, topic_filter: str, qos: int = 1) -> None:
        self.subscribed.clear()
        self.paho.subscribe(topic_filter, qos)
        assert self.subscribed.wait(WAIT_S), "no SUBACK"

    def close(self) -> None:
        if self.paho.is_connected():
            self.paho.disconnect()
            self.disconnected.wait(WAIT_S)
        self.paho.loop_stop()


@pytest.fixture
def broker() -> Iterator[EmbeddedBroker]:
    instance = EmbeddedBroker()
    instance.start()
    yield instance
    instance.stop()


@pytest.fixture
def clients() -> Iterator[Callable[..., Client]]:
    made: list[Client] = []

    def make(port: int, client_id: str, *, clean_session: bool = True) -> Client:
        made.append(Client(port, client_id, clean_session=clean_session))
        return made[-1]

    yield make
    for client in made:
        client.close()


def test_start_returns_the_url_and_stop_leaves_no_process():
    broker = EmbeddedBroker()
    url = broker.start()
    pid = broker.pid
    assert url == f"mqtt://127.0.0.1:{broker.port}" == broker.url
    assert broker.running and pid is not None and alive(pid)
    with socket.create_connection(("127.0.0.1", broker.port), timeout=WAIT_S):
        pass
    broker.stop()
    assert not broker.running and broker.pid is None
    assert not alive(pid)
    broker.stop()  # a second stop is harmless


def test_context_manager_starts_and_stops():
    with EmbeddedBroker() as broker:
        pid = broker.pid
        assert broker.running
    assert pid is not None and not broker.running and not alive(pid)


def test_it_listens_on_loopback_127_0_0_1_only(broker):
    with socket.create_connection(("127.0.0.1", broker.port), timeout=WAIT_S):
        pass
    others = ["127.0.0.2"]  # on Linux all of 127/8 is this host; a 0.0.0.0 listener answers it
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no packet is sent: just the outgoing interface
            others.append(probe.getsockname()[0])
        except OSError:
            pass
    for address in others:
        if address.startswith("127.0.0.1"):
            continue
        with pytest.raises(OSError):
            socket.create_connection((address, broker.port), timeout=2).close()


def test_wildcard_and_non_loopback_hosts_are_refused(capsys):
    for host in ("0.0.0.0", "::", "", "192.0.2.10"):
        with pytest.raises(ValueError):
            EmbeddedBroker(host=host)
    with pytest.raises(SystemExit) as exit_info:
        main(["--port", str(free_port()), "--host", "0.0.0.0"])
    assert exit_info.value.code == 2
    assert "loopback" in capsys.readouterr().err


def test_config_has_one_tcp_listener_and_admits_everyone_without_sys_topics():
    config = broker_config("127.0.0.1", 41234)
    assert config["listeners"] == {"default": {"type": "tcp", "bind": "127.0.0.1:41234"}}
    assert list(config["plugins"]) == ["services.embedded_broker.OpenAuthPlugin"]


def test_a_busy_port_fails_with_the_child_output_and_no_process_left():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        broker = EmbeddedBroker(port=taken.getsockname()[1])
        with pytest.raises(EmbeddedBrokerError, match="address already in use") as error:
            broker.start(timeout=WAIT_S)
    assert "exited at start" in str(error.value)
    assert not broker.running and broker.pid is None


def test_retained_burst_reaches_a_fresh_wildcard_subscriber(broker, clients):
    publisher = clients(broker.port, "burst-publisher").connect()
    started = time.monotonic()
    infos = [
        publisher.paho.publish(
            f"vigie/state/Streetlight/sl-{n:05d}", f'{{"n": {n}}}', qos=1, retain=True
        )
        for n in range(BURST)
    ]
    for info in infos:
        info.wait_for_publish(WAIT_S)
    assert all(info.is_published() for info in infos)
    published = time.monotonic() - started

    subscriber = clients(broker.port, "burst-subscriber")
    subscriber.expect(BURST)
    subscriber.connect()
    started = time.monotonic()
    subscriber.subscribe("vigie/state/+/#", qos=1)
    assert subscriber.all_received.wait(60), f"{len(subscriber.messages)} of {BURST}"
    delivered = time.monotonic() - started
    print(
        f"\n{BURST} retained QoS 1: published in {published:.2f} s, delivered in {delivered:.2f} s"
    )

    topics = {message.topic for message in subscriber.messages}
    assert len(topics) == BURST == len(subscriber.messages)
    assert all(message.retain and message.qos == 1 for message in subscriber.messages)


def test_qos1_message_waits_for_a_disconnected_persistent_session(broker, clients):
    recorder = clients(broker.port, "recorder-test", clean_session=False).connect()
    recorder.subscribe("vigie/alerts", qos=1)
    recorder.close()

    publisher = clients(broker.port, "alert-publisher").connect()
    publisher.paho.publish("vigie/alerts", b'{"id": "a1"}', qos=1).wait_for_publish(WAIT_S)

    back = clients(broker.port, "recorder-test", clean_session=False)
    back.expect(1)
    back.connect()
    assert back.session_present is True
    assert back.all_received.wait(WAIT_S), "the queued alert was not delivered"
    assert [(m.topic, m.payload, m.qos) for m in back.messages] == [
        ("vigie/alerts", b'{"id": "a1"}', 1)
    ]


def test_a_client_gets_no_retained_message_it_did_not_subscribe_to(broker, clients):
    publisher = clients(broker.port, "retainer").connect()
    publisher.paho.publish(
        "vigie/modes/snow", b'{"level": 1}', qos=1, retain=True
    ).wait_for_publish(WAIT_S)
    watcher = clients(broker.port, "watcher").connect()
    watcher.expect(1)
    watcher.subscribe("vigie/modes/#")
    assert watcher.all_received.wait(WAIT_S)

    # amqtt 0.12 as shipped replays, at CONNECT, the retained messages of every filter anyone
    # holds; they would reach the bystander before anything it subscribed to.
    bystander = clients(broker.port, "bystander").connect()
    bystander.subscribe("vigie/elsewhere")
    publisher.paho.publish("vigie/elsewhere", b"{}", qos=1).wait_for_publish(WAIT_S)
    assert wait_until(lambda: any(m.topic == "vigie/elsewhere" for m in bystander.messages))
    assert [m.topic for m in bystander.messages] == ["vigie/elsewhere"]


def test_a_resumed_session_gets_retained_messages_once_per_subscribe(broker, clients):
    publisher = clients(broker.port, "state-publisher").connect()
    publisher.paho.publish("vigie/state/Bollard/b1", b"{}", qos=1, retain=True).wait_for_publish(
        WAIT_S
    )
    first = clients(broker.port, "recorder-resume", clean_session=False).connect()
    first.expect(1)
    first.subscribe("vigie/state/#")
    assert first.all_received.wait(WAIT_S)
    first.close()

    back = clients(broker.port, "recorder-resume", clean_session=False).connect()
    assert back.session_present is True
    back.subscribe("vigie/state/#")  # as a paho client does in on_connect
    publisher.paho.publish("vigie/state/Bollard/b1", b"{}", qos=1).wait_for_publish(WAIT_S)
    assert wait_until(lambda: len(back.messages) >= 2), [(m.topic, m.retain) for m in back.messages]
    assert [(m.topic, m.retain) for m in back.messages] == [
        ("vigie/state/Bollard/b1", True),  # in answer to the SUBSCRIBE, not to the CONNECT too
        ("vigie/state/Bollard/b1", False),  # the live one
    ]


def test_a_session_taken_over_by_a_new_connection_keeps_receiving(broker, clients):
    old = clients(broker.port, "gateway-gw1", clean_session=False)
    old.paho.will_set("vigie/gateways/gw1/status", b'{"online": false}', qos=1, retain=True)
    old.paho.reconnect_delay_set(30, 30)  # the old one must not come back and take over again
    old.connect()
    old.subscribe("vigie/cmd/#")

    new = clients(broker.port, "gateway-gw1", clean_session=False)
    new.paho.will_set("vigie/gateways/gw1/status", b'{"online": false}', qos=1, retain=True)
    new.expect(1)
    new.connect()  # while the old connection is still open
    assert new.session_present is True
    assert old.disconnected.wait(WAIT_S), "the old connection was not closed"
    new.paho.publish(
        "vigie/gateways/gw1/status", b'{"online": true}', qos=1, retain=True
    ).wait_for_publish(WAIT_S)

    sender = clients(broker.port, "sender").connect()
    sender.paho.publish("vigie/cmd/Streetlight/sl-1", b"{}", qos=1).wait_for_publish(WAIT_S)
    assert new.all_received.wait(WAIT_S), "the command went to the offline queue"

    observer = clients(broker.port, "observer").connect()
    observer.expect(1)
    observer.subscribe("vigie/gateways/#")
    assert observer.all_received.wait(WAIT_S)
    assert observer.messages[0].payload == b'{"online": true}'


def test_main_serves_until_sigterm_then_exits_0():
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "services.embedded_broker", "--port", str(port)],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().startswith(READY_LINE)
        with socket.create_connection(("127.0.0.1", port), timeout=WAIT_S) as connection:
            connection.sendall(bytes.fromhex("100c00044d5154540402001e0000"))  # CONNECT, 3.1.1
            assert connection.recv(4) == bytes.fromhex("20020000")  # CONNACK, accepted
        process.send_signal(signal.SIGTERM)
        _out, err = process.communicate(timeout=WAIT_S)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, err
    assert err == ""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_broker_stops_when_its_parent_dies():
    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                """
                import sys, time
                from services.embedded_broker import EmbeddedBroker
                broker = EmbeddedBroker()
                broker.start()
                print(broker.pid, flush=True)
                time.sleep(60)
                """
            ),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    child = 0
    try:
        assert parent.stdout is not None
        child = int(parent.stdout.readline())
        assert alive(child)
        parent.kill()
        parent.wait(WAIT_S)
        assert wait_until(lambda: not alive(child)), "the broker outlived its parent"
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
        if child and alive(child):
            os.kill(child, signal.SIGKILL)


def test_an_automatic_port_taken_meanwhile_is_replaced(monkeypatch):
    import services.embedded_broker as embedded_broker

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        ports = iter([taken.getsockname()[1]])
        real_free_port = embedded_broker.free_port
        monkeypatch.setattr(
            embedded_broker, "free_port", lambda h: next(ports, None) or real_free_port(h)
        )
        broker = EmbeddedBroker()
        assert broker.port == taken.getsockname()[1]
        try:
            assert broker.start() == f"mqtt://127.0.0.1:{broker.port}"
            assert broker.port != taken.getsockname()[1] and broker.running
        finally:
            broker.stop()


def test_amqtt_late_ack_complaints_are_summed_up_not_repeated():
    from services.embedded_broker import _LateAckSummary

    summary = _LateAckSummary()

    def record(message: str) -> logging.LogRecord:
        return logging.LogRecord("amqtt", logging.WARNING, __file__, 1, message, None, None)

    first = record("Timeout waiting for PUBACK for packet ID 1")
    assert summary.filter(first) and "1 late or unknown QoS 1" in first.getMessage()
    assert not any(
        summary.filter(record(f"Received PUBACK for unknown pending message Id: '{n}'"))
        for n in range(500)
    )
    assert summary.filter(record("Client x is reconnecting too quickly, make it wait"))
    assert summary.count == 500 and "500 late" in summary.summary() and summary.count == 0
