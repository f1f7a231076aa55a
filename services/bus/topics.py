"""The field contract's topics, built and parsed in one place.

Every topic Vigie publishes or reads is spelled here, from the configured root; ``parse`` tells
what an incoming topic is, and refuses identifiers outside ``[A-Za-z0-9:._-]{1,128}``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from services.domain.commands import IDENTIFIER, valid_identifier

#: A share group's name (``vigie recorder --share GROUP``): a topic level of its own, so no ``/``,
#: ``+`` nor ``#``; letters, digits, ``_`` and ``-`` are what every broker that serves ``$share``
#: accepts.
SHARE_GROUP = re.compile(r"[A-Za-z0-9_-]{1,64}")


def valid_share_group(value: str) -> bool:
    return SHARE_GROUP.fullmatch(value) is not None


def shared(group: str, topic_filter: str) -> str:
    """``$share/{group}/{filter}``: an MQTT shared subscription.

    MQTT 5's, served by Mosquitto, EMQX, HiveMQ and VerneMQ under 3.1.1 too. The broker hands
    each message to one member of the group; it arrives under its own topic, without the prefix.
    """
    if not valid_share_group(group):
        raise ValueError(f"not a share group: {group[:80]!r}")
    return f"$share/{group}/{topic_filter}"


class Kind(StrEnum):
    STATE = "state"  # {root}/state/{Type}/{id}
    GATEWAY = "gateway"  # {root}/gateways/{gw}/status
    POSITION = "position"  # {root}/units/{id}/position
    UNIT_STATUS = "unit_status"  # {root}/units/{id}/status
    DISPATCH = "dispatch"  # {root}/units/{id}/dispatch
    ALERT = "alert"  # {root}/alerts
    REPORT = "report"  # {root}/reports
    COMMAND = "command"  # {root}/cmd/{Type}/{id}
    GROUP_COMMAND = "group_command"  # {root}/cmd/group/{group}
    ACK = "ack"  # {root}/ack/{client_id}
    CONSOLE = "console"  # {root}/consoles/{client_id}/status
    RECORDER = "recorder"  # {root}/recorders/{client_id}/status
    EVENT = "event"  # {root}/events/{incidents|journal|commands}
    MODE = "mode"  # {root}/modes/{snow|traffic}
    AUDIT_HEAD = "audit_head"  # {root}/audit/head


# Not frozen, for speed, as the messages (services.bus.messages).
@dataclass(slots=True)
class Topic:
    kind: Kind
    type: str | None = None  # entity type for state and commands
    id: str | None = None  # entity, gateway, unit, client, group, event or mode name


class BadTopic(ValueError):
    """A topic under our root that breaks the contract (unknown shape or bad identifier)."""


class Topics:
    def __init__(self, root: str = "vigie") -> None:
        self.root = root.strip("/")
        # States are nearly all a field says (34,000 at a cold start): one match parses one.
        ident = f"({IDENTIFIER.pattern})"
        self._state = re.compile(f"{re.escape(self.root)}/state/{ident}/{ident}")

    # --- building ----------------------------------------------------------------------------
    def state(self, entity_type: str, entity_id: str) -> str:
        return f"{self.root}/state/{entity_type}/{entity_id}"

    def gateway_status(self, gateway: str) -> str:
        return f"{self.root}/gateways/{gateway}/status"

    def unit_position(self, unit: str) -> str:
        return f"{self.root}/units/{unit}/position"

    def unit_status(self, unit: str) -> str:
        return f"{self.root}/units/{unit}/status"

    def unit_dispatch(self, unit: str) -> str:
        return f"{self.root}/units/{unit}/dispatch"

    @property
    def alerts(self) -> str:
        return f"{self.root}/alerts"

    @property
    def reports(self) -> str:
        return f"{self.root}/reports"

    def command(self, entity_type: str, entity_id: str) -> str:
        return f"{self.root}/cmd/{entity_type}/{entity_id}"

    def group_command(self, group: str) -> str:
        return f"{self.root}/cmd/group/{group}"

    def ack(self, client_id: str) -> str:
        return f"{self.root}/ack/{client_id}"

    def console_status(self, client_id: str) -> str:
        return f"{self.root}/consoles/{client_id}/status"

    def recorder_status(self, client_id: str) -> str:
        return f"{self.root}/recorders/{client_id}/status"

    def event(self, name: str) -> str:
        return f"{self.root}/events/{name}"

    def report_status(self, service_request_id: str) -> str:
        """A citizen's request's status, retained, for the citizen app's gateway."""
        return f"{self.root}/events/reports/{service_request_id}"

    def mode(self, name: str) -> str:
        return f"{self.root}/modes/{name}"

    @property
    def audit_head(self) -> str:
        return f"{self.root}/audit/head"

    def share_probe(self, client_id: str) -> str:
        """Where a recorder asked to share checks that the broker serves ``$share``.

        Under ``events/``, which a recorder's broker identity may publish and read already
        (``services/domain/bus_acl.py``) and to which no one subscribes whole.
        """
        return f"{self.root}/events/probe/{client_id}"

    def wildcard(self, *parts: str) -> str:
        return "/".join((self.root, *parts))

    # --- parsing -----------------------------------------------------------------------------
    def parse(self, topic: str) -> Topic:
        state = self._state.fullmatch(topic)
        if state is not None:
            return Topic(Kind.STATE, state[1], state[2])
        prefix = self.root + "/"
        if not topic.startswith(prefix):
            raise BadTopic(f"not under {prefix}")
        parts = topic[len(prefix) :].split("/")
        match parts:
            case ["state", t, i]:
                return Topic(Kind.STATE, _ident(t), _ident(i))
            case ["gateways", g, "status"]:
                return Topic(Kind.GATEWAY, id=_ident(g))
            case ["units", u, "position"]:
                return Topic(Kind.POSITION, id=_ident(u))
            case ["units", u, "status"]:
                return Topic(Kind.UNIT_STATUS, id=_ident(u))
            case ["units", u, "dispatch"]:
                return Topic(Kind.DISPATCH, id=_ident(u))
            case ["alerts"]:
                return Topic(Kind.ALERT)
            case ["reports"]:
                return Topic(Kind.REPORT)
            case ["cmd", "group", g]:
                return Topic(Kind.GROUP_COMMAND, id=_ident(g))
            case ["cmd", t, i]:
                return Topic(Kind.COMMAND, _ident(t), _ident(i))
            case ["ack", c]:
                return Topic(Kind.ACK, id=_ident(c))
            case ["consoles", c, "status"]:
                return Topic(Kind.CONSOLE, id=_ident(c))
            case ["recorders", c, "status"]:
                return Topic(Kind.RECORDER, id=_ident(c))
            case ["events", ("incidents" | "journal" | "commands") as e]:
                return Topic(Kind.EVENT, id=e)
            case ["events", "reports", r]:  # a citizen's request's status (the recorder's)
                return Topic(Kind.EVENT, "reports", _ident(r))
            case ["modes", ("snow" | "traffic") as m]:
                return Topic(Kind.MODE, id=m)
            case ["audit", "head"]:
                return Topic(Kind.AUDIT_HEAD)
        raise BadTopic("not a topic of the field contract")


def _ident(value: str) -> str:
    if not valid_identifier(value):
        raise BadTopic(f"identifier {value[:140]!r} is not [A-Za-z0-9:._-]{{1,128}}")
    return value
