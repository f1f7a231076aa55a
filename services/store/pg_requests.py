"""The two-person rule, kept by PostgreSQL (docs/security.md, "The two-person rule").

Installed with the rest of the authority (``pg_authority.install``). No operator may INSERT a
command: ``vigie_record_command`` records each, as a SECURITY DEFINER function owned by the
schema's owner. It

- takes the command's ``issued_by`` from ``session_user`` (or, for an approved request, from
  the approval: the requester's act, carried out by its approver);
- refuses an act the login's role does not hold in ``permission_matrix``, and a command that
  does not belong to that act (a dispatcher's act sends only dispatches);
- refuses, without an approval, a command the city's rules (``approval_rules``) make wait and
  that the row alone tells: to all devices of a type, lowering a bollard, or a lighting
  policy's ``profile`` (``lighting_apply``);
- refuses a row no device can take (a target no topic may name, parameters that are not an
  object, an expiry outside a day): such a row must not stop the recorder that publishes it;
- with an approval, accepts only one approved by this very login, within the limit, dated by
  the database: a command approval's commands each once, with the parameters approved; a
  lighting approval's ``profile`` commands likewise, each once, as a group command; a mode
  approval's only as its switch, claimed by its approver, of the playbook entry approved.

Triggers on ``approvals`` make the record's own rules the database's: a request is written in
its requester's name, awaiting, of a kind its act allows, dated and limited by the database; a
decision is taken in the decider's name, by a role that may approve, before the limit, dated by
the database, and an approval never by the requester; what was asked never changes, and what
carrying it out gave is noted once. On ``city_modes``: claims in one's own name, dated by the
database and held alone until stale (``CLAIM_STALE_AFTER``), a stale one's takeover audited; a
level in force only at the end of one's own switch, the snow plan's high levels only once
approved, and an announcement only by the switch, saying what the record says. Operators may
UPDATE only the columns a switch writes (``SWITCH_COLUMNS``).

The rule that needs the sun (a commune's lights off at night) stays the services' to judge: a
login that goes round Vigie with plain SQL gets past that one (docs/security.md says so). The
size rule counts a group's known devices, and an operator's single-device commands within the
limit, as the database knows them.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import text
from sqlalchemy.orm import Session

from services.domain.commands import COMMANDS
from services.domain.modes import CLAIM_STALE_AFTER
from services.domain.operators import Role

#: The columns of ``city_modes`` a switch writes (``services/modes.py``: ``apply`` claims the row,
#: ``finish`` records the end and releases it): an operator's grant, column by column. The mode's
#: ``kind`` is not one, nor is a column added later until a switch writes it.
SWITCH_COLUMNS = (
    "value", "previous", "target", "state", "since", "by", "reason", "motive", "request_ids",
    "bus_priority", "switching_by", "switching_since", "announcement", "announced_at",
)  # fmt: skip
SWITCH_PRIVILEGES = "SELECT, UPDATE (" + ", ".join(f'"{c}"' for c in SWITCH_COLUMNS) + ")"


def operator_login(session: Session) -> bool:
    """Whether this session, on a database that is its own authority, is an operator's login.

    Then a command is recorded only through ``vigie_record_command``; the recorder, the
    schema's owner and superusers (outside the guarantees) write rows as before.
    """
    if "vigie_operator_login" not in session.info:
        session.info["vigie_operator_login"] = bool(
            session.execute(text("SELECT vigie_session_role() IS NOT NULL")).scalar()
        )
    return session.info["vigie_operator_login"]


def statements(prefix: str, schema: str) -> list[str]:
    groups = ", ".join(f"'{prefix}{r.value}'" for r in Role)
    role_of = (
        f"(SELECT substr(g.rolname, {len(prefix) + 1}) FROM pg_auth_members m "
        "JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member "
        f"WHERE u.rolname = session_user AND g.rolname IN ({groups}) LIMIT 1)"
    )
    every_group = ", ".join(f'"{prefix}{r.value}"' for r in Role)
    return [
        _role_function(role_of, schema),
        *_record_command(schema),
        f"GRANT EXECUTE ON FUNCTION {_ARGUMENTS} TO {every_group}",
        *_approval_guards(prefix, schema),
        *_mode_guards(schema),
        *_command_guards(prefix, schema),
    ]


def _command_guards(prefix: str, schema: str) -> list[str]:
    """The recorder moves a command forward only: never back to pending, never unsent again.

    Its grants let it write a command's status and when it was sent (``pg_authority``); without
    this, its password would let one put a finished command back in the outbox to go out again.
    """
    body = (
        f"IF session_user = '{prefix}recorder' AND ("
        "(NEW.status = 'pending' AND OLD.status <> 'pending') "
        "OR (OLD.sent_at IS NOT NULL AND NEW.sent_at IS DISTINCT FROM OLD.sent_at)) THEN "
        f"{_refuse('the recorder moves a command forward only (%)', 'NEW.request_id')} END IF; "
        "RETURN NEW; END"
    )
    return [
        "CREATE OR REPLACE FUNCTION vigie_command_moves_forward() RETURNS trigger "
        f"LANGUAGE plpgsql SET search_path = {schema}, pg_temp AS $fn$ BEGIN {body} $fn$",
        "DROP TRIGGER IF EXISTS moves_forward ON commands",
        "CREATE TRIGGER moves_forward BEFORE UPDATE ON commands "
        "FOR EACH ROW EXECUTE FUNCTION vigie_command_moves_forward()",
    ]


def _role_function(role_of: str, schema: str) -> str:
    return (
        "CREATE OR REPLACE FUNCTION vigie_session_role() RETURNS text LANGUAGE sql STABLE "
        f"SET search_path = {schema}, pg_temp AS $fn$ {role_of} $fn$"
    )


def _refuse(message: str, *args: str) -> str:
    values = "".join(f", {a}" for a in args)
    return f"RAISE EXCEPTION 'vigie: {message}'{values} USING ERRCODE = '42501';"


_SIGNATURE = (
    "vigie_record_command(p_request_id text, p_target_type text, p_target text, "
    "p_command text, p_params jsonb, p_issued_at timestamptz, p_expires_at timestamptz, "
    "p_reply_to text, p_act text, p_approval_id text)"
)

_ARGUMENTS = (
    "vigie_record_command(text, text, text, text, jsonb, timestamptz, timestamptz, text, text, "
    "text)"
)

_NOT_IN_PLAYBOOK = (
    "a mode switch sends only the commands of the playbook entry it claimed, and % on % is not "
    "one (an admin loads the city''s playbook with vigie playbook load)"
)

#: Which commands each act sends (a mode switch sends its playbook's group and device commands).
_FITS = (
    "CASE p_act "
    "WHEN 'act_on_incidents' THEN p_target_type = 'unit' AND p_command = 'dispatch' "
    "WHEN 'command_device' THEN p_target_type NOT IN ('unit', 'group') "
    "WHEN 'command_group' THEN p_target_type = 'group' "
    "WHEN 'switch_snow' THEN p_target_type <> 'unit' "
    "WHEN 'switch_traffic' THEN p_target_type <> 'unit' "
    "ELSE false END"
)


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(f"'{n}'" for n in sorted(names))


def _members() -> str:
    """How many known devices a group command reaches, as ``membership.group_members`` counts."""
    types = " ".join(
        f"WHEN '{spec.name.value}' THEN ARRAY[{_quoted(t.value for t in spec.applies_to)}]"
        for spec in COMMANDS.values()
    )
    return (
        "(SELECT count(*) FROM equipment e WHERE e.type = ANY("
        f"CASE p_command {types} ELSE ARRAY[]::text[] END) AND CASE "
        "WHEN starts_with(p_target, 'commune:') THEN e.commune = substr(p_target, 9) "
        "WHEN starts_with(p_target, 'all:') THEN e.type = substr(p_target, 5) "
        "ELSE e.group_ref = p_target END)"
    )


_LIMIT = (
    "v_rules := COALESCE((SELECT r.rules::jsonb FROM approval_rules r ORDER BY r.id LIMIT 1), "
    "'{}'::jsonb); "
    "v_limit := make_interval(mins => COALESCE((v_rules ->> 'limit_minutes')::int, 10)); "
)

#: A row a device can take: anything else would stop the recorder that publishes it.
_WELL_FORMED = (
    "jsonb_typeof(p_params) = 'object' AND p_target ~ '^[A-Za-z0-9:._-]{1,160}$' "
    "AND p_command ~ '^[a-z_]{1,16}$' AND p_target_type ~ '^[A-Za-z_]{1,40}$' "
    "AND p_reply_to ~ '^[A-Za-z0-9/._:-]{1,200}$' "
    "AND p_expires_at > now() AND p_expires_at <= now() + interval '1 day'"
)

#: The commands of the approval being carried out that match this one (``until`` aside), and
#: those of them already recorded: an approval sends each of its commands once.
_NAMED = (
    "(SELECT count(*) FROM json_array_elements(a.payload -> 'commands') c "
    "WHERE c ->> 'target' = p_target AND c ->> 'target_type' = p_target_type "
    "AND c ->> 'command' = p_command AND (c -> 'params')::jsonb - 'until' = p_params - 'until')"
)
_SENT = (
    "(SELECT count(*) FROM commands k WHERE k.approval_id = a.id "
    "AND k.target_type = p_target_type AND k.target = p_target AND k.command = p_command "
    "AND k.params::jsonb - 'until' = p_params - 'until')"
)


def _record_command(schema: str) -> list[str]:
    # A command of its own (a mode switch's follow the snow_level rule, as in Vigie's services).
    # Devices one at a time count too: a loop of single commands is a selection.
    waits = (
        "p_act IN ('command_device', 'command_group') AND ("
        "(COALESCE((v_rules ->> 'all_of_a_type')::boolean, true) "
        "AND p_target_type = 'group' AND starts_with(p_target, 'all:')) "
        "OR (COALESCE((v_rules ->> 'bollard_lowered')::boolean, true) AND p_command = 'lower') "
        # A lighting policy's profiles, group by group or light by light: one act, approved.
        "OR (COALESCE((v_rules ->> 'lighting_apply')::boolean, true) AND p_command = 'profile') "
        f"OR (p_target_type = 'group' AND {_members()} > "
        "COALESCE((v_rules ->> 'max_devices')::int, 200)) "
        "OR (p_target_type <> 'group' AND (SELECT count(*) FROM commands k "
        "WHERE k.issued_by = session_user AND k.approval_id IS NULL "
        "AND k.target_type NOT IN ('group', 'unit') AND k.issued_at > now() - v_limit) "
        ">= COALESCE((v_rules ->> 'max_devices')::int, 200)))"
    )
    body = (
        "DECLARE v_role text := vigie_session_role(); v_by text := session_user; "
        "v_rules jsonb; v_limit interval; a approvals%ROWTYPE; BEGIN "
        f"IF v_role IS NULL THEN {_refuse('% is not an operator', 'session_user')} END IF; "
        f"{_LIMIT}"
        f"IF NOT ({_WELL_FORMED}) THEN RAISE EXCEPTION 'vigie: not a command a device can "
        "take' USING ERRCODE = '22023'; END IF; "
        f"IF NOT ({_FITS}) THEN "
        f"{_refuse('a % command is not an act of %', 'p_command', 'p_act')} END IF; "
        "IF p_approval_id IS NULL THEN "
        "IF NOT EXISTS (SELECT FROM permission_matrix WHERE role = v_role AND act = p_act) THEN "
        f"{_refuse('% may not %', 'session_user', 'p_act')} END IF; "
        f"IF {waits} THEN "
        f"{_refuse('this command waits for a second operator to approve it')} END IF; "
        "ELSE "
        "SELECT * INTO a FROM approvals WHERE id = p_approval_id FOR UPDATE; "
        # IS DISTINCT FROM: an approval with no decider (NULL) is nobody's to carry out.
        "IF NOT FOUND OR a.status <> 'approved' OR a.decided_by IS DISTINCT FROM session_user "
        "OR a.decided_at IS NULL OR a.decided_at > now() OR a.decided_at < now() - v_limit "
        # A profile goes out only as a lighting policy's (checked whole when carried out).
        "OR NOT ((a.kind = 'command' AND p_act IN ('command_device', 'command_group') "
        "AND p_command <> 'profile') "
        "OR (a.kind = 'lighting' AND p_act = 'command_group' AND p_command = 'profile') "
        "OR (a.kind = 'mode' AND p_act = 'switch_' || (a.payload::jsonb ->> 'kind'))) THEN "
        f"{_refuse('approval % does not let % send this', 'p_approval_id', 'session_user')} "
        "END IF; "
        f"IF a.kind IN ('command', 'lighting') AND {_NAMED} <= {_SENT} THEN "
        f"{_refuse('approval % does not name this command, or sent it already', 'a.id')} "
        "END IF; "
        "v_by := a.requested_by; "
        "END IF; "
        # A mode switch's commands, approved or not: only the claimed entry's, by its claimant.
        "IF p_act IN ('switch_snow', 'switch_traffic') AND NOT EXISTS (SELECT FROM city_modes m "
        "JOIN playbook_steps s ON s.kind = m.kind AND s.value = m.target "
        "WHERE m.kind = CASE p_act WHEN 'switch_snow' THEN 'snow' ELSE 'traffic' END "
        "AND m.switching_by = session_user AND s.target_type = p_target_type "
        "AND s.target = p_target AND s.command = p_command "
        "AND s.params::jsonb - 'until' = p_params - 'until' "
        "AND (a.id IS NULL OR m.target = a.payload::jsonb ->> 'value')) THEN "
        f"{_refuse(_NOT_IN_PLAYBOOK, 'p_command', 'p_target')} END IF; "
        # The database's clock dates it: the row-count rule above reads it.
        "INSERT INTO commands (request_id, target_type, target, command, params, status, "
        "issued_by, issued_at, expires_at, reply_to, late, approval_id) VALUES (p_request_id, "
        "p_target_type, p_target, p_command, p_params::json, 'pending', v_by, now(), "
        "p_expires_at, p_reply_to, false, p_approval_id); END"
    )
    return [
        f"CREATE OR REPLACE FUNCTION {_SIGNATURE} RETURNS void LANGUAGE plpgsql "
        f"SECURITY DEFINER SET search_path = {schema}, pg_temp AS $fn$ {body} $fn$",
        f"REVOKE ALL ON FUNCTION {_SIGNATURE} FROM PUBLIC",
    ]


def _approval_guards(prefix: str, schema: str) -> list[str]:
    """Requests in the requester's name; decisions in the decider's, never the requester's.

    The recorder's login, which expires requests whose time ran out (``approvals
    .expire_overdue``), may do that alone: it writes a request's status, and only to expire one
    still awaiting (its own clock judged the time, as the sweep's query did).
    """
    unchanged = (
        " OR ".join(
            f"NEW.{c} IS DISTINCT FROM OLD.{c}"
            for c in ("id", "kind", "act", "reason", "rule", "requested_by", "requested_at")
        )
        + " OR "
        + " OR ".join(
            f"NEW.{c}::text IS DISTINCT FROM OLD.{c}::text" for c in ("payload", "preview")
        )
    )
    body = (
        "DECLARE v_role text := vigie_session_role(); v_rules jsonb; v_limit interval; BEGIN "
        f"IF session_user = '{prefix}recorder' AND (TG_OP <> 'UPDATE' OR OLD.status <> 'awaiting' "
        "OR NEW.status <> 'expired') THEN "
        f"{_refuse('the recorder only expires a request still awaiting')} END IF; "
        "IF v_role IS NULL THEN RETURN NEW; END IF; "  # the recorder, the schema's owner
        f"{_LIMIT}"
        "IF TG_OP = 'INSERT' THEN "
        "IF NEW.requested_by <> session_user OR NEW.status <> 'awaiting' "
        "OR NEW.decided_by IS NOT NULL THEN "
        f"{_refuse('% may only ask in their own name', 'session_user')} END IF; "
        "IF NOT EXISTS (SELECT FROM permission_matrix WHERE role = v_role AND act = NEW.act) "
        f"THEN {_refuse('% may not ask for %', 'session_user', 'NEW.act')} END IF; "
        # What is carried out must be what the act is: a technician's request is no role change.
        "IF NOT ((NEW.kind = 'command' AND NEW.act IN ('command_device', 'command_group')) "
        "OR (NEW.kind = 'lighting' AND NEW.act = 'command_group') "
        "OR (NEW.kind = 'mode' AND NEW.act = 'switch_' || (NEW.payload::jsonb ->> 'kind')) "
        "OR (NEW.kind = 'role' AND NEW.act = 'manage_operators' "
        "AND NEW.payload::jsonb ->> 'name' <> session_user)) THEN "
        f"{_refuse('a % request is not an act of %', 'NEW.kind', 'NEW.act')} END IF; "
        # The database's clock and the city's limit, not the requester's.
        "NEW.requested_at := now(); NEW.expires_at := now() + v_limit; NEW.outcome := ''; "
        "NEW.decided_at := NULL; NEW.decision_reason := ''; "
        "RETURN NEW; END IF; "
        f"IF {unchanged} OR NEW.expires_at IS DISTINCT FROM OLD.expires_at THEN "
        f"{_refuse('what was asked does not change')} END IF; "
        "IF NEW.status = OLD.status THEN "
        # Only the outcome of carrying it out is noted afterwards, by who carried it out.
        "IF NEW.decided_by IS DISTINCT FROM OLD.decided_by "
        "OR NEW.decided_at IS DISTINCT FROM OLD.decided_at "
        "OR NEW.decision_reason IS DISTINCT FROM OLD.decision_reason "
        "OR (NEW.outcome IS DISTINCT FROM OLD.outcome AND OLD.outcome <> '') "
        "OR (OLD.decided_by IS DISTINCT FROM session_user "
        "AND OLD.requested_by <> session_user) THEN "
        f"{_refuse('% may not change this decision', 'session_user')} END IF; "
        "RETURN NEW; END IF; "
        "IF OLD.status <> 'awaiting' THEN "
        f"{_refuse('request % is % already', 'OLD.id', 'OLD.status')} END IF; "
        "NEW.decided_at := now(); "  # a decision is dated by the database, never the decider
        "IF NEW.status = 'expired' THEN "
        "IF OLD.expires_at > now() OR NEW.decided_by IS NOT NULL THEN "
        f"{_refuse('request % has time left', 'OLD.id')} END IF; RETURN NEW; END IF; "
        "IF NEW.status NOT IN ('approved', 'refused') OR NEW.decided_by IS DISTINCT FROM "
        f"session_user THEN {_refuse('% decides in their own name only', 'session_user')} "
        "END IF; "
        "IF OLD.expires_at <= now() THEN "
        f"{_refuse('request % ran out of time', 'OLD.id')} END IF; "
        "IF NOT EXISTS (SELECT FROM permission_matrix WHERE role = v_role AND act = 'approve') "
        f"THEN {_refuse('% may not approve', 'session_user')} END IF; "
        "IF NEW.status = 'approved' AND OLD.requested_by = session_user THEN "
        f"{_refuse('% may not approve their own request', 'session_user')} END IF; "
        "RETURN NEW; END"
    )
    return [
        "CREATE OR REPLACE FUNCTION vigie_approval_rules() RETURNS trigger LANGUAGE plpgsql "
        f"SET search_path = {schema}, pg_temp AS $fn$ {body} $fn$",
        "DROP TRIGGER IF EXISTS two_person_rule ON approvals",
        "CREATE TRIGGER two_person_rule BEFORE INSERT OR UPDATE ON approvals "
        "FOR EACH ROW EXECUTE FUNCTION vigie_approval_rules()",
    ]


def _mode_guards(schema: str) -> list[str]:
    """Mode switches: claims, levels in force and the ``snow_level`` rule.

    A claim is taken in one's own name, dated by the database, and is its holder's alone until
    it goes stale (``CLAIM_STALE_AFTER`` after it was taken, as the console judges it): until
    then nobody else changes the mode's row. Taking over a stale claim is audited
    (``mode.take_over``, naming whose claim it was). A level comes in force only at the end of
    one's own switch to it; the snow plan's high levels only once approved; the recorder alone
    says when an announcement went out.
    """
    level = "COALESCE((v_rules ->> 'snow_level')::int, 3)"
    approved = (
        "EXISTS (SELECT FROM approvals a WHERE a.kind = 'mode' AND a.status = 'approved' "
        "AND a.decided_by = session_user AND a.payload::jsonb ->> 'kind' = 'snow' "
        "AND a.payload::jsonb ->> 'value' = NEW.target AND a.decided_at >= now() - v_limit)"
    )
    stale = f"make_interval(secs => {int(CLAIM_STALE_AFTER.total_seconds())})"
    # A claim with no date cannot be aged: only the owner or the recorder writes one, and it
    # must not hold the city for ever, so it counts as stale.
    live = f"COALESCE(OLD.switching_since > now() - {stale}, false)"
    announced = (
        "(NEW.switching_by = session_user "
        "OR (OLD.switching_by = session_user AND NEW.switching_by IS NULL)) "
        "AND json_typeof(NEW.announcement) = 'object' "
        "AND NEW.announcement ->> 'state' = NEW.state "
        "AND COALESCE(NEW.announcement ->> 'level', NEW.announcement ->> 'mode') "
        "= COALESCE(NEW.target, NEW.value)"
    )
    body = (
        "DECLARE v_role text := vigie_session_role(); v_rules jsonb; v_limit interval; BEGIN "
        "IF v_role IS NULL THEN RETURN NEW; END IF; "
        f"{_LIMIT}"
        # Someone else's claim: theirs while live; taken over (or cleared) on the record after.
        "IF OLD.switching_by IS NOT NULL AND OLD.switching_by <> session_user "
        "AND to_jsonb(NEW) IS DISTINCT FROM to_jsonb(OLD) THEN "
        f"IF {live} THEN "
        + _refuse(
            "% is switching the % mode (claimed at %): nobody else changes it until the claim "
            "is stale, % after it was taken",
            "OLD.switching_by",
            "OLD.kind",
            "OLD.switching_since",
            stale,
        )
        + " END IF; "
        "PERFORM vigie_audit('mode.take_over', NEW.kind || ':' || COALESCE(NEW.target, "
        "NEW.value), jsonb_build_object('from', OLD.switching_by, 'claimed_at', "
        "OLD.switching_since, 'target', OLD.target, 'claimed_by', NEW.switching_by)); "
        "END IF; "
        "IF NEW.switching_by IS DISTINCT FROM OLD.switching_by AND NEW.switching_by IS NOT NULL "
        "AND NEW.switching_by <> session_user THEN "
        f"{_refuse('% may claim a switch in their own name only', 'session_user')} END IF; "
        # The database's clock dates a claim (and a renewal): one dated ahead never goes stale.
        "IF NEW.switching_by IS NOT NULL AND (NEW.switching_by IS DISTINCT FROM OLD.switching_by "
        "OR NEW.switching_since IS DISTINCT FROM OLD.switching_since) THEN "
        "NEW.switching_since := now(); END IF; "
        "IF NEW.announced_at IS NOT NULL AND NEW.announced_at IS DISTINCT FROM OLD.announced_at "
        f"THEN {_refuse('the recorder alone says when a mode was announced')} END IF; "
        "IF NEW.value IS DISTINCT FROM OLD.value AND (OLD.switching_by IS DISTINCT FROM "
        "session_user OR OLD.target IS DISTINCT FROM NEW.value) THEN "
        f"{_refuse('a mode changes only at the end of its own switch')} END IF; "
        "IF NEW.kind = 'snow' AND NEW.target !~ '^[0-3]$' THEN "
        f"{_refuse('% is not a level of the snow plan', 'NEW.target')} END IF; "
        "IF NEW.kind = 'snow' AND NEW.switching_by IS NOT NULL "
        "AND (NEW.switching_by IS DISTINCT FROM OLD.switching_by "
        "OR NEW.target IS DISTINCT FROM OLD.target) "
        f"AND NEW.target::int >= {level} AND NOT {approved} THEN "
        f"{_refuse('snow level % waits for a second operator to approve it', 'NEW.target')} "
        "END IF; "
        # The announcement the recorder publishes retained: the claimant's, saying the record.
        # COALESCE: with no claim on the row the test is NULL, which is not a yes.
        "IF NEW.announcement::text IS DISTINCT FROM OLD.announcement::text "
        f"AND NOT COALESCE({announced}, false) THEN "
        f"{_refuse('a mode is announced only by its switch, as recorded')} END IF; "
        "RETURN NEW; END"
    )
    return [
        "CREATE OR REPLACE FUNCTION vigie_mode_rules() RETURNS trigger LANGUAGE plpgsql "
        f"SET search_path = {schema}, pg_temp AS $fn$ {body} $fn$",
        "DROP TRIGGER IF EXISTS two_person_rule ON city_modes",
        "CREATE TRIGGER two_person_rule BEFORE UPDATE ON city_modes "
        "FOR EACH ROW EXECUTE FUNCTION vigie_mode_rules()",
    ]
