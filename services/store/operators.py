"""Operators: who may act, with which role. Every change is an audited act."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from services.domain.approvals import (
    Approval,
    ApprovalRules,
    check_rules_hold_the_admin,
    rules_as_data,
)
from services.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from services.domain.operators import Operator, Role, check_operator_name
from services.domain.permissions import OWN_PASSWORD, Act, Matrix, check_separation_of_duties
from services.store import (
    audit,
    authority,
    passwords,
    pg_admin,
    pg_authority,
    pg_open311,
    pg_requests,
)
from services.store.models import ApprovalRulesRow, OperatorRow, PermissionRow
from services.store.types import utcnow


def _operator(row: OperatorRow) -> Operator:
    return Operator(row.name, Role(row.role), row.created_at, row.created_by, row.disabled_at)


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


def add(
    session: Session,
    name: str,
    role: Role,
    *,
    by: str,
    password: str | None = None,
    at: datetime | None = None,
) -> Operator:
    """Create an operator. Only an admin may (or Vigie itself, when it seeds a database).

    ``password`` is kept as an Argon2id hash (SQLite: Vigie checks it); None leaves the operator
    unable to log in until an admin sets one.
    """
    authority.require(session, by, Act.MANAGE_OPERATORS)
    check_operator_name(name)
    if session.get(OperatorRow, name) is not None:
        raise Conflict("operator.exists", name=name)
    at = at or utcnow()
    if pg_authority.database_checks(session):
        # The database's own function creates the login and its row, and audits it
        # (docs/security.md).
        verifier = None if password is None else _verifier(session, name, password)
        pg_authority.call(
            session, "vigie_operator_create", name=name, role=role.value, verifier=verifier
        )
        return _operator(_fresh(session, name))
    row = OperatorRow(
        name=name,
        role=role.value,
        created_at=at,
        created_by=by,
        password_hash=passwords.hash_password(password) if password is not None else None,
    )
    session.add(row)
    audit.append(session, by, "operator.add", name, {"role": role.value}, at=at)
    session.flush()
    return _operator(row)


def _verifier(session: Session, name: str, password: str) -> str:
    """The SCRAM verifier of a password strong enough, as on SQLite (the server checks none)."""
    passwords.check_strength(password)
    return pg_authority.scram_verifier(session, name, password)


def _fresh(session: Session, name: str) -> OperatorRow:
    """The row as a database function just wrote it, not as this session last saw it."""
    return session.execute(
        select(OperatorRow)
        .where(OperatorRow.name == name)
        .execution_options(populate_existing=True)
    ).scalar_one()


def require_manager(session: Session, by: str) -> None:
    """Refuse, before a password is even asked, an operator who may not manage operators."""
    authority.require(session, by, Act.MANAGE_OPERATORS)


def _managed(session: Session, name: str, by: str) -> OperatorRow:
    """The row of an operator an admin is about to change (never Vigie's own names)."""
    authority.require(session, by, Act.MANAGE_OPERATORS)
    row = session.get(OperatorRow, name)
    if row is None:
        raise NotFound("operator.unknown", name=name)
    return row


def disable(session: Session, name: str, *, by: str) -> Operator:
    """The operator can no longer log in nor act; their name stays on everything they did."""
    row = _managed(session, name, by)
    if name == by:
        raise InvalidInput("operator.not_yourself", name=name)
    if row.disabled_at is None:
        if pg_authority.database_checks(session):  # audited by the database's function
            pg_authority.call(session, "vigie_operator_set_login", name=name, enabled=False)
            return _operator(_fresh(session, name))
        row.disabled_at = utcnow()
        audit.append(session, by, "operator.disable", name, {}, at=row.disabled_at)
    return _operator(row)


def enable(session: Session, name: str, *, by: str) -> Operator:
    row = _managed(session, name, by)
    if row.disabled_at is not None:
        if pg_authority.database_checks(session):  # audited by the database's function
            pg_authority.call(session, "vigie_operator_set_login", name=name, enabled=True)
            return _operator(_fresh(session, name))
        row.disabled_at = None
        audit.append(session, by, "operator.enable", name, {})
    return _operator(row)


def set_role(session: Session, name: str, role: Role, *, by: str) -> Operator:
    row = _managed(session, name, by)
    if name == by:
        raise InvalidInput("operator.not_yourself", name=name)
    if row.role != role.value:
        before = row.role
        if pg_authority.database_checks(session):  # audited by the database's function
            pg_authority.call(session, "vigie_operator_set_role", name=name, role=role.value)
            return _operator(_fresh(session, name))
        row.role = role.value
        audit.append(session, by, "operator.set_role", name, {"from": before, "to": role.value})
    return _operator(row)


def carry_out_role_change(session: Session, approval: Approval) -> Operator:
    """An admin's role change, once approved, carried out by its approver (in their name).

    On PostgreSQL ``vigie_operator_carry_out_role`` checks the approval itself: approved, by
    this login, within the limit, not carried out yet.
    """
    name, role = approval.payload["name"], Role(approval.payload["role"])
    by = approval.decided_by or ""
    row = session.get(OperatorRow, name)
    if row is None:
        raise NotFound("operator.unknown", name=name)
    before = row.role
    if pg_authority.database_checks(session):  # audited by the database's function
        pg_authority.call(session, "vigie_operator_carry_out_role", approval_id=approval.id)
        return _operator(_fresh(session, name))
    row.role = role.value
    details = {"from": before, "to": role.value, "requested_by": approval.requested_by}
    audit.append(session, by, "operator.set_role_approved", name, details)
    return _operator(row)


def set_password(session: Session, name: str, password: str, *, by: str) -> None:
    """An admin sets anyone's password; an operator may change their own. The hash only is kept.

    On PostgreSQL the recorder's login, which has no operator's row, is set here too: the
    database's function lets only a superuser set it.
    """
    prefix = pg_authority.installed_prefix(session)
    services = (
        (pg_authority.recorder_role(prefix), pg_open311.opendata_role(prefix)) if prefix else ()
    )
    if name in services:
        authority.require(session, by, Act.MANAGE_OPERATORS)
        verifier = _verifier(session, name, password)
        pg_authority.call(session, "vigie_operator_set_password", name=name, verifier=verifier)
        return
    if name != by:
        _managed(session, name, by)
    row = session.get(OperatorRow, name)
    if row is None:
        raise NotFound("operator.unknown", name=name)
    if pg_authority.database_checks(session):  # audited by the database's function
        verifier = _verifier(session, name, password)
        pg_authority.call(session, "vigie_operator_set_password", name=name, verifier=verifier)
        return
    row.password_hash = passwords.hash_password(password)
    # The journal says that a password changed and who changed it, never the password.
    audit.append(session, by, OWN_PASSWORD if name == by else "operator.passwd", name, {})


def log_in(session: Session, name: str, password: str) -> Operator:
    """The operator whose password this is, enabled; one refusal for every way it can fail.

    Unknown name, no password set, wrong password and disabled all read "name or password
    refused", so that the answer does not tell a stranger which names exist.
    """
    row = session.get(OperatorRow, name)
    stored = row.password_hash if row is not None else None
    if not passwords.verify(stored, password) or row is None or row.disabled_at is not None:
        raise PermissionDenied("auth.refused", operator=name)
    return _operator(row)


def load_matrix(session: Session, matrix: Matrix, rules: ApprovalRules, *, by: str) -> int:
    """Put ``matrix`` and the approval ``rules`` in force for every workstation.

    On PostgreSQL an operator's login writes no row of them: the database's function
    (``pg_admin``) writes them, rebuilds the grants and audits the load in the login's name.
    Returns the number of (act, role) rows.
    """
    authority.require(session, by, Act.MANAGE_OPERATORS)
    # Whatever built them (a file, a test, a script): on SQLite nothing else checks them.
    check_separation_of_duties(matrix)
    check_rules_hold_the_admin(rules, matrix.source)
    rows = matrix.rows()
    acts = {act.value: sorted(r.value for r in matrix.allowed[act]) for act in Act}
    if pg_authority.database_checks(session) and pg_requests.operator_login(session):
        return pg_admin.load_permissions(session, matrix.source, acts, rules_as_data(rules))
    session.execute(delete(PermissionRow))
    session.add_all(PermissionRow(act=act.value, role=role.value) for act, role in rows)
    kept = session.get(ApprovalRulesRow, authority.RULES_ROW)
    if kept is None:
        session.add(ApprovalRulesRow(id=authority.RULES_ROW, rules=rules_as_data(rules)))
    else:
        kept.rules = rules_as_data(rules)
    if pg_authority.database_checks(session):  # the schema's owner: grants follow at once
        session.flush()
        pg_authority.apply_matrix(session)
    audit.append(
        session,
        by,
        "permissions.load",
        matrix.source,
        {"acts": acts, "approvals": rules_as_data(rules)},
    )
    return len(rows)


def bootstrap_admin(
    session: Session, name: str, *, by: str, password: str | None = None
) -> str | None:
    """On a database with no operator, create ``name`` as its first admin; returns who, if any.

    A name that cannot be an operator's (an OS account such as "Jean Dupont") becomes "admin".
    """
    if count(session) > 0:
        return None
    try:
        check_operator_name(name)
    except InvalidInput:
        name = "admin"
    if pg_authority.database_checks(session) and pg_authority.login_exists(session, name):
        password = None  # a login the cluster has already keeps its own password
    add(session, name, Role.ADMIN, by=by, password=password)
    return name
