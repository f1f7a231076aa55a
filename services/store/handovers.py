"""Shift handovers: started by the outgoing operator, accepted by another one (issue 22).

Both acts are audited in the same transaction as the row (``handover.start``,
``handover.accept``; ``audit.append`` checks the matrix's ``hand_over``/``accept_handover``).
Where PostgreSQL is the authority its triggers (``pg_handovers``) hold the same rules against
plain SQL: the author is the login that inserted the row, and only another login accepts it,
once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.domain.errors import Conflict, NotFound, PermissionDenied
from services.domain.handover import PENDING_LISTED, Handover, check_remarks, shift_start
from services.domain.operators import Role
from services.domain.permissions import Act
from services.store import audit, authority
from services.store.models import HandoverRow
from services.store.types import utcnow


def _handover(row: HandoverRow) -> Handover:
    return Handover(
        id=row.id,
        author=row.author,
        author_role=row.author_role,
        started_at=row.started_at,
        shift_from=row.shift_from,
        remarks=row.remarks,
        accepted_by=row.accepted_by,
        accepted_at=row.accepted_at,
    )


def start(
    session: Session, author: str, role: Role, remarks: str, *, at: datetime | None = None
) -> Handover:
    """Record the outgoing operator's handover; its shift began at its desk's previous one."""
    remarks = check_remarks(remarks)
    authority.require(session, author, Act.HAND_OVER)  # said before the row, in Vigie's words
    now = at or utcnow()
    author_role = Role(role).value
    previous = latest(session, author_role=author_role)
    shift_from = shift_start(now, previous.started_at if previous else None)
    row = HandoverRow(
        author=author,
        author_role=author_role,
        started_at=now,
        shift_from=shift_from,
        remarks=remarks,
    )
    session.add(row)
    session.flush()  # the id goes into the audit entry
    details = {"remarks": remarks, "role": row.author_role, "shift_from": shift_from.isoformat()}
    audit.append(session, author, "handover.start", f"handover:{row.id}", details, at=now)
    return _handover(row)


def accept(
    session: Session, handover_id: int, operator: str, *, at: datetime | None = None
) -> Handover:
    """The incoming operator, another than its author, accepts a handover once."""
    row = session.execute(
        select(HandoverRow)
        .where(HandoverRow.id == handover_id)
        .with_for_update()  # two consoles accepting at once: the second sees it accepted
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if row is None:
        raise NotFound("handover.not_found", id=handover_id)
    authority.require(session, operator, Act.ACCEPT_HANDOVER)
    if row.author == operator:
        raise PermissionDenied("handover.own", id=handover_id, operator=operator)
    if row.accepted_by is not None:
        raise Conflict("handover.already_accepted", id=handover_id, by=row.accepted_by)
    now = at or utcnow()
    row.accepted_by = operator
    row.accepted_at = now
    session.flush()
    details = {"author": row.author}
    audit.append(session, operator, "handover.accept", f"handover:{row.id}", details, at=now)
    return _handover(row)


def get(session: Session, handover_id: int) -> Handover | None:
    row = session.get(HandoverRow, handover_id)
    return _handover(row) if row is not None else None


def latest(session: Session, *, author_role: str | None = None) -> Handover | None:
    """The newest handover, accepted or not; with ``author_role``, the newest of that desk.

    A shift is a desk's: the snow coordinator handing over at 06:00 does not end the night
    dispatcher's shift, which the dispatcher hands over at 07:00.
    """
    query = select(HandoverRow)
    if author_role is not None:
        query = query.where(HandoverRow.author_role == author_role)
    row = session.execute(
        query.order_by(HandoverRow.started_at.desc(), HandoverRow.id.desc()).limit(1)
    ).scalar_one_or_none()
    return _handover(row) if row is not None else None


def pending(session: Session, *, limit: int = PENDING_LISTED) -> list[Handover]:
    """The newest ``limit`` handovers nobody accepted yet, newest first."""
    rows = session.execute(
        select(HandoverRow)
        .where(HandoverRow.accepted_by.is_(None))
        .order_by(HandoverRow.started_at.desc(), HandoverRow.id.desc())
        .limit(limit)
    ).scalars()
    return [_handover(r) for r in rows]


def pending_count(session: Session) -> int:
    """How many handovers nobody accepted yet, listed by ``pending`` or not."""
    return session.execute(
        select(func.count()).select_from(HandoverRow).where(HandoverRow.accepted_by.is_(None))
    ).scalar_one()
