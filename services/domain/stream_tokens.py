r"""Signed tokens that open one camera's live stream, for one viewer, until a given second.

A token is two base64url texts (RFC 4648 §5, without ``=`` padding) joined by a dot::

    base64url(claims) "." base64url(HMAC-SHA256(secret, base64url(claims)))

``claims`` is the UTF-8 of a canonical JSON object: the keys ``camera``, ``exp`` and ``viewer``
in that order, no whitespace, ``exp`` an integer of Unix seconds (UTC, the fraction dropped), the
strings escaped as JSON does (only ``"``, ``\`` and control characters; other characters as
they are, in UTF-8)::

    {"camera":"camera:21231-001","exp":1796410800,"viewer":"c.bernard"}

The MAC is over the first part *as text* (its ASCII bytes), so a checker never re-serialises
anything: it recomputes the MAC over what it received, compares in constant time, and only then
reads the JSON. The secret is the camera gateway's, 1 to 64 bytes, so that HMAC's key is the
secret itself (HMAC would hash a longer key first; the SQL below does too, but nothing relies on
it).

Minting the same token in PostgreSQL with core functions only (``sha256()`` is core since 11;
pgcrypto's ``hmac()`` may not be installed), HMAC built from ``sha256`` as RFC 2104 says::

    CREATE FUNCTION vigie_hmac_sha256(key bytea, message bytea) RETURNS bytea
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
    $$;

    CREATE FUNCTION vigie_base64url(data bytea) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT AS $$
      -- encode() wraps base64 every 76 characters: the newlines go, then the padding
      SELECT translate(rtrim(replace(encode(data, 'base64'), E'\n', ''), '='), '+/', '-_')
    $$;

    CREATE FUNCTION vigie_stream_token(secret bytea, camera text, viewer text,
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
    $$;

``to_json(text)`` escapes exactly what Python's ``json.dumps(..., ensure_ascii=False)`` escapes
(``"``, ``\``, ``\b \f \n \r \t``, other control characters as ``\u00xx``), so both mint the same
bytes; ``mint`` refuses control characters all the same, so that no escape but ``\"`` and
``\\`` can ever be needed. ``docs/video.md`` has a test vector (checked by
``tests/domain/test_stream_tokens.py``).

Pure Python: nothing here reads a clock (``now`` is given) nor knows HTTP.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from datetime import datetime

#: Why a token is refused; the stream server answers 401 for the first, 403 for the others.
MISSING = "missing"
MALFORMED = "malformed"
BAD_SIGNATURE = "bad_signature"
EXPIRED = "expired"
OTHER_CAMERA = "other_camera"
REASONS = (MISSING, MALFORMED, BAD_SIGNATURE, EXPIRED, OTHER_CAMERA)

#: SHA-256's block: a longer secret would be hashed first by HMAC, which we do not want to rely on.
MAX_SECRET_BYTES = 64


class TokenRefused(Exception):
    """The token does not open this camera now; ``reason`` is one of ``REASONS``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def mint(secret: bytes, camera: str, viewer: str, expires_at: datetime) -> str:
    """A token that lets ``viewer`` open ``camera`` until ``expires_at`` (an aware time).

    Raises ``ValueError`` for a naive time, an empty or control-character name, or a secret that
    is empty or longer than 64 bytes: those are the caller's mistakes, not a viewer's.
    """
    _check_secret(secret)
    if expires_at.tzinfo is None:
        raise ValueError("expires_at must be timezone-aware")
    for name, value in (("camera", camera), ("viewer", viewer)):
        if not value or any(ord(c) < 0x20 or c == "\x7f" for c in value):
            raise ValueError(f"{name} must be a non-empty name without control characters")
    # Unix seconds with the fraction dropped, as floor(extract(epoch ...)) does in PostgreSQL.
    claims = {"camera": camera, "exp": int(expires_at.timestamp() // 1), "viewer": viewer}
    part = _b64(json.dumps(claims, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    return f"{part}.{_b64(_mac(secret, part))}"


def check(secret: bytes, token: str | None, camera: str, now: datetime) -> str:
    """The viewer ``token`` names, if it opens ``camera`` at ``now``; else ``TokenRefused``.

    The signature is checked before the claims are read: nothing unsigned is ever parsed.
    A token is good until the second before its ``exp``.
    """
    _check_secret(secret)
    if not token:
        raise TokenRefused(MISSING)
    part, dot, signature = token.partition(".")
    if not dot or not part or not signature or "." in signature:
        raise TokenRefused(MALFORMED)
    try:
        given = _unb64(signature)
        raw = _unb64(part)
    except ValueError:
        raise TokenRefused(MALFORMED) from None
    if not hmac.compare_digest(given, _mac(secret, part)):
        raise TokenRefused(BAD_SIGNATURE)
    claims = _claims(raw)
    if now.timestamp() >= claims["exp"]:
        raise TokenRefused(EXPIRED)
    if not hmac.compare_digest(claims["camera"].encode("utf-8"), camera.encode("utf-8")):
        raise TokenRefused(OTHER_CAMERA)
    return claims["viewer"]


def _claims(raw: bytes) -> dict[str, object]:
    """The signed claims, refused as malformed unless they are exactly what ``mint`` writes."""
    try:
        claims = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise TokenRefused(MALFORMED) from None
    if (
        not isinstance(claims, dict)
        or set(claims) != {"camera", "exp", "viewer"}
        or not isinstance(claims["camera"], str)
        or not isinstance(claims["viewer"], str)
        or not claims["viewer"]
        or isinstance(claims["exp"], bool)
        or not isinstance(claims["exp"], int)
    ):
        raise TokenRefused(MALFORMED)
    return claims


def _check_secret(secret: bytes) -> None:
    if not secret or len(secret) > MAX_SECRET_BYTES:
        raise ValueError(f"a stream secret is 1 to {MAX_SECRET_BYTES} bytes")


def _mac(secret: bytes, part: str) -> bytes:
    return hmac.new(secret, part.encode("ascii"), hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    """Strict base64url without padding: anything else (``=``, ``+``, spaces) is malformed."""
    if not text or len(text) % 4 == 1:
        raise ValueError("not base64url")
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    if any(c not in alphabet for c in text):
        raise ValueError("not base64url")
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except binascii.Error as error:
        raise ValueError("not base64url") from error
    if _b64(data) != text:  # non-canonical trailing bits: one token, one spelling
        raise ValueError("not base64url")
    return data
