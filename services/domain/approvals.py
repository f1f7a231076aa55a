"""The two-person rule (docs/security.md): which acts wait for a second operator's approval.

High-impact acts are those the city's approval rules name, as data in ``permissions.toml``'s
``[approvals]`` table (loaded with the matrix, audited). Such an act is recorded as requested,
sends nothing, and goes out only when a different operator allowed to approve approves it within
the time limit; otherwise it expires.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from services.domain.commands import CommandName, GroupKind, parse_group
from services.domain.errors import InvalidInput
from services.domain.sun import is_night


class ApprovalStatus(StrEnum):
    AWAITING = "awaiting"
    APPROVED = "approved"
    REFUSED = "refused"
    EXPIRED = "expired"


class ApprovalKind(StrEnum):
    """What an approval, once given, carries out."""

    COMMAND = "command"
    MODE = "mode"
    ROLE = "role"
    LIGHTING = "lighting"  # a lighting policy's profiles, one command per StreetlightGroup


@dataclass(frozen=True)
class ApprovalRules:
    max_devices: int = 200  # a command to more devices than this waits
    all_of_a_type: bool = True  # a command to all:Type waits
    commune_lights_off_at_night: bool = True
    bollard_lowered: bool = True
    snow_level: int = 3  # a switch to this snow level or above waits
    role_change: bool = True  # changing an existing operator's role waits
    lighting_apply: bool = True  # a lighting policy pushed to the city's cabinets waits
    limit: timedelta = timedelta(minutes=10)


@dataclass(frozen=True)
class Approval:
    id: str
    kind: ApprovalKind
    act: str  # the matrix's act, e.g. command_group
    payload: dict[str, Any]  # what is carried out once approved
    preview: list[str]  # what the requester was shown, word for word
    reason: str
    rule: str  # the approval rule that applies (a message key)
    requested_by: str
    requested_at: datetime
    expires_at: datetime
    status: ApprovalStatus
    decided_by: str | None = None
    decided_at: datetime | None = None
    decision_reason: str = ""
    outcome: str = ""  # what carrying it out gave (request ids, or why it could not)


@dataclass(frozen=True)
class Rebuilt:
    """A request's preview rebuilt from what it carries out, or why it could not be."""

    lines: list[str] = field(default_factory=list)
    problem: str = ""  # not rebuilt: why, in the operator's words

    def differs_from(self, approval: Approval) -> bool:
        return bool(self.problem) or self.lines != list(approval.preview)


def command_rule(
    rules: ApprovalRules,
    *,
    target_type: str,
    target: str,
    command: str,
    params: Mapping[str, Any],
    devices: int,
    whole_commune_lights: bool,
    at: datetime,
    where: tuple[float, float],
) -> str | None:
    """The rule that makes this command wait for approval, or None when it goes out at once."""
    if command == CommandName.PROFILE and rules.lighting_apply:
        return "approval.rule.lighting"  # a lighting policy's, whoever sends it
    if target_type == "group":
        group = parse_group(target)
        if rules.all_of_a_type and group.kind is GroupKind.ALL_OF_TYPE:
            return "approval.rule.all_of_a_type"
        if (
            rules.commune_lights_off_at_night
            and whole_commune_lights
            and _switches_off(command, params)
            and is_night(at, *where)
        ):
            return "approval.rule.commune_dark"
    if devices > rules.max_devices:
        return "approval.rule.many_devices"
    if rules.bollard_lowered and command == CommandName.LOWER:  # only bollards are lowered
        return "approval.rule.bollard"
    return None


def _switches_off(command: str, params: Mapping[str, Any]) -> bool:
    return command == CommandName.SWITCH and str(params.get("powerState", "")).lower() == "off"


def mode_rule(rules: ApprovalRules, kind: str, value: str) -> str | None:
    if kind == "snow" and value.isdigit() and int(value) >= rules.snow_level:
        return "approval.rule.snow_level"
    return None


def role_rule(rules: ApprovalRules) -> str | None:
    return "approval.rule.role_change" if rules.role_change else None


def lighting_rule(rules: ApprovalRules) -> str | None:
    return "approval.rule.lighting" if rules.lighting_apply else None


def read_rules(raw: Mapping[str, Any], source: str) -> ApprovalRules:
    """The ``[approvals]`` table of a permissions file; missing keys keep the defaults."""
    table = raw.get("approvals", {})
    if not isinstance(table, Mapping):
        raise InvalidInput("approval.bad_rules", source=source, key="approvals")
    defaults = ApprovalRules()
    values: dict[str, Any] = {}
    for key, kind in (
        ("max_devices", int),
        ("all_of_a_type", bool),
        ("commune_lights_off_at_night", bool),
        ("bollard_lowered", bool),
        ("snow_level", int),
        ("role_change", bool),
        ("lighting_apply", bool),
        ("limit_minutes", int),
    ):
        if key not in table:
            continue
        value = table[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise InvalidInput("approval.bad_rules", source=source, key=key)
        values[key] = value
    unknown = sorted(
        set(table)
        - {
            *values,
            "max_devices",
            "all_of_a_type",
            "commune_lights_off_at_night",
            "bollard_lowered",
            "snow_level",
            "role_change",
            "lighting_apply",
            "limit_minutes",
        }
    )
    if unknown:
        raise InvalidInput("approval.bad_rules", source=source, key=unknown[0])
    minutes = values.pop("limit_minutes", None)
    limit = timedelta(minutes=minutes) if minutes is not None else defaults.limit
    if limit <= timedelta(0):
        raise InvalidInput("approval.bad_rules", source=source, key="limit_minutes")
    return ApprovalRules(**values, limit=limit)


def check_rules_hold_the_admin(rules: ApprovalRules, source: str) -> None:
    """Refuse rules that let an operator's role change without a second operator.

    The admin alone loads the rules, and a role change is the one high-impact act that is the
    admin's: switched off, it would be the admin's to switch off, re-role, and switch back on.
    The other rules hold operational acts, which the admin runs none of (``ADMIN_ACTS``): the
    city may loosen them, on the record. ``vigie_load_permissions`` refuses the same rules.
    """
    if not rules.role_change:
        raise InvalidInput("approval.role_change_kept", source=source)


def rules_as_data(rules: ApprovalRules) -> dict[str, Any]:
    return {
        "max_devices": rules.max_devices,
        "all_of_a_type": rules.all_of_a_type,
        "commune_lights_off_at_night": rules.commune_lights_off_at_night,
        "bollard_lowered": rules.bollard_lowered,
        "snow_level": rules.snow_level,
        "role_change": rules.role_change,
        "lighting_apply": rules.lighting_apply,
        "limit_minutes": int(rules.limit.total_seconds() // 60),
    }


def awaiting(approvals: Iterable[Approval]) -> list[Approval]:
    return [a for a in approvals if a.status is ApprovalStatus.AWAITING]
