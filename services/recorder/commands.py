"""Acks into the record: each once, and the command's status moved by what they add up to."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.bus.messages import AckMessage
from services.commands import outbox
from services.commands.membership import group_members
from services.commands.outcome import Outcome, device_outcome, dispatch_outcome, group_result
from services.domain.commands import parse_group
from services.store.models import CommandAckRow, CommandRow
from services.store.upsert import insert_ignore


def record_acks(session: Session, acks: Sequence[AckMessage], now: datetime) -> list[str]:
    """Insert the acks of known commands; returns the request ids they belong to.

    Acks of unknown requests are not recorded here: the caller quarantines them.
    """
    ids = {a.request_id for a in acks}
    known = set(
        session.execute(
            select(CommandRow.request_id).where(CommandRow.request_id.in_(ids))
        ).scalars()
    )
    insert_ignore(
        session,
        CommandAckRow.__table__,
        [
            {
                "request_id": a.request_id,
                "responder": a.responder,
                "responder_kind": a.responder_kind,
                "status": a.status,
                "reason": a.reason,
                "succeeded": a.succeeded,
                "failed": [{"id": d, "reason": r} for d, r in a.failed] if a.failed else None,
                "ts": a.ts,
                "received_at": now,
            }
            for a in acks
            if a.request_id in known
        ],
    )
    return sorted(known)


def stored_acks(session: Session, request_id: str) -> list[AckMessage]:
    rows = session.execute(
        select(CommandAckRow)
        .where(CommandAckRow.request_id == request_id)
        .order_by(CommandAckRow.id)
    ).scalars()
    return [
        AckMessage(
            request_id=r.request_id,
            responder=r.responder,
            responder_kind=r.responder_kind,
            status=r.status,
            reason=r.reason,
            succeeded=r.succeeded,
            failed=tuple((f["id"], f.get("reason", "")) for f in (r.failed or [])),
            ts=r.ts,
        )
        for r in rows
    ]


def evaluate(session: Session, request: outbox.CommandRequest, now: datetime) -> Outcome:
    acks = stored_acks(session, request.request_id)
    if request.is_group:
        members = group_members(session, parse_group(request.target), request.command)
        return group_result(acks, members, request.expires_at, now)
    if request.is_dispatch:
        return dispatch_outcome(acks, request.expires_at, now)
    return device_outcome(acks, request.expires_at, now)


def settle(session: Session, request_ids: Sequence[str], now: datetime) -> list[tuple[str, str]]:
    """Re-evaluate these commands; returns (request_id, new status) for those that moved."""
    moved = []
    for request_id in request_ids:
        request = outbox.get(session, request_id)
        if request is None:
            continue
        outcome = evaluate(session, request, now)
        if outbox.set_status(session, request_id, outcome.status, now):
            moved.append((request_id, outcome.status.value))
    return moved
