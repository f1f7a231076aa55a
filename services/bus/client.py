"""The bus client: a paho 2 client that knows the contract's topics and hands out decoded messages.

paho's network thread calls ``on_message``; here it only decodes and validates, then hands the
result to the owner's callback, which must return quickly (queue it). Subscriptions are renewed
on every reconnection; paho reconnects by itself with backoff. The connection state is reported
through ``on_connection`` so that the operator always sees it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import paho.mqtt.client as mqtt

from services.bus.codec import Decoder
from services.bus.confirm import Confirmations, Publication, Publications
from services.bus.connection import BrokerAddress, connect_async, new_client, release_sockets
from services.bus.delivery import Delivery, encode


class BusClient:
    def __init__(
        self,
        address: BrokerAddress,
        client_id: str,
        decoder: Decoder,
        *,
        subscriptions: Sequence[tuple[str, int]] = (),
        on_delivery: Callable[[Delivery], None] | None = None,
        on_connection: Callable[[bool, str], None] | None = None,
        clean_session: bool = True,
        manual_ack: bool = False,
        will: tuple[str, bytes, int, bool] | None = None,
        decode_later: bool = False,
    ) -> None:
        self.address = address
        self.client_id = client_id
        self.decoder = decoder
        self.subscriptions = list(subscriptions)
        self.on_delivery = on_delivery
        self.on_connection = on_connection
        self.manual_ack = manual_ack
        # The recorder decodes in its writer thread: with paho's thread parsing packets and a
        # second thread decoding, the writer waited for the GIL on every row SQLite wrote.
        self.decode_later = decode_later
        self.client = new_client(
            address,
            client_id,
            clean_session=clean_session,
            manual_ack=manual_ack,
            will=will,
        )
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = self._on_disconnect
        self.client.on_message = self._on_message
        self.client.on_subscribe = self._on_subscribe
        self._subscribe_mid: int | None = None
        self._connected = threading.Event()
        self.connections = 0  # how many times a connection was made (reconnects included)
        # Made at the first followed publication: only the recorder's outbox follows any.
        self._confirmations: Confirmations | None = None
        self._publications = Publications()
        self._confirmations_made = threading.Lock()

    # --- lifecycle ---------------------------------------------------------------------------
    def start(self) -> None:
        connect_async(self.client, self.address)

    def stop(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()
        release_sockets(self.client)
        if self._confirmations is not None:
            self._confirmations.close()

    @property
    def connected(self) -> bool:
        return self._connected.is_set()

    def wait_connected(self, timeout: float) -> bool:
        return self._connected.wait(timeout)

    # --- publishing --------------------------------------------------------------------------
    def publish(
        self, topic: str, payload: dict[str, Any], qos: int = 1, retain: bool = False
    ) -> mqtt.MQTTMessageInfo:
        return self.client.publish(topic, encode(payload), qos=qos, retain=retain)

    def publish_confirmed(
        self, topic: str, payload: dict[str, Any], qos: int = 1, retain: bool = False
    ) -> Publication:
        """Publish, and settle the publication returned once the broker confirmed it (PUBACK)."""
        with self._confirmations_made:
            if self._confirmations is None:
                self._confirmations = Confirmations(self.client, self._publications.settle)
        token, publication = self._publications.new()
        self._confirmations.publish(topic, encode(payload), qos, retain, token)
        return publication

    def subscribe(self, topic: str, qos: int) -> None:
        self.subscriptions.append((topic, qos))
        if self.connected:
            self.client.subscribe(topic, qos)

    def ack(self, mid: int, qos: int) -> None:
        """Acknowledge a QoS 1 message to the broker (manual-ack clients, after the commit)."""
        if self.manual_ack and qos > 0:
            self.client.ack(mid, qos)

    def ack_all(self, pairs: Sequence[tuple[int, int]]) -> None:
        """Acknowledge, in the order given (MQTT wants PUBACKs in the order of reception)."""
        for mid, qos in pairs:
            self.ack(mid, qos)

    # --- paho callbacks (network thread) -----------------------------------------------------
    def _on_connect(self, client, userdata, flags, reason_code, properties) -> None:  # noqa: ANN001
        if reason_code.is_failure:
            self._report(False, str(reason_code))
            return
        if self.subscriptions:
            # Ready only once the broker has the subscriptions (on_subscribe): a message sent
            # before that would not reach us.
            _, self._subscribe_mid = client.subscribe(list(self.subscriptions))
        else:
            self._ready()

    def _on_subscribe(self, client, userdata, mid, reason_codes, properties) -> None:  # noqa: ANN001
        if mid == self._subscribe_mid:
            self._ready()

    def _ready(self) -> None:
        self.connections += 1
        self._connected.set()
        self._report(True, "connected")

    def _on_disconnect(self, client, userdata, flags, reason_code, properties) -> None:  # noqa: ANN001
        self._connected.clear()
        self._report(False, str(reason_code))

    def _on_message(self, client, userdata, msg: mqtt.MQTTMessage) -> None:  # noqa: ANN001
        if self.decode_later and self.on_delivery is not None:
            self.on_delivery(
                Delivery(None, msg.mid, msg.qos, bool(msg.retain), msg.topic, msg.payload)
            )
            return
        decoded = self.decoder.decode(msg.topic, msg.payload, datetime.now(UTC))
        if decoded is None or self.on_delivery is None:
            self.ack(msg.mid, msg.qos)  # nothing for us: do not let it hold the window
            return
        self.on_delivery(
            Delivery(decoded, msg.mid, msg.qos, bool(msg.retain), msg.topic, msg.payload)
        )

    def _report(self, up: bool, reason: str) -> None:
        if self.on_connection is not None:
            self.on_connection(up, reason)
