"""Camera views kept by PostgreSQL: a view opens, renews and closes only through these functions.

Installed with the rest of the authority (``pg_authority.install``). No Vigie login may write
``camera_views`` nor read ``stream_secrets`` (``pg_authority``: no grant on either but SELECT of
the views to the roles that may read who watched which camera). SECURITY DEFINER functions,
owned by the installer as ``vigie_record_command`` is, do it, each in its caller's transaction
and with its audit entry on the journal's chain (``pg_admin.vigie_audit``):

- ``vigie_open_view(camera, purpose, incident_id, workstation, minutes)``: refuses a login whose
  role may not ``view_cameras`` in the matrix in force, a view without a purpose, a camera the
  record does not have, a gateway whose stream secret was not loaded; writes the view in
  ``session_user``'s name, dated by the database, appends ``camera.view_opened`` (camera,
  purpose, incident, workstation, expiry) and returns the view's id, its stream token and its
  expiry. The token is minted in SQL (``vigie_stream_token``: the recipe of
  ``services/domain/stream_tokens.py``, core functions only), so the secret never leaves the
  database;
- ``vigie_renew_view(view_id, minutes)``: the viewer's own view, still open and not run out, for
  a role that still may view cameras: a new expiry and a new token (``camera.view_renewed``);
- ``vigie_close_view(view_id, because)``: the viewer closes their own (``closed``, or
  ``timed_out`` from their console at the limit); the recorder's login times views out and says
  when a console is gone, in Vigie's name (``system:recorder``); ``camera.view_closed``. A view
  closed already is left as it is (NULL), so that the recorder's sweep and a viewer never
  refuse each other;
- ``vigie_load_stream_secrets(source, secrets)``: an admin's (``manage_operators``) or a
  superuser's load of the gateways' secrets (gateway to base64), each replacing the one before,
  audited ``video.secrets_load`` with the gateways, never the secrets.

The recorder's own clock judges that a view is overdue, as it does for requests: its login may
close any view as timed out. Whoever holds its password can so close a view early in the
record; a stream already open plays on until its viewer leaves (docs/security.md).
"""

from __future__ import annotations

from collections.abc import Iterable

from services.domain.camera_views import (
    BY_RECORDER,
    BY_VIEWER,
    CLOSED,
    MAX_MINUTES,
    MAX_PURPOSE,
    MAX_WORKSTATION,
    OPENED,
    RENEWED,
    SECRETS_LOADED,
    ClosedBecause,
)
from services.domain.operators import RECORDER, Role
from services.domain.stream_tokens import MAX_SECRET_BYTES

#: ``services/domain/stream_tokens.py``'s recipe, word for word (a test compares them): HMAC from
#: ``sha256()``, base64url, and the token, with core functions only (no pgcrypto).
TOKEN_RECIPE = (
    """CREATE FUNCTION vigie_hmac_sha256(key bytea, message bytea) RETURNS bytea
LANGUAGE sql IMMUTABLE STRICT AS $$
  WITH short_key AS (  -- a key longer than the block is hashed first
    SELECT CASE WHEN length(key) > 64 THEN sha256(key) ELSE key END AS k
  ), block AS (        -- then padded with zero bytes to SHA-256's 64-byte block
    SELECT k || decode(repeat('00', 64 - length(k)), 'hex') AS b FROM short_key
  ), pads AS (         -- the block XOR 0x36 (inner pad) and XOR 0x5c (outer pad)
    SELECT
      decode(string_agg(lpad(to_hex(get_byte(b, i) # 54), 2, '0'), '' ORDER BY i), 'hex')
        AS ipad,
      decode(string_agg(lpad(to_hex(get_byte(b, i) # 92), 2, '0'), '' ORDER BY i), 'hex')
        AS opad
    FROM block, generate_series(0, 63) AS i
  )
  SELECT sha256(opad || sha256(ipad || message)) FROM pads
$$;""",
    """CREATE FUNCTION vigie_base64url(data bytea) RETURNS text
LANGUAGE sql IMMUTABLE STRICT AS $$
  -- encode() wraps base64 every 76 characters: the newlines go, then the padding
  SELECT translate(rtrim(replace(encode(data, 'base64'), E'\\n', ''), '='), '+/', '-_')
$$;""",
    """CREATE FUNCTION vigie_stream_token(secret bytea, camera text, viewer text,
                                   expires_at timestamptz) RETURNS text
LANGUAGE sql STABLE STRICT AS $$  -- STABLE: to_json() and convert_to() are
  WITH claims AS (
    SELECT vigie_base64url(convert_to(
      '{"camera":' || to_json(camera)::text
      || ',"exp":' || floor(extract(epoch FROM expires_at))::bigint
      || ',"viewer":' || to_json(viewer)::text || '}', 'UTF8')) AS part
  )
  SELECT part || '.' || vigie_base64url(vigie_hmac_sha256(secret, convert_to(part, 'UTF8')))
  FROM claims
$$;""",
)

#: The token functions' signatures: only the definer functions below (their owner) call them.
_TOKEN_SIGNATURES = (
    "vigie_hmac_sha256(bytea, bytea)",
    "vigie_base64url(bytea)",
    "vigie_stream_token(bytea, text, text, timestamptz)",
)

_OPEN = (
    "vigie_open_view(p_camera text, p_purpose text, p_incident_id bigint, p_workstation text, "
    "p_minutes integer) RETURNS TABLE (view_id bigint, token text, expires_at timestamptz)"
)
_RENEW = (
    "vigie_renew_view(p_view_id bigint, p_minutes integer) "
    "RETURNS TABLE (token text, expires_at timestamptz)"
)
_CLOSE = "vigie_close_view(p_view_id bigint, p_because text) RETURNS timestamptz"
_LOAD = "vigie_load_stream_secrets(p_source text, p_secrets jsonb) RETURNS integer"

#: A whole-second expiry as the audit entries write it (``camera_views.iso_second``).
_EXPIRY = "to_char(v_expires AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"


def _refuse(message: str, *args: str, code: str = "42501") -> str:
    values = "".join(f", {a}" for a in args)
    return f"RAISE EXCEPTION 'vigie: {message}'{values} USING ERRCODE = '{code}';"


def _quoted(values: Iterable[str]) -> str:
    return ", ".join(f"'{v}'" for v in sorted(values))


_MAY_VIEW = (
    "IF v_role IS NULL THEN "
    + _refuse("% is not an operator", "session_user")
    + " END IF; IF NOT EXISTS (SELECT FROM permission_matrix m WHERE m.role = v_role "
    "AND m.act = 'view_cameras') THEN "
    + _refuse("% may not view_cameras", "session_user")
    + " END IF; "
)
_MINUTES = (
    f"IF p_minutes IS NULL OR p_minutes < 1 OR p_minutes > {MAX_MINUTES} THEN "
    + _refuse(f"a view lasts 1 to {MAX_MINUTES} minutes, not %", "p_minutes", code="22023")
    + " END IF; "
)
#: The camera's gateway's secret into ``v_secret``, or a refusal naming what is missing.
_SECRET = (
    "SELECT e.gateway INTO v_gateway FROM equipment e WHERE e.id = {camera} "
    "AND e.type = 'Camera'; "
    "IF NOT FOUND THEN "
    + _refuse("% is not a camera of the record", "{camera}", code="P0002")
    # An expression, not SELECT ... INTO: a gateway without a row leaves it NULL.
    + " END IF; v_secret := (SELECT s.secret FROM stream_secrets s WHERE s.gateway = v_gateway); "
    "IF v_secret IS NULL THEN "
    + _refuse(
        "no stream secret for gateway % of %: an admin loads them (vigie video secrets load)",
        "v_gateway",
        "{camera}",
        code="55000",
    )
    + " END IF; "
)


def _open() -> str:
    return (
        # The table's columns share names with this function's (RETURNS TABLE): columns win.
        "#variable_conflict use_column\n"
        "DECLARE v_role text := vigie_session_role(); v_gateway text; v_secret bytea; "
        "v_id bigint; v_expires timestamptz; v_purpose text := btrim(p_purpose); "
        "v_workstation text := btrim(p_workstation); BEGIN "
        f"{_MAY_VIEW}"
        "IF v_purpose IS NULL OR v_purpose = '' THEN "
        + _refuse(
            "a camera is opened for a purpose: the incident, or one of the city''s purposes "
            "with a text",
            code="22023",
        )
        + f" END IF; IF length(v_purpose) > {MAX_PURPOSE} THEN "
        + _refuse(f"a purpose is at most {MAX_PURPOSE} characters", code="22023")
        + f" END IF; IF v_workstation IS NULL OR v_workstation = '' "
        f"OR length(v_workstation) > {MAX_WORKSTATION} OR v_workstation ~ '[[:cntrl:]]' THEN "
        + _refuse("a view names the workstation it plays on", code="22023")
        + " END IF; "
        + _MINUTES
        + "IF p_incident_id IS NOT NULL AND NOT EXISTS (SELECT FROM incidents i "
        "WHERE i.id = p_incident_id) THEN "
        + _refuse("incident % does not exist", "p_incident_id", code="P0002")
        + " END IF; "
        + _SECRET.format(camera="p_camera")
        # The database's clock; whole seconds, as the token's expiry is.
        + "v_expires := date_trunc('second', now()) + make_interval(mins => p_minutes); "
        "INSERT INTO camera_views (camera, viewer, purpose, incident_id, workstation, "
        "opened_at, expires_at) VALUES (p_camera, session_user, v_purpose, p_incident_id, "
        "v_workstation, now(), v_expires) RETURNING id INTO v_id; "
        f"PERFORM vigie_audit('{OPENED}', p_camera, jsonb_build_object('view', v_id, "
        "'camera', p_camera, 'purpose', v_purpose, 'incident', p_incident_id, "
        f"'workstation', v_workstation, 'expires_at', {_EXPIRY})); "
        "RETURN QUERY SELECT v_id, vigie_stream_token(v_secret, p_camera, session_user::text, "
        "v_expires), v_expires; END"
    )


def _renew() -> str:
    return (
        "#variable_conflict use_column\n"
        "DECLARE v_role text := vigie_session_role(); v camera_views%ROWTYPE; v_gateway text; "
        "v_secret bytea; v_expires timestamptz; BEGIN "
        f"{_MAY_VIEW}{_MINUTES}"
        "SELECT * INTO v FROM camera_views c WHERE c.id = p_view_id FOR UPDATE; "
        "IF NOT FOUND THEN "
        + _refuse("camera view % does not exist", "p_view_id", code="P0002")
        + " END IF; IF v.viewer IS DISTINCT FROM session_user THEN "
        + _refuse("% may renew only their own views, not view %", "session_user", "p_view_id")
        + " END IF; IF v.closed_at IS NOT NULL OR v.expires_at <= now() THEN "
        + _refuse("camera view % is over: open another", "p_view_id", code="55000")
        + " END IF; "
        + _SECRET.format(camera="v.camera")
        + "v_expires := date_trunc('second', now()) + make_interval(mins => p_minutes); "
        "UPDATE camera_views c SET expires_at = v_expires WHERE c.id = p_view_id; "
        f"PERFORM vigie_audit('{RENEWED}', v.camera, jsonb_build_object('view', v.id, "
        f"'expires_at', {_EXPIRY})); "
        "RETURN QUERY SELECT vigie_stream_token(v_secret, v.camera, session_user::text, "
        "v_expires), v_expires; END"
    )


def _close(prefix: str) -> str:
    every = _quoted(b.value for b in ClosedBecause)
    by_recorder = _quoted(b.value for b in BY_RECORDER)
    by_viewer = _quoted(b.value for b in BY_VIEWER)
    return (
        "DECLARE v_role text := vigie_session_role(); v camera_views%ROWTYPE; v_by text; "
        "v_at timestamptz := now(); BEGIN "
        f"IF p_because IS NULL OR p_because NOT IN ({every}) THEN "
        + _refuse("a view ends closed, timed_out or console_gone, not %", "p_because", code="22023")
        + " END IF; "
        "SELECT * INTO v FROM camera_views c WHERE c.id = p_view_id FOR UPDATE; "
        "IF NOT FOUND THEN "
        + _refuse("camera view % does not exist", "p_view_id", code="P0002")
        + f" END IF; IF session_user = '{prefix}recorder' THEN "
        f"IF p_because NOT IN ({by_recorder}) THEN "
        + _refuse("the recorder closes a view only as timed out or with its console gone")
        + f" END IF; v_by := '{RECORDER}'; "
        "ELSE IF v_role IS NULL THEN "
        + _refuse("% is not an operator", "session_user")
        + " END IF; IF v.viewer IS DISTINCT FROM session_user THEN "
        + _refuse("% may close only their own views, not view %", "session_user", "p_view_id")
        + f" END IF; IF p_because NOT IN ({by_viewer}) THEN "
        + _refuse("a viewer closes a view, or times it out: % is the recorder''s", "p_because")
        + " END IF; IF p_because = 'timed_out' AND v.closed_at IS NULL AND v.expires_at > v_at "
        "THEN "
        + _refuse("view % has not run out: it is closed, not timed out", "p_view_id")
        + " END IF; v_by := session_user; END IF; "
        "IF v.closed_at IS NOT NULL THEN RETURN NULL; END IF; "
        "UPDATE camera_views c SET closed_at = v_at, closed_because = p_because "
        "WHERE c.id = p_view_id; "
        f"PERFORM vigie_audit_append(v_by, '{CLOSED}', v.camera, vigie_canonical_json("
        "jsonb_build_object('view', v.id, 'viewer', v.viewer, 'because', p_because))); "
        "RETURN v_at; END"
    )


def _load() -> str:
    superuser = (
        "COALESCE((SELECT r.rolsuper FROM pg_roles r WHERE r.rolname = session_user), false)"
    )
    return (
        "DECLARE v_count integer := 0; v_key text; v_secret bytea; BEGIN "
        f"IF NOT ({superuser} OR EXISTS (SELECT FROM permission_matrix m "
        "WHERE m.act = 'manage_operators' AND m.role = vigie_session_role())) THEN "
        + _refuse("% may not load the stream secrets", "session_user")
        + " END IF; IF jsonb_typeof(p_secrets) IS DISTINCT FROM 'object' THEN "
        + _refuse("the stream secrets are an object of gateway: base64 secret", code="22023")
        + " END IF; "
        'FOR v_key IN SELECT k FROM jsonb_object_keys(p_secrets) k ORDER BY k COLLATE "C" LOOP '
        "v_secret := NULL; "
        "IF jsonb_typeof(p_secrets -> v_key) = 'string' "
        "AND v_key ~ '^[A-Za-z0-9:._-]{1,128}$' THEN BEGIN "
        "v_secret := decode(p_secrets ->> v_key, 'base64'); "
        "EXCEPTION WHEN data_exception THEN v_secret := NULL; END; END IF; "
        f"IF v_secret IS NULL OR length(v_secret) NOT BETWEEN 1 AND {MAX_SECRET_BYTES} THEN "
        + _refuse(
            f"%: %: a gateway''s stream secret is 1 to {MAX_SECRET_BYTES} bytes, in base64",
            "p_source",
            "v_key",
            code="22023",
        )
        + " END IF; "
        "INSERT INTO stream_secrets (gateway, secret) VALUES (v_key, v_secret) "
        "ON CONFLICT (gateway) DO UPDATE SET secret = EXCLUDED.secret; "
        "v_count := v_count + 1; END LOOP; "
        # The gateways, never a secret: the journal is read by auditors.
        f"PERFORM vigie_audit('{SECRETS_LOADED}', p_source, jsonb_build_object('gateways', "
        "(SELECT COALESCE(jsonb_agg(k ORDER BY k COLLATE \"C\"), '[]') "
        "FROM jsonb_object_keys(p_secrets) k))); "
        "RETURN v_count; END"
    )


def statements(prefix: str, schema: str) -> list[str]:
    every_group = ", ".join(f'"{prefix}{r.value}"' for r in Role)
    recorder = f'"{prefix}recorder"'
    out = []
    for recipe, signature in zip(TOKEN_RECIPE, _TOKEN_SIGNATURES, strict=True):
        out += [
            recipe.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1).removesuffix(";"),
            f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC",
        ]
    definer = f"LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp"
    bodies = {_OPEN: _open(), _RENEW: _renew(), _CLOSE: _close(prefix), _LOAD: _load()}
    for signature, body in bodies.items():
        name = signature.partition(" RETURNS")[0]
        out += [
            f"CREATE OR REPLACE FUNCTION {signature} {definer} AS $fn$ {body} $fn$",
            f"REVOKE ALL ON FUNCTION {name} FROM PUBLIC",
            # Every group may call them: the bodies check the matrix and whose view it is.
            f"GRANT EXECUTE ON FUNCTION {name} TO {every_group}",
        ]
    out.append(f"GRANT EXECUTE ON FUNCTION {_CLOSE.partition(' RETURNS')[0]} TO {recorder}")
    return out
