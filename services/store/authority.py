"""Whether the operator in effect may do an act, by the matrix in force (docs/security.md).

On PostgreSQL the database's grants are the authority and this check only says it first, in the
same words; on SQLite (a single workstation) this check is the authority. Every audited act
passes here (``audit.append`` calls ``require``), so no path records an act the matrix refuses.
"""

from __future__ import annotations

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from services.domain.approvals import ApprovalRules, read_rules
from services.domain.errors import PermissionDenied
from services.domain.operators import Role, is_system_name
from services.domain.permissions import (
    OWN_PASSWORD,
    OWN_VIEW_CLOSED,
    Act,
    Matrix,
    act_of,
    from_rows,
)
from services.permissions import load_matrix, load_rules
from services.store import pg_authority
from services.store.models import ApprovalRulesRow, OperatorRow, PermissionRow

IN_DATABASE = "database"
RULES_ROW = 1


def matrix_in_force(session: Session) -> Matrix:
    """The matrix an admin loaded into the database, or the bundled default while none was."""
    rows = session.execute(select(PermissionRow.act, PermissionRow.role)).all()
    if not rows:
        return load_matrix()
    return from_rows(((r.act, r.role) for r in rows), IN_DATABASE)


def rules_in_force(session: Session) -> ApprovalRules:
    """The approval rules loaded with the matrix, or the bundled file's while none were."""
    row = session.get(ApprovalRulesRow, RULES_ROW)
    if row is None:
        return load_rules()
    return read_rules({"approvals": row.rules}, IN_DATABASE)


def role_of(session: Session, operator: str) -> Role:
    """The role of an operator who may act now: known, and not disabled."""
    row = session.get(OperatorRow, operator)
    if row is None:
        raise PermissionDenied("permission.unknown_operator", operator=operator)
    if row.disabled_at is not None:
        raise PermissionDenied("permission.disabled", operator=operator)
    return Role(row.role)


def require(session: Session, operator: str, act: Act) -> None:
    """Refuse unless ``operator`` may do ``act`` now. Vigie's own ``system:`` processes may."""
    if is_system_name(operator):
        return
    if act is Act.MANAGE_OPERATORS and _installer_without_a_row(session, operator):
        return  # the database's management functions check it again, as its login
    matrix_in_force(session).check(operator, role_of(session, operator), act)


def _installer_without_a_row(session: Session, operator: str) -> bool:
    """A superuser, logged in as itself, with no operator's row.

    Issue 16: a superuser may run ``vigie operator add`` (and sets the recorder's password).
    Outside Vigie's guarantees anyway (docs/security.md); on SQLite there is no such login.
    """
    if session.get(OperatorRow, operator) is not None or not pg_authority.database_checks(session):
        return False
    return operator == session_login(session) and pg_authority.installer_login(session)


def session_login(session: Session) -> str:
    return str(session.execute(text("SELECT session_user")).scalar())


def require_for_action(session: Session, operator: str, action: str, target: str) -> None:
    """The check an audited action needs; an action only Vigie records is refused to people."""
    if is_system_name(operator):
        return
    if action == OWN_PASSWORD and target == operator:
        role_of(session, operator)  # anyone known and enabled may change their own
        return
    if action == OWN_VIEW_CLOSED:
        role_of(session, operator)  # a viewer closes their own view (camera_views.close_view)
        return
    act = act_of(action, target)
    if act is None:
        raise PermissionDenied("permission.not_an_act", operator=operator, action=action)
    require(session, operator, act)
