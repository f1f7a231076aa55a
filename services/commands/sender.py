"""Sending a command: check the broker, record it in the outbox, follow its acks.

The field obeys only the recorder: the sender records the command, and the recorder publishes
it (``services/recorder/sending.py``). The sender subscribes to its own ``reply_to`` topic
before it records, so it can tell its operator at once; the recorder keeps the record of the
same acks independently. A command is pending
until its final acks arrive and timed out 5 s after ``expires_at`` without them.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.bus.client import BusClient, Delivery
from services.bus.codec import Decoder
from services.bus.connection import client_id as make_client_id
from services.bus.connection import parse_broker_url
from services.bus.messages import AckMessage
from services.bus.topics import Topics
from services.commands import outbox
from services.commands.membership import Membership, group_members
from services.commands.outcome import (
    GRACE,
    Outcome,
    device_outcome,
    dispatch_outcome,
    group_result,
)
from services.domain.commands import parse_group
from services.domain.errors import VigieError
from services.domain.permissions import Act
from services.reference import communes
from services.store.database import Database
from services.store.models import EquipmentRow


class BrokerUnreachable(VigieError):
    key = "bus.unreachable"


@dataclass(frozen=True)
class Plan:
    """What a command will do, said before it is sent."""

    request: outbox.CommandRequest
    members: Membership | None  # group commands: the devices it reaches, by gateway
    known_device: bool  # device commands: whether Vigie has heard of the device
    communes: frozenset[str]  # INSEE codes of the communes it reaches


class CommandSender:
    def __init__(self, db: Database, broker_url: str, root: str, client_id: str | None = None):
        self.db = db
        self.topics = Topics(root)
        self.client_id = client_id or make_client_id("cli")
        self.reply_to = self.topics.ack(self.client_id)
        self._acks: dict[str, list[AckMessage]] = defaultdict(list)
        self._changed = threading.Condition()
        self.bus = BusClient(
            parse_broker_url(broker_url),
            self.client_id,
            Decoder(self.topics, communes()),
            subscriptions=[(self.reply_to, 1)],
            on_delivery=self._on_delivery,
        )

    def connect(self, timeout: float = 5.0) -> None:
        """Connect before anything is recorded: an unreachable broker means nothing was sent."""
        self.bus.start()
        if not self.bus.wait_connected(timeout):
            self.bus.stop()
            raise BrokerUnreachable(url=self.bus.address.url)

    def close(self) -> None:
        self.bus.stop()

    def plan(
        self,
        target_type: str,
        target: str,
        command: str,
        params: dict[str, Any],
        *,
        issued_by: str,
        expires_in: timedelta = outbox.DEFAULT_EXPIRY,
    ) -> Plan:
        now = datetime.now(UTC)
        request = outbox.prepare(
            target_type,
            target,
            command,
            params,
            issued_by=issued_by,
            reply_to=self.reply_to,
            now=now,
            expires_in=expires_in,
        )
        with self.db.read() as session:
            if request.is_group:
                members = group_members(session, parse_group(request.target), request.command)
                return Plan(request, members, True, _communes_of(session, members.devices))
            known = outbox.is_known_device(session, request)
            return Plan(request, None, known, _communes_of(session, [request.target]))

    def dispatch(
        self,
        unit_id: str,
        incident_id: int,
        lat: float,
        lon: float,
        summary: str,
        *,
        issued_by: str,
        expires_in: timedelta = outbox.DEFAULT_EXPIRY,
    ) -> outbox.CommandRequest:
        """Send a unit to an incident through the outbox; follow it with ``wait``."""
        request = outbox.prepare_dispatch(
            unit_id,
            incident_id,
            lat,
            lon,
            summary,
            issued_by=issued_by,
            reply_to=self.reply_to,
            now=datetime.now(UTC),
            expires_in=expires_in,
        )
        return self.send(Plan(request, None, True, frozenset()))

    def send(
        self, plan: Plan, *, approved_by: str | None = None, approval_id: str | None = None
    ) -> outbox.CommandRequest:
        """Record in the outbox, with its audit entry: the recorder publishes it at once."""
        request = _restamped(plan.request)
        with self.db.write() as session:
            outbox.record(session, request, approved_by=approved_by, approval_id=approval_id)
        return request

    def send_together(
        self,
        plans: Sequence[Plan],
        record_act: Callable[[Session], None],
        *,
        act: Act | None = None,
        approval_id: str | None = None,
    ) -> list[outbox.CommandRequest]:
        """Several commands as one act, recorded in one transaction (the recorder sends them).

        ``record_act`` writes the act's own audit entry in that transaction, and may refuse it by
        raising: then nothing is recorded and nothing is sent.
        """
        requests = [_restamped(plan.request) for plan in plans]
        with self.db.write() as session:
            record_act(session)
            for request in requests:
                outbox.record(session, request, act=act, audited=False, approval_id=approval_id)
        return requests

    def outcome(self, request: outbox.CommandRequest, members: Membership | None) -> Outcome:
        now = datetime.now(UTC)
        with self._changed:
            acks = list(self._acks.get(request.request_id, ()))
        if request.is_group:
            assert members is not None
            return group_result(acks, members, request.expires_at, now)
        # Only the device or unit addressed decides, as in the record (recorder/commands.py).
        if request.is_dispatch:
            return dispatch_outcome(acks, request.expires_at, now, addressed=request.target)
        return device_outcome(acks, request.expires_at, now, addressed=request.target)

    def wait(self, request: outbox.CommandRequest, members: Membership | None) -> Outcome:
        """Block until the outcome is final (at the latest 5 s after ``expires_at``)."""
        deadline = request.expires_at + GRACE + timedelta(milliseconds=200)
        while True:
            result = self.outcome(request, members)
            remaining = (deadline - datetime.now(UTC)).total_seconds()
            if result.final or remaining <= 0:
                return result
            self.wait_for_acks(min(remaining, 0.5))

    def wait_for_acks(self, timeout: float) -> None:
        """Until an ack arrives or ``timeout`` seconds pass (a follower then looks again)."""
        with self._changed:
            self._changed.wait(timeout)

    def _on_delivery(self, delivery: Delivery) -> None:
        message = delivery.message
        if isinstance(message, AckMessage):
            with self._changed:
                self._acks[message.request_id].append(message)
                self._changed.notify_all()


def _restamped(request: outbox.CommandRequest) -> outbox.CommandRequest:
    """Times from the moment of sending, not of planning (a confirmation may take a while)."""
    now = datetime.now(UTC)
    return dataclasses.replace(
        request, issued_at=now, expires_at=now + (request.expires_at - request.issued_at)
    )


def _communes_of(session: Session, devices: Sequence[str]) -> frozenset[str]:
    found: set[str] = set()
    for start in range(0, len(devices), 2000):
        query = select(EquipmentRow.commune).where(
            EquipmentRow.id.in_(devices[start : start + 2000])
        )
        found |= {c for c in session.execute(query.distinct()).scalars() if c}
    return frozenset(found)
