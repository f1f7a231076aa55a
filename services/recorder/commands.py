"""Acks into the record: each once, and the command's status moved by what they add up to.

A command's record follows the final answer of the device (or unit) it addressed, even when
that answer comes after the command was recorded ``timed_out``: the command then takes the
device's status and is marked ``late``, and so is every ack that came after the time-out. Acks
from anyone else are recorded all the same but decide nothing (``outcome.from_addressed``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from services.bus.messages import AckMessage
from services.commands import outbox
from services.commands.membership import group_members
from services.commands.outcome import (
    DEVICE_FINAL,
    Outcome,
    device_outcome,
    dispatch_outcome,
    group_result,
)
from services.domain.commands import CommandStatus, parse_group
from services.store.models import CommandAckRow, CommandRow
from services.store.upsert import insert_ignore


def record_acks(session: Session, acks: Sequence[AckMessage], now: datetime) -> list[str]:
    """Insert the acks of known commands; returns the request ids they belong to.

    Acks of unknown requests are not recorded here: the caller quarantines them.
    """
    ids = {a.request_id for a in acks}
    status_of = dict(
        session.execute(
            select(CommandRow.request_id, CommandRow.status).where(CommandRow.request_id.in_(ids))
        ).all()
    )
    known = set(status_of)
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
                # The record had already given up on it: it came after the time-out.
                "late": status_of[a.request_id] == CommandStatus.TIMED_OUT.value,
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
        return dispatch_outcome(acks, request.expires_at, now, addressed=request.target)
    return device_outcome(acks, request.expires_at, now, addressed=request.target)


def settle(session: Session, request_ids: Sequence[str], now: datetime) -> list[tuple[str, str]]:
    """Re-evaluate these commands; returns (request_id, new status) for those that moved.

    A command recorded ``timed_out`` whose device has since given a final answer moves to it,
    marked late (it is returned as moved all the same, so that consoles re-read it).
    """
    moved = []
    for request_id in request_ids:
        request = outbox.get(session, request_id)
        if request is None:
            continue
        outcome = evaluate(session, request, now)
        if outbox.set_status(session, request_id, outcome.status, now):
            moved.append((request_id, outcome.status.value))
        elif outbox.set_late_status(session, request_id, outcome.status, now):
            _flag_deciding_acks(session, request)
            moved.append((request_id, outcome.status.value))
    return moved


def _flag_deciding_acks(session: Session, request: outbox.CommandRequest) -> None:
    """The answers that moved a timed-out command are late, even one that raced the time-out.

    (The sweep may time a command out while the batch holding its answer commits: that ack
    was recorded before the command read ``timed_out``, yet the record had not waited for it.)
    """
    if request.is_group:
        deciding = CommandAckRow.responder_kind == "gateway"  # a gateway answers once, finally
    else:
        final = DEVICE_FINAL | {"accepted"} if request.is_dispatch else DEVICE_FINAL
        deciding = (
            (CommandAckRow.responder == request.target)
            & (CommandAckRow.responder_kind != "gateway")
            & CommandAckRow.status.in_(sorted(final))
        )
    session.execute(
        update(CommandAckRow)
        .where(CommandAckRow.request_id == request.request_id, deciding)
        .where(CommandAckRow.late.is_(False))
        .values(late=True)
        .execution_options(synchronize_session=False)
    )
