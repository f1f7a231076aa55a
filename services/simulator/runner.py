"""The simulator on a broker: one paho client, paho's network thread and one simulation thread.

paho's callbacks only hand incoming messages to the simulation thread through a queue; that
thread alone drives the ``FieldEngine`` (receive, advance on a tick, publish what it returns).
Publishing never waits per message: the initial retained burst (34,000 states at Dijon's scale)
is handed to paho's unbounded queue at QoS 1 and flows as fast as the broker acknowledges it.
After a reconnection the whole state is published again. ``start``/``stop`` are for in-process
use; ``run`` blocks until SIGTERM or SIGINT (or ``request_stop``) and stops cleanly.
"""

from __future__ import annotations

import itertools
import json
import logging
import queue
import signal
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

import paho.mqtt.client as mqtt

from services.bus.connection import client_id, new_client, parse_broker_url
from services.bus.topics import Topics
from services.simulator import payloads
from services.simulator.engine import FieldEngine
from services.simulator.generation import build_world
from services.simulator.link import drop_with_will
from services.simulator.options import SimulatorOptions
from services.simulator.outputs import DropLink, Message, Output
from services.simulator.world import World

log = logging.getLogger(__name__)

#: QoS 1 messages in flight towards the broker at once. paho's default (20) measured fastest for
#: the initial burst: 36,600 messages acknowledged in about 3 s by a local mosquitto, against
#: 4 s with 100 and 8 s with 1,000 (paho scans the in-flight window on every acknowledgement).
MAX_INFLIGHT = 20
KEEPALIVE_S = 30
_instances = itertools.count(1)


class BrokerUnreachable(Exception):
    """The broker could not be reached, or refused the simulator, when it started."""


class Simulator:
    """Dijon Métropole's field on a broker. An instance runs once: start, then stop.

    In process, as ``vigie demo`` may run it::

        simulator = Simulator(url, root, SimulatorOptions(speed=10.0).with_mix("mild"))
        simulator.start()  # raises BrokerUnreachable
        simulator.wait_ready(60)  # optional: the initial burst is acknowledged
        ...
        simulator.stop()  # before the broker goes away

    Args:
        broker_url: ``mqtt[s]://[user[:password]@]host[:port]``.
        root: the topic root (``vigie`` by default).
        options: scale, seed, speed, latency and failure modes.
        world: a world already built (tests); by default built from the options' seed and scale.
    """

    def __init__(
        self,
        broker_url: str,
        root: str = "vigie",
        options: SimulatorOptions | None = None,
        *,
        world: World | None = None,
    ) -> None:
        self.options = options or SimulatorOptions()
        self.address = parse_broker_url(broker_url)
        self.topics = Topics(root)
        self.world = world or build_world(self.options.seed, self.options.scale)
        n = next(_instances)
        self.client_id = client_id("simulator") + (f"-{n}" if n > 1 else "")
        self.engine: FieldEngine | None = None
        self.published = 0
        self.burst_size = 0
        self.burst_seconds: float | None = None
        self._client: mqtt.Client | None = None
        self._thread: threading.Thread | None = None
        self._inbox: queue.SimpleQueue[tuple[str, Any]] = queue.SimpleQueue()
        self._answered = threading.Event()
        self._connected = threading.Event()
        self._ready = threading.Event()
        self._stopping = threading.Event()
        self._stop_requested = threading.Event()
        self._refusal: str | None = None
        self._links: dict[str, threading.Thread] = {}
        self._burst: tuple[float, mqtt.MQTTMessageInfo | None] | None = None
        self._stopped = False
        self._failures: dict[str, float] = {}

    # --- life cycle ----------------------------------------------------------------------------
    def start(self, timeout: float = 10.0) -> None:
        """Connect and start simulating; the initial burst is then on its way.

        Raises:
            BrokerUnreachable: nothing answered, or the broker refused, within ``timeout``.
        """
        if self._thread is not None:
            return
        client = new_client(self.address, self.client_id)
        client.max_inflight_messages_set(MAX_INFLIGHT)
        client.connect_timeout = min(timeout, 5.0)
        client.on_connect = self._on_connect
        client.on_disconnect = self._on_disconnect
        client.on_message = self._on_message
        try:
            # Connecting here, not in paho's thread, tells at once why a broker is unreachable;
            # paho's thread then reconnects by itself whenever the link drops.
            client.connect(self.address.host, self.address.port, KEEPALIVE_S)
        except OSError as exc:
            raise BrokerUnreachable(exc.strerror or str(exc)) from None
        self._client = client
        client.loop_start()
        if not self._answered.wait(timeout) or self._refusal is not None:
            reason = self._refusal or f"no answer within {timeout:g} s"
            client.disconnect()
            client.loop_stop()
            self._client = None
            raise BrokerUnreachable(reason)
        self.engine = FieldEngine(self.world, self.topics, self.options, time.time())
        self._thread = threading.Thread(target=self._loop, name="simulator", daemon=True)
        self._thread.start()

    def wait_ready(self, timeout: float) -> bool:
        """Whether the broker acknowledged the whole initial burst within ``timeout``."""
        return self._ready.wait(timeout)

    def request_stop(self) -> None:
        """Make ``run`` return (from any thread)."""
        self._stop_requested.set()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop simulating, announce the gateways offline, disconnect. Quick and idempotent."""
        if self._stopped:
            return
        self._stopped = True
        self._stopping.set()
        self._stop_requested.set()
        self._inbox.put(("stop", None))
        if self._thread is not None:
            self._thread.join(timeout)
        for link in list(self._links.values()):
            link.join(timeout)
        client = self._client
        if client is None:
            return
        if self._connected.is_set():
            last = None
            now = payloads.iso(time.time())
            for gateway in self.world.gateways.values():
                if gateway.online:
                    body = json.dumps({**payloads.WILL, "since": now}).encode()
                    last = client.publish(self.topics.gateway_status(gateway.id), body, 1, True)
            if last is not None:
                try:
                    last.wait_for_publish(min(timeout, 2.0))
                except (RuntimeError, ValueError):
                    pass
        client.disconnect()
        client.loop_stop()

    def run(
        self,
        *,
        on_started: Callable[[], None] | None = None,
        on_ready: Callable[[], None] | None = None,
        stop_signals: Iterable[signal.Signals] = (signal.SIGTERM, signal.SIGINT),
    ) -> int:
        """Start if needed, block until a stop signal or ``request_stop``, then stop.

        Signal handlers are installed only when called from the main thread, before connecting.
        ``on_started`` is called once connected, ``on_ready`` once the broker has acknowledged
        the initial burst (both from the calling thread).

        Returns:
            The number of the signal that stopped it, or 0.
        """
        received: list[int] = []

        def handler(signum: int, _frame: Any) -> None:
            received.append(signum)
            self._stop_requested.set()

        previous: dict[signal.Signals, Any] = {}
        if threading.current_thread() is threading.main_thread():
            for sig in stop_signals:
                previous[sig] = signal.signal(sig, handler)
        try:
            self.start()
            if on_started is not None:
                on_started()
            announced = on_ready is None
            while not self._stop_requested.wait(0.2):
                if not announced and self._ready.is_set():
                    announced = True
                    assert on_ready is not None
                    on_ready()
        finally:
            self.stop()
            for sig, old in previous.items():
                signal.signal(sig, old)
        return received[0] if received else 0

    def drop_gateway(self, gateway_id: str, offline_for_s: float) -> None:
        """Take one gateway offline through its Last Will, for ``offline_for_s`` seconds."""
        self._inbox.put(("drop", (gateway_id, offline_for_s)))

    def __enter__(self) -> Simulator:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    @property
    def connected(self) -> bool:
        return self._connected.is_set()

    # --- paho's thread: hand over only -----------------------------------------------------------
    def _on_connect(
        self, client: mqtt.Client, _userdata: Any, _flags: Any, reason: Any, _props: Any
    ) -> None:
        if reason.is_failure:
            self._refusal = str(reason)
            self._answered.set()
            return
        self._refusal = None
        client.subscribe(
            [
                (self.topics.wildcard("cmd", "#"), 1),
                (self.topics.wildcard("units", "+", "dispatch"), 1),
                (self.topics.wildcard("modes", "+"), 1),  # whether buses' priority is served
            ]
        )
        self._connected.set()
        self._answered.set()
        self._inbox.put(("connected", None))

    def _on_disconnect(self, *_args: Any) -> None:
        self._connected.clear()

    def _on_message(self, _client: mqtt.Client, _userdata: Any, msg: mqtt.MQTTMessage) -> None:
        self._inbox.put(("message", (msg.topic, msg.payload, bool(msg.retain), time.time())))

    # --- the simulation thread -----------------------------------------------------------------
    def _loop(self) -> None:
        engine = self.engine
        assert engine is not None
        while not self._stopping.is_set():
            wait = max(0.0, min(engine.next_due() - time.time(), 0.5))
            try:
                item: tuple[str, Any] | None = self._inbox.get(timeout=wait)
            except queue.Empty:
                item = None
            try:
                while item is not None:
                    if item[0] == "stop":
                        return
                    self._handle(engine, item)
                    try:
                        item = self._inbox.get_nowait()
                    except queue.Empty:
                        item = None
                self._publish_all(engine.advance(time.time()))
            except Exception as exc:  # noqa: BLE001 - a bug in one step must not stop the field
                self._report_failure(exc)
            self._check_ready()

    def _report_failure(self, exc: Exception) -> None:
        """Log a failing step with its traceback once, then at most once a minute."""
        key = f"{type(exc).__name__}: {exc}"
        last = self._failures.get(key)
        now = time.monotonic()
        if last is None:
            log.exception("simulation step failed")
        elif now - last >= 60.0:
            log.error("simulation step failed again: %s", key)
        else:
            return
        self._failures[key] = now

    def _handle(self, engine: FieldEngine, item: tuple[str, Any]) -> None:
        kind, value = item
        if kind == "message":
            topic, body, retained, received_at = value
            engine.receive(topic, body, received_at, retained=retained)
        elif kind == "connected":
            started = time.monotonic()
            outputs = engine.initial(time.time())
            last = self._publish_all(outputs)
            self.burst_size = len(outputs)
            self._burst = (started, last)
        elif kind == "drop":
            gateway_id, offline_for = value
            engine.drop_gateway(gateway_id, offline_for, time.time())

    def _check_ready(self) -> None:
        if self._burst is None or self._ready.is_set():
            return
        started, last = self._burst
        if last is None or last.is_published():
            self.burst_seconds = time.monotonic() - started
            self._ready.set()

    def _publish_all(self, outputs: list[Output]) -> mqtt.MQTTMessageInfo | None:
        last = None
        for output in outputs:
            if isinstance(output, DropLink):
                self._drop(output)
                continue
            info = self._publish(output)
            if info is not None and output.qos > 0:
                last = info
        return last

    def _publish(self, message: Message) -> mqtt.MQTTMessageInfo | None:
        client = self._client
        if client is None:
            return None
        if message.retain and not self._connected.is_set():
            return None  # the whole state is published again on reconnection
        link = self._links.get(message.topic)
        if link is not None:
            link.join(10.0)  # a gateway says it is back only after its Last Will went out
            self._links.pop(message.topic, None)
        body = json.dumps(
            message.payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False
        )
        try:
            info = client.publish(message.topic, body.encode(), message.qos, message.retain)
        except ValueError as exc:  # e.g. a reply_to with a wildcard in it
            log.warning("not published on %r: %s", message.topic, exc)
            return None
        self.published += 1
        return info

    def _drop(self, link: DropLink) -> None:
        thread = threading.Thread(
            target=drop_with_will,
            args=(self.address, f"{self.client_id}-{link.gateway}", link.topic, link.will),
            name=f"simulator-link-{link.gateway}",
            daemon=True,
        )
        self._links[link.topic] = thread
        thread.start()
