"""The recorder's writer: batch, decode, commit, then acknowledge and announce.

The bus (the receiver's pipe, or paho in one process) queues raw messages; one writer thread
decodes and records them in batches. A batch closes after 250 ms, or after 50 ms without a
message (at once if it already holds 1,000), or as soon as it holds as many unacknowledged QoS 1
messages as the broker's in-flight window (the broker sends no more until we ack), or at
``max_batch`` messages. Only after the batch's commit are its QoS 1 messages acknowledged (so a
crash means redelivery, not loss) and its events published.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from services.bus.codec import Decoder, redact_personal
from services.bus.connection import parse_broker_url
from services.bus.delivery import Delivery
from services.bus.messages import (
    AckMessage,
    AlertMessage,
    GatewayMessage,
    PositionMessage,
    Rejection,
    ReportMessage,
    StateMessage,
    UnitStatusMessage,
)
from services.bus.presence import ConsoleStatusMessage
from services.bus.topics import Topics
from services.collector import collect_due
from services.commands import outbox
from services.commands.outcome import GRACE
from services.config import load_settings
from services.domain.errors import VigieError
from services.domain.operators import RECORDER
from services.domain.retention import Retention
from services.recorder import (
    aggregates,
    energy,
    equipment,
    incident_rules,
    retention,
    units,
)
from services.recorder import commands as command_record
from services.recorder.citizens import CitizenStatuses
from services.recorder.consoles import Heard, follow_consoles
from services.recorder.sending import OutboxSender
from services.reference import communes
from services.snow_network import load_network
from services.store import approvals, audit, camera_views
from services.store.database import (
    Database,
    DatabaseFull,
    DatabaseUnreachable,
    WriteConflict,
)
from services.store.models import EquipmentRow, QuarantineRow, RecorderStatsRow
from services.store.schema import require_current
from services.store.upsert import add_to_counters, insert_ignore

Notify = Callable[..., None]  # notify(key, **params): the CLI turns keys into sentences


@dataclass
class RecorderOptions:
    batch_wait: float = 0.25  # no message waits longer for its commit
    inflight_window: int = 20  # mosquitto's default max_inflight_messages
    max_batch: int = 5000
    sweep_every: float = 1.0  # fault incidents and command timeouts
    maintenance_every: float = 300.0
    cold_start_quiet: float = 5.0  # the retained burst is over after this long without one
    # Compare a cold start's retained burst with what the database knows: not when the broker
    # is known to start empty (the demo's embedded one keeps nothing between runs).
    check_cold_start: bool = True
    # A second lane (``worker``) only writes what it is handed; the first does everything else.
    second_lane: bool = False
    # The writer process turns automatic collection off: collect between batches instead. Never
    # in a process with Qt objects, which only their GUI thread may free (console.shell.gc_guard).
    collect_between_batches: bool = False
    rules: incident_rules.FaultRules = field(default_factory=incident_rules.FaultRules)
    retention: Retention = field(default_factory=Retention)
    # The winter-service network whose passes are counted (``aggregates``): a file as the
    # ``snow_network`` setting names one ("" the bundled one); None: that setting, read at start.
    snow_network: str | None = None
    # A share group (``vigie recorder --share``), for a recorder holding its own session (tests):
    # ``receiver.subscriptions``. ``vigie recorder`` passes it to its receiver instead.
    share: str | None = None


QUIET_S = 0.05
#: While the database is full, at most this many messages are held before the receiver waits.
HELD_WHILE_FULL = 50_000
#: A batch this large when the queue runs dry is a burst's: written at once rather than kept
#: QUIET_S waiting for company (at a cold start, each lane's last batch waited so).
FULL_ENOUGH = 1000


def _now() -> datetime:
    return datetime.now(UTC)


class Recorder:
    def __init__(
        self,
        db: Database,
        broker_url: str,
        root: str,
        client_id: str,
        *,
        options: RecorderOptions | None = None,
        notify: Notify | None = None,
        bus: Any = None,
    ) -> None:
        """``bus`` is the writer process's pipe to its receiver (``worker.PipeBus``).

        Without it the recorder holds its own MQTT session (one process, as tests run it).
        """
        self.db = db
        self.topics = Topics(root)
        self.client_id = client_id
        self.options = options or RecorderOptions()
        self.notify: Notify = notify or (lambda key, **params: None)
        self._queue: queue.Queue[list[Delivery]] = queue.Queue()
        self._carry: list[Delivery] = []  # what the last batch had no room for
        self._stop = threading.Event()
        self._writer = threading.Thread(target=self._run, name="recorder-writer", daemon=True)
        self._resent_for = 0  # the bus connection count the outbox was last re-sent for
        # Commands sent before this may have been lost with the connection: re-sent when it is
        # back. The outbox sends only while connected, so nothing sent later needs it.
        self._down_since = _now()
        self._last_head: audit.Anchor | None = None
        self._citizens = CitizenStatuses(_now())  # each Open311 request's status, told the bus
        self._snow: aggregates.SnowWatch | None = None  # the network, once started
        # Per workstation, the last word of its console (``consoles``): the first lane's, which
        # gets every QoS 1 message, in order.
        self.consoles: dict[str, Heard] = {}
        self._new_devices = equipment.NewDevices()  # a cold start into an empty record
        self.received = 0
        self.retained_states = 0  # received at start-up: compared with what the database knows
        self._known_at_start = 0
        self._last_retained = time.monotonic()
        self._cold_start_checked = False
        self.quarantined = 0
        self.committed = threading.Condition()
        self.batches = 0
        # Told how many messages each batch took off the queue, once it is committed.
        self.on_handled: Callable[[int], None] = lambda count: None
        # The writer could not go on (``_run``): why, and whom to tell so the process ends.
        self.failure: str | None = None
        self.failed = threading.Event()
        self.on_failed: Callable[[], None] = lambda: None
        self._told_full = False
        self._conflicted = False
        #: The first lane alone sends what consoles and the CLI recorded (``sending``).
        self.sending: OutboxSender | None = None
        if bus is not None:
            bus.on_deliveries = self._queue.put
            bus.on_elsewhere = self._count_retained
            bus.on_connection = self._on_connection
            self.bus = bus
            self._send_outbox()
            return
        # One process holding its own session (tests): only here is paho needed.
        from services.bus.client import BusClient
        from services.recorder.receiver import offline_will, subscriptions

        self.bus = BusClient(
            parse_broker_url(broker_url),
            client_id,
            Decoder(
                self.topics,
                communes(),
                future_tolerance=self.options.retention.future_tolerance,
            ),
            subscriptions=subscriptions(self.topics, self.options.share),
            on_delivery=lambda delivery: self._queue.put([delivery]),
            on_connection=self._on_connection,
            clean_session=False,
            manual_ack=True,
            decode_later=True,
            will=offline_will(self.topics, client_id),
        )
        self._send_outbox()

    def _send_outbox(self) -> None:
        if not self.options.second_lane:
            self.sending = OutboxSender(self.db, self.bus, self.topics, name=self.client_id)

    # --- lifecycle ---------------------------------------------------------------------------
    def start(self, *, check_schema: bool = True) -> None:
        """Start recording; ``check_schema=False`` where the caller checked it already."""
        if check_schema:
            require_current(self.db)
        self._snow = self._watch_snow()
        if not self.options.second_lane and self.options.check_cold_start:
            self._known_at_start = self.known_equipment()
            self._new_devices.expected = self._known_at_start == 0
        else:
            self._new_devices.expected = self._record_empty()
        self._writer.start()
        self.bus.start()
        if self.sending is not None:
            self.sending.start()

    def _record_empty(self) -> bool:
        """A first start (an empty record): its first batch is inserted unread as well.

        Not known if the database is away (the lane starts all the same and reads its rows).
        """
        try:
            with self.db.read() as session:
                return equipment.record_empty(session)
        except DatabaseUnreachable:
            return False

    def _watch_snow(self) -> aggregates.SnowWatch | None:
        """The network passes are counted on; None (said, and no pass counted) if unreadable.

        A network file the city got wrong must not stop the record of everything else.
        """
        path = self.options.snow_network
        try:
            if path is None:
                path = load_settings().snow_network
            segments, _ = load_network(path)
        except VigieError as exc:
            self.notify(exc.key, **exc.params)
            return None
        return aggregates.SnowWatch(segments)

    def stop(self) -> None:
        """Flush what is held, say we are going, disconnect."""
        if self.sending is not None:
            self.sending.stop()
        self._stop.set()
        self._writer.join(timeout=30)
        if self.bus.connected:
            self.bus.publish(
                self.topics.recorder_status(self.client_id),
                {"online": False, "since": _iso(_now())},
                qos=1,
                retain=True,
            )
        self.bus.stop()

    def _on_connection(self, up: bool, reason: str) -> None:
        if up:
            self.bus.publish(
                self.topics.recorder_status(self.client_id),
                {"online": True, "since": _iso(_now())},
                qos=1,
                retain=True,
            )
            self.notify("recorder.broker_connected", url=self.bus.address.url)
            return
        self._down_since = _now()
        if not self._stop.is_set():  # our own disconnection at stop is no loss
            self.notify("recorder.broker_lost", url=self.bus.address.url, reason=reason)

    # --- the writer thread -------------------------------------------------------------------
    def _run(self) -> None:
        """The writer's loop; if it cannot go on, the recorder says so and stops.

        A writer that dies quietly leaves a process that looks alive and records nothing (the
        broker keeps redelivering what killed it): the process must end, non-zero, so that its
        service manager restarts it and the operator is told.
        """
        try:
            self._loop()
        except BaseException as exc:  # noqa: BLE001 - whatever it was, the record has stopped
            self.failure = f"{type(exc).__name__}: {_first_line(exc)}"
            self.notify("recorder.writer_failed", reason=self.failure)
            self.failed.set()
            self.on_failed()

    def _loop(self) -> None:
        # Not at once: a start's first seconds belong to the retained burst.
        next_sweep = time.monotonic() + self.options.sweep_every
        next_maintenance = time.monotonic() + self.options.cold_start_quiet
        pending: list[Delivery] = []
        short_of_room = False
        while True:
            if not pending or (short_of_room and len(pending) < HELD_WHILE_FULL):
                # A full database still takes what is small: new events join what is held.
                pending += self._collect()
            if pending:
                written, pending, short_of_room = self._write_what_fits(pending)
                if written:
                    self.on_handled(written)
                if pending:
                    # The database is away or full: keep the rest, try again.
                    time.sleep(0.05 if self._conflicted else 1.0)
                    self._conflicted = False
            if self.options.collect_between_batches:
                collect_due()
            if self._stop.is_set() and not pending and not self._carry and self._queue.empty():
                return
            if self.options.second_lane:
                continue
            now_m = time.monotonic()
            if self.bus.connections != self._resent_for and self.bus.connected:
                self._resend()
            # A backlog (a cold start's burst) is recorded first: the sweep and the maintenance
            # wait for it, one period at most.
            backlog = bool(self._carry) or not self._queue.empty()
            if now_m >= next_sweep + (self.options.sweep_every if backlog else 0):
                self._guarded(self._sweep)
                next_sweep = now_m + self.options.sweep_every
            if (
                not self._cold_start_checked
                and self.bus.connected
                and (now_m - self._last_retained > self.options.cold_start_quiet)
            ):
                self._check_cold_start()
            if now_m >= next_maintenance + (self.options.maintenance_every if backlog else 0):
                self._guarded(self._maintain)
                next_maintenance = now_m + self.options.maintenance_every

    def _collect(self) -> list[Delivery]:
        """The next batch: what arrives within ``batch_wait`` of its first message, or less."""
        batch: list[Delivery] = []
        unacked = 0
        deadline = time.monotonic() + self.options.batch_wait
        while len(batch) < self.options.max_batch and unacked < self.options.inflight_window:
            if not self._carry:
                if len(batch) >= FULL_ENOUGH and self._queue.empty():
                    break
                # A pause in the flow closes the batch early: the end of a burst is not kept
                # waiting for company that is not coming.
                timeout = min(deadline - time.monotonic(), QUIET_S) if batch else 0.1
                if timeout <= 0:
                    break
                try:
                    self._carry = self._queue.get(timeout=timeout)
                except queue.Empty:
                    break
            # Messages come in chunks (frames of the receiver): take what fits, keep the rest.
            taken = 0
            for item in self._carry:
                if len(batch) >= self.options.max_batch or unacked >= self.options.inflight_window:
                    break
                batch.append(item)
                unacked += item.qos > 0
                taken += 1
            self._carry = self._carry[taken:]
        return batch

    def _guarded(self, work: Callable[[], None]) -> None:
        """A sweep or a maintenance that fails is told, and tried again at its next turn."""
        try:
            work()
        except DatabaseUnreachable as exc:
            self.notify("recorder.database_lost", reason=exc.params.get("reason", ""))
        except Exception as exc:  # noqa: BLE001 - the record itself goes on
            reason = f"{type(exc).__name__}: {_first_line(_cause(exc))}"
            self.notify(
                "recorder.housekeeping_failed", work=work.__name__.strip("_"), reason=reason
            )

    def _write_what_fits(self, pending: list[Delivery]) -> tuple[int, list[Delivery], bool]:
        """Write ``pending``: (how many were recorded, what is left, whether room ran out).

        A full disk refuses a batch of thousands of states where an alert still fits: events
        (QoS 1: alerts, reports, acks, statuses) are tried first, then states, each in the
        order they came and by halves, so that what fits is recorded and nothing is recorded
        out of order within its kind.
        """
        try:
            if self._write(pending):
                self._told_full = False
                return len(pending), [], False
            return 0, pending, False
        except DatabaseFull as exc:
            if not self._told_full:  # once an episode, not every second
                self.notify("recorder.database_full", reason=exc.params.get("reason", ""))
                self._told_full = True
        written, left = 0, []
        for part in ([d for d in pending if d.qos > 0], [d for d in pending if d.qos == 0]):
            fits = self._first_that_fit(part)
            written += fits
            left += part[fits:]
        return written, left, True

    def _first_that_fit(self, part: list[Delivery]) -> int:
        """How many of ``part``, from its start, could be recorded (each prefix committed)."""
        if not part:
            return 0
        try:
            if self._write(part):
                return len(part)
            return 0  # the database went away meanwhile: the next round tries again
        except DatabaseFull:
            if len(part) == 1:
                return 0
        half = len(part) // 2
        fits = self._first_that_fit(part[:half])
        return fits if fits < half else fits + self._first_that_fit(part[half:])

    def _write(self, batch: list[Delivery]) -> bool:
        """Record a batch in one transaction; True once committed (then acked and announced).

        Raises ``DatabaseFull`` when the database has no room for it (``_write_what_fits``).
        """
        batch = self._decode(batch)
        try:
            incidents_events, command_events, rejected = self._record(batch)
        except DatabaseFull:
            raise
        except WriteConflict:
            self._conflicted = True  # another writer's batch won a deadlock: retry at once
            return False
        except DatabaseUnreachable as exc:
            self.notify("recorder.database_lost", reason=exc.params.get("reason", ""))
            return False
        except Exception as exc:  # noqa: BLE001 - a message we cannot record must not stop us
            if len(batch) > 1:
                return all([self._write([item]) for item in batch])
            (item,) = batch
            # The driver's own words, never the SQL parameters (a reporter's name, a phone…).
            reason = f"could not be recorded: {type(exc).__name__}: {_first_line(_cause(exc))}"
            self.notify("recorder.record_failed", topic=item.topic, reason=reason)
            rejection = Decoder.reject(
                item.topic,
                redact_personal(item.topic, item.payload),
                reason[:2000],
                _now(),
                entity_id=_entity_of(item.message),
            )
            return self._write([replace(item, message=rejection)])
        self.bus.ack_all([(item.mid, item.qos) for item in batch])
        self.received += len(batch)
        self.quarantined += rejected
        self._announce(incidents_events, command_events)
        with self.committed:
            self.batches += 1
            self.committed.notify_all()
        return True

    def _decode(self, batch: list[Delivery]) -> list[Delivery]:
        """Decode what paho handed over raw; topics that are not the field's are acked now."""
        decoded = []
        now = _now()
        for item in batch:
            if item.message is None:
                try:
                    item.message = self.bus.decoder.decode(item.topic, item.payload, now)
                except Exception as exc:  # noqa: BLE001 - the decoder's bug is one message's
                    reason = f"could not be decoded: {type(exc).__name__}: {_first_line(exc)}"
                    item.message = Decoder.reject(
                        item.topic, redact_personal(item.topic, item.payload), reason, now
                    )
                if item.message is None:
                    self.bus.ack(item.mid, item.qos)
                    continue
            decoded.append(item)
        return decoded

    def _record(self, batch: list[Delivery]) -> tuple[list, list, int]:
        now = _now()
        by_kind: dict[type, list[Any]] = {}
        states: list[tuple[StateMessage, bool]] = []
        retained_now = False
        for item in batch:
            if isinstance(item.message, StateMessage):
                states.append((item.message, item.retained))
                if item.retained:
                    self.retained_states += 1
                    retained_now = True
            else:
                by_kind.setdefault(type(item.message), []).append(item.message)
        if retained_now:
            self._last_retained = time.monotonic()
        rejections: list[Rejection] = list(by_kind.get(Rejection, []))
        incident_events: list[incident_rules.Event] = []
        command_events: list[tuple[str, str]] = []
        consoles, gone = self.consoles, {}
        with self.db.write() as session:
            equipment.record_gateways(session, by_kind.get(GatewayMessage, []), now)
            if states:
                equipment.record_states(session, states, now, self._new_devices)
            trusted_until = now + self.options.retention.future_tolerance
            if by_kind.get(PositionMessage):
                keep_after = now - self.options.retention.positions_kept
                units.record_positions(session, by_kind[PositionMessage], keep_after, trusted_until)
            if by_kind.get(UnitStatusMessage):
                units.record_statuses(session, by_kind[UnitStatusMessage], trusted_until)
                for status in by_kind[UnitStatusMessage]:
                    incident_events += incident_rules.follow_unit(session, status, now)
            for alert in by_kind.get(AlertMessage, []):
                incident_events += incident_rules.record_alert(session, alert, now)
            for report in by_kind.get(ReportMessage, []):
                incident_events += incident_rules.record_report(session, report, now)
            acks: list[AckMessage] = by_kind.get(AckMessage, [])
            if acks:
                known = command_record.record_acks(session, acks, now)
                rejections += [
                    Decoder.reject(
                        self.topics.ack("?"),
                        b"",
                        f"ack for unknown request {a.request_id}",
                        now,
                        entity_id=a.request_id,
                    )
                    for a in acks
                    if a.request_id not in known
                ]
                command_events += command_record.settle(session, known, now)
            for request_id, status in command_events:
                incident_events += incident_rules.follow_dispatch(session, request_id, status, now)
            if by_kind.get(ConsoleStatusMessage):
                statuses = by_kind[ConsoleStatusMessage]
                consoles, gone = follow_consoles(session, statuses, self.consoles, now)
            if states:
                # Late in the transaction: both lanes add to the same nights' rows. The cabinet's
                # row, locked above when its state changed, keeps two recorders apart.
                energy.record_energy(session, states, now)
            if states or by_kind.get(PositionMessage):
                # Traffic counts, bus priority, salt, snow passes: counted once however often
                # heard (``aggregates``); in key order, as the nights are, since lanes share rows.
                aggregates.record_aggregates(
                    session,
                    states,
                    by_kind.get(PositionMessage, []),
                    now,
                    snow=self._snow,
                    trusted_until=trusted_until,
                )
            insert_ignore(
                session,
                QuarantineRow.__table__,
                [
                    {
                        "topic": r.topic,
                        "reason": r.reason,
                        "received_at": r.received_at,
                        "size": r.size,
                        "payload": r.payload,
                        "recorder_id": self.client_id,
                        "entity_id": r.entity_id,
                    }
                    for r in rejections
                ],
            )
            self._count(session, len(batch), len(rejections), now)
        self.consoles = consoles  # committed: what was heard is now the record's
        for workstation, views in gone.items():
            self.notify("recorder.console_gone", workstation=workstation, count=len(views))
        if gone:
            self._publish_audit_head()  # the views' closing is on the journal
        return incident_events, command_events, len(rejections)

    def _count(self, session, received: int, quarantined: int, now: datetime) -> None:  # noqa: ANN001
        # Both lanes add to the same row, the first time too: one statement, never a race.
        add_to_counters(
            session,
            RecorderStatsRow.__table__,
            {"recorder_id": self.client_id},
            {"messages_received": received, "messages_quarantined": quarantined},
            {"updated_at": now},
        )

    def _count_retained(self, raw: list[tuple[str, bytes, int, int, bool]]) -> None:
        """Retained states handed to the second lane: they count for the cold-start check."""
        prefix = self.topics.root + "/state/"
        handed = sum(1 for topic, _, _, _, retained in raw if retained and topic.startswith(prefix))
        if handed:
            self.retained_states += handed
            self._last_retained = time.monotonic()

    def _check_cold_start(self) -> None:
        """A broker that kept fewer states than we know of is dropping them (its queue limit)."""
        self._cold_start_checked = True
        if self.retained_states < self._known_at_start:
            self.notify(
                "recorder.cold_start_short",
                received=self.retained_states,
                known=self._known_at_start,
            )

    def _sweep(self) -> None:
        now = _now()
        with self.db.write() as session:
            events = incident_rules.sweep_faults(session, now, self.options.rules)
            events += incident_rules.sweep_freeze_risk(session, now)
            # Requests past their time expire even when no approver's desk is open.
            approvals.expire_overdue(session, now)
            # Camera views past their limit close, journaled, whether or not a console is left.
            camera_views.close_overdue(session, now)
            # Acks move commands as they arrive; the sweep only times out the silent ones.
            late = [c.request_id for c in outbox.overdue(session, now - GRACE)]
            moved = command_record.settle(session, late, now)
            for request_id, status in moved:
                events += incident_rules.follow_dispatch(session, request_id, status, now)
        self._announce(events, moved)
        with self.db.read() as session:
            told = self._citizens.moved(session, now)
        for service_request_id, payload in told:
            topic = self.topics.report_status(service_request_id)
            self.bus.publish(topic, payload, qos=1, retain=True)

    def _maintain(self) -> None:
        now = _now()
        with self.db.write() as session:
            retention.thin_positions(session, now, self.options.retention)
            retention.purge(session, now, self.options.retention)

    def _resend(self) -> None:
        """After a (re)connection, publish again every command neither finished nor expired."""
        try:
            with self.db.read() as session:
                waiting = outbox.unfinished(session, _now(), sent_before=self._down_since)
        except DatabaseUnreachable:
            return
        for request in waiting:
            self.bus.publish(request.topic(self.topics), request.payload(), qos=1)
        self._resent_for = self.bus.connections
        if waiting:
            self.notify("recorder.resent", count=len(waiting))

    def _announce(self, incident_events: list, command_events: list) -> None:
        for incident_id, version, kind in incident_events:
            self.bus.publish(
                self.topics.event("incidents"),
                {"incident_id": incident_id, "version": version, "kind": kind, "by": RECORDER},
            )
        for request_id, status in command_events:
            self.bus.publish(
                self.topics.event("commands"),
                {"request_id": request_id, "status": status, "by": RECORDER},
            )
        if self.options.second_lane:
            return
        if incident_events or command_events or self._last_head is None:
            self._publish_audit_head()

    def _publish_audit_head(self) -> None:
        try:
            with self.db.read() as session:
                head = audit.head(session)
        except DatabaseUnreachable:
            return
        if head is not None and head != self._last_head:
            self.bus.publish(
                self.topics.audit_head, {"seq": head.seq, "hash": head.hash}, qos=1, retain=True
            )
            self._last_head = head

    # --- for tests and the CLI ---------------------------------------------------------------
    def wait_idle(self, timeout: float) -> bool:
        """Wait until everything received so far is committed."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._queue.empty():
                batches = self.batches
                with self.committed:
                    self.committed.wait(timeout=self.options.batch_wait * 2)
                if self._queue.empty() and self.batches == batches:
                    return True
            else:
                time.sleep(0.05)
        return False

    def known_equipment(self) -> int:
        with self.db.read() as session:
            # The table, not the mapped class: no ORM statement to compile on the way to the burst
            count = select(func.count()).select_from(EquipmentRow.__table__)
            return session.execute(count).scalar_one()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:500] if text else type(exc).__name__


def _cause(exc: BaseException) -> BaseException:
    """The driver's error inside SQLAlchemy's, whose text would list the statement's values."""
    return getattr(exc, "orig", None) or exc


def _entity_of(message: object) -> str | None:
    """The id a decoded message is about, for the quarantine row of one we could not record."""
    for name in (
        "id",
        "unit_id",
        "alert_id",
        "service_request_id",
        "request_id",
        "gateway",
        "workstation",
    ):
        value = getattr(message, name, None)
        if isinstance(value, str):
            return value
    return None


def _iso(at: datetime) -> str:
    return at.isoformat().replace("+00:00", "Z")
