"""The city's lighting policy: the bundled one, or the file the ``lighting`` setting names."""

from __future__ import annotations

import tomllib

from services.domain.lighting import LightingPolicy, LightingPolicyError, read_policy
from services.reference import city_or_bundled, communes

BUNDLED = "dijon.toml"


def load_policy(path: str = "") -> LightingPolicy:
    """The policy at ``path`` (the bundled one when empty), checked whole."""
    try:
        name, text = city_or_bundled(path, "lighting", BUNDLED)
    except OSError as error:
        raise LightingPolicyError(
            "lighting.unreadable", source=path, reason=error.strerror
        ) from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise LightingPolicyError("lighting.not_toml", source=name, reason=str(error)) from None
    return read_policy(raw, name, [c.insee for c in communes()])
