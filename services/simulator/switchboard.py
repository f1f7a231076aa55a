"""Many paho clients on one network thread: the simulator's logins, one per gateway and unit.

paho's own loop (``loop_start``) gives each client a thread waiting in ``select()``, which takes
no descriptor above 1,023; a client holds three (its socket and a wake-up pair), so past some
340 clients the next ones' threads fail without a word (measured at Dijon's scale: 339 of 597
logins answered). Here one thread waits on every socket with epoll (``selectors``) and drives
paho's external-loop calls (``loop_read``, ``loop_write``, ``loop_misc``); a second thread
dials again the clients whose link dropped, with paho's backoff, so that a broker slow to answer
never holds up the others.
"""

from __future__ import annotations

import selectors
import socket
import threading
import time
from collections import deque
from typing import Any

import paho.mqtt.client as mqtt

from services.bus.connection import RECONNECT_MAX_S, RECONNECT_MIN_S

#: How often each client's keepalive is looked after (paho pings when it is due).
MISC_EVERY_S = 1.0


class Switchboard:
    """Drive ``attach``-ed paho clients; ``start`` before or after connecting them, ``stop`` last.

    Clients are connected by the caller (``client.connect``: a blocking TCP connect that tells at
    once why a broker is unreachable), never with ``loop_start``.
    """

    def __init__(self) -> None:
        self._selector = selectors.DefaultSelector()
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._wake_w.setblocking(False)
        self._selector.register(self._wake_r, selectors.EVENT_READ, None)
        # Registrations asked from any thread; only the network thread touches the selector.
        self._pending: deque[tuple[str, mqtt.Client, Any]] = deque()
        self._clients: list[mqtt.Client] = []
        self._hung_up: set[mqtt.Client] = set()
        self._redial_at: dict[mqtt.Client, tuple[float, float]] = {}  # when, and the next delay
        self._stopping = threading.Event()
        self._network: threading.Thread | None = None
        self._redialer: threading.Thread | None = None

    def attach(self, client: mqtt.Client) -> None:
        client.on_socket_open = self._opened
        client.on_socket_close = self._closed
        client.on_socket_register_write = self._wants_write
        client.on_socket_unregister_write = self._wrote
        self._clients.append(client)

    def start(self) -> None:
        self._network = threading.Thread(target=self._run, name="simulator-network", daemon=True)
        self._redialer = threading.Thread(target=self._redial, name="simulator-redial", daemon=True)
        self._network.start()
        self._redialer.start()

    def hang_up(self, clients: list[mqtt.Client], timeout: float = 2.0) -> None:
        """Disconnect ``clients`` cleanly (a DISCONNECT each, so no Last Will) and never redial."""
        for client in clients:
            self._hung_up.add(client)
            client.disconnect()
        deadline = time.monotonic() + timeout
        while any(c.socket() is not None for c in clients) and time.monotonic() < deadline:
            time.sleep(0.01)

    def stop(self) -> None:
        self._stopping.set()
        self._wake()
        for thread in (self._network, self._redialer):
            if thread is not None:
                thread.join(5.0)
        for client in self._clients:
            sock = client.socket()
            if sock is not None:
                sock.close()
        self._selector.close()
        self._wake_r.close()
        self._wake_w.close()

    # --- paho's socket callbacks (any thread) ---------------------------------------------------
    def _opened(self, client: mqtt.Client, _userdata: Any, sock: Any) -> None:
        self._ask("open", client, sock)

    def _closed(self, client: mqtt.Client, _userdata: Any, sock: Any) -> None:
        self._ask("close", client, sock)

    def _wants_write(self, client: mqtt.Client, _userdata: Any, sock: Any) -> None:
        self._ask("write", client, sock)

    def _wrote(self, client: mqtt.Client, _userdata: Any, sock: Any) -> None:
        # paho clears its "registered for writing" flag after checking its queue: a packet
        # queued by another thread in between would wait for the next publish. Looking again
        # now, after the flag is down, keeps such a packet's write interest.
        if not client.want_write():
            self._ask("read", client, sock)

    def _ask(self, action: str, client: mqtt.Client, sock: Any) -> None:
        self._pending.append((action, client, sock))
        if threading.current_thread() is not self._network:
            self._wake()

    def _wake(self) -> None:
        try:
            self._wake_w.send(b"\0")
        except (BlockingIOError, OSError):
            pass  # already awake, or stopped

    # --- the network thread ---------------------------------------------------------------------
    def _run(self) -> None:
        next_misc = time.monotonic() + MISC_EVERY_S
        while not self._stopping.is_set():
            self._apply()
            for key, mask in self._selector.select(max(0.0, next_misc - time.monotonic())):
                client = key.data
                if client is None:
                    self._drain_wake()
                    continue
                if mask & selectors.EVENT_READ:
                    self._read(client)
                if mask & selectors.EVENT_WRITE and client.socket() is key.fileobj:
                    client.loop_write()
            if time.monotonic() >= next_misc:
                for client in self._clients:
                    client.loop_misc()
                next_misc = time.monotonic() + MISC_EVERY_S

    @staticmethod
    def _read(client: mqtt.Client) -> None:
        client.loop_read()
        sock = client.socket()
        # TLS may hold decrypted bytes the socket no longer signals.
        while sock is not None and getattr(sock, "pending", lambda: 0)() > 0:
            client.loop_read()
            sock = client.socket()

    def _drain_wake(self) -> None:
        try:
            while self._wake_r.recv(4096):
                pass
        except (BlockingIOError, OSError):
            pass

    def _apply(self) -> None:
        """Carry out the registrations asked since the last turn, in the order asked."""
        selector = self._selector
        while self._pending:
            action, client, sock = self._pending.popleft()
            try:
                held: selectors.SelectorKey | None = selector.get_key(sock)
            except (KeyError, ValueError):
                held = None
            if action == "close":
                if held is not None and held.data is client:
                    selector.unregister(held.fileobj)
                continue
            if sock.fileno() < 0 or client.socket() is not sock:
                continue  # gone before its turn came
            events = selectors.EVENT_READ
            if action == "write" or client.want_write():
                events |= selectors.EVENT_WRITE
            if held is not None and held.fileobj is not sock:
                selector.unregister(held.fileobj)  # a closed socket's number, given again
                held = None
            if held is None:
                selector.register(sock, events, client)
            elif held.events != events:
                selector.modify(sock, events, client)

    # --- the redialling thread ------------------------------------------------------------------
    def _redial(self) -> None:
        """Connect again the clients whose link dropped, each after its backoff."""
        while not self._stopping.wait(0.25):
            now = time.monotonic()
            for client in list(self._clients):
                if client in self._hung_up or client.socket() is not None:
                    continue
                when, delay = self._redial_at.setdefault(
                    client, (now + RECONNECT_MIN_S, RECONNECT_MIN_S)
                )
                if now < when:
                    continue
                try:
                    client.reconnect()
                except (OSError, ValueError):
                    following = min(delay * 2, RECONNECT_MAX_S)
                    self._redial_at[client] = (time.monotonic() + following, following)
                else:
                    self._redial_at.pop(client, None)
