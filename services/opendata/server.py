"""Running the service: the database, the consoles' wake-ups on the bus, uvicorn.

The service keeps one MQTT connection, to announce each recorded request on
``{root}/events/incidents`` as the recorder announces the reports it records: every console
re-reads the incident from the database. With the broker away the request is still recorded
and answered (the record is the database); paho keeps the announcement until it is back, and
consoles find the incident at their next reading anyway.
"""

from __future__ import annotations

import signal
import socket
import threading
from collections.abc import Callable

from services.bus.connection import client_id, connect_async, new_client, parse_broker_url
from services.bus.delivery import encode
from services.bus.topics import Topics
from services.domain.open311 import OPENDATA
from services.opendata.app import Describe, ServiceConfig, make_app
from services.store.database import Database

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class ServiceFailed(RuntimeError):
    """The service never served (it could not listen)."""


class Announcer:
    """Publishes ``events/incidents`` wake-ups (QoS 1) for the incidents the service records."""

    def __init__(self, broker_url: str, root: str) -> None:
        self.topics = Topics(root)
        address = parse_broker_url(broker_url)
        self.client = new_client(address, client_id("opendata"))
        connect_async(self.client, address)

    def __call__(self, incident_id: int, version: int) -> None:
        payload = {
            "incident_id": incident_id,
            "version": version,
            "kind": "created",
            "by": OPENDATA,
        }
        self.client.publish(self.topics.event("incidents"), encode(payload), qos=1)

    def stop(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def serve(
    db: Database,
    broker_url: str,
    root: str,
    *,
    host: str,
    port: int,
    config: ServiceConfig,
    describe: Describe,
    started: Callable[[], None] = lambda: None,
) -> None:
    """Serve until SIGTERM or SIGINT, then finish the requests under way and close everything.

    uvicorn runs in a thread of its own, so that the signals are ours: uvicorn's own handling
    raises the signal again once it has stopped, which would end the process before the
    announcer and the database are closed (and with the signal's status, not 0).
    """
    import uvicorn

    announcer = Announcer(broker_url, root)
    app = make_app(db, describe=describe, announce=announcer, config=config, started=started)
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            host=host,
            port=port,
            log_level="warning",
            access_log=False,
            # Many clients at once (the bench's 200 readers): keep-alive, no per-request TLS.
            backlog=2048,
            timeout_keep_alive=30,
            timeout_graceful_shutdown=20,  # within the 30 s the stop waits for it
        )
    )
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in STOP_SIGNALS}
    runner = threading.Thread(target=server.run, name="open311-server", daemon=True)
    try:
        runner.start()
        while not stop.wait(0.2) and runner.is_alive():
            pass
        server.should_exit = True
        runner.join(timeout=30)
        if not server.started:  # uvicorn could not listen (its own exit is in its thread)
            raise ServiceFailed(f"could not listen on {host}:{port}")
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        announcer.stop()
        db.dispose()
