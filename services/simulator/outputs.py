"""What the simulated field hands the MQTT side: messages to publish, and links to drop.

Plain values, so that the pure model can say what to send without sending it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Message:
    topic: str
    payload: dict[str, Any]
    qos: int
    retain: bool


@dataclass(frozen=True, slots=True)
class DropLink:
    """Drop ``gateway``'s own link ungracefully: the broker then publishes ``will`` on ``topic``."""

    gateway: str
    topic: str
    will: dict[str, Any]


Output = Message | DropLink
