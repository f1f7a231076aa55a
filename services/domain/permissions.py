"""The permission matrix: which Vigie role may do which act (docs/security.md).

Plain data a city edits (``resources/permissions/permissions.toml``), read whole and checked:
every act named, every role known, nothing left to a default. The database and the broker are
the authorities (issue 16); this model is what they are configured from, and what a single
workstation on SQLite applies in its services.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from services.domain.errors import InvalidInput, PermissionDenied
from services.domain.operators import Role


class Act(StrEnum):
    SEE_OPERATIONS = "see_operations"  # the queue, incidents, equipment, modes, telemetry, logbook
    ACT_ON_INCIDENTS = "act_on_incidents"  # create, move, dispatch, merge, notes, priority
    SEE_PATROLS = "see_patrols"  # police patrols' positions and tracks
    SEE_VEHICLES = "see_vehicles"  # road crews' and snow vehicles' positions
    VIEW_CAMERAS = "view_cameras"
    READ_CAMERA_JOURNAL = "read_camera_journal"
    COMMAND_DEVICE = "command_device"
    COMMAND_GROUP = "command_group"  # a group, a commune, all of a type
    SWITCH_SNOW = "switch_snow"
    SWITCH_TRAFFIC = "switch_traffic"
    WRITE_LOGBOOK = "write_logbook"
    APPROVE = "approve"  # a high-impact act of someone else
    READ_AUDIT = "read_audit"
    MANAGE_OPERATORS = "manage_operators"  # add, disable, re-role; the matrix and the rules


class MatrixError(InvalidInput):
    """A matrix that cannot be used; ``where`` names the file and the entry."""

    key = "permissions.invalid"


@dataclass(frozen=True)
class Matrix:
    allowed: Mapping[Act, frozenset[Role]]
    source: str = ""

    def allows(self, role: Role, act: Act) -> bool:
        return role in self.allowed[act]

    def check(self, operator: str, role: Role, act: Act) -> None:
        """Refuse, naming the act and the role, when the matrix does not allow it."""
        if not self.allows(role, act):
            raise PermissionDenied(
                "permission.refused", operator=operator, role=role.value, act=act.value
            )

    def acts_of(self, role: Role) -> list[Act]:
        return [act for act in Act if role in self.allowed[act]]


def read_matrix(raw: Mapping[str, Any], source: str) -> Matrix:
    """The matrix in a parsed TOML document, checked whole: each act once, known roles only."""
    acts = raw.get("acts")
    if not isinstance(acts, Mapping):
        raise MatrixError("permissions.no_acts", source=source)
    unknown = sorted(set(acts) - {a.value for a in Act})
    if unknown:
        raise MatrixError("permissions.unknown_act", source=source, act=unknown[0])
    missing = [a.value for a in Act if a.value not in acts]
    if missing:
        raise MatrixError("permissions.missing_act", source=source, act=missing[0])
    roles = {r.value: r for r in Role}
    allowed: dict[Act, frozenset[Role]] = {}
    for act in Act:
        names = acts[act.value]
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise MatrixError("permissions.not_a_list", source=source, act=act.value)
        strangers = [n for n in names if n not in roles]
        if strangers:
            raise MatrixError(
                "permissions.unknown_role", source=source, act=act.value, role=strangers[0]
            )
        allowed[act] = frozenset(roles[n] for n in names)
    return Matrix(allowed, source)
