"""The recorder, the only sender: it publishes what consoles and the CLI recorded.

Consoles and the CLI write a command (or a mode's announcement) and publish nothing; the field
obeys only the recorder (docs/security.md). Each recorder claims unsent rows with
``FOR UPDATE SKIP LOCKED`` (several recorders never send one twice: the first holds the rows
until it has published them and marked them sent), publishes them at QoS 1 and commits.

It is woken at once on PostgreSQL (``LISTEN vigie_outbox``; a trigger notifies on every insert,
migration 0008) and looks every ``POLL_S`` on SQLite, which has no notifications. A notification
lost while the listening connection was down is made up for by the same look, every second.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import exists, or_, select

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


class OutboxSender:
    """A thread that publishes unsent commands and announcements as soon as they are committed."""

    def __init__(
        self,
        db: Database,
        bus: Any,
        topics: Topics,
        *,
        on_sent: Callable[[int], None] = lambda count: None,
    ) -> None:
        self.db = db
        self.bus = bus
        self.topics = topics
        self.on_sent = on_sent
        self.sent = 0
        self.unsendable = 0  # commands no topic could carry: marked failed, not retried
        self.failures = 0  # rounds that failed on something unforeseen (the thread went on)
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
        """Publish what is due; True when a full batch went (call again)."""
        now = datetime.now(UTC)
        if not self._anything_due(now):
            return False
        with self.db.write() as session:
            rows = (
                session.execute(
                    select(CommandRow)
                    .where(*_due(now))
                    .order_by(CommandRow.issued_at)
                    .limit(BATCH)
                    .with_for_update(skip_locked=True)
                )
                .scalars()
                .all()
            )
            for row in rows:
                self._send_command(row, now)
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
            for mode in modes:
                # Only the snow plan's and the traffic mode's, and only a JSON object (on
                # PostgreSQL a trigger holds both; SQLite's single workstation is Vigie's).
                if mode.kind in ("snow", "traffic") and isinstance(mode.announcement, dict):
                    topic = self.topics.mode(mode.kind)
                    self.bus.publish(topic, dict(mode.announcement), qos=1, retain=True)
                mode.announced_at = now
        self.sent += len(rows)
        if rows:
            self.on_sent(len(rows))
        return len(rows) == BATCH

    def _send_command(self, row: CommandRow, now: datetime) -> None:
        """Publish one command; one that cannot be (a target no topic may name) fails alone."""
        try:
            request = outbox.as_request(row)
            self.bus.publish(request.topic(self.topics), request.payload(), qos=1)
        except (ValueError, TypeError, KeyError):
            row.status, row.finished_at = CommandStatus.FAILED.value, now
            self.unsendable += 1
        row.sent_at = now

    def _anything_due(self, now: datetime) -> bool:
        """A read that takes no lock: SQLite's 20 looks a second must not hold up the writer."""
        with self.db.read() as session:
            return bool(
                session.execute(
                    select(
                        or_(
                            exists().where(*_due(now)),
                            exists().where(
                                CityModeRow.announcement.is_not(None),
                                CityModeRow.announced_at.is_(None),
                            ),
                        )
                    )
                ).scalar()
            )


def _due(now: datetime) -> tuple[Any, ...]:
    """Commands to send: recorded, not yet sent, still pending and in time (else the sweep's)."""
    return (
        CommandRow.sent_at.is_(None),
        CommandRow.status == CommandStatus.PENDING.value,
        CommandRow.expires_at > now,
    )
