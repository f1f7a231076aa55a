"""Operators: who may act, with which role. Every change is an audited act."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from services.domain.operators import (
    Operator,
    Role,
    can_manage_operators,
    check_operator_name,
    is_system_name,
)
from services.store import audit
from services.store.models import OperatorRow
from services.store.types import utcnow


def _operator(row: OperatorRow) -> Operator:
    return Operator(row.name, Role(row.role), row.created_at, row.created_by)


def get(session: Session, name: str) -> Operator:
    row = session.get(OperatorRow, name)
    if row is None:
        raise NotFound("operator.unknown", name=name)
    return _operator(row)


def list_all(session: Session) -> list[Operator]:
    rows = session.execute(select(OperatorRow).order_by(OperatorRow.name)).scalars()
    return [_operator(r) for r in rows]


def count(session: Session) -> int:
    return session.execute(select(func.count()).select_from(OperatorRow)).scalar_one()


def require(session: Session, name: str) -> Operator | None:
    """The operator in effect must exist; Vigie's own ``system:`` names need no row."""
    if is_system_name(name):
        return None
    return get(session, name)


def add(
    session: Session, name: str, role: Role, *, by: str, at: datetime | None = None
) -> Operator:
    """Create an operator. Only an admin may (or Vigie itself, when it seeds a database)."""
    check_operator_name(name)
    if not is_system_name(by):
        acting = get(session, by)
        if not can_manage_operators(acting.role):
            raise PermissionDenied("operator.add_needs_admin", name=by, role=acting.role.value)
    if session.get(OperatorRow, name) is not None:
        raise Conflict("operator.exists", name=name)
    at = at or utcnow()
    row = OperatorRow(name=name, role=role.value, created_at=at, created_by=by)
    session.add(row)
    audit.append(session, by, "operator.add", name, {"role": role.value}, at=at)
    session.flush()
    return _operator(row)


def bootstrap_admin(session: Session, name: str, *, by: str) -> str | None:
    """On a database with no operator, create ``name`` as its first admin; returns who, if any.

    A name that cannot be an operator's (an OS account such as "Jean Dupont") becomes "admin".
    """
    if count(session) > 0:
        return None
    try:
        check_operator_name(name)
    except InvalidInput:
        name = "admin"
    add(session, name, Role.ADMIN, by=by)
    return name
