"""What the database checks by changes only through functions that audit it (docs/security.md).

``permission_matrix``, ``approval_rules`` and ``playbook_steps`` decide what every login may do
and send, so an admin's change to them must be on the record even when it comes from ``psql``.
No Vigie role may INSERT, UPDATE or DELETE them (``pg_authority.ACT_PRIVILEGES``); installed with
the rest of the authority (``pg_authority.install``), SECURITY DEFINER functions owned by the
installer, as ``vigie_record_command`` is, make each change:

- ``vigie_load_permissions(source, acts, rules)``: the matrix whole (every act Vigie has, each
  with its roles) and the approval rules, then ``vigie_apply_matrix()``;
- ``vigie_load_playbook(source, steps)``: the commands of every entry of the playbook.

Each checks that the login's role may ``manage_operators`` in the matrix in force, and appends
the change's audit entry (``permissions.load``, ``playbook.load``, the actions Vigie's own loads
always wrote) in ``session_user``'s name, in the same transaction, on the same hash chain:
``vigie_audit`` computes the hash ``services/store/audit.entry_hash`` computes, so ``vigie audit
verify`` checks the database's entries as it checks Vigie's. The mode rules (``pg_requests``)
use it too, to record the takeover of a stale claim.

The installer's first matrix and playbook (``install``) are written directly: the schema's owner
and superusers are outside the guarantees.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from services.domain.operators import Role
from services.domain.permissions import Act

#: The text ``audit.format_ts`` gives a time: microseconds, UTC, ``Z``.
_TS = "to_char(v_ts AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"


def statements(prefix: str, schema: str) -> list[str]:
    every_group = ", ".join(f'"{prefix}{r.value}"' for r in Role)
    statements = [_canonical_json(schema), *_audit(schema)]
    statements.append(f"GRANT EXECUTE ON FUNCTION vigie_audit(text, text, jsonb) TO {every_group}")
    for signature, body in _loads().items():
        statements += [
            f"CREATE OR REPLACE FUNCTION {signature} RETURNS integer LANGUAGE plpgsql "
            f"SECURITY DEFINER SET search_path = {schema}, pg_temp AS $fn$ {body} $fn$",
            f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC",
            # Every group may call it: the body checks the matrix, as Vigie's services do.
            f"GRANT EXECUTE ON FUNCTION {signature} TO {every_group}",
        ]
    return statements


def _canonical_json(schema: str) -> str:
    """``audit.canonical_details``: keys sorted by code point (bytes of UTF-8), no spaces."""
    return (
        "CREATE OR REPLACE FUNCTION vigie_canonical_json(v jsonb) RETURNS text LANGUAGE plpgsql "
        f"IMMUTABLE SET search_path = {schema}, pg_temp AS $fn$ BEGIN RETURN CASE jsonb_typeof(v) "
        "WHEN 'object' THEN '{' || COALESCE((SELECT string_agg(to_json(e.key)::text || ':' "
        "|| vigie_canonical_json(e.value), ',' ORDER BY e.key COLLATE \"C\") "
        "FROM jsonb_each(v) e), '') || '}' "
        "WHEN 'array' THEN '[' || COALESCE((SELECT string_agg(vigie_canonical_json(e.value), "
        "',' ORDER BY e.n) FROM jsonb_array_elements(v) WITH ORDINALITY e(value, n)), '') || ']' "
        "ELSE v::text END; END $fn$"
    )


def _audit(schema: str) -> list[str]:
    """``vigie_audit(action, target, details)``: ``audit.append``, by the database.

    Runs as its caller (every operator may append an entry in their own name anyway, and the
    ``names_its_writer`` trigger still checks the name); a definer function calling it appends
    as its owner, in ``session_user``'s name. Locks the chain's row as ``audit.append`` does, so
    an entry Vigie appends later in the same transaction follows this one.
    """
    form = (
        "'{\"action\":' || to_json(p_action)::text || ',\"details\":' || to_json(v_details)::text "
        "|| ',\"operator\":' || to_json(session_user::text)::text "
        "|| ',\"prev_hash\":' || to_json(v_prev)::text || ',\"seq\":' || v_seq "
        "|| ',\"target\":' || to_json(p_target)::text "
        f"|| ',\"ts\":' || to_json({_TS})::text || '}}'"
    )
    body = (
        "DECLARE v_seq bigint; v_prev text; v_ts timestamptz := now(); "
        "v_details text := vigie_canonical_json(COALESCE(p_details, '{}')); v_hash text; BEGIN "
        "SELECT c.seq, c.hash INTO v_seq, v_prev FROM audit_chain c WHERE c.id = 1 FOR UPDATE; "
        "v_seq := v_seq + 1; "
        f"v_hash := encode(sha256(convert_to({form}, 'UTF8')), 'hex'); "
        "INSERT INTO audit_log (seq, ts, operator, action, target, details, prev_hash, hash) "
        "VALUES (v_seq, v_ts, session_user, p_action, p_target, v_details, v_prev, v_hash); "
        "UPDATE audit_chain SET seq = v_seq, hash = v_hash WHERE id = 1; END"
    )
    signature = "vigie_audit(p_action text, p_target text, p_details jsonb)"
    return [
        f"CREATE OR REPLACE FUNCTION {signature} RETURNS void LANGUAGE plpgsql "
        f"SET search_path = {schema}, pg_temp AS $fn$ {body} $fn$",
        f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC",
    ]


def _quoted(names: Sequence[str]) -> str:
    return ", ".join(f"'{n}'" for n in names)


def _loads() -> dict[str, str]:
    guard = (
        "IF NOT EXISTS (SELECT FROM permission_matrix WHERE act = 'manage_operators' "
        "AND role = vigie_session_role()) THEN RAISE EXCEPTION "
        "'vigie: % may not change what the database checks by', session_user "
        "USING ERRCODE = '42501'; END IF; "
    )
    acts, roles = _quoted([a.value for a in Act]), _quoted([r.value for r in Role])
    bad = "USING ERRCODE = '22023'; END IF; "
    permissions = (
        "DECLARE v_count integer; v_acts jsonb; BEGIN "
        f"{guard}"
        # The matrix whole, as ``permissions.read_matrix`` takes a file: each act once, with
        # a list of Vigie's roles; the rules an object (``approvals.rules_as_data``).
        "IF jsonb_typeof(p_acts) IS DISTINCT FROM 'object' "
        "OR jsonb_typeof(p_rules) IS DISTINCT FROM 'object' THEN RAISE EXCEPTION "
        f"'vigie: the matrix is an object of acts and the rules an object' {bad}"
        f"IF (SELECT count(*) FROM jsonb_object_keys(p_acts) k WHERE k IN ({acts})) <> {len(Act)} "
        f"OR EXISTS (SELECT FROM jsonb_each(p_acts) e WHERE e.key NOT IN ({acts}) "
        "OR jsonb_typeof(e.value) <> 'array') THEN RAISE EXCEPTION "
        f"'vigie: the matrix names each of Vigie''s acts, with a list of roles' {bad}"
        "IF EXISTS (SELECT FROM jsonb_each(p_acts) e, jsonb_array_elements(e.value) r "
        f"WHERE jsonb_typeof(r) <> 'string' OR r #>> '{{}}' NOT IN ({roles})) THEN "
        f"RAISE EXCEPTION 'vigie: the matrix names a role Vigie does not have' {bad}"
        "DELETE FROM permission_matrix; "
        "INSERT INTO permission_matrix (act, role) SELECT DISTINCT e.key, r #>> '{}' "
        "FROM jsonb_each(p_acts) e, jsonb_array_elements(e.value) r; "
        "GET DIAGNOSTICS v_count = ROW_COUNT; "
        "INSERT INTO approval_rules (id, rules) VALUES (1, p_rules::json) "
        "ON CONFLICT (id) DO UPDATE SET rules = EXCLUDED.rules; "
        "PERFORM vigie_apply_matrix(); "  # the grants follow the matrix in the same transaction
        # The entry says what is in force now, read back from the table, as Vigie's did.
        "SELECT jsonb_object_agg(k, COALESCE((SELECT jsonb_agg(p.role ORDER BY p.role "
        "COLLATE \"C\") FROM permission_matrix p WHERE p.act = k), '[]')) INTO v_acts "
        "FROM jsonb_object_keys(p_acts) k; "
        "PERFORM vigie_audit('permissions.load', p_source, "
        "jsonb_build_object('acts', v_acts, 'approvals', p_rules)); "
        "RETURN v_count; END"
    )
    step_is_wrong = (
        "jsonb_typeof(s) <> 'object' OR s ->> 'kind' IS NULL OR s ->> 'kind' NOT IN "
        "('snow', 'traffic') OR jsonb_typeof(s -> 'value') IS DISTINCT FROM 'string' "
        + "".join(
            f"OR jsonb_typeof(s -> '{key}') IS DISTINCT FROM 'string' "
            for key in ("target_type", "target", "command")
        )
        + "OR jsonb_typeof(s -> 'params') IS DISTINCT FROM 'object'"
    )
    playbook = (
        "DECLARE v_count integer; BEGIN "
        f"{guard}"
        "IF jsonb_typeof(p_steps) IS DISTINCT FROM 'array' OR EXISTS (SELECT FROM "
        f"jsonb_array_elements(p_steps) s WHERE {step_is_wrong}) THEN RAISE EXCEPTION "
        "'vigie: a playbook is a list of commands, each with its kind (snow or traffic), "
        f"value, target_type, target, command and params' {bad}"
        "DELETE FROM playbook_steps; "
        "INSERT INTO playbook_steps (kind, value, target_type, target, command, params) "
        "SELECT s ->> 'kind', s ->> 'value', s ->> 'target_type', s ->> 'target', "
        "s ->> 'command', (s -> 'params')::json "
        "FROM jsonb_array_elements(p_steps) WITH ORDINALITY e(s, n) ORDER BY e.n; "
        "GET DIAGNOSTICS v_count = ROW_COUNT; "
        # The commands themselves: what a switch may send is what the journal says.
        "PERFORM vigie_audit('playbook.load', p_source, jsonb_build_object('steps', v_count, "
        "'commands', (SELECT COALESCE(jsonb_agg(to_jsonb(p) - 'id' ORDER BY p.id), '[]') "
        "FROM playbook_steps p))); "
        "RETURN v_count; END"
    )
    return {
        "vigie_load_permissions(p_source text, p_acts jsonb, p_rules jsonb)": permissions,
        "vigie_load_playbook(p_source text, p_steps jsonb)": playbook,
    }


# --- Vigie's own loads, as the admin's login ---------------------------------------------------
def load_permissions(
    session: Session, source: str, acts: Mapping[str, Sequence[str]], rules: Mapping[str, Any]
) -> int:
    """Put a matrix and approval rules in force through the database's function (audited there)."""
    return session.execute(
        text("SELECT vigie_load_permissions(:source, CAST(:acts AS jsonb), CAST(:rules AS jsonb))"),
        {"source": source, "acts": json.dumps(dict(acts)), "rules": json.dumps(dict(rules))},
    ).scalar_one()


def load_playbook(session: Session, source: str, steps: Sequence[Mapping[str, Any]]) -> int:
    """Put a playbook's commands in force through the database's function (audited there)."""
    return session.execute(
        text("SELECT vigie_load_playbook(:source, CAST(:steps AS jsonb))"),
        {"source": source, "steps": json.dumps([dict(s) for s in steps])},
    ).scalar_one()
