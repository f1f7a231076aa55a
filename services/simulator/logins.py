"""Who says what on the bus: the broker identity each of the simulator's messages goes out under.

With ``vigie simulate --credentials DIR`` (the ``credentials/`` folder ``vigie broker config``
wrote) the simulator plays each gateway and each unit under its own identity, the citizen app as
``citizen-app`` and the alarms as ``alarms``, so that the broker's ACL (docs/security.md, "The
field bus") judges every message as it would the real field's. A message's identity follows
from its topic; a reply's topic is the requester's choice, so there it is whoever answers in it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from services.bus.topics import BadTopic, Kind, Topics
from services.config import read_password_file
from services.domain.bus_acl import identity_name
from services.simulator.world import DEVICE_TYPES, World

CITIZEN_APP = "citizen-app"
ALARMS = "alarms"


class MissingCredential(Exception):
    """An identity the simulator plays has no password in the credentials folder."""

    def __init__(self, identity: str, path: Path, missing: int) -> None:
        super().__init__(identity)
        self.identity = identity
        self.path = path
        self.missing = missing  # how many identities lack one, this one included


@dataclass(frozen=True)
class Login:
    """One identity the simulator logs in as, and what it listens to."""

    identity: str
    password: str
    subscriptions: tuple[tuple[str, int], ...]


def played_identities(world: World) -> list[str]:
    """Every identity the simulator plays: its gateways, its units, the app and the alarms."""
    return [
        *(identity_name("gw", g) for g in sorted(world.gateways)),
        *(identity_name("unit", u) for u in sorted(world.units)),
        CITIZEN_APP,
        ALARMS,
    ]


def logins(world: World, topics: Topics, folder: Path) -> list[Login]:
    """A login per identity played, its password read from ``folder/{identity}``.

    Raises ``MissingCredential`` naming the first identity without a file, before any
    connection is made; a file others may read is refused by ``read_password_file``.
    """
    identities = played_identities(world)
    missing = [i for i in identities if not (folder / i).is_file()]
    if missing:
        raise MissingCredential(missing[0], folder / missing[0], len(missing))
    listens = _subscriptions(world, topics)
    return [Login(i, read_password_file(folder / i), tuple(listens.get(i, ()))) for i in identities]


def _subscriptions(world: World, topics: Topics) -> dict[str, list[tuple[str, int]]]:
    """What each identity subscribes to: only what its ACL lets it read, each topic once.

    A gateway listens to its own devices' commands; every gateway may read the group commands,
    but one listens for all of them, since the engine answers for every gateway a group reaches
    (each one hearing it would answer it as many times). Units listen to their dispatches.
    """
    found: dict[str, list[tuple[str, int]]] = {}
    for gateway_id in sorted(world.gateways):
        found[identity_name("gw", gateway_id)] = [
            (topics.command(e.type.value, e.id), 1)
            for e in world.gateways[gateway_id].members
            if e.type in DEVICE_TYPES
        ]
    if world.gateways:
        found[identity_name("gw", min(world.gateways))] += [
            (topics.wildcard("cmd", "group", "#"), 1),
            (topics.wildcard("modes", "+"), 1),  # the engine hears the modes once, for all
        ]
    for unit_id in world.units:
        found[identity_name("unit", unit_id)] = [(topics.unit_dispatch(unit_id), 1)]
    return found


class Speakers:
    """The identity a message is published under, from its topic (or, for a reply, its body)."""

    def __init__(self, world: World, topics: Topics) -> None:
        self.world = world
        self.topics = topics

    def of(self, topic: str, payload: dict[str, Any]) -> str | None:
        """The identity that says ``payload`` on ``topic``; None when no identity may say it."""
        try:
            parsed = self.topics.parse(topic)
        except BadTopic:
            return self._replier(payload)
        match parsed.kind:
            case Kind.STATE:
                return self._gateway_of(parsed.id)
            case Kind.GATEWAY:
                return identity_name("gw", str(parsed.id))
            case Kind.POSITION | Kind.UNIT_STATUS:
                return identity_name("unit", str(parsed.id))
            case Kind.REPORT:
                return CITIZEN_APP
            case Kind.ALERT:
                return ALARMS
            case _:
                return self._replier(payload)

    def _gateway_of(self, entity_id: str | None) -> str | None:
        entity = self.world.entities.get(str(entity_id))
        if entity is None or entity.gateway is None:
            return None  # a station, a depot, a counting loop: no gateway speaks for them
        return identity_name("gw", entity.gateway)

    def _replier(self, payload: dict[str, Any]) -> str | None:
        """Who answers a command or a dispatch: the gateway, the device's gateway, the unit."""
        if isinstance(payload.get("gateway"), str):
            return identity_name("gw", payload["gateway"])
        if isinstance(payload.get("device_id"), str):
            return self._gateway_of(payload["device_id"])
        if isinstance(payload.get("unit_id"), str):
            return identity_name("unit", payload["unit_id"])
        return None


def voiceless(world: World) -> list[str]:
    """The entities whose state no identity may publish (no gateway serves them)."""
    return sorted(e.id for e in world.entities.values() if e.gateway is None)


def summary(identities: Iterable[str]) -> dict[str, int]:
    """How many gateways and units are played, for the command line's announcement."""
    names = list(identities)
    return {
        "gateways": sum(1 for n in names if n.startswith("gw.")),
        "units": sum(1 for n in names if n.startswith("unit.")),
        "logins": len(names),
    }
