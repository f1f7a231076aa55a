"""Camera snapshots kept by PostgreSQL: recorded only through ``vigie_record_snapshot``.

Installed with the rest of the authority (``pg_authority.install``), after ``pg_views``. No
Vigie login may INSERT into ``camera_snapshots`` (``pg_authority``: SELECT for the roles that
may read who watched which camera; the recorder SELECT and UPDATE of ``purged_at`` alone). A
SECURITY DEFINER function, owned by the installer as ``vigie_open_view`` is, records each:

- ``vigie_record_snapshot(view_id, file_name, sha256, size)``: refuses a login whose role may
  not ``view_cameras`` in the matrix in force (42501), a view that is not ``session_user``'s
  own (42501), a view closed or run out by the database's clock (55000), a file name that is
  not a plain PNG name, a digest that is not SHA-256's hex, a size out of bounds (22023), a
  file recorded already (55000); writes the row in ``session_user``'s name, of the view's
  camera, dated by the database, and appends ``camera.snapshot`` (snapshot, view, camera, file,
  sha256) in the same transaction (``pg_admin.vigie_audit``). Returns the row's id and time.

A trigger keeps ``purged_at`` once set: the recorder's login, which sets it when retention
deletes the file, cannot make a purged snapshot look kept again, nor move its date.
"""

from __future__ import annotations

from services.domain.operators import Role
from services.domain.snapshots import FILE_NAME_PATTERN, MAX_BYTES, SHA256_PATTERN, SNAPSHOT

_RECORD = (
    "vigie_record_snapshot(p_view_id bigint, p_file_name text, p_sha256 text, p_size bigint) "
    "RETURNS TABLE (snapshot_id bigint, taken_at timestamptz)"
)


def _refuse(message: str, *args: str, code: str = "42501") -> str:
    values = "".join(f", {a}" for a in args)
    return f"RAISE EXCEPTION 'vigie: {message}'{values} USING ERRCODE = '{code}';"


def _record() -> str:
    return (
        # The table's columns share names with this function's (RETURNS TABLE): columns win.
        "#variable_conflict use_column\n"
        "DECLARE v_role text := vigie_session_role(); v camera_views%ROWTYPE; v_id bigint; "
        "v_at timestamptz := now(); BEGIN "
        "IF v_role IS NULL THEN "
        + _refuse("% is not an operator", "session_user")
        + " END IF; IF NOT EXISTS (SELECT FROM permission_matrix m WHERE m.role = v_role "
        "AND m.act = 'view_cameras') THEN "
        + _refuse("% may not view_cameras", "session_user")
        + f" END IF; IF p_file_name IS NULL OR p_file_name !~ '^{FILE_NAME_PATTERN}$' THEN "
        + _refuse(
            "a snapshot is a PNG named in the snapshots folder, not %", "p_file_name", code="22023"
        )  # fmt: skip
        + f" END IF; IF p_sha256 IS NULL OR p_sha256 !~ '^{SHA256_PATTERN}$' THEN "
        + _refuse("a snapshot''s SHA-256 is 64 lower-case hex digits", code="22023")
        + f" END IF; IF p_size IS NULL OR p_size < 1 OR p_size > {MAX_BYTES} THEN "
        + _refuse(f"a snapshot is 1 to {MAX_BYTES} bytes, not %", "p_size", code="22023")
        # FOR SHARE: the view cannot close under the snapshot being recorded in it.
        + " END IF; SELECT * INTO v FROM camera_views c WHERE c.id = p_view_id FOR SHARE; "
        "IF NOT FOUND THEN "
        + _refuse("camera view % does not exist", "p_view_id", code="P0002")
        + " END IF; IF v.viewer IS DISTINCT FROM session_user THEN "
        + _refuse(
            "% may take snapshots only in their own views, not view %", "session_user", "p_view_id"
        )  # fmt: skip
        + " END IF; IF v.closed_at IS NOT NULL OR v.expires_at <= v_at THEN "
        + _refuse("camera view % is over: open the camera again", "p_view_id", code="55000")
        + " END IF; IF EXISTS (SELECT FROM camera_snapshots s WHERE s.file_name = p_file_name) "
        "THEN "
        + _refuse("snapshot % is recorded already", "p_file_name", code="55000")
        + " END IF; "
        "INSERT INTO camera_snapshots (view_id, camera, taken_by, taken_at, file_name, sha256, "
        "size) VALUES (v.id, v.camera, session_user, v_at, p_file_name, p_sha256, p_size) "
        "RETURNING id INTO v_id; "
        f"PERFORM vigie_audit('{SNAPSHOT}', v.camera, jsonb_build_object('snapshot', v_id, "
        "'view', v.id, 'camera', v.camera, 'file', p_file_name, 'sha256', p_sha256)); "
        "RETURN QUERY SELECT v_id, v_at; END"
    )


def _purged_once(schema: str) -> list[str]:
    body = (
        "IF OLD.purged_at IS NOT NULL AND NEW.purged_at IS DISTINCT FROM OLD.purged_at THEN "
        + _refuse("snapshot % was purged at %: that stays", "OLD.id", "OLD.purged_at")
        + " END IF; RETURN NEW; END"
    )
    return [
        "CREATE OR REPLACE FUNCTION vigie_snapshot_purged_once() RETURNS trigger "
        f"LANGUAGE plpgsql SET search_path = {schema}, pg_temp AS $fn$ BEGIN {body} $fn$",
        "DROP TRIGGER IF EXISTS purged_once ON camera_snapshots",
        "CREATE TRIGGER purged_once BEFORE UPDATE ON camera_snapshots "
        "FOR EACH ROW EXECUTE FUNCTION vigie_snapshot_purged_once()",
    ]


def statements(prefix: str, schema: str) -> list[str]:
    every_group = ", ".join(f'"{prefix}{r.value}"' for r in Role)
    definer = f"LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp"
    name = _RECORD.partition(" RETURNS")[0]
    return [
        f"CREATE OR REPLACE FUNCTION {_RECORD} {definer} AS $fn$ {_record()} $fn$",
        f"REVOKE ALL ON FUNCTION {name} FROM PUBLIC",
        # Every group may call it: the body checks the matrix and whose view it is.
        f"GRANT EXECUTE ON FUNCTION {name} TO {every_group}",
        *_purged_once(schema),
    ]
