"""The gateways' stream secrets, kept in a file so that a token minted elsewhere opens a stream.

A JSON object, one gateway id to its secret in base64 (RFC 4648 §4), 1 to 64 bytes once
decoded::

    {"gw-21231-01": "q3Jc...=", "gw-21231-02": "..."}

``load_or_create`` reads the file when it exists and writes it otherwise, with fresh random
secrets; a gateway the file lacks (another scale or seed) gets a fresh secret, written back.
The file is written readable by its owner alone (mode 600): whoever reads it can open every
camera.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from pathlib import Path

import platformdirs

from services.config import APP_NAME
from services.domain.stream_tokens import MAX_SECRET_BYTES
from services.simulator.video.world_source import new_gateway_secrets
from services.simulator.world import World

FILE_NAME = "video-secrets.json"


class SecretsFileError(ValueError):
    """A secrets file that cannot be used; the message names the file and the problem."""


def default_secrets_path() -> Path:
    """Beside the default database, in the user's data folder."""
    return Path(platformdirs.user_data_dir(APP_NAME)) / FILE_NAME


def load_or_create(path: Path, world: World) -> dict[str, bytes]:
    """Every camera gateway's secret: the file's, and fresh ones (written) for those it lacks."""
    known = read_secrets(path) if path.exists() else {}
    fresh = {g: s for g, s in new_gateway_secrets(world).items() if g not in known}
    if fresh or not path.exists():
        write_secrets(path, {**known, **fresh})
    return {**known, **fresh}


def read_secrets(path: Path) -> dict[str, bytes]:
    try:
        raw = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise SecretsFileError(f"{path}: not a JSON file ({error})") from None
    if not isinstance(raw, dict):
        raise SecretsFileError(f"{path}: not a JSON object of gateway: base64 secret")
    return {gateway: _secret(path, gateway, text) for gateway, text in raw.items()}


def write_secrets(path: Path, secrets: dict[str, bytes]) -> None:
    """Write ``secrets`` to ``path`` with mode 600, replacing it whole (never half-written)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(
        {g: base64.b64encode(s).decode("ascii") for g, s in sorted(secrets.items())}, indent=2
    )
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    # Created with mode 600 from the start: no moment where another user could read it.
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text + "\n")
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _secret(path: Path, gateway: object, text: object) -> bytes:
    if not isinstance(text, str):
        raise SecretsFileError(f"{path}: {gateway}: not a base64 text")
    try:
        secret = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise SecretsFileError(f"{path}: {gateway}: not a base64 text") from None
    if not 1 <= len(secret) <= MAX_SECRET_BYTES:
        raise SecretsFileError(f"{path}: {gateway}: a secret is 1 to {MAX_SECRET_BYTES} bytes")
    return secret
