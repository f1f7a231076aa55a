"""Approvals: high-impact acts recorded as requested, then approved, refused or expired.

Each step is an audited act in the same transaction. The requester must be allowed the act
itself; the approver must be allowed to approve, and must be someone else: the record refuses an
approval by the requester. What an approval carries out is ``services/approving.py``'s.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from services.domain.approvals import Approval, ApprovalKind, ApprovalRules, ApprovalStatus
from services.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from services.store import audit
from services.store.models import ApprovalRow

#: Who records that a request ran out of time: Vigie itself, not an operator.
EXPIRER = "system:vigie"


def _approval(row: ApprovalRow) -> Approval:
    return Approval(
        id=row.id,
        kind=ApprovalKind(row.kind),
        act=row.act,
        payload=dict(row.payload),
        preview=list(row.preview),
        reason=row.reason,
        rule=row.rule,
        requested_by=row.requested_by,
        requested_at=row.requested_at,
        expires_at=row.expires_at,
        status=ApprovalStatus(row.status),
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        decision_reason=row.decision_reason,
        outcome=row.outcome,
    )


def request(
    session: Session,
    *,
    kind: ApprovalKind,
    act: str,
    payload: dict[str, Any],
    preview: list[str],
    reason: str,
    rule: str,
    by: str,
    rules: ApprovalRules,
    now: datetime,
) -> Approval:
    """Record the act as requested: nothing is carried out until someone else approves it."""
    if not reason.strip():
        raise InvalidInput("approval.reason_required")
    row = ApprovalRow(
        id=str(uuid.uuid4()),
        kind=kind.value,
        act=act,
        payload=payload,
        preview=preview,
        reason=reason.strip(),
        rule=rule,
        requested_by=by,
        requested_at=now,
        expires_at=now + rules.limit,
        status=ApprovalStatus.AWAITING.value,
        decision_reason="",
        outcome="",
    )
    session.add(row)
    # The audit's check is the requester's right to the act itself (target "{act}:{id}").
    audit.append(
        session,
        by,
        "approval.request",
        f"{act}:{row.id}",
        {"kind": kind.value, "payload": payload, "reason": row.reason, "rule": rule},
        at=now,
    )
    session.flush()
    return _approval(row)


def get(session: Session, approval_id: str) -> Approval:
    row = session.get(ApprovalRow, approval_id)
    if row is None:
        raise NotFound("approval.unknown", id=approval_id)
    return _approval(row)


def list_all(session: Session, status: ApprovalStatus | None = None) -> list[Approval]:
    query = select(ApprovalRow).order_by(ApprovalRow.requested_at.desc())
    if status is not None:
        query = query.where(ApprovalRow.status == status.value)
    return [_approval(r) for r in session.execute(query).scalars()]


def expire_overdue(session: Session, now: datetime) -> list[str]:
    """Mark the requests whose time ran out as expired (nothing of them was ever sent)."""
    overdue = (
        session.execute(
            select(ApprovalRow.id).where(
                ApprovalRow.status == ApprovalStatus.AWAITING.value, ApprovalRow.expires_at <= now
            )
        )
        .scalars()
        .all()
    )
    for approval_id in overdue:
        expired = session.execute(
            update(ApprovalRow)
            .where(
                ApprovalRow.id == approval_id,
                ApprovalRow.status == ApprovalStatus.AWAITING.value,
            )
            .values(status=ApprovalStatus.EXPIRED.value, decided_at=now)
        )
        if expired.rowcount == 1:
            audit.append(session, EXPIRER, "approval.expire", f"approval:{approval_id}", {}, at=now)
    return list(overdue)


def _decide(
    session: Session, approval_id: str, by: str, now: datetime, status: ApprovalStatus, why: str
) -> Approval:
    row = session.get(ApprovalRow, approval_id, with_for_update=True)
    if row is None:
        raise NotFound("approval.unknown", id=approval_id)
    if row.status != ApprovalStatus.AWAITING.value:
        raise Conflict("approval.not_awaiting", id=approval_id, status=row.status)
    if row.expires_at <= now:
        raise Conflict("approval.expired", id=approval_id)
    if by == row.requested_by and status is ApprovalStatus.APPROVED:
        # The two-person rule itself: whatever the requester's role, not their own.
        raise PermissionDenied("approval.own_request", operator=by, id=approval_id)
    row.status, row.decided_by, row.decided_at, row.decision_reason = (
        status.value,
        by,
        now,
        why,
    )
    action = "approval.approve" if status is ApprovalStatus.APPROVED else "approval.refuse"
    audit.append(session, by, action, f"approval:{approval_id}", {"reason": why}, at=now)
    return _approval(row)


def approve(session: Session, approval_id: str, *, by: str, now: datetime) -> Approval:
    return _decide(session, approval_id, by, now, ApprovalStatus.APPROVED, "")


def refuse(session: Session, approval_id: str, *, by: str, reason: str, now: datetime) -> Approval:
    if not reason.strip():
        raise InvalidInput("approval.reason_required")
    return _decide(session, approval_id, by, now, ApprovalStatus.REFUSED, reason.strip())


def note_outcome(session: Session, approval_id: str, outcome: str) -> None:
    """What carrying the approved act out gave (its request ids, or why it could not)."""
    row = session.get(ApprovalRow, approval_id)
    if row is not None:
        row.outcome = outcome
