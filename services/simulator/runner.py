"""The simulator on a broker: paho clients, one network thread and one simulation thread.

By default one anonymous client says everything (the demo's embedded broker is open on
loopback). With credentials (``vigie broker config``'s ``credentials/`` folder) there is one
client per identity played, each gateway and unit logged in as itself, and ``logins.Speakers``
picks the client each message goes out on, so that the broker's ACL judges it. Hundreds of
clients share one network thread (``switchboard``): paho's own loop cannot carry that many.

paho's callbacks only hand incoming messages to the simulation thread through a queue; that
thread alone drives the ``FieldEngine`` (receive, advance on a tick, publish what it returns).
Publishing never waits per message: the initial retained burst (34,000 states at Dijon's scale,
360,000 at ten times) is handed to paho at QoS 1 and flows as fast as the broker acknowledges it,
at most ``HANDED`` unacknowledged messages per login at a time: paho numbers QoS 1 messages with
16 bits and refuses the 65,536th outstanding one, so the rest wait in the login's backlog, in the
order they were said, and are handed over as acknowledgements come back.
After a reconnection the whole state is published again (with credentials: what that identity
says). ``start``/``stop`` are for in-process use; ``run`` blocks until SIGTERM or SIGINT (or
``request_stop``) and stops cleanly. Given ``video``, it also serves its cameras' streams
(``services.simulator.video.StreamServer`` on 127.0.0.1) from start to stop, and each camera's
state carries its ``streamURL``.
"""

from __future__ import annotations

import itertools
import json
import logging
import queue
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import paho.mqtt.client as mqtt

from services.bus.connection import (
    BrokerAddress,
    client_id,
    login_refused,
    new_client,
    parse_broker_url,
)
from services.bus.topics import Topics
from services.domain.equipment import EquipmentType
from services.domain.privacy_masks import MaskBook
from services.simulator import camera_masks, payloads
from services.simulator.engine import FieldEngine
from services.simulator.generation import build_world
from services.simulator.link import drop_with_will
from services.simulator.logins import Login, Speakers, logins
from services.simulator.options import SimulatorOptions
from services.simulator.outputs import DropLink, Message, Output
from services.simulator.switchboard import Switchboard
from services.simulator.world import World

if TYPE_CHECKING:  # the video server brings Pillow: loaded only when video is served
    from services.simulator.video import StreamServer

log = logging.getLogger(__name__)

#: QoS 1 messages in flight towards the broker at once. paho's default (20) measured fastest for
#: the initial burst: 36,600 messages acknowledged in about 3 s by a local mosquitto, against
#: 4 s with 100 and 8 s with 1,000 (paho scans the in-flight window on every acknowledgement).
MAX_INFLIGHT = 20
#: QoS 1 messages handed to paho and not yet acknowledged, per login, at most. paho's message ids
#: are 16 bits: past 65,535 outstanding ones it refuses more (``MQTT_ERR_QUEUE_SIZE``), which ten
#: times Dijon's burst would reach. Those beyond wait in the login's backlog, encoded, and the
#: initial state is drawn from the world only as the backlogs empty (measured at x10: 342 MB
#: at the peak, against 905 MB when the whole burst was built at once).
HANDED = 10_000
#: How often the simulation thread hands more of a backlog over while one waits (seconds).
FEED_S = 0.005
KEEPALIVE_S = 30
_instances = itertools.count(1)


class BrokerUnreachable(Exception):
    """The broker could not be reached, or refused the simulator, when it started."""


class LoginRefused(BrokerUnreachable):
    """The broker turned a login away: bad username or password, or not authorised."""

    def __init__(self, identity: str | None, reason: str) -> None:
        super().__init__(reason)
        self.identity = identity  # None: an anonymous login (no credentials, no user in the URL)
        self.reason = reason


class VideoUnavailable(Exception):
    """The camera streams could not be served (their port is taken); nothing was published."""


@dataclass(frozen=True)
class VideoSettings:
    """Serving the cameras' streams on ``port`` of 127.0.0.1 (0: a free one).

    Tokens are signed with each camera gateway's secret of ``secrets``.
    """

    secrets: Mapping[str, bytes]
    port: int = 0


@dataclass(eq=False)
class _Connection:
    """One login to the broker: the whole field's, or one identity's."""

    identity: str | None
    address: BrokerAddress
    subscriptions: list[tuple[str, int]]
    client: mqtt.Client | None = None
    connected: threading.Event = field(default_factory=threading.Event)
    answered: threading.Event = field(default_factory=threading.Event)
    refusal: str | None = None
    refused_login: bool = False
    #: (topic, body, qos, retain) said but not yet handed to paho, oldest first
    backlog: deque[tuple[str, bytes, int, bool]] = field(default_factory=deque)
    #: QoS 1 messages handed to paho, not yet known acknowledged, oldest first, by number
    handed: deque[tuple[int, mqtt.MQTTMessageInfo]] = field(default_factory=deque)
    said: int = 0  # messages put in the backlog so far: the last one's number
    passed: int = 0  # messages taken from the backlog so far (handed to paho, or skipped)


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
        credentials: the ``credentials/`` folder ``vigie broker config`` wrote: each gateway and
            unit then logs in as itself, the citizen app as ``citizen-app`` and the alarms as
            ``alarms`` (the URL's own user and password are not used). Raises
            ``logins.MissingCredential`` at once when an identity played has no file there.
        masks: the city's privacy masks, installed in the cameras (their states then report
            ``maskVersion``); by default the cameras hold none.
        video: serve the cameras' streams from ``start`` to ``stop``; by default nothing is.
    """

    def __init__(
        self,
        broker_url: str,
        root: str = "vigie",
        options: SimulatorOptions | None = None,
        *,
        world: World | None = None,
        credentials: Path | None = None,
        masks: MaskBook | None = None,
        video: VideoSettings | None = None,
    ) -> None:
        self.options = options or SimulatorOptions()
        self.address = parse_broker_url(broker_url)
        self.topics = Topics(root)
        self.world = world or build_world(self.options.seed, self.options.scale)
        if masks is not None:
            camera_masks.install(self.world, masks)
        self.video = video
        self.stream_server: StreamServer | None = None
        n = next(_instances)
        self.client_id = client_id("simulator") + (f"-{n}" if n > 1 else "")
        self.engine: FieldEngine | None = None
        self.published = 0
        self.unspoken = 0  # messages no identity played may publish (with credentials)
        self.burst_size = 0
        self.burst_seconds: float | None = None
        self.login_seconds: float | None = None  # from the first connection to the last CONNACK
        self._logins: list[Login] | None = (
            None if credentials is None else logins(self.world, self.topics, credentials)
        )
        self._speakers = None if credentials is None else Speakers(self.world, self.topics)
        self._connections: dict[str | None, _Connection] = {}
        self._switchboard: Switchboard | None = None
        self._thread: threading.Thread | None = None
        self._inbox: queue.SimpleQueue[tuple[str, Any]] = queue.SimpleQueue()
        self._ready = threading.Event()
        self._stopping = threading.Event()
        self._stop_requested = threading.Event()
        self._links: dict[str, threading.Thread] = {}
        self._rejoined: set[str | None] = set()  # connected again since the last initial state
        #: when the burst started, and once it is all said, each login's last message number
        self._burst: tuple[float, dict[_Connection, int] | None] | None = None
        #: the initial state still to be said, drawn as the backlogs empty (ten times Dijon's
        #: 370,000 messages never all wait in memory), and whose logins may say it
        self._drawing: tuple[Iterator[list[Output]], set[str | None] | None] | None = None
        self._stopped = False
        self._failures: dict[str, float] = {}

    # --- life cycle ----------------------------------------------------------------------------
    def start(self, timeout: float = 10.0) -> None:
        """Connect every login and start simulating; the initial burst is then on its way.

        Raises:
            LoginRefused: the broker turned a login away (the first one, if several).
            BrokerUnreachable: nothing answered, or the broker refused, within ``timeout``.
            VideoUnavailable: the video port is taken (before connecting at all).
        """
        if self._thread is not None:
            return
        self._start_video()
        try:
            self._connect_all(timeout)
        except BaseException:
            self._stop_video()
            raise
        self.engine = FieldEngine(self.world, self.topics, self.options, time.time())
        self._thread = threading.Thread(target=self._loop, name="simulator", daemon=True)
        self._thread.start()

    def _connect_all(self, timeout: float) -> None:
        started = time.monotonic()
        deadline = started + timeout
        if self._logins is not None:
            # Hundreds of logins: one network thread for all (paho's own loop cannot carry them).
            self._switchboard = Switchboard()
            self._switchboard.start()
        for connection in self._planned_connections():
            self._connections[connection.identity] = connection
            try:
                self._connect(connection, timeout)
            except OSError as exc:
                self._disconnect_all()
                raise BrokerUnreachable(exc.strerror or str(exc)) from None
        for connection in self._connections.values():
            if not connection.answered.wait(max(0.0, deadline - time.monotonic())):
                self._disconnect_all()
                raise BrokerUnreachable(f"no answer within {timeout:g} s")
        refused = [c for c in self._connections.values() if c.refusal is not None]
        if refused:
            self._disconnect_all()
            first = next((c for c in refused if c.refused_login), refused[0])
            if first.refused_login:
                raise LoginRefused(first.address.username, str(first.refusal))
            raise BrokerUnreachable(first.refusal)
        self.login_seconds = time.monotonic() - started

    def _start_video(self) -> None:
        """Serve the cameras before the first state names their ``streamURL``."""
        if self.video is None:
            return
        from services.simulator.video import StreamServer, WorldCameras

        source = WorldCameras(self.world, MaskBook(), self.video.secrets)
        try:
            server = StreamServer(source, port=self.video.port)
        except OSError as exc:
            raise VideoUnavailable(exc.strerror or str(exc)) from None
        self.stream_server = server.start()
        for camera in self.world.by_type[EquipmentType.CAMERA]:
            if camera.gateway in self.video.secrets:  # no secret: no token opens it, no URL
                camera.attrs["streamURL"] = server.stream_url(camera.id)

    def _stop_video(self) -> None:
        if self.stream_server is not None:
            self.stream_server.stop()
            self.stream_server = None

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
        self._stop_video()
        for link in list(self._links.values()):
            link.join(timeout)
        if not self._connections:
            return
        wall = time.time()
        now = payloads.iso(wall if self.engine is None else self.engine.field_time(wall))
        last: dict[_Connection, mqtt.MQTTMessageInfo] = {}
        for gateway in self.world.gateways.values():
            if gateway.online:
                offline = {**payloads.WILL, "since": now}
                topic = self.topics.gateway_status(gateway.id)
                connection = self._connection_for(topic, offline)
                if connection is None or connection.client is None:
                    continue
                if connection.connected.is_set():
                    body = json.dumps(offline).encode()
                    last[connection] = connection.client.publish(topic, body, 1, True)
        until = time.monotonic() + min(timeout, 2.0)
        for info in last.values():
            try:
                info.wait_for_publish(max(0.0, until - time.monotonic()))
            except (RuntimeError, ValueError):
                pass
        self._disconnect_all()

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
        """Whether every login is connected."""
        return bool(self._connections) and all(
            c.connected.is_set() for c in self._connections.values()
        )

    @property
    def identities(self) -> list[str]:
        """The broker identities played, with credentials; none without."""
        return [] if self._logins is None else [login.identity for login in self._logins]

    # --- connections -----------------------------------------------------------------------------
    def _planned_connections(self) -> list[_Connection]:
        if self._logins is None:
            listens = [
                (self.topics.wildcard("cmd", "#"), 1),
                (self.topics.wildcard("units", "+", "dispatch"), 1),
                (self.topics.wildcard("modes", "+"), 1),  # whether buses' priority is served
            ]
            return [_Connection(None, self.address, listens)]
        return [
            _Connection(
                login.identity,
                replace(self.address, username=login.identity, password=login.password),
                list(login.subscriptions),
            )
            for login in self._logins
        ]

    def _connect(self, connection: _Connection, timeout: float) -> None:
        name = (
            self.client_id
            if connection.identity is None
            else f"{self.client_id}-{connection.identity}"
        )
        client = new_client(connection.address, name[:128])
        client.max_inflight_messages_set(MAX_INFLIGHT)
        client.connect_timeout = min(timeout, 5.0)
        client.on_connect = lambda c, u, f, reason, p: self._on_connect(connection, c, reason)
        client.on_disconnect = lambda *_args: connection.connected.clear()
        client.on_message = self._on_message
        if self._switchboard is not None:
            self._switchboard.attach(client)
        connection.client = client
        # Connecting here, not in the network thread, tells at once why a broker is
        # unreachable; the network thread then dials again whenever the link drops.
        client.connect(connection.address.host, connection.address.port, KEEPALIVE_S)
        if self._switchboard is None:
            client.loop_start()  # one login: paho's own thread, as every other client of ours

    def _disconnect_all(self) -> None:
        clients = [c.client for c in self._connections.values() if c.client is not None]
        for connection in self._connections.values():
            connection.client = None
        if self._switchboard is not None:
            self._switchboard.hang_up(clients)
            self._switchboard.stop()
            self._switchboard = None
            return
        for client in clients:
            client.disconnect()
            client.loop_stop()

    def _connection_for(self, topic: str, payload: dict[str, Any]) -> _Connection | None:
        """The login that says ``payload`` on ``topic``; None when no identity played may."""
        if self._speakers is None:
            return self._connections.get(None)
        return self._connections.get(self._speakers.of(topic, payload))

    # --- paho's threads: hand over only ----------------------------------------------------------
    def _on_connect(self, connection: _Connection, client: mqtt.Client, reason: Any) -> None:
        if reason.is_failure:
            connection.refusal = str(reason)
            connection.refused_login = login_refused(reason)
            connection.answered.set()
            return
        connection.refusal = None
        if connection.subscriptions:
            client.subscribe(connection.subscriptions)
        connection.connected.set()
        self._inbox.put(("connected", connection.identity))
        connection.answered.set()

    def _on_message(self, _client: mqtt.Client, _userdata: Any, msg: mqtt.MQTTMessage) -> None:
        self._inbox.put(("message", (msg.topic, msg.payload, bool(msg.retain), time.time())))

    # --- the simulation thread -----------------------------------------------------------------
    def _loop(self) -> None:
        engine = self.engine
        assert engine is not None
        while not self._stopping.is_set():
            wait = max(0.0, min(engine.next_due() - time.time(), 0.5))
            if self._drawing is not None or any(c.backlog for c in self._connections.values()):
                wait = min(wait, FEED_S)
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
                if self._rejoined:
                    self._publish_initial(engine)
                self._publish_all(engine.advance(time.time()))
                for connection in self._connections.values():
                    self._feed(connection)
                self._draw()
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
            self._rejoined.add(value)  # published once the inbox is drained: one burst for all
        elif kind == "drop":
            gateway_id, offline_for = value
            engine.drop_gateway(gateway_id, offline_for, time.time())

    def _publish_initial(self, engine: FieldEngine) -> None:
        """The whole state, or, when some logins came back, what those identities say.

        Drawn a chunk at a time (``_draw``) while the logins' backlogs are short.
        """
        rejoined, self._rejoined = self._rejoined, set()
        started = time.monotonic()
        only = None
        if self._speakers is not None and not rejoined >= set(self._connections):
            only = rejoined
        if self._drawing is not None:  # drawn again from the start, for all it was drawn for
            before = self._drawing[1]
            only = None if before is None or only is None else before | only
        self._drawing = (engine.initial_chunks(time.time()), only)
        if not self._ready.is_set():
            self.burst_size = 0
            self._burst = (started, None)
        self._draw()

    def _draw(self) -> None:
        """Say more of the initial state while every backlog is shorter than ``HANDED``."""
        if self._drawing is None:
            return
        chunks, only = self._drawing
        while all(len(c.backlog) < HANDED for c in self._connections.values()):
            chunk = next(chunks, None)
            if chunk is None:
                self._drawing = None
                if self._burst is not None and not self._ready.is_set():
                    marks = {c: c.said for c in self._connections.values()}
                    self._burst = (self._burst[0], marks)
                break
            if only is not None:
                assert self._speakers is not None
                chunk = [
                    o
                    for o in chunk
                    if isinstance(o, Message) and self._speakers.of(o.topic, o.payload) in only
                ]
            self._publish_all(chunk)
            if self._burst is not None and not self._ready.is_set():
                self.burst_size += len(chunk)

    def _check_ready(self) -> None:
        """Ready once the burst's last message of each login is handed over and acknowledged.

        (And every QoS 1 message before it: the broker acknowledges them in order.)
        """
        if self._burst is None or self._ready.is_set():
            return
        started, marks = self._burst
        if marks is None:
            return  # still being drawn
        for connection in marks:
            handed = connection.handed
            while handed and _settled(handed[0][1]):
                handed.popleft()
        if all(
            c.passed >= mark and (not c.handed or c.handed[0][0] > mark)
            for c, mark in marks.items()
        ):
            self.burst_seconds = time.monotonic() - started
            self._ready.set()

    def _publish_all(self, outputs: list[Output]) -> list[_Connection]:
        """Publish ``outputs``; the logins that said something, to know when all is sent."""
        said: dict[_Connection, None] = {}
        for output in outputs:
            if isinstance(output, DropLink):
                self._drop(output)
                continue
            connection = self._publish(output)
            if connection is not None:
                said[connection] = None
        for connection in said:
            self._feed(connection)
        return list(said)

    def _feed(self, connection: _Connection) -> None:
        """Hand the backlog to paho, in order, while fewer than ``HANDED`` await their ack."""
        handed = connection.handed
        while handed and _settled(handed[0][1]):
            handed.popleft()
        backlog = connection.backlog
        client = connection.client
        while backlog and len(handed) < HANDED and client is not None:
            topic, body, qos, retain = backlog.popleft()
            connection.passed += 1
            if retain and not connection.connected.is_set():
                continue  # the whole state is published again on reconnection
            try:
                info = client.publish(topic, body, qos, retain)
            except ValueError as exc:  # e.g. a reply_to with a wildcard in it
                log.warning("not published on %r: %s", topic, exc)
                continue
            if qos > 0:
                handed.append((connection.passed, info))

    def _publish(self, message: Message) -> _Connection | None:
        connection = self._connection_for(message.topic, message.payload)
        if connection is None:
            self.unspoken += 1  # the ACL would drop it: no identity played may say it
            return None
        if connection.client is None:
            return None
        if message.retain and not connection.connected.is_set():
            return None  # the whole state is published again on reconnection
        link = self._links.get(message.topic)
        if link is not None:
            link.join(10.0)  # a gateway says it is back only after its Last Will went out
            self._links.pop(message.topic, None)
        body = json.dumps(
            message.payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False
        )
        # In order behind what already waits: a newer state never overtakes an older one.
        connection.backlog.append((message.topic, body.encode(), message.qos, message.retain))
        connection.said += 1
        self.published += 1
        return connection

    def _drop(self, link: DropLink) -> None:
        # The gateway's own identity, with credentials: its Last Will is its own to leave.
        speaker = self._connection_for(link.topic, {})
        address = speaker.address if speaker is not None else self.address
        thread = threading.Thread(
            target=drop_with_will,
            args=(address, f"{self.client_id}-{link.gateway}", link.topic, link.will),
            name=f"simulator-link-{link.gateway}",
            daemon=True,
        )
        self._links[link.topic] = thread
        thread.start()


def _settled(info: mqtt.MQTTMessageInfo) -> bool:
    """Whether the broker acknowledged the message, or it will never be sent (paho refused it)."""
    try:
        return info.is_published()
    except (ValueError, RuntimeError):
        return True
