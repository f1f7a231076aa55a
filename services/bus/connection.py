"""Broker addresses and paho clients configured the way the contract asks.

``mqtt://host:port`` or ``mqtts://user:password@host:port``; MQTT 3.1.1 unless 5 is asked for.
paho runs its own network thread (``loop_start``) and reconnects by itself with backoff; callers
never block the GUI thread on it.
"""

from __future__ import annotations

import socket
import ssl
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from services.domain.errors import InvalidInput

if TYPE_CHECKING:
    import paho.mqtt.client as mqtt

RECONNECT_MIN_S = 1
RECONNECT_MAX_S = 30


@dataclass(frozen=True, slots=True)
class BrokerAddress:
    host: str
    port: int
    tls: bool = False
    username: str | None = None
    password: str | None = None
    mqtt5: bool = False

    @property
    def url(self) -> str:
        scheme = "mqtts" if self.tls else "mqtt"
        return f"{scheme}://{self.host}:{self.port}"


def parse_broker_url(url: str) -> BrokerAddress:
    """``mqtt[s]://[user[:password]@]host[:port][?protocol=5]``."""
    parts = urlsplit(url)
    if parts.scheme not in ("mqtt", "mqtts", "tcp", "ssl") or not parts.hostname:
        raise InvalidInput("bus.bad_broker_url", url=_shown(url))
    tls = parts.scheme in ("mqtts", "ssl")
    try:
        port = parts.port or (8883 if tls else 1883)
    except ValueError:
        raise InvalidInput("bus.bad_broker_url", url=_shown(url)) from None
    query = dict(p.partition("=")[::2] for p in parts.query.split("&") if p)
    return BrokerAddress(
        host=parts.hostname,
        port=port,
        tls=tls,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        mqtt5=query.get("protocol") == "5",
    )


#: CONNACK reason codes that mean "not this login" (MQTT 5 numbering; paho gives 3.1.1's refusals
#: 4 and 5 these numbers too): bad user name or password, not authorised, bad authentication
#: method. Retrying changes nothing, unlike a broker that is away.
LOGIN_REFUSED = frozenset({0x86, 0x87, 0x8C})


def login_refused(reason_code: object) -> bool:
    """Whether a CONNACK's reason code turns the login away (as opposed to the broker failing)."""
    return getattr(reason_code, "value", reason_code) in LOGIN_REFUSED


def client_id(role: str) -> str:
    """``console-{host}-{pid}``-style ids: unique per process, as the architecture asks."""
    import os

    return f"{role}-{socket.gethostname()}-{os.getpid()}"[:128]


def new_client(
    address: BrokerAddress,
    client_id: str,
    *,
    clean_session: bool = True,
    manual_ack: bool = False,
    will: tuple[str, bytes, int, bool] | None = None,
) -> mqtt.Client:
    """A paho 2 client for ``address`` with TLS, credentials, backoff and an optional Last Will.

    With MQTT 5, ``clean_session=False`` becomes clean start off and a session that outlives the
    connection (one day), which is what a persistent 3.1.1 session means.
    """
    # Here, not above: the recorder's writer parses URLs, never connects.
    import paho.mqtt.client as mqtt

    from services.bus.burst import BurstClient

    protocol = mqtt.MQTTv5 if address.mqtt5 else mqtt.MQTTv311
    kwargs: dict[str, object] = {}
    if not address.mqtt5:
        kwargs["clean_session"] = clean_session
    client = BurstClient(
        mqtt.CallbackAPIVersion.VERSION2,
        client_id=client_id,
        protocol=protocol,
        manual_ack=manual_ack,
        **kwargs,
    )
    client.reconnect_delay_set(RECONNECT_MIN_S, RECONNECT_MAX_S)
    if address.tls:
        client.tls_set(cert_reqs=ssl.CERT_REQUIRED)
    if address.username:
        client.username_pw_set(address.username, address.password)
    if will is not None:
        topic, payload, qos, retain = will
        client.will_set(topic, payload, qos=qos, retain=retain)
    client._vigie_clean_session = clean_session  # type: ignore[attr-defined]
    return client


def connect_async(client: mqtt.Client, address: BrokerAddress, keepalive: int = 30) -> None:
    """Start connecting in paho's own thread; it retries until ``loop_stop``."""
    if address.mqtt5:
        from paho.mqtt.packettypes import PacketTypes
        from paho.mqtt.properties import Properties

        clean = client._vigie_clean_session  # type: ignore[attr-defined]
        props = Properties(PacketTypes.CONNECT)
        if not clean:
            props.SessionExpiryInterval = 86_400
        client.connect_async(
            address.host, address.port, keepalive, clean_start=clean, properties=props
        )
    else:
        client.connect_async(address.host, address.port, keepalive)
    client.loop_start()


def release_sockets(client: mqtt.Client) -> None:
    """Close what a stopped client still holds: its socket, and the pair paho wakes its loop by.

    paho closes the pair only when the client is collected (``__del__``). A console's collector
    runs on its GUI thread and a feed's ``gc.freeze()`` may keep a stopped client for good: each
    kept two descriptors, and past 1,024 paho's ``select`` refuses every client of the process
    (seen in the test suite, where consoles start and stop by the hundred). After ``loop_stop``.
    """
    client._reset_sockets()  # noqa: SLF001 - paho's own clean-up, which only __del__ calls


def _shown(url: str) -> str:
    """The URL for an error message, its password masked.

    Imported here, on the error's path only: the recorder's receiver keeps its imports light.
    """
    from services.config import redact_url

    return redact_url(url)
