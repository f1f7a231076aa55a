"""Commands to field devices: what each command applies to, its typed parameters, its statuses.

A command is a value confirmed by the device, never by its sender: it stays ``pending`` until acks
arrive. This module holds the rules (which device types a command reaches, how ``key=value`` text
becomes typed parameters, how a group's acks add up to one outcome); sending is the services' job.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from services.domain.equipment import EquipmentType
from services.domain.errors import InvalidInput


class CommandStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DONE = "done"
    PARTIAL = "partial"
    REJECTED = "rejected"
    FAILED = "failed"
    EXPIRED = "expired"
    TIMED_OUT = "timed_out"

    @property
    def is_final(self) -> bool:
        return self not in (CommandStatus.PENDING, CommandStatus.ACCEPTED)


class CommandName(StrEnum):
    SWITCH = "switch"
    DIM = "dim"
    SET_PLAN = "set_plan"
    PRIORITY = "priority"
    PRESET = "preset"
    REBOOT = "reboot"
    RAISE = "raise"
    LOWER = "lower"
    MASKS = "masks"
    PROFILE = "profile"


@dataclass(frozen=True, slots=True)
class ParamSpec:
    name: str
    type: type
    required: bool = True
    choices: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True, slots=True)
class CommandSpec:
    name: CommandName
    applies_to: frozenset[EquipmentType]
    params: tuple[ParamSpec, ...]
    override: bool  # may carry ``until``: the device returns to automatic by itself then
    # Offered in the console's command dialog; a command that carries a city file's data (the
    # privacy masks) is sent from that file, never typed at a desk.
    typed_at_a_desk: bool = True


_LIGHTS = frozenset({EquipmentType.STREETLIGHT})
_SIGNALS = frozenset({EquipmentType.TRAFFIC_SIGNAL})
_CAMERAS = frozenset({EquipmentType.CAMERA})
_BOLLARDS = frozenset({EquipmentType.BOLLARD})

COMMANDS: dict[CommandName, CommandSpec] = {
    spec.name: spec
    for spec in (
        CommandSpec(
            CommandName.SWITCH,
            _LIGHTS,
            (ParamSpec("powerState", str, choices=("on", "off")),),
            True,
        ),
        CommandSpec(
            CommandName.DIM,
            _LIGHTS,
            (ParamSpec("illuminanceLevel", float, minimum=0.0, maximum=1.0),),
            True,
        ),
        CommandSpec(CommandName.SET_PLAN, _SIGNALS, (ParamSpec("plan", str),), True),
        CommandSpec(
            CommandName.PRIORITY,
            _SIGNALS,
            (ParamSpec("unit_id", str), ParamSpec("approach", str, required=False)),
            False,
        ),
        CommandSpec(CommandName.PRESET, _CAMERAS, (ParamSpec("preset", int, minimum=0),), False),
        CommandSpec(CommandName.REBOOT, _CAMERAS, (), False),
        # The city's privacy masks for one preset; the camera checks the polygons and their
        # version itself (services.domain.privacy_masks), so a list is only a list here.
        CommandSpec(
            CommandName.MASKS,
            _CAMERAS,
            (
                ParamSpec("preset", int, minimum=0),
                ParamSpec("version", str),
                ParamSpec("polygons", list),
            ),
            False,
            typed_at_a_desk=False,
        ),
        # A lighting policy's dimming profile, which the group's cabinet runs by itself with its
        # astronomical clock (services.domain.dimming checks the rest, the cabinet the version).
        CommandSpec(
            CommandName.PROFILE,
            _LIGHTS,
            (
                ParamSpec("name", str),
                ParamSpec("version", str),
                ParamSpec("steps", list),
                ParamSpec("presence_minutes", int, required=False, minimum=0),
                ParamSpec("full_light", dict, required=False),
                ParamSpec("events", list, required=False),
            ),
            False,
            typed_at_a_desk=False,
        ),
        CommandSpec(CommandName.RAISE, _BOLLARDS, (), True),
        CommandSpec(CommandName.LOWER, _BOLLARDS, (), True),
    )
}

#: Identifiers that may stand inside a topic (field contract).
IDENTIFIER = re.compile(r"[A-Za-z0-9:._-]{1,128}")


def valid_identifier(value: str) -> bool:
    return IDENTIFIER.fullmatch(value) is not None


class GroupKind(StrEnum):
    STREETLIGHT_GROUP = "group"  # a StreetlightGroup id
    COMMUNE = "commune"  # commune:{INSEE}
    ALL_OF_TYPE = "all"  # all:{Type}


@dataclass(frozen=True, slots=True)
class GroupTarget:
    kind: GroupKind
    value: str  # the group id, the INSEE code or the type name

    @property
    def topic_id(self) -> str:
        if self.kind is GroupKind.STREETLIGHT_GROUP:
            return self.value
        return f"{self.kind.value}:{self.value}"


def parse_group(text: str) -> GroupTarget:
    """``commune:21231``, ``all:Streetlight`` or a ``StreetlightGroup`` id."""
    if not valid_identifier(text):
        raise InvalidInput("command.bad_identifier", value=text)
    prefix, sep, rest = text.partition(":")
    if sep and prefix == "commune":
        if not re.fullmatch(r"\d[0-9AB]\d{3}", rest):
            raise InvalidInput("command.bad_commune", value=rest)
        return GroupTarget(GroupKind.COMMUNE, rest)
    if sep and prefix == "all":
        try:
            EquipmentType(rest)
        except ValueError:
            raise InvalidInput("command.unknown_type", value=rest) from None
        return GroupTarget(GroupKind.ALL_OF_TYPE, rest)
    return GroupTarget(GroupKind.STREETLIGHT_GROUP, text)


def spec_for(command: str) -> CommandSpec:
    try:
        return COMMANDS[CommandName(command)]
    except ValueError:
        raise InvalidInput(
            "command.unknown", value=command, known=", ".join(c.value for c in CommandName)
        ) from None


def _convert(spec: ParamSpec, raw: Any) -> Any:
    if spec.type is list:
        if not isinstance(raw, list):
            raise InvalidInput("command.param_type", name=spec.name, expected="list")
        return raw
    if spec.type is dict:
        if not isinstance(raw, dict):
            raise InvalidInput("command.param_type", name=spec.name, expected="object")
        return raw
    if spec.type is str:
        if not isinstance(raw, str | int | float) or isinstance(raw, bool):
            raise InvalidInput("command.param_type", name=spec.name, expected="text")
        value: Any = str(raw)  # a plan or unit id stays text even when it looks like a number
        if spec.choices and value not in spec.choices:
            raise InvalidInput(
                "command.param_choice", name=spec.name, choices=", ".join(spec.choices)
            )
        return value
    try:
        if isinstance(raw, bool):
            raise ValueError
        if spec.type is int:
            value = int(raw) if not isinstance(raw, float) or raw.is_integer() else None
            if value is None:
                raise ValueError
        else:
            value = float(raw)
    except (TypeError, ValueError):
        kind = "integer" if spec.type is int else "number"
        raise InvalidInput("command.param_type", name=spec.name, expected=kind) from None
    if (spec.minimum is not None and value < spec.minimum) or (
        spec.maximum is not None and value > spec.maximum
    ):
        raise InvalidInput(
            "command.param_range", name=spec.name, minimum=spec.minimum, maximum=spec.maximum
        )
    return value


def typed_params(command: str, given: Mapping[str, Any]) -> dict[str, Any]:
    """Check and type a command's parameters (``until`` is passed through for overrides)."""
    spec = spec_for(command)
    known = {p.name: p for p in spec.params}
    out: dict[str, Any] = {}
    for name, raw in given.items():
        if name == "until":
            if not spec.override:
                raise InvalidInput("command.until_not_override", command=spec.name.value)
            out[name] = raw
        elif name not in known:
            raise InvalidInput("command.unknown_param", name=name, command=spec.name.value)
        else:
            out[name] = _convert(known[name], raw)
    missing = [p.name for p in spec.params if p.required and p.name not in out]
    if missing:
        raise InvalidInput("command.missing_param", names=", ".join(missing))
    return out


def parse_key_values(pairs: Iterable[str]) -> dict[str, str]:
    """``["powerState=off", "until=+2h"]`` as a mapping; typing is ``typed_params``' job."""
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise InvalidInput("command.bad_key_value", value=pair)
        out[key] = value
    return out


def group_outcome(
    succeeded: int, failed: int, unconfirmed: int, answered_gateways: int
) -> CommandStatus:
    """How a group's acks add up: ``done``, ``partial``, ``failed`` or ``timed_out``.

    ``failed`` counts devices that failed or expired; ``unconfirmed`` those whose gateway never
    answered or that have no known gateway.
    """
    if answered_gateways == 0:
        return CommandStatus.TIMED_OUT
    if succeeded == 0:
        return CommandStatus.FAILED
    if failed or unconfirmed:
        return CommandStatus.PARTIAL
    return CommandStatus.DONE


@dataclass(frozen=True, slots=True)
class CommandRecord:
    """A command as the log shows it: what, on what, by whom, when, and where it stands."""

    request_id: str
    target_type: str  # an equipment type, "group" or "unit" (a dispatch)
    target: str
    command: str
    status: str
    issued_by: str
    issued_at: datetime
    finished_at: datetime | None = None
    params: dict[str, Any] = field(default_factory=dict)
    late: bool = False  # the device's final answer came after it was recorded timed out
