"""Operators and their roles; the ``system:`` names that belong to Vigie itself."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from services.domain.errors import InvalidInput

SYSTEM_PREFIX = "system:"
RECORDER = "system:recorder"

# Letters (accented ones too), digits and . _ - @ : names such as "m.dupont" or "é.lefèvre".
_NAME = re.compile(r"[^\W_][\w.@-]{0,63}")


class Role(StrEnum):
    DISPATCHER = "dispatcher"
    SNOW_COORDINATOR = "snow_coordinator"
    TECHNICIAN = "technician"
    SUPERVISOR = "supervisor"
    AUDITOR = "auditor"
    ADMIN = "admin"
    VIDEO_OPERATOR = "video_operator"  # the urban video-supervision centre (CSU): live cameras


@dataclass(frozen=True, slots=True)
class Operator:
    name: str
    role: Role
    created_at: datetime
    created_by: str
    disabled_at: datetime | None = None

    @property
    def enabled(self) -> bool:
        return self.disabled_at is None


def is_system_name(name: str) -> bool:
    return name.startswith(SYSTEM_PREFIX)


def check_operator_name(name: str) -> str:
    """The name as stored, or ``InvalidInput`` saying why it cannot be an operator's."""
    if is_system_name(name):
        raise InvalidInput("operator.system_name_reserved", name=name)
    if not _NAME.fullmatch(name):
        raise InvalidInput("operator.bad_name", name=name)
    return name


def parse_role(text: str) -> Role:
    try:
        return Role(text)
    except ValueError:
        raise InvalidInput(
            "operator.bad_role", value=text, known=", ".join(r.value for r in Role)
        ) from None
