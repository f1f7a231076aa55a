"""The broker's confirmation of a QoS 1 publication (its PUBACK), told to whoever published it.

paho's ``publish`` returns as soon as the message is *queued*: a process that died just after
would have sent nothing, and a row marked sent on the strength of it would lie. The recorder's
outbox marks a command sent only once the broker confirmed it (``services/recorder/sending.py``).

paho 2 calls ``on_publish`` with the message id when the PUBACK arrives, from its network thread;
``MQTTMessageInfo.is_published`` says the same but raises for a message published while the
connection was down, even after paho sent it on reconnecting. So the ids are matched here: a
publication we follow is registered under a lock held across paho's ``publish`` (the PUBACK may
arrive before ``publish`` returns to us), and the matching runs in a thread of its own that takes
that lock, never in paho's thread (which holds paho's own lock while it calls ``on_publish``).

Imports stay light: the recorder's receiver uses this and loads almost nothing.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Hashable
from typing import Any

#: paho holds a message published with either (sent now, or on reconnecting): it will be confirmed.
#: paho's MQTTErrorCode.MQTT_ERR_SUCCESS and MQTT_ERR_NO_CONN, as the IntEnum's values: the
#: recorder's writer imports this module and must start without paho (test_writer_imports).
_HELD = (0, 4)

Settled = Callable[[list[Hashable], list[Hashable]], None]
"""(the tokens confirmed, the tokens refused: never held by paho, or an MQTT 5 failure code)."""


class Confirmations:
    """Publish through ``client``; for a publication given a token, say when the broker took it."""

    def __init__(self, client: Any, on_settled: Settled) -> None:
        self.client = client
        self.on_settled = on_settled
        self._lock = threading.Lock()
        self._waiting: dict[int, Hashable] = {}  # message id: the publisher's token
        self._acks: queue.SimpleQueue[tuple[int, bool] | None] = queue.SimpleQueue()
        client.on_publish = self._on_publish
        self._thread = threading.Thread(target=self._match, name="bus-confirmations", daemon=True)
        self._thread.start()

    @property
    def waiting(self) -> int:
        """Publications followed and not yet confirmed (paho still holds them)."""
        with self._lock:
            return len(self._waiting)

    def publish(
        self,
        topic: str,
        payload: bytes,
        qos: int = 1,
        retain: bool = False,
        token: Hashable | None = None,
    ) -> None:
        """Publish; with a token (QoS 1 or 2), ``on_settled`` names it once it is settled."""
        if token is not None and qos == 0:
            raise ValueError("only a QoS 1 or 2 publication is confirmed by the broker")
        with self._lock:
            try:
                info = self.client.publish(topic, payload, qos=qos, retain=retain)
            except (ValueError, TypeError):  # paho refuses the topic or payload itself
                if token is None:
                    raise
                info = None
            if token is None:
                return
            if info is not None and info.rc in _HELD:
                self._waiting[info.mid] = token
                return
        self.on_settled([], [token])  # paho did not keep it: it will never be confirmed

    def close(self) -> None:
        self._acks.put(None)

    # --- paho's network thread ---------------------------------------------------------------
    def _on_publish(self, client, userdata, mid, reason_code, properties) -> None:  # noqa: ANN001
        # MQTT 5 says why a broker would not take it (not authorised, quota); 3.1.1 never does.
        self._acks.put((mid, not getattr(reason_code, "is_failure", False)))

    # --- our own thread ----------------------------------------------------------------------
    def _match(self) -> None:
        while (first := self._acks.get()) is not None:
            acks = [first]
            while True:  # every PUBACK that came meanwhile, settled in one call
                try:
                    more = self._acks.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    self._acks.put(None)  # closing: after these
                    break
                acks.append(more)
            confirmed: list[Hashable] = []
            refused: list[Hashable] = []
            with self._lock:
                for mid, taken in acks:
                    token = self._waiting.pop(mid, None)
                    if token is not None:
                        (confirmed if taken else refused).append(token)
            if confirmed or refused:
                try:
                    self.on_settled(confirmed, refused)
                except Exception:  # noqa: BLE001, S110 - a publisher gone away must not stop us
                    pass


class Publication:
    """One followed publication, as its publisher waits for it (any thread)."""

    __slots__ = ("_settled", "taken")

    def __init__(self) -> None:
        self._settled = threading.Event()
        self.taken = False  # settled: the broker took it (False: refused, or not kept by paho)

    def settle(self, taken: bool) -> None:
        self.taken = taken
        self._settled.set()

    @property
    def settled(self) -> bool:
        return self._settled.is_set()

    @property
    def confirmed(self) -> bool:
        return self._settled.is_set() and self.taken

    def wait(self, timeout: float) -> bool:
        """Whether it is settled (confirmed or refused) within ``timeout`` seconds."""
        return self._settled.wait(max(timeout, 0.0))


class Publications:
    """Tokens handed out for followed publications, and the publications waiting on them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._next = 0
        self._open: dict[int, Publication] = {}

    def new(self) -> tuple[int, Publication]:
        publication = Publication()
        with self._lock:
            self._next += 1
            self._open[self._next] = publication
            return self._next, publication

    def settle(self, confirmed: list[Hashable], refused: list[Hashable]) -> None:
        with self._lock:
            done = [(self._open.pop(t, None), True) for t in confirmed]
            done += [(self._open.pop(t, None), False) for t in refused]
        for publication, taken in done:
            if publication is not None:
                publication.settle(taken)
