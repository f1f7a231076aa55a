"""PostgreSQL as the authority: group roles, operators' logins, grants from the matrix, audits.

``install`` runs once per ``vigie db upgrade`` on PostgreSQL, as a superuser or the database's
owner (it must be able to create roles). It creates, with this database's prefix:

- one NOLOGIN group role per Vigie role (``vigie_dispatcher``...); an operator is a login role
  that is a member of exactly one of them;
- ``{prefix}manager``: NOLOGIN, CREATEROLE, admin of every group role; it owns the SECURITY
  DEFINER functions that create, re-role, disable and re-password operators, each appending its
  audit entry (``pg_admin.vigie_audit``). No operator holds CREATEROLE (on PostgreSQL 15 a
  login with it can grant itself any role); admins may only EXECUTE these functions, which
  touch nothing but Vigie's operators;
- ``{prefix}recorder``: the recorder's login, its password set by the schema's owner or a
  superuser only, its grants what ``services/recorder`` writes (``RECORDER_NARROWED``);
- for every Vigie login, an ``idle_in_transaction_session_timeout`` in this database
  (``IDLE_IN_TRANSACTION``), so that a session left in a transaction does not hold the audit
  chain's row for ever;
- ``vigie_apply_matrix()``, owned by the schema's owner, that turns the matrix in force
  (``permission_matrix``) into grants and row-level security, so that an admin's
  ``vigie permissions load`` changes what the database allows;
- the functions through which alone the matrix, the approval rules and the playbook change,
  each auditing the change in the caller's name (``pg_admin``);
- the functions through which alone camera views open, renew and close and the gateways' stream
  secrets are loaded, each auditing it (``pg_views``): no Vigie login writes ``camera_views`` or
  reads ``stream_secrets``;
- the function through which alone a camera snapshot is recorded, auditing it
  (``pg_snapshots``): no Vigie login inserts into ``camera_snapshots``, and the recorder may
  only set a snapshot's ``purged_at`` once retention deleted its file;
- the recorder's EXECUTE on the functions that make the history's partitions ahead of time and
  drop expired ones (``partitions``, migration 0021): it owns no table, they run as the owner;
- a trigger on ``handovers`` keeping a shift's handover in its author's name and letting only
  another operator accept it, once (``pg_handovers``);
- triggers on ``audit_log`` and ``journal`` refusing a row that names another operator than the
  login writing it. They refuse rather than stamp ``session_user``: the row's hash, computed
  before the insert, covers the name. No Vigie login writes ``audit_log`` or ``audit_chain``:
  entries are appended by ``vigie_audit_append`` (``pg_admin``), the trigger checking its name.

Superusers and the schema's owner are outside these guarantees (docs/security.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from sqlalchemy import Connection, make_url, text
from sqlalchemy.orm import Session

from services.domain.errors import InvalidInput, PermissionDenied
from services.domain.open311 import OPENDATA
from services.domain.operators import Role
from services.domain.permissions import OWN_PASSWORD, Act, Matrix
from services.store import (
    partitions,
    pg_admin,
    pg_handovers,
    pg_open311,
    pg_requests,
    pg_snapshots,
    pg_views,
)
from services.store.models import DbAuthorityRow, PermissionRow, PlaybookStepRow
from services.store.types import utcnow

if TYPE_CHECKING:
    from services.domain.playbooks import Playbook
    from services.store.database import Database

DEFAULT_PREFIX = "vigie_"
AUTHORITY_ROW = 1
_PREFIX = re.compile(r"^[a-z][a-z0-9_]{0,15}$")

#: What a switch writes of the modes' periods: it opens one, and closes the one before.
MODE_PERIOD_PRIVILEGES = "SELECT, INSERT, UPDATE (ended_at)"

#: What each act needs of the tables, beyond what every operator needs (``EVERY_OPERATOR``).
#: Reading positions is row-level security's business (``_policies``), not a table grant's.
ACT_PRIVILEGES: Mapping[Act, Mapping[str, str]] = {
    Act.SEE_OPERATIONS: {
        table: "SELECT"
        for table in (
            "incidents",
            "open311_requests",
            "incident_media",
            "incident_changes",
            "incident_notes",
            "alerts",
            "gateways",
            "equipment",
            "equipment_changes",
            "units",
            "commands",
            "command_acks",
            "quarantine",
            "recorder_stats",
            "journal",
            "city_modes",
            "approvals",
            # Street lighting's energy per commune and night (the Energy panel, vigie energy);
            # not the meter readings it is summed from, which only the recorder reads.
            "energy_nights",
            # Every console shows a handover not yet accepted (issue 22).
            "handovers",
        )
    },  # fmt: skip
    Act.ACT_ON_INCIDENTS: {
        "incidents": "SELECT, INSERT, UPDATE",
        "incident_changes": "SELECT, INSERT",
        # A note made public (or internal again) moves the citizen's request's public time.
        "incident_notes": "SELECT, INSERT, UPDATE (public)",
        "open311_requests": "SELECT, UPDATE (public_updated_at)",
        "incident_media": "SELECT, INSERT, UPDATE",
        "personal_data": "SELECT, INSERT, UPDATE, DELETE",
        "units": "SELECT, UPDATE",
        "commands": "SELECT",  # a dispatch is recorded by vigie_record_command (pg_requests)
    },
    Act.SEE_PATROLS: {"unit_positions": "SELECT", "units": "SELECT"},
    Act.SEE_VEHICLES: {"unit_positions": "SELECT", "units": "SELECT"},
    Act.COMMAND_DEVICE: {"commands": "SELECT", "approvals": "SELECT, INSERT"},
    Act.COMMAND_GROUP: {"commands": "SELECT", "approvals": "SELECT, INSERT"},
    Act.SWITCH_SNOW: {
        "city_modes": pg_requests.SWITCH_PRIVILEGES,
        # ``finish`` closes the kind's period and opens the next (``mode_periods.follow``);
        # row-level security keeps each to the kinds it may switch (``POLICIES``).
        "mode_periods": MODE_PERIOD_PRIVILEGES,
        "commands": "SELECT",
        "approvals": "SELECT, INSERT",  # snow level 3 waits for a second operator
    },
    Act.SWITCH_TRAFFIC: {
        "city_modes": pg_requests.SWITCH_PRIVILEGES,
        "mode_periods": MODE_PERIOD_PRIVILEGES,
        "commands": "SELECT",
        "approvals": "SELECT, INSERT",
    },
    Act.WRITE_LOGBOOK: {"journal": "SELECT, INSERT"},
    Act.APPROVE: {"approvals": "SELECT, UPDATE", "commands": "SELECT"},
    Act.READ_AUDIT: {"audit_log": "SELECT", "audit_chain": "SELECT"},  # to verify the chain
    # The matrix, the approval rules and the playbook change only through ``pg_admin``'s
    # functions, which audit each change: no role writes those tables.
    Act.MANAGE_OPERATORS: {
        "approvals": "SELECT, INSERT",
        # The Open311 service's API keys (``vigie opendata key``), audited by Vigie.
        "open311_keys": "SELECT, INSERT, UPDATE (revoked_at, revoked_by)",
    },
    # A view opens, renews and closes only through ``pg_views``' functions, which check the
    # matrix: no role writes ``camera_views``, and none reads ``stream_secrets``. A snapshot
    # is recorded only through ``pg_snapshots``': no role writes ``camera_snapshots``.
    Act.VIEW_CAMERAS: {},
    Act.READ_CAMERA_JOURNAL: {"camera_views": "SELECT", "camera_snapshots": "SELECT"},
    # A handover is written in its author's name and accepted by another login: the database's
    # triggers keep both (``pg_handovers``).
    Act.HAND_OVER: {"handovers": "SELECT, INSERT"},
    Act.ACCEPT_HANDOVER: {"handovers": "SELECT, UPDATE (accepted_by, accepted_at)"},
    # The report names who switched the modes and why, counts camera views by purpose, and reads
    # the winter service's records: the journals through their report views (migration 0020),
    # never the tables (every act; who watched what and why: read_audit's, read_camera_journal's).
    Act.RUN_REPORTS: {
        "report_mode_switches": "SELECT",
        "report_camera_views": "SELECT",
        "snow_passes": "SELECT",
        "salt_readings": "SELECT",
        "mode_periods": "SELECT",
    },
    Act.SEE_STATISTICS: {
        "snow_passes": "SELECT",
        "salt_readings": "SELECT",
        "mode_periods": "SELECT",
    },
}

#: The check reads who may do what. Every act is audited in its own transaction, through
#: ``vigie_audit_append`` alone (``pg_admin``): no operator writes ``audit_log`` or
#: ``audit_chain``, so none can append an entry off the chain nor hold the chain's row.
EVERY_OPERATOR: Mapping[str, str] = {
    "operators": "SELECT",
    "permission_matrix": "SELECT",
    "approval_rules": "SELECT",
    "playbook_steps": "SELECT",
    "db_authority": "SELECT",
    "alembic_version": "SELECT",  # every process checks the schema's revision first
}

#: The recorder writes the field's record: every table, but these only read...
RECORDER_READ_ONLY = (
    "operators", "permission_matrix", "approval_rules", "playbook_steps", "db_authority",
    "alembic_version",
    "handovers",  # operators' shifts: the recorder hands none over (``pg_handovers``)
)  # fmt: skip
#: ...and these only as ``services/recorder`` does: it reads the journal's head (to publish it)
#: and appends through ``vigie_audit_append``; it records no command (operators' logins do,
#: through ``vigie_record_command``) but marks each sent, then its outcome
#: (``sending.py``, which also claims one in flight, ``outbox.set_status``, ``set_late_status``);
#: it expires requests whose time ran out (``approvals.expire_overdue``) and decides none; of a
#: city mode it only says when it announced it; it closes camera views (``pg_views``); of a
#: camera snapshot it only says when retention purged its file.
RECORDER_NARROWED = {
    "audit_log": "SELECT",
    "audit_chain": "",
    "commands": "SELECT, UPDATE (status, sent_at, finished_at, late, claimed_by, claimed_until)",
    "approvals": "SELECT, UPDATE (status, decided_at)",
    # It publishes a switch's announcement and says when: the switch itself is an operator's.
    "city_modes": "SELECT, UPDATE (announced_at)",
    # It closes views overdue or whose console is gone, through ``vigie_close_view`` alone;
    # it mints no token, so it reads no gateway's stream secret.
    "camera_views": "SELECT",
    "stream_secrets": "",
    # Retention deletes a snapshot's file after a month and says when; it records none.
    "camera_snapshots": "SELECT, UPDATE (purged_at)",
    # The Open311 service's keys are admins' to issue and the service's to check: not the
    # recorder's.
    "open311_keys": "",
}
#: How long a Vigie login's session may sit in an open transaction (``_idle_timeout``).
IDLE_IN_TRANSACTION = "5min"


def check_prefix(prefix: str) -> str:
    if not _PREFIX.match(prefix):
        raise InvalidInput("authority.bad_prefix", value=prefix)
    return prefix


def group_role(prefix: str, role: Role | str) -> str:
    return f"{prefix}{Role(role).value}"


def manager_role(prefix: str) -> str:
    return f"{prefix}manager"


def recorder_role(prefix: str) -> str:
    return f"{prefix}recorder"


def installed_prefix(session: Session) -> str | None:
    """This database's group roles' prefix; None on SQLite or before ``install``."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    row = session.get(DbAuthorityRow, AUTHORITY_ROW)
    return None if row is None else row.role_prefix


def database_checks(session: Session) -> bool:
    """Whether PostgreSQL is this database's authority (else Vigie checks, as on SQLite)."""
    return installed_prefix(session) is not None


# --- installation (a superuser or the database's owner) -------------------------------------------
def install(
    connection: Connection,
    matrix: Matrix,
    prefix: str = DEFAULT_PREFIX,
    playbook: Playbook | None = None,
) -> None:
    """Create or bring up to date this database's roles, functions, triggers and grants.

    The first time, it also writes the matrix and the playbook (``playbook``, else the bundled
    one) that the database checks by; admins load later ones, audited.
    """
    from services.domain.playbooks import commands_in_force
    from services.playbooks import load_playbook

    check_prefix(prefix)
    kept = connection.execute(text("SELECT role_prefix FROM db_authority WHERE id = 1")).scalar()
    if kept is not None and kept != prefix:
        raise InvalidInput("authority.prefix_changed", kept=kept, asked=prefix)
    # Vigie's tables live in the connection's schema (``public`` unless the URL says otherwise).
    schema = connection.execute(text("SELECT quote_ident(current_schema())")).scalar_one()
    for statement in _roles(prefix, schema):
        connection.execute(text(statement))
    for statement in _functions(prefix, schema):
        connection.execute(text(statement))
    for statement in _audit_guards(prefix, schema):
        connection.execute(text(statement))
    for statement in pg_requests.statements(prefix, schema):
        connection.execute(text(statement))
    for statement in pg_admin.statements(prefix, schema):
        connection.execute(text(statement))
    for statement in pg_views.statements(prefix, schema):
        connection.execute(text(statement))
    for statement in pg_snapshots.statements(prefix, schema):
        connection.execute(text(statement))
    for statement in pg_handovers.statements(prefix, schema):
        connection.execute(text(statement))
    for statement in pg_open311.statements(prefix, schema):
        connection.execute(text(statement))
    for statement in partitions.grants(recorder_role(prefix)):
        connection.execute(text(statement))
    connection.execute(text(_idle_timeouts(prefix)))
    if connection.execute(text("SELECT count(*) FROM playbook_steps")).scalar() == 0:
        # What a mode switch may send: the city's playbook, or the bundled one.
        rows = commands_in_force(playbook or load_playbook())
        connection.execute(PlaybookStepRow.__table__.insert(), rows)
    if connection.execute(text("SELECT count(*) FROM permission_matrix")).scalar() == 0:
        # The function reads the matrix from its table: the bundled default, written down.
        connection.execute(
            PermissionRow.__table__.insert(),
            [{"act": a.value, "role": r.value} for a, r in matrix.rows()],
        )
    if kept is None:
        connection.execute(
            DbAuthorityRow.__table__.insert(),
            {"id": AUTHORITY_ROW, "role_prefix": prefix, "installed_at": utcnow()},
        )
    connection.execute(text("SELECT vigie_apply_matrix()"))


def install_authority(
    db: Database, asked: str | None, setting: str, playbook: Playbook | None = None
) -> str | None:
    """``install`` on a PostgreSQL database, as ``vigie db upgrade`` does; None on SQLite.

    Returns the prefix: the one ``asked``, else the one the database was installed with, else
    the ``role_prefix`` setting. A login that may not create roles is refused (exit 5).
    """
    from sqlalchemy.exc import ProgrammingError

    from services.permissions import load_matrix
    from services.store.database import translate_errors

    if db.engine.dialect.name != "postgresql":
        return None
    with translate_errors(db.url), db.engine.begin() as connection:
        kept = connection.execute(DbAuthorityRow.__table__.select()).first()
        chosen = asked or (kept.role_prefix if kept else setting)
        try:
            install(connection, load_matrix(), chosen, playbook)
        except ProgrammingError as exc:
            if getattr(exc.orig, "sqlstate", None) != "42501":
                raise
            reason = str(exc.orig).strip().splitlines()[0]
            raise PermissionDenied("authority.install_refused", reason=reason) from None
    return chosen


def _create_role(name: str, options: str) -> str:
    return (
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{name}') THEN "
        f'CREATE ROLE "{name}" {options}; END IF; END $$'
    )


def _roles(prefix: str, schema: str) -> list[str]:
    manager = manager_role(prefix)
    statements = [_create_role(manager, "NOLOGIN CREATEROLE")]
    for role in Role:
        group = group_role(prefix, role)
        statements += [
            _create_role(group, "NOLOGIN"),
            f'GRANT "{group}" TO "{manager}" WITH ADMIN OPTION',
        ]
    statements += [
        _create_role(recorder_role(prefix), "LOGIN"),
        f'GRANT "{recorder_role(prefix)}" TO "{manager}" WITH ADMIN OPTION',
        # The manager writes the operators' rows beside their logins, in one transaction.
        f'GRANT SELECT, INSERT, UPDATE ON operators TO "{manager}"',
        f'GRANT SELECT ON approvals, approval_rules TO "{manager}"',
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM PUBLIC",
        # The definer functions resolve names in this schema: nobody else may create there
        # (an operator's own operator or function would run as the owner). PostgreSQL 15
        # does this for ``public``; a schema of Vigie's own may have been made otherwise.
        f"REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC",
    ]
    return statements


def _functions(prefix: str, schema: str) -> list[str]:
    """The management functions; their bodies name this database's roles, fixed at install."""
    manager, admin = manager_role(prefix), group_role(prefix, Role.ADMIN)
    groups = ", ".join(f"'{group_role(prefix, r)}'" for r in Role)
    vigie_login = (
        # A name the functions may change: a login in exactly Vigie's groups, or the recorder.
        f"(SELECT bool_and(g.rolname IN ({groups})) FROM pg_auth_members m "
        "JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member "
        "WHERE u.rolname = name)"
    )
    guard_admin = (
        f"IF NOT pg_has_role(session_user, '{admin}', 'MEMBER') THEN "
        "RAISE EXCEPTION 'vigie: % may not manage operators', session_user "
        "USING ERRCODE = '42501'; END IF;"
    )
    guard_target = (
        "IF name = session_user THEN RAISE EXCEPTION 'vigie: not on yourself' "
        "USING ERRCODE = '42501'; END IF; "
        f"IF NOT COALESCE({vigie_login}, false) THEN "
        "RAISE EXCEPTION 'vigie: % is not an operator', name USING ERRCODE = '42501'; END IF;"
    )
    guard_role = (
        f"IF '{prefix}' || role NOT IN ({groups}) THEN "
        "RAISE EXCEPTION 'vigie: unknown role %', role USING ERRCODE = '22023'; END IF;"
    )
    definer = (
        f"LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $fn$ BEGIN "
    )
    bodies = {
        "vigie_operator_create(name text, role text, verifier text)": (
            # A login the cluster has already (an operator of another database) keeps its
            # own password: it is taken in only without one, and only if it holds no power
            # (a superuser installing may take in a superuser: both are outside the guarantees).
            f"{guard_admin} {guard_role} "
            "IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = name) THEN "
            "EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', name, verifier); "
            "ELSIF verifier IS NOT NULL OR EXISTS (SELECT FROM pg_roles WHERE rolname = name "
            "AND (rolsuper OR rolcreaterole OR rolcreatedb OR rolbypassrls OR NOT rolcanlogin "
            "OR rolreplication) AND NOT (SELECT rolsuper FROM pg_roles "
            "WHERE rolname = session_user)) "
            "OR EXISTS (SELECT FROM pg_auth_members m JOIN pg_roles g "
            f"ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = name "
            f"AND starts_with(g.rolname, '{prefix}')) THEN "
            "RAISE EXCEPTION 'vigie: % exists', name USING ERRCODE = '42710'; END IF; "
            f"EXECUTE format('GRANT %I TO %I', '{prefix}' || role, name); "
            "INSERT INTO operators (name, role, created_at, created_by) "
            "VALUES (name, role, now(), session_user); "
            + _idle_timeout("name")
            + _audited("operator.add", "jsonb_build_object('role', role)")
        ),
        "vigie_operator_set_role(name text, role text)": (
            f"{guard_admin} {guard_role} {guard_target} "
            # With the city's rule on (the default), a role change waits for an approval.
            f"IF {_ROLE_CHANGE_WAITS} THEN RAISE EXCEPTION 'vigie: a role change waits for "
            "a second operator to approve it' USING ERRCODE = '42501'; END IF; "
            # Audited first: the entry says the role it had.
            + _audited(
                "operator.set_role",
                "jsonb_build_object('from', (SELECT o.role FROM operators o "
                "WHERE o.name = vigie_operator_set_role.name), 'to', role)",
            )
            + " EXECUTE format('REVOKE %I FROM %I', "
            f"'{prefix}' || (SELECT o.role FROM operators o WHERE o.name = "
            "vigie_operator_set_role.name), name); "
            f"EXECUTE format('GRANT %I TO %I', '{prefix}' || role, name); "
            "UPDATE operators o SET role = vigie_operator_set_role.role "
            "WHERE o.name = vigie_operator_set_role.name;"
        ),
        "vigie_operator_set_login(name text, enabled boolean)": (
            f"{guard_admin} {guard_target} "
            "EXECUTE format('ALTER ROLE %I %s', name, "
            "CASE WHEN enabled THEN 'LOGIN' ELSE 'NOLOGIN' END); "
            "UPDATE operators o SET disabled_at = CASE WHEN enabled THEN NULL "
            "ELSE COALESCE(o.disabled_at, now()) END WHERE o.name = vigie_operator_set_login.name; "
            "PERFORM vigie_audit(CASE WHEN enabled THEN 'operator.enable' "
            "ELSE 'operator.disable' END, name, '{}');"
        ),
        "vigie_operator_set_password(name text, verifier text)": (
            # Anyone may change their own, an admin an operator's. The recorder's only the
            # schema's owner or a superuser: an admin who knew it could write as Vigie.
            f"IF name IN ('{recorder_role(prefix)}', '{pg_open311.opendata_role(prefix)}') "
            f"THEN {_guard_owner()} "
            f"ELSIF name <> session_user THEN {guard_admin} {guard_target} END IF; "
            "IF verifier NOT LIKE 'SCRAM-SHA-256$%' THEN "
            "RAISE EXCEPTION 'vigie: a SCRAM verifier, hashed by the client' "
            "USING ERRCODE = '22023'; END IF; "
            "EXECUTE format('ALTER ROLE %I PASSWORD %L', name, verifier); "
            # The journal says whose password changed and who changed it, never the verifier.
            f"PERFORM vigie_audit(CASE WHEN name = session_user THEN '{OWN_PASSWORD}' "
            "ELSE 'operator.passwd' END, name, '{}');"
        ),
    }
    statements = []
    for signature, body in bodies.items():
        statements += [
            f"CREATE OR REPLACE FUNCTION {signature} RETURNS void {definer}{body} END $fn$",
            f'ALTER FUNCTION {signature} OWNER TO "{manager}"',
            f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC",
            f'GRANT EXECUTE ON FUNCTION {signature} TO "{admin}"',
        ]
    statements.append(
        "GRANT EXECUTE ON FUNCTION vigie_operator_set_password(text, text) "
        f"TO {_all_groups(prefix)}"
    )
    statements += _carry_out_role(prefix, schema, guard_role, guard_target)
    statements += _apply_matrix_function(prefix, schema)
    return statements


_ROLE_CHANGE_WAITS = (
    "COALESCE((SELECT (r.rules::jsonb ->> 'role_change')::boolean FROM approval_rules r "
    "ORDER BY r.id LIMIT 1), true)"
)


def _audited(action: str, details: str = "'{}'") -> str:
    """The audit entry of a management function's act on the operator ``name``.

    In ``session_user``'s name, in the function's transaction (``pg_admin.vigie_audit``).
    """
    return f"PERFORM vigie_audit('{action}', name, {details});"


#: Whether the login is a superuser or a member of the role owning Vigie's tables: who installs
#: Vigie, outside its guarantees (docs/security.md).
_INSTALLER = (
    "(COALESCE((SELECT r.rolsuper FROM pg_roles r WHERE r.rolname = session_user), false) "
    "OR pg_has_role(session_user, (SELECT c.relowner FROM pg_class c "
    "WHERE c.oid = 'audit_log'::regclass), 'MEMBER'))"
)


def installer_login(session: Session) -> bool:
    """Whether this session's login is a superuser: it may manage operators from the shell.

    Not the tables' owner: the management functions are executed by Vigie's groups and by
    superusers only, so an owner that is neither could not call them.
    """
    return bool(
        session.execute(text("SELECT rolsuper FROM pg_roles WHERE rolname = session_user")).scalar()
    )


def _guard_owner() -> str:
    """Refuse unless the login is a superuser or a member of the role owning Vigie's tables."""
    return (
        f"IF NOT {_INSTALLER} THEN RAISE EXCEPTION "
        "'vigie: only the schema''s owner or a superuser sets the recorder''s password, not %', "
        "session_user USING ERRCODE = '42501'; END IF;"
    )


def _idle_timeout(name: str) -> str:
    """Give the login ``name`` (an SQL expression) ``IDLE_IN_TRANSACTION`` in this database.

    A session that appended to the journal holds the chain's row until it ends its
    transaction: one left idle (a console that hung, a ``psql`` left open after ``BEGIN``) is
    ended by the server instead of stopping every act. A value the city set is kept, and a
    login the role running this may not alter (a superuser, or on PostgreSQL 16 a login
    another role made) keeps the cluster's; a login may still ``SET`` another in its session.
    """
    return (
        "IF NOT EXISTS (SELECT FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole "
        "JOIN pg_database d ON d.oid = s.setdatabase "
        f"WHERE r.rolname = {name} AND d.datname = current_database() "
        "AND EXISTS (SELECT FROM unnest(s.setconfig) c "
        "WHERE c LIKE 'idle_in_transaction_session_timeout=%')) "
        f"AND NOT (SELECT r.rolsuper FROM pg_roles r WHERE r.rolname = {name}) THEN BEGIN "
        "EXECUTE format('ALTER ROLE %I IN DATABASE %I SET idle_in_transaction_session_timeout "
        f"= %L', {name}, current_database(), '{IDLE_IN_TRANSACTION}'); "
        "EXCEPTION WHEN insufficient_privilege THEN NULL; END; END IF; "
    )


def _idle_timeouts(prefix: str) -> str:
    """``_idle_timeout`` for the recorder, the Open311 service and every operator (an upgrade)."""
    return (
        "DO $$ DECLARE v_login text; BEGIN FOR v_login IN SELECT o.name FROM operators o "
        f"JOIN pg_roles r ON r.rolname = o.name UNION SELECT '{recorder_role(prefix)}' "
        f"UNION SELECT '{pg_open311.opendata_role(prefix)}' LOOP "
        f"{_idle_timeout('v_login')} END LOOP; END $$"
    )


def _carry_out_role(prefix: str, schema: str, guard_role: str, guard_target: str) -> list[str]:
    """An admin's role change, approved: its approver carries it out, within the limit, once."""
    signature = "vigie_operator_carry_out_role(approval_id text)"
    limit = (
        "make_interval(mins => COALESCE((SELECT (r.rules::jsonb ->> 'limit_minutes')::int "
        "FROM approval_rules r ORDER BY r.id LIMIT 1), 10))"
    )
    body = (
        "DECLARE a approvals%ROWTYPE; name text; role text; BEGIN "
        "SELECT * INTO a FROM approvals WHERE id = approval_id; "
        "IF NOT FOUND OR a.kind <> 'role' OR a.status <> 'approved' "
        # IS DISTINCT FROM, IS NULL: an approval with no decider, or undated, carries nothing out.
        "OR a.decided_by IS DISTINCT FROM session_user OR a.outcome <> '' "
        f"OR a.decided_at IS NULL OR a.decided_at < now() - {limit} "
        "THEN RAISE EXCEPTION 'vigie: approval % does not let % change a role', approval_id, "
        "session_user USING ERRCODE = '42501'; END IF; "
        "name := a.payload::jsonb ->> 'name'; role := a.payload::jsonb ->> 'role'; "
        f"{guard_role} {guard_target} "
        # Audited first: the entry says the role it had, and whose request this was.
        + _audited(
            "operator.set_role_approved",
            "jsonb_build_object('from', (SELECT o.role FROM operators o "
            "WHERE o.name = a.payload::jsonb ->> 'name'), 'to', role, "
            "'requested_by', a.requested_by)",
        )
        + f" EXECUTE format('REVOKE %I FROM %I', '{prefix}' || (SELECT o.role FROM operators o "
        "WHERE o.name = a.payload::jsonb ->> 'name'), name); "
        f"EXECUTE format('GRANT %I TO %I', '{prefix}' || role, name); "
        "UPDATE operators o SET role = a.payload::jsonb ->> 'role' "
        "WHERE o.name = a.payload::jsonb ->> 'name'; END"
    )
    return [
        f"CREATE OR REPLACE FUNCTION {signature} RETURNS void LANGUAGE plpgsql SECURITY DEFINER "
        f"SET search_path = {schema}, pg_temp AS $fn$ {body} $fn$",
        f'ALTER FUNCTION {signature} OWNER TO "{manager_role(prefix)}"',
        f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC",
        f"GRANT EXECUTE ON FUNCTION {signature} TO {_all_groups(prefix)}",
    ]


def _all_groups(prefix: str) -> str:
    return ", ".join(f'"{group_role(prefix, r)}"' for r in Role)


def _grant_loop(act: Act, table: str, privileges: str, prefix: str) -> str:
    return (
        f"FOR r IN SELECT role FROM permission_matrix WHERE act = '{act.value}' LOOP "
        f"EXECUTE format('GRANT {privileges} ON {table} TO %I', '{prefix}' || r.role); END LOOP;"
    )


def _apply_matrix_function(prefix: str, schema: str) -> list[str]:
    """``vigie_apply_matrix()``: the grants and policies the matrix in force asks for.

    Owned by whoever installs (the tables' owner, who alone may grant on them); admins run it
    when they load a matrix. It reads only ``permission_matrix``, so all it can do is what an
    admin's audited load already says.
    """
    groups = _all_groups(prefix)
    recorder = recorder_role(prefix)
    steps = [
        f'REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {groups}, "{recorder}";',
        f'GRANT USAGE ON SCHEMA {schema} TO {groups}, "{recorder}";',
        f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {groups}, "{recorder}";',
        *(f"GRANT {p} ON {t} TO {groups};" for t, p in EVERY_OPERATOR.items()),
        *(
            _grant_loop(act, table, privileges, prefix)
            for act, tables in ACT_PRIVILEGES.items()
            for table, privileges in tables.items()
        ),
        f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO "{recorder}";',
        *(f'REVOKE INSERT, UPDATE, DELETE ON {t} FROM "{recorder}";' for t in RECORDER_READ_ONLY),
        *(
            _recorder_narrowed(table, privileges, recorder)
            for table, privileges in RECORDER_NARROWED.items()
        ),
        *_policies(prefix, schema),
    ]
    return [
        "CREATE OR REPLACE FUNCTION vigie_apply_matrix() RETURNS void LANGUAGE plpgsql "
        f"SECURITY DEFINER SET search_path = {schema}, pg_temp AS $fn$ "
        "DECLARE r record; roles text; BEGIN " + " ".join(steps) + " END $fn$",
        "REVOKE ALL ON FUNCTION vigie_apply_matrix() FROM PUBLIC",
        f'GRANT EXECUTE ON FUNCTION vigie_apply_matrix() TO "{group_role(prefix, Role.ADMIN)}"',
    ]


def _recorder_narrowed(table: str, privileges: str, recorder: str) -> str:
    grant = f'GRANT {privileges} ON {table} TO "{recorder}";' if privileges else ""
    return f'REVOKE ALL ON {table} FROM "{recorder}"; {grant}'


_PATROL_UNIT = "(SELECT u.kind FROM units u WHERE u.id = unit_id) = 'patrol'"
_VEHICLE_UNIT = "(SELECT u.kind FROM units u WHERE u.id = unit_id) <> 'patrol'"
#: Row-level rules: (table, policy, statement, acts whose roles it applies to, condition).
#: Police patrols' rows only for who may see patrols; each mode's row for who may switch it.
#: Commands are only read: ``vigie_record_command`` records them (``pg_requests``).
POLICIES: tuple[tuple[str, str, str, tuple[Act, ...], str], ...] = (
    ("units", "patrols", "ALL", (Act.SEE_PATROLS,), "kind = 'patrol'"),
    ("units", "vehicles", "ALL", (Act.SEE_VEHICLES,), "kind <> 'patrol'"),
    ("unit_positions", "patrols", "SELECT", (Act.SEE_PATROLS,), _PATROL_UNIT),
    ("unit_positions", "vehicles", "SELECT", (Act.SEE_VEHICLES,), _VEHICLE_UNIT),
    ("city_modes", "seen", "SELECT", tuple(Act), "true"),
    ("city_modes", "snow", "UPDATE", (Act.SWITCH_SNOW,), "kind = 'snow'"),
    ("city_modes", "traffic", "UPDATE", (Act.SWITCH_TRAFFIC,), "kind = 'traffic'"),
    ("mode_periods", "snow", "ALL", (Act.SWITCH_SNOW,), "kind = 'snow'"),
    ("mode_periods", "traffic", "ALL", (Act.SWITCH_TRAFFIC,), "kind = 'traffic'"),
    ("mode_periods", "seen", "SELECT", (Act.RUN_REPORTS, Act.SEE_STATISTICS), "true"),
    ("commands", "seen", "SELECT", tuple(Act), "true"),
)


def _policies(prefix: str, schema: str) -> list[str]:
    """The row-level rules, rebuilt from the matrix in force; the recorder writes every row."""
    steps = []
    for table in dict.fromkeys(p[0] for p in POLICIES):
        steps += [
            f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;",
            f"FOR r IN SELECT policyname FROM pg_policies WHERE schemaname = '{schema}' "
            f"AND tablename = '{table}' LOOP "
            f"EXECUTE format('DROP POLICY %I ON {table}', r.policyname); END LOOP;",
            f'CREATE POLICY recorder ON {table} TO "{recorder_role(prefix)}" '
            "USING (true) WITH CHECK (true);",
        ]
        if table in pg_open311.EXPORTED:
            # The open-data export reads every row of what it may read at all.
            opendata = pg_open311.opendata_role(prefix)
            steps.append(
                f'CREATE POLICY opendata ON {table} FOR SELECT TO "{opendata}" USING (true);'
            )
    steps += [_policy_for(*policy, prefix) for policy in POLICIES]
    return steps


def _policy_for(
    table: str, name: str, statement: str, acts: tuple[Act, ...], condition: str, prefix: str
) -> str:
    # Roles are listed when the function runs (the matrix may change between runs); a policy
    # for no role is left out, and then nobody but the recorder reaches those rows.
    clause = "WITH CHECK" if statement == "INSERT" else "USING"
    wanted = ", ".join(f"'{a.value}'" for a in acts)
    return (
        f"roles := (SELECT string_agg(DISTINCT quote_ident('{prefix}' || role), ', ') "
        f"FROM permission_matrix WHERE act IN ({wanted})); "
        f"IF roles IS NOT NULL THEN EXECUTE format('CREATE POLICY {name} ON {table} "
        f"FOR {statement} TO %s {clause} ({_quoted(condition)})', roles); END IF;"
    )


def _quoted(sql: str) -> str:
    return sql.replace("'", "''")


def _audit_guards(prefix: str, schema: str) -> list[str]:
    """Audit and journal rows name the login that writes them (operators) or Vigie (recorder).

    Every login but the recorder and the installers (``_INSTALLER``) writes in its own name: not
    only the direct members of Vigie's groups, so that a login holding a group through another
    role is bound too.
    """
    recorder = recorder_role(prefix)
    body = (
        "CREATE OR REPLACE FUNCTION vigie_row_names_its_writer() RETURNS trigger LANGUAGE plpgsql "
        f"SET search_path = {schema}, pg_temp AS $fn$ BEGIN "
        # The Open311 service records citizens' requests as Vigie, never as anyone else.
        f"IF session_user = '{pg_open311.opendata_role(prefix)}' THEN "
        f"IF NEW.operator IS DISTINCT FROM '{OPENDATA}' THEN "
        "RAISE EXCEPTION 'vigie: the Open311 service writes as %, not as %', "
        f"'{OPENDATA}', NEW.operator USING ERRCODE = '42501'; END IF; "
        f"ELSIF session_user = '{recorder}' THEN "
        "IF NEW.operator NOT LIKE 'system:%' THEN "
        "RAISE EXCEPTION 'vigie: the recorder writes as Vigie, not as %', NEW.operator "
        "USING ERRCODE = '42501'; END IF; "
        f"ELSIF NEW.operator IS DISTINCT FROM session_user AND NOT {_INSTALLER} THEN "
        "RAISE EXCEPTION 'vigie: % may not write a row in the name of %', "
        "session_user, NEW.operator "
        "USING ERRCODE = '42501'; END IF; RETURN NEW; END $fn$"
    )
    statements = [body]
    for table in ("audit_log", "journal"):
        statements += [
            f"DROP TRIGGER IF EXISTS names_its_writer ON {table}",
            f"CREATE TRIGGER names_its_writer BEFORE INSERT ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION vigie_row_names_its_writer()",
        ]
    return statements


# --- operators (an admin's session) ---------------------------------------------------------------
def scram_verifier(session: Session, name: str, password: str) -> str:
    """The password hashed by the client, as libpq's PQencryptPasswordConn does: never in clear."""
    raw = session.connection().connection.driver_connection
    return raw.pgconn.encrypt_password(password.encode(), name.encode(), b"scram-sha-256").decode()


def call(session: Session, function: str, **arguments: object) -> None:
    """Run a management function; its refusals come back as the database's errors."""
    names = ", ".join(f":{k}" for k in arguments)
    session.execute(text(f"SELECT {function}({names})"), arguments)


def login_exists(session: Session, name: str) -> bool:
    return bool(
        session.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).first()
    )


def apply_matrix(session: Session) -> None:
    session.execute(text("SELECT vigie_apply_matrix()"))


def members(session: Session, prefix: str, roles: Iterable[Role] = tuple(Role)) -> dict[str, str]:
    """Login name to Vigie role, as the database has it (for tests and ``operator list``)."""
    groups = {group_role(prefix, r): r.value for r in roles}
    rows = session.execute(
        text(
            "SELECT u.rolname AS login, g.rolname AS grp FROM pg_auth_members m "
            "JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member "
            "WHERE g.rolname = ANY(:groups) AND u.rolcanlogin"
        ),
        {"groups": list(groups)},
    ).all()
    return {row.login: groups[row.grp] for row in rows}


# --- logging in (PostgreSQL checks the password) --------------------------------------------------
#: The server's answers that mean "not this login": bad password, no such role, not allowed to
#: log in (a disabled operator). Told apart from a server that is away, which is exit 4.
_LOGIN_REFUSALS = ("password authentication failed", "does not exist", "not permitted to log in")


def log_in(url: str, name: str, password: str | None) -> Database:
    """A ``Database`` connected as ``name``, whose password the server checked.

    With no ``password``, libpq's own means log in (``~/.pgpass``, a service file, Kerberos).

    Raises ``PermissionDenied("auth.refused")`` with one answer for every refusal, as on SQLite.
    """
    from sqlalchemy.exc import OperationalError

    from services.store.database import Database

    login = make_url(url).set(username=name, password=password)
    database = Database(login.render_as_string(hide_password=False))
    try:
        with database.engine.connect():
            pass
    except OperationalError as exc:
        database.dispose()
        if any(refusal in str(exc.orig) for refusal in _LOGIN_REFUSALS):
            raise PermissionDenied("auth.refused", operator=name) from None
        raise
    return database
