"""Reading the permission matrix and the approval rules: the bundled file, or the city's."""

from __future__ import annotations

import tomllib

from services.domain.approvals import ApprovalRules, check_rules_hold_the_admin, read_rules
from services.domain.permissions import (
    Matrix,
    MatrixError,
    check_separation_of_duties,
    read_matrix,
)
from services.reference import city_or_bundled

BUNDLED = "permissions.toml"


def load_matrix(path: str = "") -> Matrix:
    """The matrix at ``path`` (the bundled one when empty), checked whole.

    Its shape, and that the admin runs no operational act and alone manages operators.
    """
    name, raw = _read(path)
    matrix = read_matrix(raw, name)
    check_separation_of_duties(matrix)
    return matrix


def load_rules(path: str = "") -> ApprovalRules:
    """The approval rules of the same file (its ``[approvals]`` table; defaults where silent).

    A role change always waits for a second operator (``check_rules_hold_the_admin``).
    """
    name, raw = _read(path)
    rules = read_rules(raw, name)
    check_rules_hold_the_admin(rules, name)
    return rules


def _read(path: str) -> tuple[str, dict]:
    try:
        name, text = city_or_bundled(path, "permissions", BUNDLED)
    except OSError as error:
        raise MatrixError("permissions.unreadable", source=path, reason=error.strerror) from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise MatrixError("permissions.not_toml", source=name, reason=str(error)) from None
    return name, raw
