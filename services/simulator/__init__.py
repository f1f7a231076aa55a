"""The field of Dijon Métropole, simulated: what ``vigie simulate`` and ``vigie demo`` run.

Gateways, street lights (whose cabinets run dimming profiles and meter their energy), presence
sensors, signals, cameras, bollards, vehicles, road-weather stations, salt depots, monitored
buildings and citizens, speaking the field contract (``docs/field-contract.md``) on a broker and
answering commands and dispatches, with configurable latency and failure modes. The field lives
on its own clock, which may start in the past and run faster than the wall clock
(``engine``'s docstring says which times follow which clock).

The pure, deterministic model (``scales``, ``world``, ``generation``, ``payloads``, ``engine`` and
the desks it drives) never touches the network; ``runner.Simulator`` is the only part that talks
MQTT. Nothing here writes prose for an operator: the command line does.
"""

from __future__ import annotations

from services.simulator.generation import build_world
from services.simulator.logins import MissingCredential
from services.simulator.options import MIXES, SimulatorOptions
from services.simulator.runner import (
    BrokerUnreachable,
    LoginRefused,
    Simulator,
    VideoSettings,
    VideoUnavailable,
)
from services.simulator.scales import SCALES
from services.simulator.world import World

__all__ = [
    "MIXES",
    "SCALES",
    "BrokerUnreachable",
    "LoginRefused",
    "MissingCredential",
    "Simulator",
    "SimulatorOptions",
    "VideoSettings",
    "VideoUnavailable",
    "World",
    "build_world",
]
