"""Operators' passwords on a single workstation (SQLite): Argon2id hashes, never the password.

On PostgreSQL the operator is a database login and the server checks the password: only
``check_strength`` is used there, before the client hashes a new one (``operators``).
argon2-cffi's defaults follow RFC 9106's recommendation for memory-constrained systems
(Argon2id, 64 MiB, 3 passes).
"""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from services.domain.errors import InvalidInput

_HASHER = PasswordHasher()
MIN_LENGTH = 8


# A hash to check a password against when the operator has none, so that an unknown name takes
# as long to refuse as a wrong password (the answer's timing does not tell which names exist).
@cache
def _decoy() -> str:
    return _HASHER.hash("vigie: no such operator")


def check_strength(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise InvalidInput("auth.password_too_short", minimum=MIN_LENGTH)


def hash_password(password: str) -> str:
    check_strength(password)
    return _HASHER.hash(password)


def verify(stored: str | None, password: str) -> bool:
    """Whether ``password`` matches ``stored``; False when nothing is stored."""
    try:
        return _HASHER.verify(stored or _decoy(), password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False
