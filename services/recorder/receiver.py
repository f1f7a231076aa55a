"""The recorder's front half: the MQTT session, in a process that imports almost nothing.

``vigie recorder`` runs as two processes so that receiving and recording use two cores. This
one holds the persistent session: it receives, forwards raw messages to the writer (a child
process, ``services.recorder.worker``) in frames, and acknowledges QoS 1 messages only when the
writer says they are committed; it also publishes what the writer asks (events, its status, the
audit head) and relays the writer's notices. It starts receiving the retained burst while the
writer is still importing SQLAlchemy and pydantic.

Imports stay light on purpose: paho, the topics and the pipe, nothing that loads SQLAlchemy or
pydantic, which the writer needs and this process would only pay for.
"""

from __future__ import annotations

import gc
import secrets
import subprocess
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import paho.mqtt.client as mqtt

from services.bus.confirm import Confirmations
from services.bus.connection import (
    BrokerAddress,
    connect_async,
    login_refused,
    new_client,
    parse_broker_url,
)
from services.bus.topics import Topics, shared
from services.config import redact_url
from services.domain.errors import InvalidInput, PermissionDenied, VigieError
from services.recorder.pipe import WRITER_COMMAND, Channel, start_writer

Notify = Callable[..., None]
FRAME_MAX = 5000  # messages per frame to the writer
GATHER_S = 0.005  # a frame waits this long for company: fewer, larger frames
QUIET_S = 0.1  # no message for this long, all recorded: the retained burst is behind us
#: Leaving a share group: once unsubscribed, what the broker had queued for us still comes;
#: nothing for this long, all of it recorded and acknowledged, and our session holds nothing.
DRAIN_QUIET_S = 1.0
#: How long the broker may take to confirm the unsubscription (UNSUBACK).
UNSUBSCRIBE_S = 10.0
#: The share probe: time to connect, then time for the probe to come back through ``$share``.
PROBE_CONNECT_S = 10.0
PROBE_S = 3.0


def subscriptions(topics: Topics, share: str | None = None) -> list[tuple[str, int]]:
    """What the recorder subscribes to, and at which QoS (field contract, last section).

    With ``share`` (a share group), the flow is split among the group's members:
    ``$share/{group}/{filter}``, each message to one member. Two filters stay whole for every
    member, being few and needing order: the gateways' statuses (a Last Will and the next
    online, handed to two members, could be recorded in the wrong order) and the consoles'
    presence (each member remembers the last word of every workstation, ``consoles.py``). Both
    are idempotent when every member records them.
    """
    whole = [
        # gateways' links: few, and their order matters
        (topics.wildcard("gateways", "+", "status"), 1),
        # consoles' presence: a dead one's camera views are closed (``recorder/consoles.py``)
        (topics.wildcard("consoles", "+", "status"), 1),
    ]
    split = [
        # retained state: its value is what counts, a restart re-reads it
        (topics.wildcard("state", "#"), 0),
        (topics.wildcard("units", "+", "position"), 0),
        # events: at least once, persistent session, acked after commit
        (topics.alerts, 1),
        (topics.reports, 1),
        (topics.wildcard("units", "+", "status"), 1),
        (topics.wildcard("ack", "#"), 1),
    ]
    if share is not None:
        split = [(shared(share, topic_filter), qos) for topic_filter, qos in split]
    return split + whole


def check_share(
    address: BrokerAddress,
    topics: Topics,
    client_id: str,
    group: str,
    timeout: float = PROBE_S,
) -> None:
    """Check that the broker serves shared subscriptions; raise if it does not, or is away.

    A probe of its own (clean session, never the recorder's): subscribe
    ``$share/{group}/{root}/events/probe/{id}``, publish on ``{root}/events/probe/{id}``. A
    broker that does not serve ``$share`` (amqtt, the demo's: it grants the subscription as a
    plain filter that nothing matches) delivers nothing within ``timeout``: refused
    (``recorder.share_unsupported``). Unreachable: ``bus.unreachable``; login turned away:
    ``bus.login_refused``.
    """
    url = redact_url(address.url)
    # A token of its own: two recorders started with one --id never take each other's probe.
    token = f"probe-{secrets.token_hex(4)}-{client_id}"[:128]
    topic = topics.share_probe(token)
    client = new_client(address, token, clean_session=True)
    connected, subscribed, delivered = threading.Event(), threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def on_connect(c, userdata, flags, reason_code, properties) -> None:  # noqa: ANN001
        outcome["connack"] = reason_code
        connected.set()
        if not reason_code.is_failure:
            c.subscribe(shared(group, topic), 1)

    def on_subscribe(c, userdata, mid, reason_codes, properties) -> None:  # noqa: ANN001
        outcome["granted"] = not any(code.is_failure for code in reason_codes)
        subscribed.set()

    client.on_connect = on_connect
    client.on_subscribe = on_subscribe
    client.on_message = lambda c, userdata, message: delivered.set()
    connect_async(client, address, keepalive=10)
    try:
        if not connected.wait(PROBE_CONNECT_S):
            raise VigieError("bus.unreachable", url=url)
        connack = outcome["connack"]
        if login_refused(connack):
            raise PermissionDenied(
                "bus.login_refused",
                url=url,
                identity=address.username or "anonymous",
                reason=str(connack),
            )
        if getattr(connack, "is_failure", False):
            raise VigieError("bus.unreachable", url=url)
        if not subscribed.wait(PROBE_CONNECT_S) or not outcome.get("granted"):
            raise InvalidInput("recorder.share_unsupported", url=url, group=group)
        client.publish(topic, b'{"probe":true}', qos=1)
        if not delivered.wait(timeout):
            raise InvalidInput("recorder.share_unsupported", url=url, group=group)
    finally:
        client.disconnect()
        client.loop_stop()


def offline_will(topics: Topics, client_id: str) -> tuple[str, bytes, int, bool]:
    return (topics.recorder_status(client_id), b'{"online":false}', 1, True)


@dataclass
class WriterFailure:
    """Why the writer stopped before it was asked to: a message key and its parameters."""

    key: str
    params: dict


class Receiver:
    def __init__(
        self,
        broker_url: str,
        db_url: str,
        root: str,
        client_id: str,
        *,
        notify: Notify | None = None,
        worker: list[str] | None = None,
        clock_tolerance: timedelta | None = None,
        share: str | None = None,
        writer: subprocess.Popen | None = None,
    ) -> None:
        """``clock_tolerance``: the setting clock_tolerance_minutes, for the writer's decoder.

        ``writer``: a writer process already started (``start_writer``), to adopt rather than
        start one.

        ``share``: a share group (``vigie recorder --share GROUP``): the live flow is split among
        its members (``subscriptions``), and ``stop`` leaves the group before it ends.
        """
        self.address = parse_broker_url(broker_url)
        self.broker_url = broker_url
        self.db_url = db_url
        self.topics = Topics(root)
        self.client_id = client_id
        self.notify: Notify = notify or (lambda key, **params: None)
        self.worker_command = worker or WRITER_COMMAND
        self._started_writer = writer
        self.clock_tolerance = clock_tolerance
        self.share = share
        self.recorded = 0  # as the writer reports it when it stops
        self.failure: WriterFailure | None = None
        self.finished = threading.Event()  # the writer is gone, asked to or not
        self.refused = threading.Event()  # the broker turned our login away
        # Subscribed, nothing arrived for QUIET_S and the writer has recorded all it was handed
        # (or is gone): a cold start's burst is done. Until then ``console.cli.launch`` keeps
        # the command line's imports off the two cores the burst needs.
        self.settled = threading.Event()
        self._forwarded = 0
        self._handled = 0  # as the writer's lanes report it, batch by batch
        self._last_arrival = 0.0
        self._inbox: deque[tuple[str, bytes, int, int, bool]] = deque()
        self._arrived = threading.Event()
        self._stopping = threading.Event()
        self._connections = 0
        self._subscribe_mid: int | None = None
        # Leaving the share group (``stop``): no subscribing again, and the UNSUBACKs received.
        self._leaving = threading.Event()
        self._unsubscribed: set[int] = set()
        self._unsubscribed_changed = threading.Condition()
        self.client = new_client(
            self.address,
            client_id,
            clean_session=False,
            manual_ack=True,
            will=offline_will(self.topics, client_id),
        )
        self.client.on_connect = self._on_connect
        self.client.on_subscribe = self._on_subscribe
        self.client.on_unsubscribe = self._on_unsubscribe
        self.client.on_disconnect = self._on_disconnect
        self.client.on_message = self._on_message
        # The outbox's commands are marked sent only once the broker confirmed them: their
        # PUBACKs go back to the writer, by the token it gave each (``services/bus/confirm.py``).
        self.confirmations = Confirmations(
            self.client, lambda taken, refused: self._tell_writer("published", taken, refused)
        )

    # --- lifecycle ---------------------------------------------------------------------------
    def start(self) -> None:
        # The writer first: it spends most of a second importing, while we receive.
        self.worker = self._started_writer or start_writer(self.worker_command)
        self.to_writer = Channel(self.worker.stdin)  # type: ignore[arg-type]
        self.from_writer = Channel(self.worker.stdout)  # type: ignore[arg-type]
        tolerance = None if self.clock_tolerance is None else self.clock_tolerance.total_seconds()
        self.to_writer.send(
            "config", self.db_url, self.broker_url, self.topics.root, self.client_id, tolerance
        )
        # What was allocated until now lives as long as the process: keep the collector off it.
        gc.freeze()
        threading.Thread(target=self._forward, name="recorder-forward", daemon=True).start()
        threading.Thread(target=self._listen, name="recorder-listen", daemon=True).start()
        connect_async(self.client, self.address)

    def abandon(self) -> None:
        """Stop without recording anything more: the writer dies before it commits what it holds."""
        self.worker.kill()
        self.worker.wait()
        self._stopping.set()
        self.client.disconnect()
        self.client.loop_stop()

    def stop(self, timeout: float = 60.0) -> None:
        """Hand over what is held, let the writer commit and acknowledge it, then disconnect.

        A member of a share group leaves it first (``_leave_group``): a stopped member whose
        session persists would keep receiving its part of the flow, held for it until it
        comes back.
        """
        deadline = time.monotonic() + timeout
        if self.share is not None and not self.finished.is_set():
            self._leave_group(deadline)
        self._stopping.set()
        self._arrived.set()
        self.finished.wait(max(0.0, deadline - time.monotonic()))
        if self.worker.poll() is None:
            self.worker.kill()
        self.worker.wait()
        self.client.disconnect()
        self.client.loop_stop()
        self.confirmations.close()

    def _leave_group(self, deadline: float) -> None:
        """Unsubscribe (waiting for the UNSUBACK), then record and acknowledge what still comes.

        Once the broker has confirmed, it hands us nothing new; what it had queued for our
        session (beyond its in-flight window) still comes as we acknowledge. When nothing has
        come for ``DRAIN_QUIET_S`` and the writer has committed (and acknowledged) all it was
        handed, our session holds nothing: the other members have the flow.
        """
        self._leaving.set()
        filters = [topic_filter for topic_filter, _ in subscriptions(self.topics, self.share)]
        result, mid = self.client.unsubscribe(filters)
        if result != mqtt.MQTT_ERR_SUCCESS or mid is None:
            # Not connected: our session keeps its subscriptions and its queue, which a
            # restart with this --id takes back.
            self.notify("recorder.share_not_left", group=self.share)
            return
        with self._unsubscribed_changed:
            left = self._unsubscribed_changed.wait_for(
                lambda: mid in self._unsubscribed,
                min(UNSUBSCRIBE_S, max(0.0, deadline - time.monotonic())),
            )
        if not left:
            self.notify("recorder.share_not_left", group=self.share)
            return
        self.notify("recorder.share_left", group=self.share)
        left_at = time.monotonic()  # acknowledgements in flight may still free queued messages
        while time.monotonic() < deadline and not self.finished.is_set():
            if (
                not self._inbox
                and self._handled >= self._forwarded
                and time.monotonic() - max(self._last_arrival, left_at) >= DRAIN_QUIET_S
            ):
                return
            time.sleep(0.05)

    # --- paho's thread -----------------------------------------------------------------------
    def _on_connect(self, client, userdata, flags, reason_code, properties) -> None:  # noqa: ANN001
        if login_refused(reason_code):
            # Trying again changes nothing: the recorder stops and says who was turned away.
            self.failure = WriterFailure(
                "bus.login_refused",
                {
                    "url": redact_url(self.broker_url),
                    "identity": self.address.username or "anonymous",
                    "reason": str(reason_code),
                },
            )
            self.refused.set()
        if reason_code.is_failure:
            self._tell_writer("conn", False, str(reason_code), self._connections)
            return
        if self._leaving.is_set():  # back while leaving the group: leave it on this connection
            client.unsubscribe([f for f, _ in subscriptions(self.topics, self.share)])
            return
        _, self._subscribe_mid = client.subscribe(subscriptions(self.topics, self.share))

    def _on_subscribe(self, client, userdata, mid, reason_codes, properties) -> None:  # noqa: ANN001
        if mid == self._subscribe_mid:  # subscribed: from now on nothing published is missed
            self._connections += 1
            self._tell_writer("conn", True, "connected", self._connections)

    def _on_unsubscribe(self, client, userdata, mid, reason_codes, properties) -> None:  # noqa: ANN001
        with self._unsubscribed_changed:
            self._unsubscribed.add(mid)
            self._unsubscribed_changed.notify_all()

    def _on_disconnect(self, client, userdata, flags, reason_code, properties) -> None:  # noqa: ANN001
        self._tell_writer("conn", False, str(reason_code), self._connections)

    def _on_message(self, client, userdata, msg: mqtt.MQTTMessage) -> None:  # noqa: ANN001
        self._inbox.append((msg.topic, msg.payload, msg.mid, msg.qos, bool(msg.retain)))
        if not self._arrived.is_set():
            self._arrived.set()

    # --- to and from the writer --------------------------------------------------------------
    def _tell_writer(self, *frame: object) -> None:
        try:
            self.to_writer.send(*frame)
        except (OSError, ValueError):  # the writer is gone; _listen reports why
            pass

    def _forward(self) -> None:
        """Frames of raw messages to the writer, in order of arrival."""
        inbox = self._inbox
        while True:
            if not self._arrived.wait(QUIET_S):
                self._check_settled()
                continue
            self._arrived.clear()
            if not self._stopping.is_set():
                time.sleep(GATHER_S)
            # Noted per frame, not per message: paho's thread is the busiest in a burst.
            self._last_arrival = time.monotonic()
            while inbox:
                frame = [inbox.popleft() for _ in range(min(len(inbox), FRAME_MAX))]
                self._forwarded += len(frame)
                self._tell_writer("msgs", frame)
            if self._stopping.is_set():
                self._tell_writer("stop")
                self.to_writer.close()
                return

    def _listen(self) -> None:
        """Carry out what the writer asks: acknowledge, publish, tell the operator."""
        try:
            while (frame := self.from_writer.receive()) is not None:
                match frame:
                    case ("ack", pairs):
                        for mid, qos in pairs:
                            self.client.ack(mid, qos)
                    case ("publish", topic, payload, qos, retain):
                        self.confirmations.publish(topic, payload, qos, retain)
                    case ("publish", topic, payload, qos, retain, token):  # followed: the outbox
                        self.confirmations.publish(topic, payload, qos, retain, token)
                    case ("handled", count):
                        self._handled += count
                        self._check_settled()
                    case ("notify", key, params):
                        self.notify(key, **params)
                    case ("fatal", key, params):
                        self.failure = WriterFailure(key, params)
                    case ("stopped", recorded):
                        self.recorded = recorded
        finally:
            if not self._stopping.is_set() and self.failure is None:
                code = self.worker.wait()
                self.failure = WriterFailure("recorder.writer_died", {"code": code})
            self.finished.set()
            self.settled.set()

    def _check_settled(self) -> None:
        if (
            self._connections
            and not self._inbox
            and self._handled >= self._forwarded
            and time.monotonic() - self._last_arrival >= QUIET_S
        ):
            self.settled.set()
