"""Playbooks: what each snow level and traffic mode does to the city, as the city wrote it.

A playbook is data (TOML under ``resources/playbooks/``), read here into frozen dataclasses and
checked whole before anything is sent: a group, plan, command, mode, perspective or layer it names
must exist, and the message says which and where (``dijon.toml: snow.2.signals[1]: …``). Device ids
the database does not know are not errors here: the preview warns about them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from services.domain.city_files import Shapes
from services.domain.commands import COMMANDS, CommandName, parse_group, spec_for, typed_params
from services.domain.equipment import EquipmentType
from services.domain.errors import InvalidInput
from services.domain.incidents import DEFAULT_SLA, Priority, SlaPolicy
from services.domain.modes import SnowLevel, TrafficMode

SNOW = "snow"
TRAFFIC = "traffic"
KINDS = (SNOW, TRAFFIC)

#: The map layers a playbook may ask for (the map panel's names).
MAP_LAYERS = frozenset(
    {
        "patrol",
        "road_crew",
        "snow",
        "incidents",
        "trails",
        "lights",
        "signals",
        "cameras",
        "bollards",
        "snow_network",
    }
)
ENTRY_KEYS = {
    "title",
    "signals",
    "lighting",
    "commands",
    "bus_priority",
    "layers",
    "perspective",
    "sla",
}
PERSPECTIVES = frozenset({"dispatcher", "snow_coordinator", "technician", "supervisor"})


class PlaybookError(InvalidInput):
    """A playbook that cannot be used: ``where`` names the file and the entry."""

    key = "playbook.invalid"


@dataclass(frozen=True)
class SignalGroup:
    """Intersections that change plan together, and the plans their controllers know."""

    name: str
    title: str
    intersections: tuple[str, ...]  # TrafficSignal ids
    communes: tuple[str, ...]  # every intersection of these communes (INSEE codes)
    plans: frozenset[str]


@dataclass(frozen=True)
class Step:
    """One command of a playbook entry, as the command line would say it."""

    target_type: str  # an EquipmentType value, or "group"
    target: str  # a device id, or a group (commune:INSEE, all:Type, a StreetlightGroup id)
    command: str
    params: Mapping[str, Any]


@dataclass(frozen=True)
class ModeEntry:
    """What switching to one level or mode does."""

    kind: str  # snow or traffic
    value: str  # "0".."3" or a TrafficMode value
    title: str
    steps: tuple[Step, ...]
    bus_priority: bool | None  # None: left as it is
    layers: frozenset[str]
    perspective: str | None
    sla: Mapping[Priority, timedelta]  # the targets that change

    def sla_policy(self, base: SlaPolicy = DEFAULT_SLA) -> SlaPolicy:
        return SlaPolicy(targets={**base.targets, **self.sla})


@dataclass(frozen=True)
class Playbook:
    source: str
    groups: Mapping[str, SignalGroup]
    entries: Mapping[tuple[str, str], ModeEntry] = field(default_factory=dict)

    def entry(self, kind: str, value: str) -> ModeEntry | None:
        return self.entries.get((kind, value))


def mode_value(kind: str, text: str | int) -> str:
    """The canonical value of a level or mode (``"2"`` for intervention, ``"peak"``)."""
    from services.domain.modes import parse_snow_level, parse_traffic_mode

    if kind == SNOW:
        return str(int(parse_snow_level(text)))
    if kind == TRAFFIC:
        return parse_traffic_mode(str(text)).value
    raise InvalidInput("mode.bad_kind", value=kind)


def read_playbook(raw: Mapping[str, Any], source: str, communes: Sequence[str]) -> Playbook:
    """Check a parsed TOML document and build the playbook; ``PlaybookError`` names the fault."""
    known_communes = frozenset(communes)
    _only(raw, {"groups", SNOW, TRAFFIC}, source, "")
    groups = {
        name: _group(name, spec, source, known_communes)
        for name, spec in _table(raw.get("groups", {}), source, "groups").items()
    }
    entries: dict[tuple[str, str], ModeEntry] = {}
    for kind, allowed in ((SNOW, {str(int(s)) for s in SnowLevel}), (TRAFFIC, set(TrafficMode))):
        for value, spec in _table(raw.get(kind, {}), source, kind).items():
            where = f"{kind}.{value}"
            if value not in allowed:
                _fail(source, where, f"bad_{kind}", value=value)
            entries[(kind, value)] = _entry(kind, value, spec, source, groups, known_communes)
    return Playbook(source, groups, entries)


def _group(name: str, spec: Any, source: str, communes: frozenset[str]) -> SignalGroup:
    where = f"groups.{name}"
    spec = _table(spec, source, where)
    _only(spec, {"title", "intersections", "communes", "plans"}, source, where)
    intersections = tuple(_strings(spec.get("intersections", []), source, f"{where}.intersections"))
    in_communes = tuple(_strings(spec.get("communes", []), source, f"{where}.communes"))
    for insee in in_communes:
        if insee not in communes:
            _fail(source, f"{where}.communes", "unknown_commune", value=insee)
    if not intersections and not in_communes:
        _fail(source, where, "empty_group")
    plans = frozenset(_strings(spec.get("plans", []), source, f"{where}.plans"))
    if not plans:
        _fail(source, f"{where}.plans", "no_plans")
    return SignalGroup(name, str(spec.get("title", name)), intersections, in_communes, plans)


def _entry(
    kind: str,
    value: str,
    spec: Any,
    source: str,
    groups: Mapping[str, SignalGroup],
    communes: frozenset[str],
) -> ModeEntry:
    where = f"{kind}.{value}"
    spec = _table(spec, source, where)
    _only(spec, ENTRY_KEYS, source, where)
    steps: list[Step] = []
    for i, item in enumerate(_list(spec.get("signals", []), source, f"{where}.signals")):
        steps += _signal_steps(item, source, f"{where}.signals[{i}]", groups)
    for i, item in enumerate(_list(spec.get("lighting", []), source, f"{where}.lighting")):
        steps += _lighting_steps(item, source, f"{where}.lighting[{i}]", communes)
    for i, item in enumerate(_list(spec.get("commands", []), source, f"{where}.commands")):
        steps.append(_command_step(item, source, f"{where}.commands[{i}]"))
    bus = spec.get("bus_priority")
    if bus is not None and not isinstance(bus, bool):
        _fail(source, f"{where}.bus_priority", "not_bool")
    layers = frozenset(_strings(spec.get("layers", []), source, f"{where}.layers"))
    for layer in sorted(layers - MAP_LAYERS):
        _fail(source, f"{where}.layers", "unknown_layer", value=layer)
    perspective = spec.get("perspective")
    if perspective is not None and perspective not in PERSPECTIVES:
        _fail(source, f"{where}.perspective", "unknown_perspective", value=perspective)
    return ModeEntry(
        kind=kind,
        value=value,
        title=str(spec.get("title", value)),
        steps=tuple(steps),
        bus_priority=bus,
        layers=layers,
        perspective=perspective,
        sla=_sla(spec.get("sla", {}), source, f"{where}.sla"),
    )


def _signal_steps(
    item: Any, source: str, where: str, groups: Mapping[str, SignalGroup]
) -> list[Step]:
    item = _table(item, source, where)
    _only(item, {"group", "plan", "until"}, source, where)
    name, plan = item.get("group"), item.get("plan")
    if name not in groups:
        _fail(source, where, "undeclared_group", value=name)
    group = groups[name]
    if plan not in group.plans:
        _fail(source, where, "undeclared_plan", value=plan, group=name)
    params = _with_until({"plan": plan}, item, source, where)
    steps = [
        Step("group", f"commune:{insee}", CommandName.SET_PLAN.value, params)
        for insee in group.communes
    ]
    steps += [
        Step(EquipmentType.TRAFFIC_SIGNAL.value, one, CommandName.SET_PLAN.value, params)
        for one in group.intersections
    ]
    return steps


def _lighting_steps(item: Any, source: str, where: str, communes: frozenset[str]) -> list[Step]:
    """Lights on or off (``power``) and their level (``level``), for a commune or a group."""
    item = _table(item, source, where)
    _only(item, {"commune", "group", "power", "level", "until"}, source, where)
    if ("commune" in item) == ("group" in item):
        _fail(source, where, "lighting_target")
    if "commune" in item:
        if item["commune"] not in communes:
            _fail(source, where, "unknown_commune", value=item["commune"])
        target = f"commune:{item['commune']}"
    else:
        target = str(item["group"])
    if "power" not in item and "level" not in item:
        _fail(source, where, "lighting_what")
    steps = []
    if "power" in item:
        if item["power"] not in ("on", "off"):
            _fail(source, f"{where}.power", "bad_power")
        params = _with_until({"powerState": item["power"]}, item, source, where)
        steps.append(Step("group", target, CommandName.SWITCH.value, params))
    if "level" in item:
        level = item["level"]
        if isinstance(level, bool) or not isinstance(level, int | float) or not 0 <= level <= 1:
            _fail(source, f"{where}.level", "bad_level")
        params = _with_until({"illuminanceLevel": float(level)}, item, source, where)
        steps.append(Step("group", target, CommandName.DIM.value, params))
    return steps


def _command_step(item: Any, source: str, where: str) -> Step:
    item = _table(item, source, where)
    _only(item, {"type", "id", "group", "command", "params"}, source, where)
    command = item.get("command")
    if command not in COMMANDS:
        known = ", ".join(sorted(str(c) for c in COMMANDS))
        _fail(source, where, "unknown_command", value=command, known=known)
    if "group" in item:
        target_type, target = "group", str(item["group"])
    else:
        target_type, target = item.get("type"), item.get("id")
        if target_type not in {t.value for t in EquipmentType} or not target:
            _fail(source, where, "command_target")
        if EquipmentType(target_type) not in COMMANDS[command].applies_to:
            _fail(source, where, "not_for_type", command=command, type=target_type)
    params = dict(_table(item.get("params", {}), source, f"{where}.params"))
    try:
        typed_params(str(command), params)
    except InvalidInput as error:
        details = ", ".join(map(str, error.params.values()))
        _fail(source, f"{where}.params", "bad_params", value=details)
    return Step(str(target_type), str(target), str(command), params)


def _with_until(params: dict[str, Any], item: Mapping, source: str, where: str) -> dict[str, Any]:
    if "until" in item:
        until = item["until"]
        if not isinstance(until, str) or not until.startswith("+"):
            _fail(source, f"{where}.until", "bad_until")
        params["until"] = until
    return params


def _sla(spec: Any, source: str, where: str) -> dict[Priority, timedelta]:
    targets: dict[Priority, timedelta] = {}
    for key, minutes in _table(spec, source, where).items():
        try:
            priority = Priority[key.upper()]
        except KeyError:
            _fail(source, where, "unknown_priority", value=key)
        if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes <= 0:
            _fail(source, f"{where}.{key}", "bad_minutes")
        targets[priority] = timedelta(minutes=minutes)
    return targets


_shapes = Shapes(PlaybookError, "playbook")
_table, _list, _strings = _shapes.table, _shapes.list, _shapes.strings
_only, _fail = _shapes.only, _shapes.fail


def commands_in_force(playbook: Playbook) -> list[dict[str, Any]]:
    """Each entry's commands as they are recorded when the mode switches, for the database.

    Targets and parameters as ``outbox.prepare`` writes them (a group's topic id, typed
    parameters); ``until`` is left out, for it is a time from the moment of the switch.
    """
    rows = []
    for (kind, value), entry in sorted(playbook.entries.items()):
        for step in entry.steps:
            target = step.target
            if step.target_type == "group":
                target = parse_group(target).topic_id
            params = typed_params(step.command, step.params)
            params.pop("until", None)
            rows.append(
                {
                    "kind": kind,
                    "value": value,
                    "target_type": step.target_type,
                    "target": target,
                    "command": spec_for(step.command).name.value,
                    "params": params,
                }
            )
    return rows
