"""What the database checks by changes only through functions that audit it (docs/security.md).

``permission_matrix``, ``approval_rules`` and ``playbook_steps`` decide what every login may do
and send, so an admin's change to them must be on the record even when it comes from ``psql``.
No Vigie role may INSERT, UPDATE or DELETE them (``pg_authority.ACT_PRIVILEGES``); installed with
the rest of the authority (``pg_authority.install``), SECURITY DEFINER functions owned by the
installer, as ``vigie_record_command`` is, make each change:

- ``vigie_load_permissions(source, acts, rules)``: the matrix whole (every act Vigie has, each
  with its roles) and the approval rules, then ``vigie_apply_matrix()``. It refuses, in the
  words Vigie's own load uses, a matrix giving the admin an act other than ``ADMIN_ACTS`` or
  another role ``manage_operators``, and rules that are not Vigie's or let a role change go
  without a second operator;
- ``vigie_load_playbook(source, steps)``: the commands of every entry of the playbook.

Each checks that the login's role may ``manage_operators`` in the matrix in force, and appends
the change's audit entry (``permissions.load``, ``playbook.load``, the actions Vigie's own loads
always wrote) in ``session_user``'s name, in the same transaction, on the same hash chain:
``vigie_audit`` computes the hash ``services/store/audit.entry_hash`` computes, so ``vigie audit
verify`` checks the database's entries as it checks Vigie's. The mode rules (``pg_requests``),
the operator management functions (``pg_authority``) and the camera views' (``pg_views``) use
it too; ``audit.append`` uses
``vigie_audit_append``, the one way any Vigie login appends.

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
from services.domain.permissions import ADMIN_ACTS, Act

#: The text ``audit.format_ts`` gives a time: microseconds, UTC, ``Z``.
_TS = "to_char(v_ts AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"


def statements(prefix: str, schema: str) -> list[str]:
    every_group = ", ".join(f'"{prefix}{r.value}"' for r in Role)
    recorder, manager = f'"{prefix}recorder"', f'"{prefix}manager"'
    statements = [_canonical_json(schema), *_audit(schema)]
    statements += [
        # Every append goes through these: operators and the recorder append, none writes the
        # journal's tables (``pg_authority``); the manager's functions audit what they do.
        f"GRANT EXECUTE ON FUNCTION {_APPEND} TO {every_group}, {recorder}",
        f"GRANT EXECUTE ON FUNCTION vigie_audit(text, text, jsonb) TO {every_group}, {manager}",
    ]
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


_APPEND = "vigie_audit_append(text, text, text, text)"


def _audit(schema: str) -> list[str]:
    """``vigie_audit_append`` and ``vigie_audit``: ``audit.append``, by the database.

    ``vigie_audit_append(operator, action, target, details)`` appends an entry whose details are
    already canonical JSON text (Vigie's own ``audit.append`` on PostgreSQL); ``vigie_audit``
    appends one in ``session_user``'s name from a ``jsonb`` (the database's own functions and
    triggers). SECURITY DEFINER, owned by the installer: no Vigie role may INSERT into
    ``audit_log`` or UPDATE ``audit_chain`` itself, so the chain's row is locked only for an
    append, and every entry's seq, previous hash and hash are the database's. The
    ``names_its_writer`` trigger still checks the name: an operator's login appends in its own
    name only, the recorder as Vigie (``system:``). The database's clock dates the entry.
    """
    form = (
        "'{\"action\":' || to_json(p_action)::text || ',\"details\":' || to_json(p_details)::text "
        "|| ',\"operator\":' || to_json(p_operator)::text "
        "|| ',\"prev_hash\":' || to_json(v_prev)::text || ',\"seq\":' || v_seq "
        "|| ',\"target\":' || to_json(p_target)::text "
        f"|| ',\"ts\":' || to_json({_TS})::text || '}}'"
    )
    append = (
        # The entry's columns are this function's too (RETURNS TABLE): names are the table's.
        "#variable_conflict use_column\n"
        "DECLARE v_seq bigint; v_prev text; v_ts timestamptz := now(); v_hash text; BEGIN "
        # json, not jsonb: the text is kept as Vigie wrote it (jsonb refuses \u0000).
        "IF json_typeof(p_details::json) IS DISTINCT FROM 'object' THEN RAISE EXCEPTION "
        "'vigie: an audit entry''s details are a JSON object' USING ERRCODE = '22023'; END IF; "
        "SELECT c.seq, c.hash INTO v_seq, v_prev FROM audit_chain c WHERE c.id = 1 FOR UPDATE; "
        "v_seq := v_seq + 1; "
        f"v_hash := encode(sha256(convert_to({form}, 'UTF8')), 'hex'); "
        "INSERT INTO audit_log (seq, ts, operator, action, target, details, prev_hash, hash) "
        "VALUES (v_seq, v_ts, p_operator, p_action, p_target, p_details, v_prev, v_hash); "
        "UPDATE audit_chain SET seq = v_seq, hash = v_hash WHERE id = 1; "
        "RETURN QUERY SELECT v_seq, v_ts, p_operator, p_action, p_target, p_details, v_prev, "
        "v_hash; END"
    )
    in_own_name = (
        "BEGIN PERFORM vigie_audit_append(session_user, p_action, p_target, "
        "vigie_canonical_json(COALESCE(p_details, '{}'))); END"
    )
    signatures = {
        # A table of its own, not ``audit_log``'s row type: no migration's drop depends on it.
        "vigie_audit_append(p_operator text, p_action text, p_target text, p_details text) "
        "RETURNS TABLE (seq bigint, ts timestamptz, operator text, action text, target text, "
        "details text, prev_hash text, hash text)": append,
        "vigie_audit(p_action text, p_target text, p_details jsonb) RETURNS void": in_own_name,
    }
    statements = []
    for signature, body in signatures.items():
        statements += [
            f"CREATE OR REPLACE FUNCTION {signature} LANGUAGE plpgsql SECURITY DEFINER "
            f"SET search_path = {schema}, pg_temp AS $fn$ {body} $fn$",
            f"REVOKE ALL ON FUNCTION {signature.partition(' RETURNS')[0]} FROM PUBLIC",
        ]
    return statements


def _quoted(names: Sequence[str]) -> str:
    return ", ".join(f"'{n}'" for n in names)


#: Refusals of a matrix or rules that are whole but not allowed, worded as Vigie's own refusals
#: of the same file (``console/text/messages.py``: permissions.admin_operational,
#: permissions.manager_not_admin, approval.role_change_kept, approval.bad_rules).
_ADMIN_OPERATIONAL = (
    "%: act ''%'': the admin runs no operational act (only read_audit and manage_operators)"
)
_MANAGER_NOT_ADMIN = "%: act ''manage_operators'': only the admin manages operators, not ''%''"
_ROLE_CHANGE_KEPT = (
    "%: [approvals] role_change stays true: an operator''s role changes only with a second "
    "operator''s approval"
)
_BAD_RULE = "%: [approvals] % is not a rule Vigie knows or has a wrong value"
_BAD = "USING ERRCODE = '22023'; END IF; "


def _separation_of_duties() -> str:
    """``permissions.check_separation_of_duties``, by the database.

    The admin holds no operational act, and no other role manages operators; the first
    offender is named, in the order Vigie's check names it.
    """
    in_order = "ARRAY[" + _quoted([a.value for a in Act]) + "]"
    return (
        "SELECT e.key INTO v_act FROM jsonb_each(p_acts) e WHERE e.value @> '\"admin\"' "
        f"AND e.key NOT IN ({_quoted(sorted(a.value for a in ADMIN_ACTS))}) "
        f"ORDER BY array_position({in_order}, e.key) LIMIT 1; "
        f"IF v_act IS NOT NULL THEN RAISE EXCEPTION 'vigie: {_ADMIN_OPERATIONAL}', p_source, "
        f"v_act {_BAD}"
        "SELECT r INTO v_role FROM jsonb_array_elements_text(p_acts -> 'manage_operators') r "
        "WHERE r <> 'admin' ORDER BY r COLLATE \"C\" LIMIT 1; "
        f"IF v_role IS NOT NULL THEN RAISE EXCEPTION 'vigie: {_MANAGER_NOT_ADMIN}', p_source, "
        f"v_role {_BAD}"
    )


def _rules_checked() -> str:
    """``approvals.read_rules``'s checks and ``check_rules_hold_the_admin``'s, by the database.

    Types matter here: the database reads each rule with a cast (``pg_requests``), where the
    text "off" would be a false.
    """
    flags = _quoted(
        [
            "all_of_a_type",
            "commune_lights_off_at_night",
            "bollard_lowered",
            "role_change",
            "lighting_apply",
        ]
    )
    counts = _quoted(["max_devices", "snow_level", "limit_minutes"])
    return (
        "SELECT e.key INTO v_key FROM jsonb_each(p_rules) e WHERE NOT ("
        f"(e.key IN ({flags}) AND jsonb_typeof(e.value) = 'boolean') OR (e.key IN ({counts}) "
        "AND jsonb_typeof(e.value) = 'number' AND e.value::text ~ '^-?[0-9]{1,9}$')) "
        'ORDER BY e.key COLLATE "C" LIMIT 1; '
        f"IF v_key IS NOT NULL THEN RAISE EXCEPTION 'vigie: {_BAD_RULE}', p_source, v_key {_BAD}"
        "IF (p_rules ->> 'limit_minutes')::int <= 0 THEN RAISE EXCEPTION "
        f"'vigie: {_BAD_RULE}', p_source, 'limit_minutes' {_BAD}"
        "IF p_rules -> 'role_change' = 'false' THEN RAISE EXCEPTION "
        f"'vigie: {_ROLE_CHANGE_KEPT}', p_source {_BAD}"
    )


def _loads() -> dict[str, str]:
    guard = (
        "IF NOT EXISTS (SELECT FROM permission_matrix WHERE act = 'manage_operators' "
        "AND role = vigie_session_role()) THEN RAISE EXCEPTION "
        "'vigie: % may not change what the database checks by', session_user "
        "USING ERRCODE = '42501'; END IF; "
    )
    acts, roles = _quoted([a.value for a in Act]), _quoted([r.value for r in Role])
    permissions = (
        "DECLARE v_count integer; v_acts jsonb; v_act text; v_role text; v_key text; BEGIN "
        f"{guard}"
        # The matrix whole, as ``permissions.read_matrix`` takes a file: each act once, with
        # a list of Vigie's roles; the rules an object (``approvals.rules_as_data``).
        "IF jsonb_typeof(p_acts) IS DISTINCT FROM 'object' "
        "OR jsonb_typeof(p_rules) IS DISTINCT FROM 'object' THEN RAISE EXCEPTION "
        f"'vigie: the matrix is an object of acts and the rules an object' {_BAD}"
        f"IF (SELECT count(*) FROM jsonb_object_keys(p_acts) k WHERE k IN ({acts})) <> {len(Act)} "
        f"OR EXISTS (SELECT FROM jsonb_each(p_acts) e WHERE e.key NOT IN ({acts}) "
        "OR jsonb_typeof(e.value) <> 'array') THEN RAISE EXCEPTION "
        f"'vigie: the matrix names each of Vigie''s acts, with a list of roles' {_BAD}"
        "IF EXISTS (SELECT FROM jsonb_each(p_acts) e, jsonb_array_elements(e.value) r "
        f"WHERE jsonb_typeof(r) <> 'string' OR r #>> '{{}}' NOT IN ({roles})) THEN "
        f"RAISE EXCEPTION 'vigie: the matrix names a role Vigie does not have' {_BAD}"
        f"{_separation_of_duties()}"
        f"{_rules_checked()}"
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
        f"value, target_type, target, command and params' {_BAD}"
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
