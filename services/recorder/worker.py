"""The recorder's back half: decode, record, and ask the receiver to acknowledge and publish.

Started by ``services.recorder.receiver`` (``services.recorder.writer_start``) with pipes for
stdin and stdout; never by hand. The first frame says which database, broker and root; then
come frames of raw messages and the connection's ups and downs, and finally ``stop`` (or the
pipe closes, if the receiver died): the writer commits what it holds and exits.

On a machine with more than one core the writer forks once its imports are done, into two
lanes that decode and write side by side. The first lane gets every QoS 1 message (so that
acknowledgements keep the order of reception, as MQTT asks) and does the sweeps, the outbox and
the maintenance; the second gets half of the QoS 0 states and positions, always the same half
for one topic, so that a device's states are written in the order they came.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import configure_mappers

from services.bus.codec import Decoder
from services.bus.confirm import Publication, Publications
from services.bus.connection import parse_broker_url
from services.bus.delivery import Delivery, encode
from services.bus.topics import Topics
from services.domain.errors import VigieError
from services.domain.retention import Retention
from services.recorder.pipe import Channel
from services.recorder.writer import Recorder, RecorderOptions
from services.reference import communes
from services.store.database import Database
from services.store.schema import require_current

WRITER_NICENESS = 15
Raw = tuple[str, bytes, int, int, bool]  # topic, payload, mid, qos, retained


class PipeBus:
    """What the recorder needs of a bus, with the receiver process at the other end."""

    def __init__(
        self,
        inbound: Channel,
        outbound: Channel,
        broker_url: str,
        root: str,
        *,
        second_lane: Channel | None = None,
        clock_tolerance: timedelta = Retention.future_tolerance,
    ) -> None:
        self.inbound = inbound
        self.outbound = outbound
        self.second_lane = second_lane
        self.address = parse_broker_url(broker_url)
        self.decoder = Decoder(Topics(root), communes(), future_tolerance=clock_tolerance)
        self.on_deliveries: Callable[[list[Delivery]], None] = lambda batch: None
        self.on_elsewhere: Callable[[list[Raw]], None] = lambda raw: None
        self.on_connection: Callable[[bool, str], None] = lambda up, reason: None
        self.connections = 0
        self.connected = False
        self.asked_to_stop = threading.Event()
        self._publications = Publications()

    def start(self) -> None:
        threading.Thread(target=self._listen, name="recorder-inbound", daemon=True).start()

    def stop(self) -> None:
        pass  # the receiver owns the connection

    def publish(self, topic: str, payload: dict[str, Any], qos: int = 1, retain: bool = False):  # noqa: ANN201
        self.tell("publish", topic, encode(payload), qos, retain)

    def publish_confirmed(
        self, topic: str, payload: dict[str, Any], qos: int = 1, retain: bool = False
    ) -> Publication:
        """Publish through the receiver; the publication settles when the broker confirmed it.

        A receiver gone away never answers: the publication stays unsettled, and what it
        carried stays unsent in the database for the next recorder.
        """
        token, publication = self._publications.new()
        self.tell("publish", topic, encode(payload), qos, retain, token)
        return publication

    def ack(self, mid: int, qos: int) -> None:
        self.ack_all([(mid, qos)])

    def ack_all(self, pairs: list[tuple[int, int]]) -> None:
        pairs = [(mid, qos) for mid, qos in pairs if qos > 0]
        if pairs:
            self.tell("ack", pairs)

    def tell(self, *frame: Any) -> None:
        try:
            self.outbound.send(*frame)
        except (OSError, ValueError):
            pass  # the receiver is gone: nothing can be acked, the broker will redeliver

    def _listen(self) -> None:
        while (frame := self.inbound.receive()) is not None:
            match frame:
                case ("msgs", raw):
                    if self.second_lane is not None:
                        raw = self._share(raw)
                    self.on_deliveries(
                        [Delivery(None, mid, qos, retain, t, p) for t, p, mid, qos, retain in raw]
                    )
                case ("published", taken, refused):
                    self._publications.settle(taken, refused)
                case ("conn", up, reason, connections):
                    self.connections, self.connected = connections, up
                    self.on_connection(up, reason)
                case ("stop",):
                    break
        self.asked_to_stop.set()

    def _share(self, raw: list[Raw]) -> list[Raw]:
        """Hand the second lane its half of the QoS 0 messages; return the rest."""
        assert self.second_lane is not None
        mine, theirs = [], []
        for message in raw:
            (theirs if message[3] == 0 and hash(message[0]) & 1 else mine).append(message)
        if theirs:
            try:
                self.second_lane.send("msgs", theirs)
            except (OSError, ValueError):
                mine += theirs  # the lane is gone (reported by the watcher): write them here
            self.on_elsewhere(theirs)
        return mine


def _second_lane(
    db_url: str, broker_url: str, root: str, client_id: str, tolerance: timedelta
) -> tuple[int, Channel, Channel]:
    """Fork the second lane: its pid, the channel to it and the one back (in it, no return)."""
    to_child_r, to_child_w = os.pipe()
    from_child_r, from_child_w = os.pipe()
    pid = os.fork()
    if pid:
        os.close(to_child_r)
        os.close(from_child_w)
        return pid, Channel(os.fdopen(to_child_w, "wb")), Channel(os.fdopen(from_child_r, "rb"))
    # The second lane: the receiver's pipes are the first lane's alone.
    os.close(to_child_w)
    os.close(from_child_r)
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    inbound = Channel(os.fdopen(to_child_r, "rb"))
    outbound = Channel(os.fdopen(from_child_w, "wb"))
    bus = PipeBus(inbound, outbound, broker_url, root, clock_tolerance=tolerance)
    options = _options(tolerance, second_lane=True)
    os._exit(_run(bus, db_url, broker_url, root, client_id, options))


def _watch_second_lane(replies: Channel, first: PipeBus, totals: list[int]) -> None:
    """Relay the second lane's notices; if it dies, stop the first so the operator learns it."""
    stopped = False
    while (frame := replies.receive()) is not None:
        match frame:
            case ("notify", key, params):
                first.tell("notify", key, params)
            case ("handled", count):
                first.tell("handled", count)
            case ("fatal", key, params):
                first.tell("fatal", key, params)  # it says why itself
                stopped = True
                first.asked_to_stop.set()
            case ("stopped", recorded):
                totals.append(recorded)
                stopped = True
    if not stopped:
        first.tell("fatal", "recorder.writer_died", {"code": "second lane"})
        first.asked_to_stop.set()


def _run(
    bus: PipeBus,
    db_url: str,
    broker_url: str,
    root: str,
    client_id: str,
    options: RecorderOptions,
    on_stop: Callable[[], int] = lambda: 0,
) -> int:
    options.collect_between_batches = True  # main() turned automatic collection off
    recorder = Recorder(
        Database(db_url),
        broker_url,
        root,
        client_id,
        options=options,
        notify=lambda key, **params: bus.tell("notify", key, params),
        bus=bus,
    )
    recorder.on_handled = lambda count: bus.tell("handled", count)
    recorder.on_failed = bus.asked_to_stop.set
    try:
        recorder.start(check_schema=False)  # main() checked it, once for both lanes
    except VigieError as exc:
        bus.tell("fatal", exc.key, exc.params)
        return 1
    bus.asked_to_stop.wait()
    if recorder.failed.is_set():
        # Nothing more can be recorded: end non-zero (unacknowledged messages are redelivered
        # to the next start) rather than live on as a process that records nothing.
        bus.tell("fatal", "recorder.writer_failed", {"reason": recorder.failure})
        return 1
    recorder.stop()
    bus.tell("stopped", recorder.received + on_stop())
    return 0


#: Set (to "1") in the recorder's environment by whoever starts it on a broker that starts
#: empty (``vigie demo``'s embedded one): the cold-start check has nothing to compare then.
BROKER_STARTS_EMPTY = "VIGIE_BROKER_STARTS_EMPTY"


def _options(tolerance: timedelta, *, second_lane: bool = False) -> RecorderOptions:
    return RecorderOptions(
        second_lane=second_lane,
        retention=Retention(future_tolerance=tolerance),
        check_cold_start=os.environ.get(BROKER_STARTS_EMPTY) != "1",
    )


def main() -> int:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a terminal's Ctrl+C is the receiver's to handle
    # The receiver comes first: a broker whose queue for us fills up drops messages, while the
    # writer can always catch up later. (This matters in a burst, when all compete for cores.)
    os.nice(WRITER_NICENESS)
    inbound, outbound = Channel(sys.stdin.buffer), Channel(sys.stdout.buffer)
    first = inbound.receive()
    if first is None or first[0] != "config":
        return 2
    _, db_url, broker_url, root, client_id, seconds = first
    tolerance = Retention.future_tolerance if seconds is None else timedelta(seconds=seconds)
    try:
        checked = Database(db_url)
        require_current(checked)
        checked.dispose()  # no connection may cross the fork
    except VigieError as exc:
        Channel(sys.stdout.buffer).send("fatal", exc.key, exc.params)
        return 1
    configure_mappers()  # here, once, rather than in each lane at its first query
    gc.freeze()  # the modules just imported live as long as we do: keep the collector off them
    # Collect between batches only (``Recorder._run``): in the middle of one, every pass walks
    # the thousands of messages it holds (a tenth of a second of a cold start, measured).
    gc.disable()
    lane: Channel | None = None
    if (os.cpu_count() or 1) > 1:
        pid, lane, replies = _second_lane(db_url, broker_url, root, client_id, tolerance)
    bus = PipeBus(inbound, outbound, broker_url, root, second_lane=lane, clock_tolerance=tolerance)
    if lane is None:
        return _run(bus, db_url, broker_url, root, client_id, _options(tolerance))
    totals: list[int] = []
    watcher = threading.Thread(target=_watch_second_lane, args=(replies, bus, totals), daemon=True)
    watcher.start()

    def stop_second_lane() -> int:
        lane.close()  # its inbound ends: it commits what it holds and says how much
        watcher.join(timeout=60)
        os.waitpid(pid, 0)
        return sum(totals)

    return _run(bus, db_url, broker_url, root, client_id, _options(tolerance), stop_second_lane)


if __name__ == "__main__":  # as before ``writer_start`` (which turns the collector off first)
    sys.exit(main())
