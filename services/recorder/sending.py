"""The recorder, the only sender: it publishes what consoles and the CLI recorded.

Consoles and the CLI write a command (or a mode's announcement) and publish nothing; the field
obeys only the recorder (docs/security.md). Each recorder claims unsent rows with
``FOR UPDATE SKIP LOCKED`` (several recorders never send one twice: the first holds the rows
until it has published them and marked them sent), publishes the batch at QoS 1, waits for the
broker's confirmations (PUBACK) of the whole batch at once, marks sent only the rows confirmed,
claims the others for ``CLAIM_S`` (``claimed_by``, ``claimed_until``: no other recorder
publishes them meanwhile; renewed while paho holds them), and commits.

A row is marked sent only once the broker has it: paho's ``publish`` returns when the message is
queued, and a recorder that died before the PUBACK would have left a row marked sent that never
reached the bus. A row not confirmed within ``CONFIRM_S`` stays unsent when the batch commits.
paho still holds its message (and sends it again on reconnecting), so it is not published a second
time while it is in flight, by this recorder nor, thanks to its claim, by another: it is marked
sent when its confirmation comes, or, if this recorder dies first, another sends it once the
claim has lapsed. That second copy, after a crash only, is harmless: it carries the same
``request_id``, and a device executes a request id at most once (field contract, "Commands").

It is woken at once on PostgreSQL (``LISTEN vigie_outbox``; a trigger notifies on every insert,
migration 0008) and looks every ``POLL_S`` on SQLite, which has no notifications. A notification
lost while the listening connection was down is made up for by the same look, every second.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import exists, or_, select, update

from services.bus.confirm import Publication
from services.bus.topics import Topics
from services.commands import outbox
from services.domain.commands import CommandStatus
from services.domain.errors import VigieError
from services.store.database import Database
from services.store.models import CityModeRow, CommandRow

POLL_S = 0.05  # SQLite: at most this long before an act's command is on the bus
LOOK_S = 1.0  # PostgreSQL: a look without a notification, for one lost while reconnecting
CHANNEL = "vigie_outbox"
BATCH = 500
#: How long a batch waits for the broker's confirmations while it holds its rows (and, on
#: SQLite, the write lock). A broker answers in milliseconds; one that has not answered by then
#: is stalled or away, and the rows it has not confirmed commit unsent.
CONFIRM_S = 1.0
#: A publication the broker refused (an MQTT 5 failure code) is tried again after this long,
#: not at every look.
REFUSED_S = 1.0
#: A command confirmed this long after it expired is forgotten unmarked (the sweep timed it out).
LATE_S = 60.0
#: How long a command published and not yet confirmed stays its recorder's: renewed at half
#: time while paho holds it, so that it lapses only when the recorder is gone. Recorders' clocks
#: are the room's (NTP): a few seconds of skew shorten or lengthen a lapse, never a live claim.
CLAIM_S = timedelta(seconds=10)


@dataclass
class _Flight:
    """A publication whose row committed unsent: paho holds it until the broker confirms it."""

    publication: Publication
    until: datetime | None = None  # a command's expiry; a mode's announcement has none
    announcement: dict | None = None  # a mode's: the one published (the row may hold a newer one)
    again_at: float = 0.0  # refused: not tried again before this (monotonic)
    claimed_until: datetime | None = None  # a command's claim in the record, while in flight

    def holds(self) -> bool:
        """Not to be published again now: still in flight, or refused a moment ago."""
        if not self.publication.settled:
            return True
        if self.publication.taken:
            return False
        if not self.again_at:
            self.again_at = time.monotonic() + REFUSED_S
        return time.monotonic() < self.again_at


class OutboxSender:
    """A thread that publishes unsent commands and announcements as soon as they are committed."""

    def __init__(
        self,
        db: Database,
        bus: Any,
        topics: Topics,
        *,
        name: str = "recorder",
        on_sent: Callable[[int], None] = lambda count: None,
    ) -> None:
        self.db = db
        self.name = name  # the recorder's client id: who claims a command in flight
        self.bus = bus
        self.topics = topics
        self.on_sent = on_sent
        self.sent = 0
        self.unsendable = 0  # commands no topic could carry: marked failed, not retried
        self.failures = 0  # rounds that failed on something unforeseen (the thread went on)
        self.unconfirmed = 0  # publications the broker had not confirmed when their batch ended
        self.late = 0  # of those, rows marked sent when their confirmation came later
        # Committed unsent, their message still in paho's hands: by request id, by mode kind.
        self._commands: dict[str, _Flight] = {}
        self._modes: dict[str, _Flight] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="recorder-outbox", daemon=True)
        self._listener: Any = None

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._close_listener()

    # --- the loop ------------------------------------------------------------------------------
    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                # Also while the broker is away: that is when paho holds messages longest.
                self._renew_claims(datetime.now(UTC))
                while self.bus.connected and self.send_due():
                    pass  # a full batch: there may be more
            except VigieError:
                pass  # the database is away: the writer tells the operator; look again later
            except Exception:  # noqa: BLE001 - whatever a row held, the sender goes on
                # A thread that died here would leave every later command unsent, silently.
                self.failures += 1
                self._stop.wait(LOOK_S)
            self._wait()

    def _wait(self) -> None:
        if self.db.dialect != "postgresql":
            self._stop.wait(POLL_S)
            return
        try:
            listener = self._listening()
            for _ in listener.notifies(timeout=LOOK_S, stop_after=1):
                pass
        except Exception:  # noqa: BLE001 - any driver error: reconnect at the next wait
            self._close_listener()
            self._stop.wait(LOOK_S)

    def _listening(self) -> Any:
        if self._listener is None:
            import psycopg

            url = self.db.engine.url.set(drivername="postgresql")
            conninfo = url.render_as_string(hide_password=False)
            self._listener = psycopg.connect(conninfo, autocommit=True, connect_timeout=5)
            self._listener.execute(f"LISTEN {CHANNEL}")
        return self._listener

    def _close_listener(self) -> None:
        if self._listener is not None:
            try:
                self._listener.close()
            except Exception:  # noqa: BLE001, S110 - closing a broken connection
                pass
            self._listener = None

    # --- one claim -----------------------------------------------------------------------------
    def send_due(self) -> bool:
        """Publish what is due and mark what the broker confirmed; True when a full batch went."""
        now = datetime.now(UTC)
        self._tidy(now)
        late = [rid for rid, flight in self._commands.items() if flight.publication.confirmed]
        holding = list(self._commands)  # in flight, just refused, or confirmed late: not again
        self._renew_claims(now)
        if not late and not self._anything_due(now, holding):
            return False
        with self.db.write() as session:
            rows = (
                session.execute(
                    select(CommandRow)
                    .where(*_due(now), *_not_in(holding))
                    .order_by(CommandRow.issued_at)
                    .limit(BATCH)
                    .with_for_update(skip_locked=True)
                )
                .scalars()
                .all()
            )
            # The whole batch is published, then its confirmations awaited together: one round
            # trip to the broker per batch, not per row.
            published = [(row, self._publish_command(row, now)) for row in rows]
            modes = (
                session.execute(
                    select(CityModeRow)
                    .where(
                        CityModeRow.announcement.is_not(None), CityModeRow.announced_at.is_(None)
                    )
                    .with_for_update(skip_locked=True)
                )
                .scalars()
                .all()
            )
            announced = [(mode, self._announce(mode, now)) for mode in modes]
            _wait_for([p for _, p in published + announced if p is not None])
            # Each is followed until the commit has marked it: a commit that fails leaves the
            # confirmed ones to be marked by the next round, not published again.
            sent, marked = 0, list(late)
            for row, publication in published:
                if publication is None:
                    continue  # unsendable: failed, and marked already
                flight = _Flight(publication, until=row.expires_at)
                self._commands[row.request_id] = flight
                if publication.confirmed:
                    row.sent_at = now
                    sent += 1
                    marked.append(row.request_id)
                else:
                    self.unconfirmed += 1
                    row.claimed_by, row.claimed_until = self.name, now + CLAIM_S
                    flight.claimed_until = row.claimed_until
            for mode, publication in announced:
                if publication is None:
                    continue
                flight = _Flight(publication, announcement=dict(mode.announcement or {}))
                self._modes[mode.kind] = flight
                if publication.confirmed:
                    mode.announced_at = now
                else:
                    self.unconfirmed += 1
            sent += self._mark_late(session, late, now)
        for request_id in marked:
            self._commands.pop(request_id, None)
        for mode, publication in announced:
            if publication is not None and publication.confirmed:
                self._modes.pop(mode.kind, None)
        self.sent += sent
        if sent:
            self.on_sent(sent)
        return len(rows) == BATCH

    def _publish_command(self, row: CommandRow, now: datetime) -> Publication | None:
        """Publish one command; one that cannot be (a target no topic may name) fails alone."""
        try:
            request = outbox.as_request(row)
            topic = _publishable(request.topic(self.topics))
            return self.bus.publish_confirmed(topic, request.payload(), qos=1)
        except (ValueError, TypeError, KeyError):
            row.status, row.finished_at = CommandStatus.FAILED.value, now
            row.sent_at = now  # never to be sent: nothing waits for the broker
            self.unsendable += 1
            return None

    def _announce(self, mode: CityModeRow, now: datetime) -> Publication | None:
        """A mode's announcement, retained; None when there is nothing to publish now."""
        flight = self._modes.get(mode.kind)
        if flight is not None and flight.announcement == mode.announcement:
            if flight.publication.confirmed:  # confirmed after its batch: announced now
                del self._modes[mode.kind]
                mode.announced_at = now
                return None
            if flight.holds():
                return None
        self._modes.pop(mode.kind, None)  # a newer announcement replaces one in flight
        # Only the snow plan's and the traffic mode's, and only a JSON object (on
        # PostgreSQL a trigger holds both; SQLite's single workstation is Vigie's).
        if mode.kind in ("snow", "traffic") and isinstance(mode.announcement, dict):
            topic = self.topics.mode(mode.kind)
            return self.bus.publish_confirmed(topic, dict(mode.announcement), qos=1, retain=True)
        mode.announced_at = now  # nothing any subscriber could read: never published
        return None

    def _renew_claims(self, now: datetime) -> None:
        """Keep the claim on what paho still holds, before half of it has run."""
        due = {
            rid: flight
            for rid, flight in self._commands.items()
            if flight.claimed_until is not None
            and not flight.publication.settled
            and flight.claimed_until - now < CLAIM_S / 2
        }
        if not due:
            return
        until = now + CLAIM_S
        with self.db.write() as session:
            session.execute(
                update(CommandRow)
                .where(
                    CommandRow.request_id.in_(list(due)),
                    CommandRow.sent_at.is_(None),
                    CommandRow.claimed_by == self.name,
                )
                .values(claimed_until=until)
            )
        for flight in due.values():
            flight.claimed_until = until

    def _mark_late(self, session: Any, late: list[str], now: datetime) -> int:
        """Rows committed unsent whose confirmation came since: sent now, not published again."""
        if not late:
            return 0
        marked = (
            session.execute(
                update(CommandRow)
                .where(CommandRow.request_id.in_(late), CommandRow.sent_at.is_(None))
                .values(sent_at=now)
            ).rowcount
            or 0
        )
        self.late += marked
        return marked

    def _tidy(self, now: datetime) -> None:
        """Forget what can no longer matter: a command long expired, a refusal to retry."""
        for request_id, flight in list(self._commands.items()):
            expired = flight.until is not None and (now - flight.until).total_seconds() > LATE_S
            retry = flight.publication.settled and not flight.publication.taken
            if expired or (retry and not flight.holds()):
                del self._commands[request_id]
        for kind, flight in list(self._modes.items()):
            if flight.publication.settled and not flight.publication.taken and not flight.holds():
                del self._modes[kind]

    def _anything_due(self, now: datetime, holding: list[str]) -> bool:
        """A read that takes no lock: SQLite's 20 looks a second must not hold up the writer."""
        stuck = [kind for kind, flight in self._modes.items() if flight.holds()]
        with self.db.read() as session:
            return bool(
                session.execute(
                    select(
                        or_(
                            exists().where(*_due(now), *_not_in(holding)),
                            exists().where(
                                CityModeRow.announcement.is_not(None),
                                CityModeRow.announced_at.is_(None),
                                *([CityModeRow.kind.not_in(stuck)] if stuck else []),
                            ),
                        )
                    )
                ).scalar()
            )


def _wait_for(publications: list[Publication]) -> None:
    """Until every publication is settled, or ``CONFIRM_S`` has passed since the first wait."""
    deadline = time.monotonic() + CONFIRM_S
    for publication in publications:
        if not publication.wait(deadline - time.monotonic()):
            return  # the broker is stalled or away: the rest will not come sooner


def _publishable(topic: str) -> str:
    """The topic, checked here as paho checks it.

    Through the recorder's pipe, paho's refusal would come in the receiver, far from the row.
    """
    if not topic or "+" in topic or "#" in topic or "\0" in topic:
        raise ValueError(f"not a topic a command can be published on: {topic!r}")
    if len(topic.encode()) > 65_535:
        raise ValueError("topic too long")
    return topic


def _not_in(request_ids: list[str]) -> tuple[Any, ...]:
    return (CommandRow.request_id.not_in(request_ids),) if request_ids else ()


def _due(now: datetime) -> tuple[Any, ...]:
    """Commands to send: recorded, unsent, pending, in time (else the sweep's), and unclaimed.

    Unclaimed: not in flight from another recorder (its claim has lapsed, or there is none).
    """
    return (
        CommandRow.sent_at.is_(None),
        CommandRow.status == CommandStatus.PENDING.value,
        CommandRow.expires_at > now,
        or_(CommandRow.claimed_until.is_(None), CommandRow.claimed_until <= now),
    )
