"""``vigie broker config``: a Mosquitto configuration that enforces the bus ACL.

Written from the equipment register and the units in the database: ``mosquitto.conf``
(listener, ``max_queued_messages 1000000``, persistence, password and ACL files), ``passwd``
(each identity's password hashed as Mosquitto 2 hashes them: PBKDF2-SHA512, ``$7$``), ``acl``
(docs/security.md's table) and ``credentials/{identity}`` (each password, mode 600, for
provisioning the gateways, units and workstations). Anonymous clients are refused.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from services.domain.bus_acl import Identity, acl_text, bus_identities
from services.store.database import Database
from services.store.equipment_query import register
from services.store.units import list_units

#: Mosquitto 2's own choice for its password file (mosquitto_passwd): 101 rounds, 12-byte salt.
PBKDF2_ROUNDS = 101


@dataclass(frozen=True)
class BrokerFiles:
    folder: Path
    identities: list[Identity]
    loopback_only: bool  # no TLS: the listener stays on this machine


def hashed(password: str, salt: bytes | None = None) -> str:
    """A password as Mosquitto 2's password file holds it (``$7$rounds$salt$hash``)."""
    salt = salt if salt is not None else os.urandom(12)
    digest = hashlib.pbkdf2_hmac("sha512", password.encode(), salt, PBKDF2_ROUNDS, 64)
    encoded = base64.b64encode(salt).decode(), base64.b64encode(digest).decode()
    return f"$7${PBKDF2_ROUNDS}${encoded[0]}${encoded[1]}"


def write_broker_config(
    db: Database,
    out: Path,
    root: str,
    *,
    port: int = 1883,
    consoles: list[str] | None = None,
    recorders: list[str] | None = None,
    tls: tuple[Path, Path] | None = None,
) -> BrokerFiles:
    with db.read() as session:
        devices = register(session)
        units = [u.id for u in list_units(session)]
    identities = bus_identities(
        root, devices, units, recorders=recorders or ["main"], consoles=consoles or []
    )
    out = out.resolve()
    (out / "credentials").mkdir(parents=True, exist_ok=True)
    (out / "data").mkdir(exist_ok=True)
    lines = []
    for identity in identities:
        password = secrets.token_urlsafe(18)
        lines.append(f"{identity.name}:{hashed(password)}")
        _write_private(out / "credentials" / identity.name, password + "\n")
    _write_private(out / "passwd", "\n".join(lines) + "\n")
    (out / "acl").write_text(acl_text(identities), encoding="utf-8")
    (out / "mosquitto.conf").write_text(_conf(out, port, tls), encoding="utf-8")
    return BrokerFiles(out, identities, tls is None)


def _write_private(path: Path, text: str) -> None:
    """Made with mode 600 from the start: never readable by others, not even for a moment."""
    path.unlink(missing_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)


def _conf(out: Path, port: int, tls: tuple[Path, Path] | None) -> str:
    listener = f"listener {port}" if tls else f"listener {port} 127.0.0.1"
    lines = [
        "# Written by vigie broker config. Every client logs in; the ACL says what each may do.",
        "per_listener_settings false",
        listener,
        "allow_anonymous false",
        f"password_file {out / 'passwd'}",
        f"acl_file {out / 'acl'}",
        "# mosquitto's default (1000) silently drops most of a large retained burst; 100000",
        "# would still drop most of ten times Dijon's 340000 states (docs/field-contract.md)",
        "max_queued_messages 1000000",
        "persistence true",
        f"persistence_location {out / 'data'}/",
    ]
    if tls:
        cert, key = tls
        lines += [f"certfile {cert.resolve()}", f"keyfile {key.resolve()}"]
    else:
        lines.append("# No TLS: loopback only. Give --tls-cert and --tls-key for a room's network.")
    return "\n".join(lines) + "\n"
