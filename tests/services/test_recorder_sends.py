"""The recorder is the only sender: consoles and the CLI record, the recorder publishes.

On a real broker and both databases. A command recorded with no recorder running reaches no
device; a recorder started later sends it; two recorders on one database never send one twice
(``FOR UPDATE SKIP LOCKED``); a mode's announcement goes out retained from the recorder.
"""

from __future__ import annotations

import json
import time
from collections import Counter

import paho.mqtt.client as mqtt
import pytest
from sqlalchemy import select, update

from services.commands.sender import CommandSender
from services.recorder.writer import Recorder
from services.store.models import CityModeRow, CommandRow
from tests.services.test_approvals import Listener
from tests.services.test_recorder import wait_until


@pytest.fixture
def root(request) -> str:
    return f"send{abs(hash(request.node.nodeid)) % 10**6}"


def _light(sender: CommandSender, n: int):
    plan = sender.plan(
        "Streetlight", f"light:{n}", "switch", {"powerState": "on"}, issued_by="t.roux"
    )
    return sender.send(plan)


def test_a_recorded_command_goes_out_only_when_a_recorder_sends_it(db, broker, root):
    sender = CommandSender(db, broker.url, root)
    sender.connect()
    listener = Listener(broker.url, root)
    try:
        request = _light(sender, 1)
        # The sender published nothing: the field hears the recorder only.
        time.sleep(1.0)
        assert listener.heard == []
        with db.read() as s:
            assert s.get(CommandRow, request.request_id).sent_at is None
        recorder = Recorder(db, broker.url, root, f"rec-{root}")
        recorder.start()
        try:
            wait_until(lambda: request.request_id in listener.heard, what="the recorder sends it")
            # marked sent once the broker confirms it, which may come after a subscriber heard it

            def marked_sent() -> bool:
                with db.read() as s:
                    return s.get(CommandRow, request.request_id).sent_at is not None

            wait_until(marked_sent, what="the command marked sent")
        finally:
            recorder.stop()
        assert listener.heard == [request.request_id]
    finally:
        listener.close()
        sender.close()


def test_two_recorders_on_one_database_never_send_a_command_twice(db, broker, root):
    recorders = [Recorder(db, broker.url, root, f"rec-{root}-{n}") for n in (1, 2)]
    for recorder in recorders:
        recorder.start()
    sender = CommandSender(db, broker.url, root)
    sender.connect()
    listener = Listener(broker.url, root)
    try:
        wait_until(lambda: all(r.bus.connected for r in recorders), what="both recorders")
        time.sleep(0.5)  # past each recorder's re-send of the outbox at connection
        sent = [_light(sender, n).request_id for n in range(120)]
        wait_until(lambda: set(sent) <= set(listener.heard), what="every command")
        time.sleep(0.5)  # a second copy would have come by now
        twice = [r for r, n in Counter(listener.heard).items() if n > 1]
        assert twice == []
        assert sorted(listener.heard) == sorted(sent)
        assert sum(r.sending.sent for r in recorders) == len(sent)  # type: ignore[union-attr]
    finally:
        listener.close()
        sender.close()
        for recorder in recorders:
            recorder.stop()


def test_a_mode_announcement_is_published_retained_by_the_recorder(db, broker, root):
    recorder = Recorder(db, broker.url, root, f"rec-{root}")
    recorder.start()
    said = {"state": "applied", "level": 2, "by": "m.girard", "since": "2026-12-05T11:00:00Z"}
    try:
        with db.write() as s:
            s.execute(
                update(CityModeRow)
                .where(CityModeRow.kind == "snow")
                .values(announcement=said, announced_at=None)
            )

        def announced() -> bool:
            with db.read() as s:
                row = s.execute(select(CityModeRow).where(CityModeRow.kind == "snow")).scalar_one()
                return row.announced_at is not None

        wait_until(announced, what="the recorder announces it")
    finally:
        recorder.stop()
    # Subscribed afterwards: the broker kept it (retained) for whoever comes next.
    heard: list[tuple[dict, bool]] = []
    late = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"late-{root}")
    late.on_message = lambda _c, _u, m: heard.append((json.loads(m.payload), m.retain))
    late.connect("127.0.0.1", broker.port)
    late.subscribe(f"{root}/modes/snow", qos=1)
    late.loop_start()
    try:
        wait_until(lambda: heard, what="the retained announcement")
        assert heard[0] == (said, True)
    finally:
        late.loop_stop()
        late.disconnect()


def test_a_command_no_topic_can_carry_fails_alone_and_the_sender_goes_on(db, broker, root):
    """A row written round Vigie (a wildcard for a target) must not stop every later command."""
    from datetime import UTC, datetime, timedelta

    now = datetime.now(UTC)
    with db.write() as s:
        s.add(
            CommandRow(
                request_id="hostile-1",
                target_type="Streetlight",
                target="#",
                command="switch",
                params={"powerState": "off"},
                status="pending",
                issued_by="t.roux",
                issued_at=now,
                expires_at=now + timedelta(minutes=1),
                reply_to=f"{root}/ack/x",
            )
        )
    recorder = Recorder(db, broker.url, root, f"rec-{root}")
    recorder.start()
    sender = CommandSender(db, broker.url, root)
    sender.connect()
    listener = Listener(broker.url, root)
    try:
        good = _light(sender, 7)
        wait_until(lambda: good.request_id in listener.heard, what="the next command")
        with db.read() as s:
            assert s.get(CommandRow, "hostile-1").status == "failed"
        assert recorder.sending is not None and recorder.sending.unsendable == 1
    finally:
        listener.close()
        sender.close()
        recorder.stop()
