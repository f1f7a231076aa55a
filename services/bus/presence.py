"""A console's presence on the bus: whether the console at a workstation lives, and who is there.

A console says so, retained at QoS 1, on ``{root}/consoles/{workstation}/status`` (the topic the
broker's ACL lets the workstation's identity publish, ``services/domain/bus_acl.py``):

- on each (re)connection: ``{"online": true, "operator": name, "session": S, "since": ts}``;
- its Last Will, which the broker publishes when the connection is lost without a word:
  ``{"online": false, "session": S, "since": ts}`` (``since``: the session's start, the will being
  written before it fires; a reader dates the loss by its own clock);
- on a clean stop: ``{"online": false, "session": S, "since": ts}``.

``S`` is one console instance's (``uuid4``): one process hosts successive consoles when operators
hand over the desk, the new one opening before the old one closes. The old one then says
nothing when it stops (it closed its views itself, and disconnects cleanly, so no will fires):
an offline heard by the recorder before the new one's online would close the new one's views,
and the topic keeps saying that the new one is there. The
recorder closes the camera views of a workstation whose console is gone
(``services/recorder/consoles.py``), unless a newer session is online there.

No Qt and no decoder: a paho client of its own (``connection.new_client``), which publishes and
subscribes to nothing else. ``ConsoleStatusMessage`` is what the decoder makes of the topic.
"""

from __future__ import annotations

import re
import socket
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from services.bus.connection import (
    client_id,
    connect_async,
    new_client,
    parse_broker_url,
    release_sockets,
)
from services.bus.delivery import encode
from services.bus.topics import Topics
from services.domain.commands import valid_identifier
from services.domain.errors import InvalidInput

#: Broker user names that name a workstation: ``vigie broker config`` writes ``console.NAME``
#: (mosquitto's password file refuses ``:``); ``console:NAME`` is read alike.
CONSOLE_LOGINS = ("console.", "console:")
#: How long a clean stop waits for the broker to take its offline status (milliseconds, usually).
STOP_WAIT_S = 2.0
_NOT_IDENTIFIER = re.compile(r"[^A-Za-z0-9:._-]")


@dataclass(frozen=True, slots=True)
class ConsoleStatusMessage:
    """``{root}/consoles/{workstation}/status`` as decoded (``services/bus/codec.py``)."""

    workstation: str  # the topic's
    online: bool
    session: str | None  # absent from a console that predates sessions
    operator: str | None
    since: datetime | None


def workstation_name(broker_url: str) -> str:
    """The workstation's name, as its console's topic and its camera views say it.

    The broker login's after ``console.`` (or ``console:``), else this machine's host name,
    made a topic identifier.
    """
    try:
        login = parse_broker_url(broker_url).username or ""
    except InvalidInput:
        login = ""
    for prefix in CONSOLE_LOGINS:
        name = login[len(prefix) :]
        if login.startswith(prefix) and valid_identifier(name):
            return name
    return _NOT_IDENTIFIER.sub("-", socket.gethostname())[:128] or "console"


#: The presences running in this process, per (broker, root, workstation), oldest first.
_running: dict[tuple[str, str, str], list[ConsolePresence]] = {}
_running_lock = threading.Lock()


class ConsolePresence:
    """One console instance's presence: ``start()`` when it opens, ``stop()`` when it closes."""

    def __init__(
        self,
        broker_url: str,
        root: str,
        operator: str,
        *,
        workstation: str | None = None,
        on_connection: Callable[[bool, str], None] | None = None,
    ) -> None:
        self.address = parse_broker_url(broker_url)
        self.topics = Topics(root)
        self.workstation = workstation or workstation_name(broker_url)
        self.operator = operator
        self.session = uuid.uuid4().hex
        self.topic = self.topics.console_status(self.workstation)
        self.on_connection = on_connection
        self.connections = 0  # how many times it came online (reconnections included)
        self._connected = threading.Event()
        self._key = (self.address.url, self.topics.root, self.workstation)
        self.started_at = _now()  # the session's start, which its Last Will says
        will = encode({"online": False, "session": self.session, "since": _iso(self.started_at)})
        # Its own client id: a successor in this process must not throw it off the broker.
        self.client = new_client(
            self.address,
            client_id(f"console-presence-{self.session[:8]}"),
            will=(self.topic, will, 1, True),
        )
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = self._on_disconnect

    # --- lifecycle ---------------------------------------------------------------------------
    def start(self) -> None:
        """Connect in paho's own thread (never blocks); online is said at each connection."""
        with _running_lock:
            _running.setdefault(self._key, []).append(self)
        connect_async(self.client, self.address)

    def stop(self, timeout: float = STOP_WAIT_S) -> None:
        """Say offline (waiting up to ``timeout`` for the broker to take it), then disconnect.

        A clean disconnection, after which the broker does not publish the Last Will; when the
        broker did not confirm the offline in time, the connection is dropped instead, so that
        the will says it.
        """
        with _running_lock:
            here = _running.get(self._key, [])
            newer = self in here and here.index(self) < len(here) - 1
            if self in here:
                here.remove(self)
            if not here:
                _running.pop(self._key, None)
        said = True  # not connected: the will was published, or will be, when the link went
        # A newer console of this process holds the workstation now (a desk handed over): its
        # word stands, and this one says nothing. Its views were closed before it stopped, and
        # an offline heard before the newer console's online would close the newer one's.
        if self._connected.is_set() and not newer:
            info = self.client.publish(self.topic, self._status(False), qos=1, retain=True)
            try:
                info.wait_for_publish(timeout)
                said = info.is_published()
            except (RuntimeError, ValueError):
                pass  # the connection went meanwhile: the broker publishes the will instead
        if said or newer:  # (a newer console's word must not be overwritten by the will)
            self.client.disconnect()
            self.client.loop_stop()
            release_sockets(self.client)
            return
        self.client.loop_stop()
        release_sockets(self.client)  # the connection dropped unsaid: the broker sends the will

    @property
    def connected(self) -> bool:
        return self._connected.is_set()

    def wait_connected(self, timeout: float) -> bool:
        return self._connected.wait(timeout)

    # --- paho's thread -----------------------------------------------------------------------
    def _on_connect(self, client: Any, userdata: Any, flags: Any, reason: Any, props: Any) -> None:
        if reason.is_failure:
            self._report(False, str(reason))
            return
        client.publish(self.topic, self._status(True), qos=1, retain=True)
        self.connections += 1
        self._connected.set()
        self._report(True, "connected")

    def _on_disconnect(
        self, client: Any, userdata: Any, flags: Any, reason: Any, props: Any
    ) -> None:
        self._connected.clear()
        self._report(False, str(reason))

    def _status(self, online: bool) -> bytes:
        payload: dict[str, Any] = {"online": online}
        if online:
            payload["operator"] = self.operator
        payload.update(session=self.session, since=_iso(_now()))
        return encode(payload)

    def _report(self, up: bool, reason: str) -> None:
        if self.on_connection is not None:
            self.on_connection(up, reason)


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(at: datetime) -> str:
    return at.isoformat().replace("+00:00", "Z")
