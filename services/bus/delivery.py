"""What a bus hands over for one message, and how Vigie encodes what it publishes.

Apart from ``services.bus.client`` so that the recorder's writer, which never talks MQTT itself
(its receiver does), can use them without importing paho.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from services.bus.messages import Message, Rejection


@dataclass(slots=True)
class Delivery:
    """A decoded message with what is needed to acknowledge it after it is recorded.

    Not frozen: a ``decode_later`` client's deliveries get their message filled in where they
    are, once decoded (the recorder's writer, 34,000 of them at a cold start).
    """

    message: Message | Rejection | None  # None until decoded
    mid: int
    qos: int
    retained: bool
    topic: str = ""
    payload: bytes = b""  # kept to quarantine a message the recorder fails to record


def encode(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
