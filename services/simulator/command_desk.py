"""How simulated devices and gateways answer commands, as the field contract says they must.

A device answers ``accepted`` then, after the configured latency, ``done`` or ``failed`` (or
``rejected`` at once when the command does not apply or its parameters are wrong); its new
retained state goes out just before the final ack. A gateway answers a group command once, for
the members it serves. A request id is executed at most once per device or gateway: a redelivery
is acknowledged again with the answer already given. A command received after ``expires_at`` is
answered ``expired`` and not executed (``expires_at`` on the wall clock, as the sender stamps
it). An override's ``until`` (wall clock too) returns the device to automatic; without one, the
override of a light that follows a dimming profile ends at the profile's next step
(``lighting.Lighting.resume_at``), any other stands until the next command.

``profile`` (a group's dimming profile, or one light's) is checked by the gateway with
``DimmingProfile.from_params`` and its ``version`` against the profile's own; the cabinet then
holds it for the group (for the light, on the light's topic) and runs it (``lighting``): the
group's state reports ``profile`` and ``profileVersion``, the cabinet's ``profiles``.

Reasons given with ``rejected`` and ``failed`` are stable codes: ``unknown_command``,
``not_applicable``, ``invalid_params``, ``invalid_until``, ``invalid_polygons`` and
``version_mismatch`` (a ``masks`` command whose polygons are malformed, or a ``masks`` or
``profile`` command whose version is not theirs), ``device_not_responding`` and
``fault:{status}`` (the device is in fault).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from services.domain.commands import (
    CommandName,
    CommandSpec,
    GroupKind,
    GroupTarget,
    parse_group,
    spec_for,
    typed_params,
)
from services.domain.dimming import DimmingProfile
from services.domain.equipment import EquipmentType
from services.domain.errors import InvalidInput
from services.domain.privacy_masks import MaskFileError, PresetMasks, mask_version, parse_polygons
from services.domain.traffic import UNIT
from services.simulator import camera_masks, payloads
from services.simulator.world import DEVICE_TYPES, Entity, Gateway

if TYPE_CHECKING:
    from services.simulator.field import Field

#: How long a command lives when it carries no ``expires_at`` (after ``issued_at``).
DEFAULT_EXPIRY_S = 30.0


@dataclass(frozen=True, slots=True)
class Request:
    request_id: str
    command: str
    params: dict[str, Any] | None  # None: present but not an object
    reply_to: str | None
    expires_at: float | None

    @classmethod
    def parse(cls, message: dict[str, Any]) -> Request | None:
        request_id = message.get("request_id")
        if not isinstance(request_id, str) or not request_id:
            return None
        params = message.get("params", {})
        reply_to = message.get("reply_to")
        expires = payloads.parse_time(message.get("expires_at"))
        if expires is None:
            issued = payloads.parse_time(message.get("issued_at"))
            expires = None if issued is None else issued + DEFAULT_EXPIRY_S
        return cls(
            request_id=request_id,
            command=str(message.get("command", "")),
            params=params if isinstance(params, dict) else None,
            reply_to=reply_to if isinstance(reply_to, str) and reply_to else None,
            expires_at=expires,
        )

    def expired(self, now: float) -> bool:
        return self.expires_at is not None and now > self.expires_at


@dataclass(frozen=True, slots=True)
class Checked:
    spec: CommandSpec
    params: dict[str, Any]
    until: float | None


class FieldCommandDesk:
    def __init__(self, engine: Field) -> None:
        self.engine = engine

    # --- one device ----------------------------------------------------------------------------
    def on_device(
        self, type_name: str, device_id: str, message: dict[str, Any], now: float
    ) -> None:
        engine = self.engine
        request = Request.parse(message)
        entity = engine.world.entities.get(device_id)
        if request is None or entity is None or entity.type.value != type_name:
            return  # nobody out there answers to that name
        if entity.type not in DEVICE_TYPES or not engine.reachable(entity):
            return
        if engine.ignore_first(f"device:{entity.id}", request.request_id):
            return
        rid = request.request_id
        known = entity.remembered()
        if rid in known:
            answer = known[rid]
            again = answer if answer is not None else self._ack(request, entity, "accepted", now)
            engine.reply(request.reply_to, {**again, "ts": payloads.iso(now)})
            return
        if request.expired(now):
            self._final(request, entity, "expired", now, None, lost=False)
            return
        checked = self.check(request, entity.type)
        if isinstance(checked, str):
            self._final(request, entity, "rejected", now, checked, lost=False)
            return
        known.remember(rid, None)
        lost = engine.lose_ack()
        if not lost:
            engine.reply(request.reply_to, self._ack(request, entity, "accepted", now))
        if checked.spec.name in (CommandName.RAISE, CommandName.LOWER) and entity.status == "ok":
            entity.attrs["_before"] = entity.attrs.get("position")
            entity.attrs["position"] = "moving"
            engine.publish_state(entity, now)
        engine.scheduler.at(
            now + engine.latency(), lambda t: self._finish_device(request, entity, checked, lost, t)
        )

    def _finish_device(
        self, request: Request, entity: Entity, checked: Checked, lost: bool, now: float
    ) -> None:
        if not self.engine.reachable(entity):
            # Its gateway dropped meanwhile: the command is lost with it, a resend will run it.
            entity.remembered().pop(request.request_id, None)
            self._settle_bollard(entity)
            return
        reason = self.execute(entity, checked, now)
        if reason is None and checked.spec.name is CommandName.PROFILE:
            self.engine.lighting.hold(entity.id, checked.params["profile"], now)
        status = "done" if reason is None else "failed"
        self._final(request, entity, status, now, reason, lost=lost)

    def _ack(
        self, request: Request, entity: Entity, status: str, now: float, reason: str | None = None
    ) -> dict[str, Any]:
        return payloads.device_ack(request.request_id, entity.id, status, now, reason)

    def _final(
        self,
        request: Request,
        entity: Entity,
        status: str,
        now: float,
        reason: str | None,
        *,
        lost: bool,
    ) -> None:
        answer = self._ack(request, entity, status, now, reason)
        entity.remembered().remember(request.request_id, answer)
        if not lost:
            self.engine.reply(request.reply_to, answer)

    # --- a group -------------------------------------------------------------------------------
    def on_group(self, group: str, message: dict[str, Any], now: float) -> None:
        engine = self.engine
        request = Request.parse(message)
        if request is None:
            return
        try:
            target = parse_group(group)
            spec = spec_for(request.command)
        except InvalidInput:
            return  # no gateway can tell which of its devices that would reach
        for gateway_id, members in engine.world.members(target, spec.applies_to).items():
            gateway = engine.world.gateways[gateway_id]
            if not gateway.online or engine.ignore_first(
                f"gateway:{gateway_id}", request.request_id
            ):
                continue
            rid = request.request_id
            if rid in gateway.executed:
                answer = gateway.executed[rid]
                if answer is not None:  # while still running, the final answer will come
                    engine.reply(request.reply_to, {**answer, "ts": payloads.iso(now)})
                continue
            if request.expired(now):
                answer = payloads.group_ack(rid, gateway_id, "expired", 0, [], now)
                gateway.executed.remember(rid, answer)
                engine.reply(request.reply_to, answer)
                continue
            checked = self.check(request, members[0].type)
            gateway.executed.remember(rid, None)
            lost = engine.lose_ack()
            engine.scheduler.at(
                now + engine.latency(),
                lambda t, g=gateway, m=members, c=checked, lo=lost: self._finish_group(
                    request, target, g, m, c, lo, t
                ),
            )

    def _finish_group(
        self,
        request: Request,
        target: GroupTarget,
        gateway: Gateway,
        members: list[Entity],
        checked: Checked | str,
        lost: bool,
        now: float,
    ) -> None:
        if not gateway.online:
            gateway.executed.pop(request.request_id, None)
            return
        succeeded = 0
        failed: list[dict[str, str]] = []
        held: set[str] = set()  # the groups of the members that take a profile
        for entity in members:
            reason = checked if isinstance(checked, str) else self.execute(entity, checked, now)
            if reason is None:
                succeeded += 1
                held.add(str(entity.attrs.get("refStreetlightGroup")))
            else:
                failed.append({"id": entity.id, "reason": reason})
        if not isinstance(checked, str) and checked.spec.name is CommandName.PROFILE:
            lighting = self.engine.lighting
            cabinets: dict[str, Entity] = {}
            for group_id in sorted(held):
                lighting.hold(group_id, checked.params["profile"], now, say_cabinet=False)
                cabinet = lighting.cabinet_of(group_id)
                if cabinet is not None:
                    cabinets[cabinet.id] = cabinet
            for cabinet in cabinets.values():  # once, with every group's profile
                self.engine.publish_state(cabinet, now)
        elif not isinstance(checked, str) and succeeded:
            self._update_groups(target, gateway, members, checked, now)
        status = "failed" if failed else "done"
        answer = payloads.group_ack(request.request_id, gateway.id, status, succeeded, failed, now)
        gateway.executed.remember(request.request_id, answer)
        if not lost:
            self.engine.reply(request.reply_to, answer)

    def _update_groups(
        self,
        target: GroupTarget,
        gateway: Gateway,
        members: list[Entity],
        checked: Checked,
        now: float,
    ) -> None:
        """Bring a StreetlightGroup's own state in line once all its lights agree."""
        if checked.spec.name not in (CommandName.SWITCH, CommandName.DIM):
            return
        world = self.engine.world
        group_ids = {m.attrs.get("refStreetlightGroup") for m in members}
        if target.kind is GroupKind.STREETLIGHT_GROUP:
            group_ids = {target.value}
        for group_id in group_ids:
            group = world.entities.get(str(group_id))
            if group is None or group.gateway != gateway.id:
                continue
            lights = world.lights_of_group(group.id)
            for key, value in checked.params.items():
                if key in group.attrs and all(light.attrs.get(key) == value for light in lights):
                    self._override(group, {key: value}, checked.until, now)

    # --- checking and executing ----------------------------------------------------------------
    def check(self, request: Request, entity_type: EquipmentType) -> Checked | str:
        """The command made ready to run on a device of this type, or why it is refused."""
        try:
            spec = spec_for(request.command)
        except InvalidInput:
            return "unknown_command"
        if entity_type not in spec.applies_to:
            return "not_applicable"
        if request.params is None:
            return "invalid_params"
        try:
            params = typed_params(request.command, request.params)
        except InvalidInput:
            return "invalid_params"
        if "illuminanceLevel" in params:
            params["illuminanceLevel"] = round(float(params["illuminanceLevel"]), 3)
        if spec.name is CommandName.MASKS:
            return self._check_masks(spec, params)
        if spec.name is CommandName.PROFILE:
            return self._check_profile(spec, request.params)
        until = None
        if "until" in params:
            until = payloads.parse_time(params.pop("until"))
            if until is None:
                return "invalid_until"
        return Checked(spec, params, until)

    def _check_masks(self, spec: CommandSpec, params: dict[str, Any]) -> Checked | str:
        """The masks as the camera will hold them, or why it refuses them.

        A camera never burns in polygons that are not the version announced: the version is what
        the console trusts, so a mismatch is refused rather than applied under the wrong name.
        """
        try:
            polygons = parse_polygons(params["polygons"])
        except MaskFileError:
            return "invalid_polygons"
        if mask_version(polygons) != params["version"]:
            return "version_mismatch"
        masks = PresetMasks(preset=params["preset"], polygons=polygons, version=params["version"])
        return Checked(spec, {"masks": masks}, None)

    def _check_profile(self, spec: CommandSpec, params: dict[str, Any]) -> Checked | str:
        """The profile as the cabinet will hold it, or why it refuses it.

        Like a camera's masks: the version is what the console trusts, so params that do not
        hash to the version announced are refused rather than run under the wrong name.
        """
        try:
            profile = DimmingProfile.from_params(params)
        except InvalidInput:
            return "invalid_params"
        if params.get("version") != profile.version:
            return "version_mismatch"
        return Checked(spec, {"profile": profile}, None)

    def execute(self, entity: Entity, checked: Checked, now: float) -> str | None:
        """Run the command on one device: ``None`` when done, else the reason it failed."""
        engine = self.engine
        name = checked.spec.name
        if entity.status != "ok" and name is not CommandName.REBOOT:
            self._settle_bollard(entity, publish_at=now)
            return f"fault:{entity.status}"
        if engine.options.failure_rate > 0 and engine.ops.random() < engine.options.failure_rate:
            self._settle_bollard(entity, publish_at=now)
            return "device_not_responding"
        params = checked.params
        changes: dict[str, Any]
        match name:
            case CommandName.SWITCH:
                changes = {"powerState": params["powerState"]}
            case CommandName.DIM:
                changes = {"illuminanceLevel": params["illuminanceLevel"]}
            case CommandName.SET_PLAN:
                changes = {"plan": params["plan"]}
            case CommandName.RAISE | CommandName.LOWER:
                entity.attrs.pop("_before", None)
                changes = {"position": "up" if name is CommandName.RAISE else "down"}
            case CommandName.PRIORITY:
                changes = {
                    "lastPriorityRequest": payloads.iso(engine.field_time(now)),
                    "lastPriorityUnit": params["unit_id"],
                    "lastPriorityKind": UNIT,  # an emergency vehicle's: not a bus's
                    "lastPriorityServed": True,  # the command is done: the green is given
                }
            case CommandName.PRESET:
                changes = {"preset": params["preset"]}
            case CommandName.MASKS:
                camera_masks.replace(entity, params["masks"])
                changes = {}  # the state's maskVersion follows from the masks in force
            case CommandName.REBOOT:
                entity.status = "ok"  # a reboot clears a controller's fault
                changes = {"lastReboot": payloads.iso(engine.field_time(now))}
            case CommandName.PROFILE:
                # Nothing changes on the light itself: its cabinet holds the profile for its
                # group (``_finish_group``), or for it alone (``_finish_device``).
                return None
        if checked.spec.override:
            self._override(entity, changes, checked.until, now)
        else:
            entity.attrs.update(changes)
            engine.publish_state(entity, now)
        return None

    def _override(
        self, entity: Entity, changes: dict[str, Any], until: float | None, now: float
    ) -> None:
        engine = self.engine
        token = engine.next_token()
        if until is None:
            until = engine.lighting.resume_at(entity, now)
        if entity.overrides is None:
            entity.overrides = {}
        for key, value in changes.items():
            entity.overrides[key] = token
            entity.attrs[key] = value
        engine.publish_state(entity, now)
        if until is not None:
            keys = list(changes)
            engine.scheduler.at(until, lambda t: self._revert(entity, keys, token, t))

    def _revert(self, entity: Entity, keys: list[str], token: int, now: float) -> None:
        """``until`` has come: back to automatic, unless a later override took over."""
        changed = False
        for key in keys:
            if entity.overrides and entity.overrides.get(key) == token:
                del entity.overrides[key]
                value = self.engine.automation.auto_value(entity, key, now)
                if entity.attrs.get(key) != value:
                    entity.attrs[key] = value
                    changed = True
        if changed:
            self.engine.publish_state(entity, now)

    def _settle_bollard(self, entity: Entity, publish_at: float | None = None) -> None:
        """A bollard that was set moving and will not finish goes back where it was."""
        if entity.attrs.get("position") == "moving":
            entity.attrs["position"] = entity.attrs.pop("_before", None) or "up"
            if publish_at is not None:
                self.engine.publish_state(entity, publish_at)
