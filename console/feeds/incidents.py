"""The console's link to the record: incidents read from the database, refreshed on events.

The Qt adapter between services and widgets. paho's thread only hands event payloads over; every
200 ms the GUI thread gathers what is wanted and takes a turn (``console.feeds.base``): it awaits
the reads on the feed's lane (the GUI thread never waits on the network or the disk) and emits
what they found. After every (re)connection to the broker the whole snapshot is read again,
since events are hints to re-read, not the record.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from pydantic import ValidationError
from PySide6.QtCore import QTimer, Signal, SignalInstance

from console.bridge import Bridge
from console.feeds.base import Feed
from services.bus.client import BusClient, Delivery
from services.bus.codec import Decoder
from services.bus.connection import client_id, parse_broker_url
from services.bus.schemas import IncidentEvent
from services.bus.topics import Topics
from services.command_log import recent_commands
from services.domain.errors import NotFound, VigieError
from services.domain.incidents import OPEN_STATUSES
from services.reference import communes
from services.store import incidents as incident_store
from services.store import journal as journal_store
from services.store import stats
from services.store.database import Database

#: How many of the newest logbook entries a console shows when it starts.
JOURNAL_BACKLOG = 500


class IncidentFeed(Feed):
    sig_incidents = Signal(list)
    """Incidents read from the database (new or changed), as domain values."""
    sig_journal = Signal(list)
    """Logbook entries not seen yet, oldest first."""
    sig_quarantined = Signal(int)
    """How many messages the recorders have quarantined."""
    sig_link = Signal(str, bool, str)
    """A link changed: ("broker" | "database", up, detail)."""
    sig_mode = Signal(str, dict)
    """A retained ``modes/snow`` or ``modes/traffic`` announcement: (which, its payload)."""
    sig_commands = Signal(list)
    """The newest commands of the shared log, as ``CommandRecord`` values."""

    def __init__(
        self, db: Database, broker_url: str, root: str, *, bridge: Bridge, parent: Any = None
    ) -> None:
        super().__init__(bridge, "incident-feed", parent)
        self.db = db
        self.topics = Topics(root)
        self._pending: set[int] = set()
        self._snapshot_wanted = True
        self._journal_wanted = True
        self._commands_wanted = True
        self._count_wanted = True  # the quarantine's count (GUI thread only)
        self._journal_last = 0  # the newest logbook entry handed out (read on the lane only)
        self._lock = threading.Lock()
        self.bus = BusClient(
            parse_broker_url(broker_url),
            client_id("console"),
            Decoder(self.topics, communes()),
            subscriptions=[
                (self.topics.event("incidents"), 1),
                (self.topics.event("journal"), 1),
                (self.topics.event("commands"), 1),
                (self.topics.mode("snow"), 1),
                (self.topics.mode("traffic"), 1),
            ],
            on_delivery=self._on_delivery,
            on_connection=self._on_connection,
            decode_later=True,
        )
        self._drain = QTimer(self)
        self._drain.timeout.connect(self._read_pending)
        self._stats = QTimer(self)  # also how a lost database is noticed when nothing happens
        self._stats.timeout.connect(self._want_count)

    def start(self) -> None:
        self.bus.start()
        self._drain.start(200)
        self._stats.start(5000)

    def announce_journal(self, entry_id: int, by: str) -> None:
        self.bus.publish(self.topics.event("journal"), {"entry_id": entry_id, "by": by})

    def announce(self, incident_id: int, version: int, by: str) -> None:
        """Tell every console an incident changed (after the commit that changed it)."""
        self.bus.publish(
            self.topics.event("incidents"),
            {"incident_id": incident_id, "version": version, "kind": "updated", "by": by},
        )

    def stop(self) -> None:
        self._drain.stop()
        self._stats.stop()
        self.bus.stop()
        self._stop_turns()

    # --- paho's thread: hand over, nothing else -----------------------------------------------
    def _on_delivery(self, delivery: Delivery) -> None:
        for which in ("snow", "traffic"):
            if delivery.topic == self.topics.mode(which):
                try:
                    payload = json.loads(delivery.payload)
                except ValueError:
                    return
                if isinstance(payload, dict):
                    self.sig_mode.emit(which, payload)  # queued: the GUI thread shows it
                return
        if delivery.topic == self.topics.event("commands"):
            self.want_commands()  # which one does not matter: the log is read again
            return
        if delivery.topic == self.topics.event("journal"):
            with self._lock:
                self._journal_wanted = True  # which entry does not matter: read what is new
            return
        try:
            event = IncidentEvent.model_validate_json(delivery.payload)
        except ValidationError:
            return  # not ours to quarantine: the recorder keeps the record of the field
        with self._lock:
            self._pending.add(event.incident_id)

    def want_commands(self) -> None:
        """Read the command log again at the next drain (any thread)."""
        with self._lock:
            self._commands_wanted = True

    def _on_connection(self, up: bool, reason: str) -> None:
        if up:
            with self._lock:
                self._snapshot_wanted = True  # what happened while we were away
                self._journal_wanted = True
                self._commands_wanted = True
        self.sig_link.emit("broker", up, reason)

    # --- the GUI thread: gather, then read on the lane ---------------------------------------
    def _want_count(self) -> None:
        self._count_wanted = True

    def _read_pending(self) -> None:
        if self.busy:  # a slow database: what is wanted waits for the turn under way to end
            return
        with self._lock:
            ids, self._pending = self._pending, set()
            snapshot, self._snapshot_wanted = self._snapshot_wanted, False
            journal, self._journal_wanted = self._journal_wanted, False
            commands, self._commands_wanted = self._commands_wanted, False
        count, self._count_wanted = self._count_wanted, False
        if snapshot or ids or journal or commands or count:
            self._take_turn(self._read_wanted(snapshot, sorted(ids), journal, commands, count))

    async def _read_wanted(
        self, snapshot: bool, ids: list[int], journal: bool, commands: bool, count: bool
    ) -> None:
        try:
            if snapshot:
                self._found(self.sig_incidents, await self._lane.run(self._read_open))
            elif ids:
                self._found(self.sig_incidents, await self._lane.run(self._read_ids, ids))
            if journal:
                self._found(self.sig_journal, await self._lane.run(self._read_journal))
            if commands:
                self._found(self.sig_commands, await self._lane.run(recent_commands, self.db))
            if count:
                quarantined = await self._lane.run(self._read_quarantined)
                self.sig_link.emit("database", True, "")
                self.sig_quarantined.emit(quarantined)  # none is news too
        except VigieError as exc:
            with self._lock:  # try again on the next drain
                self._snapshot_wanted = self._journal_wanted = self._commands_wanted = True
            self.sig_link.emit("database", False, exc.key)

    def _found(self, signal: SignalInstance, found: list) -> None:
        self.sig_link.emit("database", True, "")
        if found:
            signal.emit(found)

    def _read_quarantined(self) -> int:
        with self.db.read() as session:
            return stats.quarantined(session)

    def _read_journal(self) -> list:
        with self.db.read() as session:
            if self._journal_last:
                entries = journal_store.list_entries(session, after_id=self._journal_last)
            else:
                entries = journal_store.list_entries(session, limit=JOURNAL_BACKLOG)
        if entries:
            self._journal_last = entries[-1].id
        return entries

    def _read_open(self) -> list:
        with self.db.read() as session:
            return incident_store.list_incidents(session, statuses=OPEN_STATUSES)

    def _read_ids(self, ids: list[int]) -> list:
        found = []
        with self.db.read() as session:
            for incident_id in ids:
                try:
                    found.append(incident_store.get(session, incident_id))
                except NotFound:
                    continue  # an event about an incident another database holds
        return found
