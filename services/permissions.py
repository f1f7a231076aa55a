"""Reading the permission matrix: the bundled one, or the city's file."""

from __future__ import annotations

import tomllib

from services.domain.permissions import Matrix, MatrixError, read_matrix
from services.reference import city_or_bundled

BUNDLED = "permissions.toml"


def load_matrix(path: str = "") -> Matrix:
    """The matrix at ``path`` (the bundled one when empty), checked whole."""
    try:
        name, text = city_or_bundled(path, "permissions", BUNDLED)
    except OSError as error:
        raise MatrixError("permissions.unreadable", source=path, reason=error.strerror) from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise MatrixError("permissions.not_toml", source=name, reason=str(error)) from None
    return read_matrix(raw, name)
