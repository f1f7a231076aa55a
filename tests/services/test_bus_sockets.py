"""A stopped bus client holds no descriptor, collected or not (``connection.release_sockets``).

paho closes the socket pair its loop wakes by only when the client is collected; in a process
whose collector waits (the console's) and whose feeds freeze what they hold, stopped clients
kept two descriptors each, until paho's ``select`` refused every client past 1,024.
"""

from __future__ import annotations

import os

from services.bus.client import BusClient
from services.bus.codec import Decoder
from services.bus.connection import parse_broker_url
from services.bus.presence import ConsolePresence
from services.bus.topics import Topics
from services.reference import communes
from tests.conftest import open_descriptors


def test_stopped_clients_hold_no_descriptor_even_uncollected(broker, collector_off):
    kept = []  # nothing freed by its count either
    before = open_descriptors()
    for n in range(5):
        client = BusClient(
            parse_broker_url(broker.url),
            f"sockets-{os.getpid()}-{n}",
            Decoder(Topics("sockets"), communes()),
            subscriptions=[("sockets/alerts", 1)],
        )
        client.start()
        assert client.wait_connected(10)
        client.stop()
        presence = ConsolePresence(broker.url, "sockets", "a.operator", workstation=f"desk{n}")
        presence.start()
        presence.stop()
        kept += [client, presence]
    assert open_descriptors() <= before
