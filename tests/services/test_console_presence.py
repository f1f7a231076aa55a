"""A console's presence on the bus, and the recorder closing the camera views of one that died.

Issue 18: a view ends ``console_gone`` when its console dies. The console says it lives on
``{root}/consoles/{workstation}/status`` (``services/bus/presence.py``, a Last Will for when it
dies); the recorder closes the workstation's open views when it hears it gone
(``services/recorder/consoles.py``), but not on the late word of a console an operator handed
the desk over from. A real private mosquitto, real databases (``db``: SQLite, and PostgreSQL
when ``VIGIE_TEST_PG_URL`` is set).
"""

from __future__ import annotations

import json
import signal
import socket
import threading
import time
from datetime import UTC, datetime

import paho.mqtt.client as mqtt
import pytest
from sqlalchemy import select

from services.bus.codec import Decoder
from services.bus.messages import Rejection
from services.bus.presence import (
    ConsolePresence,
    ConsoleStatusMessage,
    _iso,
    workstation_name,
)
from services.bus.topics import Topics
from services.domain.operators import RECORDER
from services.reference import communes
from services.store import camera_views
from services.store.models import AuditRow, CameraViewRow, QuarantineRow
from tests.services.test_camera_views import CAMERA, OTHER, room  # noqa: F401 - the fixture
from tests.services.test_recorder import wait_until
from tests.services.test_recorder_process import recorder_process  # noqa: F401 - the fixture


# --- helpers -------------------------------------------------------------------------------------
def retained(url: str, topic: str, timeout: float = 5.0) -> dict | None:
    """The message the broker keeps on ``topic`` (None when it keeps none)."""
    host, port = url.removeprefix("mqtt://").split(":")
    got: list[bytes] = []
    subscribed, arrived = threading.Event(), threading.Event()
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"peek-{time.monotonic_ns()}")
    client.on_subscribe = lambda *args: subscribed.set()

    def on_message(_client, _userdata, message):  # noqa: ANN001
        if message.retain:
            got.append(message.payload)
            arrived.set()

    client.on_message = on_message
    client.connect(host, int(port))
    client.loop_start()
    try:
        client.subscribe(topic, 1)
        assert subscribed.wait(timeout)
        arrived.wait(1.0)  # a retained message comes right after the subscription, if any
    finally:
        client.disconnect()
        client.loop_stop()
    return json.loads(got[-1]) if got else None


def die(presence: ConsolePresence) -> None:
    """The console's process dies: its socket closes without a DISCONNECT (the will fires)."""
    presence.client.loop_stop()  # no reconnection, as from a dead process
    sock = presence.client.socket()
    assert sock is not None
    sock.shutdown(socket.SHUT_RDWR)
    sock.close()


def open_on(db, workstation: str, viewer: str = "c.bernard", camera: str = CAMERA) -> int:
    with db.write() as session:
        return camera_views.open_view(session, camera, viewer, "suivi", None, workstation).view_id


def ended(db, view_id: int) -> str | None:
    with db.read() as session:
        return session.get(CameraViewRow, view_id).closed_because


@pytest.fixture
def presences(broker, root):
    """``make(operator, workstation)``: a started console presence, stopped after the test."""
    made: list[ConsolePresence] = []

    def make(operator: str = "c.bernard", workstation: str = "pc3") -> ConsolePresence:
        presence = ConsolePresence(broker.url, root, operator, workstation=workstation)
        presence.start()
        assert presence.wait_connected(10)
        made.append(presence)
        return presence

    yield make
    for presence in made:
        presence.stop(timeout=1)


def heard_online(recorder, presence: ConsolePresence) -> bool:
    last = recorder.consoles.get(presence.workstation)
    return last is not None and last.online and last.session == presence.session


# --- the workstation's name ---------------------------------------------------------------------
def test_the_workstation_is_named_by_the_brokers_console_login_else_by_the_host():
    assert workstation_name("mqtt://console.pc3:secret@broker:1883") == "pc3"  # broker config's
    assert workstation_name("mqtts://console%3Apc3@broker") == "pc3"
    host = socket.gethostname()
    for url in ("mqtt://127.0.0.1:1883", "mqtt://recorder.main:x@broker", "mqtt://console.@b"):
        assert workstation_name(url) == host
    assert workstation_name("not a url") == host


# --- what a console says ------------------------------------------------------------------------
def test_a_console_says_online_then_a_clean_stop_says_offline_with_its_session(broker, topics):
    presence = ConsolePresence(broker.url, topics.root, "c.bernard", workstation="pc3")
    topic = topics.console_status("pc3")
    presence.start()
    assert presence.wait_connected(10)
    wait_until(lambda: retained(broker.url, topic) is not None, what="online retained")
    online = retained(broker.url, topic)
    assert online is not None
    assert (online["online"], online["operator"], online["session"]) == (
        True,
        "c.bernard",
        presence.session,
    )
    assert datetime.fromisoformat(online["since"]) <= datetime.now(UTC)
    presence.stop()
    offline = retained(broker.url, topic)
    assert offline is not None
    assert (offline["online"], offline["session"]) == (False, presence.session)
    assert "operator" not in offline


def test_a_stop_the_broker_does_not_confirm_in_time_leaves_it_to_the_will(broker, topics):
    presence = ConsolePresence(broker.url, topics.root, "c.bernard", workstation="pc3")
    time.sleep(1.1)  # so that the stop's own offline says a later time than the will
    presence.start()
    assert presence.wait_connected(10)
    topic = topics.console_status("pc3")
    wait_until(lambda: (retained(broker.url, topic) or {}).get("online") is True, what="online")
    presence.stop(timeout=0)  # no PUBACK is ever that fast: the connection is dropped
    wait_until(
        lambda: (retained(broker.url, topic) or {}).get("since") == _iso(presence.started_at),
        what="the will's word kept",
    )
    assert retained(broker.url, topic)["online"] is False


def test_each_console_instance_has_its_own_session(broker, topics):
    first = ConsolePresence(broker.url, topics.root, "c.bernard", workstation="pc3")
    second = ConsolePresence(broker.url, topics.root, "m.dupont", workstation="pc3")
    assert first.session != second.session
    assert first.topic == second.topic == topics.console_status("pc3")


def test_a_console_that_dies_leaves_its_will_offline_with_its_session(broker, topics):
    presence = ConsolePresence(broker.url, topics.root, "c.bernard", workstation="pc3")
    presence.start()
    assert presence.wait_connected(10)
    topic = topics.console_status("pc3")
    wait_until(lambda: (retained(broker.url, topic) or {}).get("online") is True, what="online")
    die(presence)
    wait_until(lambda: (retained(broker.url, topic) or {}).get("online") is False, what="will")
    will = retained(broker.url, topic)
    assert will is not None and will["session"] == presence.session and "since" in will


def test_a_handed_over_desks_old_console_leaves_the_new_one_retained_online(presences, broker):
    old = presences("c.bernard")
    new = presences("m.dupont")  # the new console opens before the old one closes
    old.stop()
    wait_until(
        lambda: (retained(broker.url, new.topic) or {}).get("session") == new.session,
        what="the new console's word kept",
    )
    assert retained(broker.url, new.topic)["online"] is True


# --- the decoder ---------------------------------------------------------------------------------
T = Topics("vigie")
NOW = datetime(2026, 12, 4, 18, tzinfo=UTC)


@pytest.mark.parametrize(
    "payload",
    [
        b'{"online": "no", "session": "abc"}',  # a text where a flag is expected
        b'{"session": "abc"}',  # online missing
        b'{"online": false, "session": "not an id"}',
        b'{"online": true, "operator": 7}',
        b"[false]",
    ],
)
def test_a_malformed_console_status_is_a_rejection(payload):
    decoded = Decoder(T, communes()).decode(T.console_status("pc3"), payload, NOW)
    assert isinstance(decoded, Rejection)
    assert decoded.entity_id == "pc3"


def test_a_console_status_is_decoded_with_its_workstation_from_the_topic():
    payload = b'{"online": false, "session": "5f0c", "since": "2026-12-04T17:59:00Z", "x": 1}'
    decoded = Decoder(T, communes()).decode(T.console_status("pc3"), payload, NOW)
    assert decoded == ConsoleStatusMessage(
        "pc3", False, "5f0c", None, datetime(2026, 12, 4, 17, 59, tzinfo=UTC)
    )


# --- the recorder --------------------------------------------------------------------------------
def test_the_recorder_closes_the_views_of_a_console_that_died_as_console_gone(
    room,  # noqa: F811 - the fixture imported above
    make_recorder,
    presences,
):
    recorder = make_recorder()
    console = presences("c.bernard", "pc3")
    presences("m.dupont", "pc4")
    wait_until(lambda: heard_online(recorder, console), what="the console heard online")
    gone = open_on(room, "pc3")
    kept = open_on(room, "pc4", "m.dupont", OTHER)
    die(console)
    wait_until(lambda: ended(room, gone) == "console_gone", what="its view closed")
    assert recorder.wait_idle(10)
    assert ended(room, kept) is None  # another workstation's console lives
    with room.read() as session:
        closing = session.execute(
            select(AuditRow).where(AuditRow.action == "camera.view_closed")
        ).scalar_one()
    assert (closing.operator, closing.target) == (RECORDER, CAMERA)
    assert json.loads(closing.details) == {
        "view": gone,
        "viewer": "c.bernard",
        "because": "console_gone",
    }


def test_an_older_sessions_offline_does_not_close_the_newer_consoles_views(
    room,  # noqa: F811
    make_recorder,
    presences,
    field,
    topics,
):
    recorder = make_recorder()
    old = presences("c.bernard", "pc3")
    wait_until(lambda: heard_online(recorder, old), what="the old console heard")
    new = presences("m.dupont", "pc3")  # the desk handed over: the new console opens first
    wait_until(lambda: heard_online(recorder, new), what="the new console heard")
    view = open_on(room, "pc3", "m.dupont")
    old.stop()  # its clean offline comes after the new console's online
    # ...and a will of the old session arriving late, retained: the new console is still there.
    field.send(
        topics.console_status("pc3"),
        {"online": False, "session": old.session, "since": "2026-12-04T18:00:00Z"},
        retain=True,
    )
    witness = open_on(room, "pc9", "c.bernard", OTHER)
    field.send(topics.console_status("pc9"), {"online": False, "session": "s9"})
    wait_until(lambda: ended(room, witness) == "console_gone", what="what came after, recorded")
    assert ended(room, view) is None
    assert heard_online(recorder, new)
    die(new)  # the new console's own death does close them
    wait_until(lambda: ended(room, view) == "console_gone", what="the new console's views")


def test_a_retained_offline_seen_at_the_recorders_start_closes_that_workstations_views(
    room,  # noqa: F811
    make_recorder,
    field,
    topics,
):
    dead = {"online": False, "session": "dead", "since": "2026-12-04T18:00:00Z"}
    field.send(topics.console_status("pc3"), dead, retain=True)
    field.send(topics.console_status("pc4"), {"online": True, "session": "alive"}, retain=True)
    gone = open_on(room, "pc3")
    kept = open_on(room, "pc4", "m.dupont", OTHER)
    make_recorder()
    wait_until(lambda: ended(room, gone) == "console_gone", what="the dead console's view")
    assert ended(room, kept) is None


def test_a_malformed_console_status_is_quarantined_and_closes_nothing(
    room,  # noqa: F811
    make_recorder,
    field,
    topics,
):
    recorder = make_recorder()
    view = open_on(room, "pc3")
    topic = topics.console_status("pc3")
    field.send(topic, {"online": "false", "session": "s1"})
    field.send(topic, b"{not json")
    wait_until(lambda: recorder.quarantined == 2, what="both quarantined")
    assert ended(room, view) is None
    with room.read() as session:
        rows = session.execute(select(QuarantineRow.topic, QuarantineRow.entity_id)).all()
    assert rows == [(topic, "pc3"), (topic, "pc3")]
    field.send(topic, {"online": False, "session": "s1"})  # the same word, well formed
    wait_until(lambda: ended(room, view) == "console_gone", what="the valid offline applied")


def test_vigie_recorder_closes_them_and_says_so(
    room,  # noqa: F811
    recorder_process,  # noqa: F811 - the fixture imported above
    broker,
):
    """The recorder as it runs (a receiver and its writer lanes, ``vigie recorder``)."""
    proc = recorder_process("rec-consoles")
    console = ConsolePresence(broker.url, recorder_process.root, "c.bernard", workstation="pc3")
    console.start()
    assert console.wait_connected(10)
    gone = open_on(room, "pc3")
    die(console)
    wait_until(lambda: ended(room, gone) == "console_gone", what="its view closed")
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "the console of workstation pc3 is gone: closed its 1 camera view(s)" in err
