"""Stream tokens: minted for one camera, one viewer, until a second; every refusal says why."""

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from services.domain.stream_tokens import (
    BAD_SIGNATURE,
    EXPIRED,
    MALFORMED,
    MISSING,
    OTHER_CAMERA,
    TokenRefused,
    check,
    mint,
)

SECRET = b"vigie-demo-gateway-secret"
CAMERA = "camera:21231-001"
EXP = datetime(2026, 12, 4, 19, 0, tzinfo=UTC)
BEFORE = EXP - timedelta(minutes=3)
#: The test vector of docs/video.md: PostgreSQL's vigie_stream_token() must give the same.
VECTOR = (
    "eyJjYW1lcmEiOiJjYW1lcmE6MjEyMzEtMDAxIiwiZXhwIjoxNzk2NDEwODAwLCJ2aWV3ZXIiOiJjLmJlcm5hcmQifQ"
    ".0vND7esQXcaxc3SfrnmeO7r0xfr8125WRD83IqKcufQ"
)


def _refused(token, camera=CAMERA, now=BEFORE, secret=SECRET) -> str:
    with pytest.raises(TokenRefused) as refused:
        check(secret, token, camera, now)
    return refused.value.reason


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_the_documented_vector():
    assert mint(SECRET, CAMERA, "c.bernard", EXP) == VECTOR
    docs = Path(__file__).resolve().parents[2] / "docs" / "video.md"
    assert VECTOR in docs.read_text("utf-8").replace("\n", "")


def test_the_format_is_the_recipe():
    part, signature = mint(SECRET, CAMERA, "c.bernard", EXP).split(".")
    claims = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    assert claims == b'{"camera":"camera:21231-001","exp":1796410800,"viewer":"c.bernard"}'
    mac = hmac.new(SECRET, part.encode(), hashlib.sha256).digest()
    assert signature == _b64(mac)
    assert "=" not in part + signature


def test_a_good_token_names_its_viewer():
    token = mint(SECRET, CAMERA, "c.bernard", EXP)
    assert check(SECRET, token, CAMERA, BEFORE) == "c.bernard"
    assert check(SECRET, token, CAMERA, EXP - timedelta(seconds=1)) == "c.bernard"


def test_names_travel_as_they_are():
    token = mint(SECRET, 'caméra "7" \\ nord', "Éloïse", EXP)
    assert check(SECRET, token, 'caméra "7" \\ nord', BEFORE) == "Éloïse"


def test_no_token_is_missing():
    assert _refused(None) == MISSING
    assert _refused("") == MISSING


@pytest.mark.parametrize(
    "token",
    [
        "no-dot-at-all",
        ".",
        "abc.",
        ".abc",
        "a.b.c",
        "eyJh!.c2ln",  # not the base64url alphabet
        "eyJhIjox.c2ln==",  # padding is not allowed
        "eyJhIjox.c2ln+/",  # base64, not base64url
        "e.c2ln",  # a length base64 cannot have
    ],
)
def test_a_token_that_is_not_two_base64url_parts_is_malformed(token):
    assert _refused(token) == MALFORMED


def test_signed_claims_that_are_not_ours_are_malformed():
    for claims in (
        b"not json",
        b"[1, 2]",
        b'{"camera":"camera:21231-001","exp":"soon","viewer":"c.bernard"}',
        b'{"camera":"camera:21231-001","exp":true,"viewer":"c.bernard"}',
        b'{"camera":"camera:21231-001","exp":1796410800}',
        b'{"camera":"camera:21231-001","exp":1796410800,"viewer":"c.bernard","role":"admin"}',
        b"\xff\xfe",
    ):
        part = _b64(claims)
        token = f"{part}.{_b64(hmac.new(SECRET, part.encode(), hashlib.sha256).digest())}"
        assert _refused(token) == MALFORMED, claims


def test_another_secret_or_a_touched_token_is_a_bad_signature():
    token = mint(SECRET, CAMERA, "c.bernard", EXP)
    assert _refused(token, secret=b"another gateway's secret") == BAD_SIGNATURE
    part, signature = token.split(".")
    later = json.dumps(
        {"camera": CAMERA, "exp": 1896410800, "viewer": "c.bernard"}, separators=(",", ":")
    ).encode()
    assert _refused(f"{_b64(later)}.{signature}") == BAD_SIGNATURE
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    assert _refused(f"{part}.{flipped}") == BAD_SIGNATURE
    assert _refused(f"{part}.{_b64(b'short')}") == BAD_SIGNATURE


def test_a_token_past_its_second_is_expired():
    token = mint(SECRET, CAMERA, "c.bernard", EXP)
    assert _refused(token, now=EXP) == EXPIRED
    assert _refused(token, now=EXP + timedelta(hours=1)) == EXPIRED


def test_a_token_for_another_camera_is_refused():
    token = mint(SECRET, "camera:21231-002", "c.bernard", EXP)
    assert _refused(token) == OTHER_CAMERA


def test_the_expiry_is_whole_unix_seconds_whatever_the_zone():
    paris = timezone(timedelta(hours=1))
    one = mint(SECRET, CAMERA, "c.bernard", datetime(2026, 12, 4, 20, 0, 0, 999_999, tzinfo=paris))
    assert one == mint(SECRET, CAMERA, "c.bernard", EXP)


def test_the_callers_mistakes_are_not_refusals():
    with pytest.raises(ValueError):
        mint(SECRET, CAMERA, "c.bernard", datetime(2026, 12, 4, 19, 0))  # naive
    for camera, viewer in (("", "c.bernard"), (CAMERA, ""), (CAMERA, "c.bernard\n")):
        with pytest.raises(ValueError):
            mint(SECRET, camera, viewer, EXP)
    for secret in (b"", b"x" * 65):
        with pytest.raises(ValueError):
            mint(secret, CAMERA, "c.bernard", EXP)
        with pytest.raises(ValueError):
            check(secret, "a.b", CAMERA, BEFORE)
