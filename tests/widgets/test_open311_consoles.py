"""A citizen's request posted to the Open311 service is an incident in every console at once.

A real broker and database, two consoles' incident feeds, and the service's own announcer
(``services/opendata/server.Announcer``): the POST's wake-up brings the new incident to both,
read from the database, before any periodic re-read could.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from console.bridge import Bridge
from console.feeds.incidents import IncidentFeed
from services.domain.incidents import IncidentSource
from services.opendata.app import make_app
from services.opendata.server import Announcer
from services.store import open311


@pytest.fixture
def bridge() -> Iterator[Bridge]:
    bridge = Bridge()
    yield bridge
    bridge.shutdown()


def test_a_posted_request_reaches_every_console(db, broker, qtbot, bridge):
    root = f"open311-{time.monotonic_ns() % 10**8}"
    with db.write() as session:
        key = open311.add_key(session, "citizen-app", by="root")
    feeds = [IncidentFeed(db, broker.url, root, bridge=bridge) for _ in range(2)]
    seen: list[list] = [[], []]
    links: list[list] = [[], []]
    for feed, heard, link in zip(feeds, seen, links, strict=True):
        feed.sig_incidents.connect(heard.append)
        feed.sig_link.connect(lambda *said, link=link: link.append(said))
        feed.start()
    announcer = Announcer(broker.url, root)
    try:
        for feed in feeds:
            qtbot.waitUntil(lambda feed=feed: feed.bus.connections >= 1, timeout=15_000)
        qtbot.waitUntil(announcer.client.is_connected, timeout=15_000)
        for feed, link in zip(feeds, links, strict=True):  # their first reading of the record
            qtbot.waitUntil(
                lambda feed=feed, link=link: ("database", True, "") in link and not feed.busy,
                timeout=10_000,
            )
        app = make_app(db, describe=lambda e: e.key, announce=announcer)
        with TestClient(app) as client:
            answer = client.post(
                "/open311/v2/requests.json",
                data={
                    "api_key": key,
                    "service_code": "mobilier-urbain",
                    "lat": "47.3190",
                    "long": "5.0390",
                    "description": "Banc arraché place Darcy",
                },
            )
        assert answer.status_code == 201, answer.text
        ident = answer.json()[0]["service_request_id"]

        def shown(heard: list[list]) -> bool:
            return any(i.source_ref == ident for batch in heard for i in batch)

        for heard in seen:
            qtbot.waitUntil(lambda heard=heard: shown(heard), timeout=10_000)
        for heard in seen:
            # A feed may read the incident again (its event, then a periodic re-read): each
            # reading is the same incident, and the latest is what the console shows.
            readings = [i for batch in heard for i in batch if i.source_ref == ident]
            assert len({i.id for i in readings}) == 1
            incident = readings[-1]
            assert incident.source is IncidentSource.REPORT
            assert incident.description == "Banc arraché place Darcy"
    finally:
        announcer.stop()
        for feed in feeds:
            feed.stop()
