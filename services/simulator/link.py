"""A gateway's own MQTT link, opened only to be dropped: how the simulator makes a real Last Will.

The link connects with a Last Will (``{"online": false}``, retained, QoS 1) on the gateway's
status topic, then its socket is shut without a DISCONNECT packet, exactly as when a cabinet's
modem loses power: the broker notices the broken connection and publishes the will itself.
This blocks for up to ``timeout`` seconds, so the runner calls it from a short-lived thread.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from typing import Any

import paho.mqtt.client as mqtt

from services.bus.connection import BrokerAddress, new_client

log = logging.getLogger(__name__)


def drop_with_will(
    address: BrokerAddress,
    client_id: str,
    topic: str,
    will: dict[str, Any],
    timeout: float = 5.0,
) -> bool:
    """Connect with ``will`` on ``topic``, then break the connection; whether it was made."""
    payload = json.dumps(will, separators=(",", ":")).encode()
    client = new_client(address, client_id, will=(topic, payload, 1, True))
    client.connect_timeout = timeout
    accepted = threading.Event()

    def on_connect(
        _client: mqtt.Client, _userdata: Any, _flags: Any, reason: Any, _properties: Any
    ) -> None:
        if not reason.is_failure:
            accepted.set()

    client.on_connect = on_connect
    try:
        client.connect(address.host, address.port, keepalive=30)
        deadline = time.monotonic() + timeout
        while not accepted.is_set() and time.monotonic() < deadline:
            if client.loop(timeout=0.1) != mqtt.MQTT_ERR_SUCCESS:
                break
    except OSError as exc:
        log.warning("gateway link %s could not connect: %s", client_id, exc)
        return False
    sock = client.socket()
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        sock.close()
    if not accepted.is_set():
        log.warning("gateway link %s was not accepted by the broker", client_id)
    return accepted.is_set()
