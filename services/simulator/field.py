"""What the engine's parts see of it: the field they act on, as a ``Protocol``.

``FieldEngine`` builds the desks, motion, happenings and routines, and they call back into it
(publish a state, schedule a revert, reply to a command). Typed against ``Field`` rather than the
engine's class, they import nothing of ``engine``: the package's import graph has no cycle, not
even one under ``TYPE_CHECKING``. ``FieldEngine`` is the one implementation; this lists only what
its parts use, so a part that needs more of the engine says so here.
"""

from __future__ import annotations

import random
from typing import Any, Protocol, runtime_checkable

from services.bus.topics import Topics
from services.domain.dimming import DimmingProfile
from services.simulator.options import SimulatorOptions
from services.simulator.outputs import Output
from services.simulator.scheduler import Scheduler
from services.simulator.world import Entity, Unit, World


class AutoValues(Protocol):
    """The routine's answer to "what is this key when nobody overrides it" (``Automation``)."""

    def auto_value(self, entity: Entity, key: str, now: float) -> Any: ...


class Lights(Protocol):
    """The cabinets' controllers as the desks and the routine see them (``lighting.Lighting``)."""

    def follows_profile(self, entity: Entity) -> bool: ...

    def auto_value(self, entity: Entity, key: str, now: float) -> Any: ...

    def resume_at(self, entity: Entity, now: float) -> float | None: ...

    def hold(
        self, circuit_id: str, profile: DimmingProfile, now: float, *, say_cabinet: bool = True
    ) -> None: ...

    def cabinet_of(self, circuit_id: str) -> Entity | None: ...

    def detect(self, group_id: str, now: float) -> None: ...


@runtime_checkable
class Field(Protocol):
    """The simulated field as its parts drive it: its world, its clocks, what it publishes."""

    world: World
    topics: Topics
    options: SimulatorOptions
    start: float
    run_id: str
    ops: random.Random  # latency, failures, acks
    chance: random.Random  # what happens
    scheduler: Scheduler

    @property
    def automation(self) -> AutoValues: ...

    @property
    def lighting(self) -> Lights: ...

    @property
    def bus_priority(self) -> bool: ...

    def field_time(self, now: float) -> float: ...

    def wall_at(self, field_t: float) -> float: ...

    def sim_time(self, now: float) -> float: ...

    def wall_delay(self, simulated_s: float, now: float) -> float: ...

    def latency(self) -> float: ...

    def next_token(self) -> int: ...

    def ignore_first(self, key: str, request_id: str) -> bool: ...

    def lose_ack(self) -> bool: ...

    def emit(self, output: Output) -> None: ...

    def reachable(self, entity: Entity) -> bool: ...

    def publish_state(self, entity: Entity, now: float) -> None: ...

    def publish_position(self, unit: Unit, now: float) -> None: ...

    def publish_unit_status(self, unit: Unit, now: float) -> None: ...

    def reply(self, reply_to: str | None, payload: dict[str, Any]) -> None: ...

    def drop_gateway(self, gateway_id: str, offline_for_s: float, now: float) -> bool: ...
