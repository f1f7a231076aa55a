"""Shift handovers kept by PostgreSQL: written in their author's name, accepted by another.

Installed with the rest of the authority (``pg_authority.install``), after ``pg_snapshots``.
The grants let a role that may ``hand_over`` INSERT a handover and one that may
``accept_handover`` UPDATE its ``accepted_by``/``accepted_at`` (``pg_authority``). A trigger
holds, against plain SQL as against Vigie, what the grants cannot say:

- on INSERT: the author is ``session_user``, an operator whose role may ``hand_over`` in the
  matrix in force, the role recorded is that login's, and it is not born accepted (42501);
- on UPDATE: a handover is accepted once (55000), by ``session_user`` (42501), an operator whose
  role may ``accept_handover``, who is not its author (42501); nothing else of it changes.

The trigger reads the login's role (``vigie_session_role``) and the matrix as their owner does:
the recorder's login, which writes most tables, is no operator and hands nothing over.
"""

from __future__ import annotations

GUARD = "vigie_handover_guard"


def _refuse(message: str, *args: str, code: str = "42501") -> str:
    values = "".join(f", {a}" for a in args)
    return f"RAISE EXCEPTION 'vigie: {message}'{values} USING ERRCODE = '{code}';"


def _may(act: str) -> str:
    return (
        "v_role IS NOT NULL AND EXISTS (SELECT FROM permission_matrix m "
        f"WHERE m.role = v_role AND m.act = '{act}')"
    )


def _guard() -> str:
    inserted = (
        f"IF NOT ({_may('hand_over')}) THEN "
        + _refuse("% may not hand_over", "session_user")
        + " END IF; IF NEW.author IS DISTINCT FROM session_user THEN "
        + _refuse("a handover is written in its author''s name, not %", "NEW.author")
        + " END IF; IF NEW.author_role IS DISTINCT FROM v_role THEN "
        + _refuse("% hands over as %, not %", "session_user", "v_role", "NEW.author_role")
        + " END IF; IF NEW.accepted_by IS NOT NULL OR NEW.accepted_at IS NOT NULL THEN "
        + _refuse("a handover is accepted by the next operator, not born accepted")
        + " END IF; RETURN NEW;"
    )
    updated = (
        "IF OLD.accepted_by IS NOT NULL THEN "
        + _refuse("handover % was accepted by % already", "OLD.id", "OLD.accepted_by", code="55000")
        + " END IF; IF (NEW.id, NEW.author, NEW.author_role, NEW.started_at, NEW.shift_from, "
        "NEW.remarks) IS DISTINCT FROM (OLD.id, OLD.author, OLD.author_role, OLD.started_at, "
        "OLD.shift_from, OLD.remarks) THEN "
        + _refuse("a handover''s record stays as its author wrote it (%)", "OLD.id")
        + f" END IF; IF NOT ({_may('accept_handover')}) THEN "
        + _refuse("% may not accept_handover", "session_user")
        + " END IF; IF NEW.accepted_by IS DISTINCT FROM session_user OR NEW.accepted_at IS NULL "
        "THEN "
        + _refuse("a handover is accepted in the acceptor''s own name, not %", "NEW.accepted_by")
        + " END IF; IF NEW.accepted_by = OLD.author THEN "
        + _refuse("% handed over shift % and may not accept it", "OLD.author", "OLD.id")
        + " END IF; RETURN NEW;"
    )
    return (
        "DECLARE v_role text := vigie_session_role(); BEGIN "
        f"IF TG_OP = 'INSERT' THEN {inserted} END IF; {updated} END"
    )


def statements(prefix: str, schema: str) -> list[str]:
    """The guard function and its trigger (``prefix`` kept for the same call as the others)."""
    del prefix  # the role names come from ``vigie_session_role``, which knows the prefix
    definer = f"LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp"
    return [
        f"CREATE OR REPLACE FUNCTION {GUARD}() RETURNS trigger {definer} AS $fn$ {_guard()} $fn$",
        "DROP TRIGGER IF EXISTS guarded ON handovers",
        "CREATE TRIGGER guarded BEFORE INSERT OR UPDATE ON handovers "
        f"FOR EACH ROW EXECUTE FUNCTION {GUARD}()",
    ]
