"""The simulated field's behaviour over time, with no I/O: messages in, messages out.

``FieldEngine`` is fed incoming messages (``receive``) and the wall clock (``advance``), and
returns what the field publishes: ``Message`` values, and ``DropLink`` when a gateway's link must
drop so that the broker publishes its Last Will. It is deterministic for a seed and a sequence of
calls, never blocks and never reads the clock itself, so tests drive it by hand. Only one thread
may call it (the runner's simulation thread).

Two clocks. Every call passes the wall clock (``now``); the **field's clock** (``field_time``)
is what the field lives by: the time its states, positions, unit statuses, reports and alerts
are stamped with, where its sun is (lights on at night, dimming profiles), which signal plan
runs, what the weather does and how its meters integrate energy. Without
``SimulatorOptions.start_at`` it is the wall clock. With it, the field's clock starts at
``start_at`` and runs ``speed`` times faster than the wall clock, never overtaking it (the
recorder refuses times from the future): ``min(start_at + (now - start) * speed, now)``; once
caught up it runs at real speed. What stays on the wall clock: acknowledgements (their ``ts``),
the expiry of commands (``expires_at``) and an override's ``until`` (the console stamps them on
its own clock, so a device must read them on the same one), command latency, and the heartbeats
that keep states from going stale (receivers measure staleness on their own clock).
"""

from __future__ import annotations

import json
import random
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

from services.bus.topics import BadTopic, Kind, Topics
from services.domain.equipment import EquipmentType
from services.domain.geography import CommuneIndex
from services.simulator import payloads
from services.simulator.command_desk import FieldCommandDesk
from services.simulator.dispatch_desk import DispatchDesk
from services.simulator.energy import Meters
from services.simulator.happenings import Happenings
from services.simulator.lighting import Lighting
from services.simulator.motion import Motion
from services.simulator.options import SimulatorOptions
from services.simulator.outputs import DropLink, Message, Output
from services.simulator.presence import Presence
from services.simulator.routine import Automation, Heartbeat
from services.simulator.scheduler import Scheduler
from services.simulator.world import Entity, Gateway, Remembered, Unit, World

#: A gateway comes back no sooner than this (wall clock), so that its Last Will always has time
#: to be published before it says it is online again.
MIN_OFFLINE_S = 1.0


class FieldEngine:
    def __init__(
        self, world: World, topics: Topics, options: SimulatorOptions, start: float
    ) -> None:
        self.world = world
        self.topics = topics
        self.options = options
        self.start = start
        seed = options.seed
        self.ops = random.Random(f"vigie-simulator:{seed}:ops")  # latency, failures, acks
        self.chance = random.Random(f"vigie-simulator:{seed}:events")  # what happens
        self.scheduler = Scheduler()
        self.run_id = options.run_id or time.strftime("%Y%m%d%H%M%S", time.gmtime(start))
        self.stats: Counter[str] = Counter()
        self._out: list[Output] = []
        self._last_tick = start
        self._next_tick = start
        self._tokens = 0
        self._first_seen = Remembered(limit=200_000)  # (target, request id) pairs
        self._places: CommuneIndex | None = None  # built at the first position
        for gateway in world.gateways.values():
            gateway.since = self.field_time(start)
        # Whether each mode lets signals serve buses' priority (a snow level may turn it off as
        # well as a traffic mode): served only when none says no.
        self._bus_priority = {"snow": True, "traffic": True}
        self.lighting = Lighting(self)
        self.automation = Automation(self)
        self.heartbeat = Heartbeat(self)
        self.commands = FieldCommandDesk(self)
        self.dispatch = DispatchDesk(self)
        self.motion = Motion(self)
        self.happenings = Happenings(self)
        self.presence = Presence(self)
        self.automation.apply(start, publish=False)
        # After the lights took their first values: each cabinet's meter starts from them.
        self.meters = Meters(self)

    # --- clocks --------------------------------------------------------------------------------
    def field_time(self, now: float) -> float:
        """The field's clock at wall-clock ``now``: what it stamps, where its sun is."""
        start_at = self.options.start_at
        if start_at is None:
            return now
        return min(start_at + (now - self.start) * self.options.speed, now)

    def wall_at(self, field_t: float) -> float:
        """The wall-clock time at which the field's clock reads ``field_t``."""
        start_at = self.options.start_at
        if start_at is None:
            return field_t
        return max(self.start + (field_t - start_at) / self.options.speed, field_t)

    def sim_time(self, now: float) -> float:
        """Simulated time, which paces what happens (vehicles, events, weather).

        On the field's clock when it starts in the past; otherwise the wall clock since the
        start accelerated by ``speed`` (the field's clock then stays the wall clock).
        """
        if self.options.start_at is not None:
            return self.field_time(now)
        return self.start + (now - self.start) * self.options.speed

    def wall_delay(self, simulated_s: float, now: float) -> float:
        """Wall-clock seconds from ``now`` that ``simulated_s`` simulated seconds take."""
        if self.options.start_at is None:
            return simulated_s / self.options.speed
        return max(0.0, self.wall_at(self.sim_time(now) + simulated_s) - now)

    def latency(self) -> float:
        low, high = self.options.latency_ms
        return self.ops.uniform(low, high) / 1000.0

    def next_token(self) -> int:
        self._tokens += 1
        return self._tokens

    def ignore_first(self, key: str, request_id: str) -> bool:
        """Whether to drop this delivery silently: only ever the first one of a request id."""
        rate = self.options.first_attempt_ignored
        if rate <= 0:
            return False
        seen = f"{key}|{request_id}"
        if seen in self._first_seen:
            return False
        self._first_seen.remember(seen, None)
        if self.ops.random() < rate:
            self.stats["ignored_first_attempts"] += 1
            return True
        return False

    def lose_ack(self) -> bool:
        return self.options.lost_ack > 0 and self.ops.random() < self.options.lost_ack

    # --- what goes out -------------------------------------------------------------------------
    def emit(self, output: Output) -> None:
        self._out.append(output)

    def reachable(self, entity: Entity) -> bool:
        """An entity behind an offline gateway can neither publish nor answer."""
        return entity.gateway is None or self.world.gateways[entity.gateway].online

    def publish_state(self, entity: Entity, now: float) -> None:
        """Say an entity's state, stamped on the field's clock (if its gateway is online).

        Every change of a light goes through here, said or not: its cabinet's meter follows
        what it draws; a cabinet's state carries its meter's reading.
        """
        if entity.type is EquipmentType.STREETLIGHT:
            self.meters.touch(entity, now)
        elif entity.type is EquipmentType.STREETLIGHT_CONTROL_CABINET:
            self.meters.read(entity, now)
        if self.reachable(entity):
            self.emit(
                Message(
                    self.topics.state(entity.type.value, entity.id),
                    payloads.state(entity, self.field_time(now)),
                    1,
                    True,
                )
            )

    def publish_gateway(self, gateway: Gateway) -> None:
        self.emit(
            Message(
                self.topics.gateway_status(gateway.id), payloads.gateway_status(gateway), 1, True
            )
        )

    def publish_position(self, unit: Unit, now: float) -> None:
        if self._places is None:  # locate's answers, one outline tested, not 230 (ten times Dijon)
            self._places = CommuneIndex(list(self.world.communes.values()))
        commune = self._places.locate(unit.lat, unit.lon).commune.insee
        position = payloads.position(unit, self.field_time(now), commune)
        self.emit(Message(self.topics.unit_position(unit.id), position, 0, True))

    def publish_unit_status(self, unit: Unit, now: float) -> None:
        status = payloads.unit_status(unit, self.field_time(now))
        self.emit(Message(self.topics.unit_status(unit.id), status, 1, False))

    def reply(self, reply_to: str | None, payload: dict[str, Any]) -> None:
        if reply_to:
            self.stats[f"acks.{payload['status']}"] += 1
            self.emit(Message(reply_to, payload, 1, False))

    def _take(self) -> list[Output]:
        out, self._out = self._out, []
        return out

    # --- the engine's three entry points --------------------------------------------------------
    def initial(self, now: float) -> list[Output]:
        """Everything the field says when its link comes up: gateways, states, units."""
        return [output for chunk in self.initial_chunks(now) for output in chunk]

    def initial_chunks(self, now: float, size: int = 1_000) -> Iterator[list[Output]]:
        """``initial``, said ``size`` things at a time, each when asked for.

        Ten times Dijon says 370,000 messages: drawn one chunk at a time, as the broker takes
        them, they never all sit in memory at once. A chunk asked for later says the state as
        it is then (what changed meanwhile was said as it changed, and is said again, unchanged).
        What was emitted and not yet taken goes out with the first chunk.
        """
        for n, gateway in enumerate(self.world.gateways.values(), start=1):
            self.publish_gateway(gateway)
            if n % size == 0:
                yield self._take()
        for n, entity in enumerate(self.world.entities.values(), start=1):
            self.publish_state(entity, now)
            if n % size == 0:
                yield self._take()
        for unit in self.world.units.values():
            self.publish_position(unit, now)
            unit.next_report = now + unit.report_every
            self.publish_unit_status(unit, now)
        yield self._take()

    def receive(self, topic: str, payload: bytes, now: float, *, retained: bool = False) -> None:
        """An incoming command or dispatch; anything else, or anything malformed, is ignored."""
        try:
            parsed = self.topics.parse(topic)
        except BadTopic:
            return
        if parsed.kind is Kind.MODE:
            self._hear_mode(str(parsed.id), payload, now)
            return
        if retained:
            return  # a command left retained on the broker is stale by definition
        try:
            message = json.loads(payload)
        except (ValueError, UnicodeDecodeError):
            self.stats["malformed"] += 1
            return
        if not isinstance(message, dict):
            self.stats["malformed"] += 1
            return
        if parsed.kind is Kind.COMMAND:
            self.stats["commands"] += 1
            self.commands.on_device(str(parsed.type), str(parsed.id), message, now)
        elif parsed.kind is Kind.GROUP_COMMAND:
            self.stats["group_commands"] += 1
            self.commands.on_group(str(parsed.id), message, now)
        elif parsed.kind is Kind.DISPATCH:
            self.stats["dispatches"] += 1
            self.dispatch.on_dispatch(str(parsed.id), message, now)

    @property
    def bus_priority(self) -> bool:
        return all(self._bus_priority.values())

    def _hear_mode(self, which: str, payload: bytes, now: float) -> None:
        """A mode's announcement: whether buses' priority is served, and the mode in force.

        The snow level or traffic mode in force is what the cabinets' profiles may answer with
        full light (``full_light``).
        """
        try:
            message = json.loads(payload) if payload else {}
        except (ValueError, UnicodeDecodeError):
            return
        if which in self._bus_priority and isinstance(message, dict):
            served = message.get("bus_priority")
            self._bus_priority[which] = served if isinstance(served, bool) else True
            value = message.get("level" if which == "snow" else "mode")
            if isinstance(value, bool) or not isinstance(value, int | str):
                value = None  # an empty (cleared) announcement, or one that says nothing
            self.lighting.hear_mode(which, None if value is None else str(value), now)

    def advance(self, now: float) -> list[Output]:
        """Run what is due by ``now`` (acks, reverts, repairs, a simulation step)."""
        self.scheduler.run_due(now)
        if now >= self._next_tick:
            dt_wall = max(0.0, min(now - self._last_tick, 5.0))
            self._last_tick = now
            self._next_tick = now + self.options.tick_s
            dt_sim = (
                dt_wall * self.options.speed
                if self.options.start_at is None
                else self.sim_time(now) - self.sim_time(now - dt_wall)
            )
            self.motion.step(now, dt_sim)
            self.happenings.step(now, dt_sim)
            self.presence.step(now, dt_sim)
            self.heartbeat.step(now, dt_wall)
            self.automation.step(now)
            self.lighting.step(now)
            self.meters.step(now)
            self.scheduler.run_due(now)
        return self._take()

    def next_due(self) -> float:
        """When ``advance`` next has something to do."""
        due = self.scheduler.next_due()
        return self._next_tick if due is None else min(due, self._next_tick)

    # --- gateways ------------------------------------------------------------------------------
    def drop_gateway(self, gateway_id: str, offline_for_s: float, now: float) -> bool:
        """Take a gateway offline (its Last Will) for ``offline_for_s`` wall-clock seconds."""
        gateway = self.world.gateways.get(gateway_id)
        if gateway is None or not gateway.online:
            return False
        gateway.online = False
        self.stats["gateway_drops"] += 1
        self.emit(DropLink(gateway.id, self.topics.gateway_status(gateway.id), dict(payloads.WILL)))
        back = now + max(MIN_OFFLINE_S, offline_for_s)
        self.scheduler.at(back, lambda t: self._restore(gateway, t))
        return True

    def _restore(self, gateway: Gateway, now: float) -> None:
        gateway.online = True
        gateway.since = self.field_time(now)
        self.publish_gateway(gateway)
        for entity in gateway.members:
            self.publish_state(entity, now)
