"""A command is marked sent only once the broker confirmed it (its PUBACK), and sent once.

A real private mosquitto, paused with SIGSTOP between the recorder's publish and the broker's
PUBACK: the row stays unsent; once the broker runs again, the row is marked sent and the field
hears the command once (the recorder did not publish it a second time while paho held it).
Through the in-process recorder (whose counters say when a batch gave up waiting) and through
``vigie recorder`` as a process, where the confirmations cross the pipe between its halves.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from services.bus.confirm import Confirmations, Publications
from services.commands import outbox
from services.recorder import sending
from services.recorder.writer import Recorder
from services.store.database import Database
from services.store.models import CommandRow
from tests.broker import TestBroker
from tests.services.test_approvals import Listener
from tests.services.test_recorder import wait_until
from tests.services.test_recorder_process import recorder_process  # noqa: F401 - a fixture


def _record(db: Database, root: str, n: int) -> str:
    """A command recorded as a console records it: the recorder is the one to send it."""
    request = outbox.prepare(
        "Streetlight",
        f"light:{n}",
        "switch",
        {"powerState": "on"},
        issued_by="t.roux",
        reply_to=f"{root}/ack/t",
        now=datetime.now(UTC),
        expires_in=timedelta(minutes=5),  # a paused broker must not outlast it
    )
    with db.write() as session:
        outbox.record(session, request, audited=False)
    return request.request_id


def _sent_at(db: Database, request_id: str) -> datetime | None:
    with db.read() as session:
        return session.get(CommandRow, request_id).sent_at


@contextmanager
def _paused(broker: TestBroker) -> Iterator[None]:
    """The broker stops reading and answering (its clients stay connected) until the block ends."""
    assert broker.process is not None
    os.kill(broker.process.pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(broker.process.pid, signal.SIGCONT)


def _heard_once_then(db, listener: Listener, root: str, request_id: str) -> None:
    """The command was heard once: a later one arrives after any second copy would have."""
    later = _record(db, root, 99)
    wait_until(lambda: later in listener.heard, what="the later command")
    assert Counter(listener.heard)[request_id] == 1


def test_a_row_unconfirmed_stays_unsent_and_is_sent_once_the_broker_answers(
    db, fresh_broker, tmp_path
):
    root = f"conf-{tmp_path.name}"
    recorder = Recorder(db, fresh_broker.url, root, f"rec-{root}")
    recorder.start()
    listener = Listener(fresh_broker.url, root)
    try:
        wait_until(lambda: recorder.bus.connected, what="the recorder's connection")
        sender = recorder.sending
        assert sender is not None
        with _paused(fresh_broker):
            request_id = _record(db, root, 1)
            # The batch published it, waited for a PUBACK that could not come, and gave up.
            wait_until(lambda: sender.unconfirmed >= 1, what="a batch left unconfirmed")
            assert _sent_at(db, request_id) is None
            assert sender.sent == 0
            # Later rounds do not publish it again while paho still holds it.
            other = _record(db, root, 2)
            wait_until(lambda: sender.unconfirmed >= 2, what="a second batch left unconfirmed")
            assert _sent_at(db, request_id) is None and _sent_at(db, other) is None
        wait_until(lambda: _sent_at(db, request_id) is not None, what="the late confirmation")
        wait_until(lambda: _sent_at(db, other) is not None, what="the second one's")
        assert sender.late == 2
        _heard_once_then(db, listener, root, request_id)
        assert Counter(listener.heard)[other] == 1
    finally:
        listener.close()
        recorder.stop()


def _claim(db: Database, request_id: str) -> datetime | None:
    with db.read() as session:
        return session.get(CommandRow, request_id).claimed_until


def test_a_row_in_flight_is_its_recorders_and_never_sent_by_another_meanwhile(
    db, fresh_broker, tmp_path
):
    """Two recorders: the one whose publication awaits its PUBACK claims the row (committed
    unsent), and the other leaves it alone however many rounds it takes; heard once."""
    root = f"conf-{tmp_path.name}"
    recorders = [Recorder(db, fresh_broker.url, root, f"rec-{root}-{n}") for n in (1, 2)]
    for recorder in recorders:
        recorder.start()
    listener = Listener(fresh_broker.url, root)
    senders = [r.sending for r in recorders]
    try:
        wait_until(lambda: all(r.bus.connected for r in recorders), what="both recorders")
        with _paused(fresh_broker):
            request_id = _record(db, root, 1)
            wait_until(lambda: sum(s.unconfirmed for s in senders) >= 1, what="a publication")
            # Counted while its round's transaction is still open: the claim shows once committed.
            wait_until(lambda: _claim(db, request_id) is not None, what="the claim committed")
            with db.read() as session:
                row = session.get(CommandRow, request_id)
                assert row.sent_at is None and row.claimed_until is not None
                holder = row.claimed_by
            time.sleep(4 * sending.CONFIRM_S)  # many rounds of the other recorder
            assert sum(s.unconfirmed for s in senders) == 1, "published by both"
        wait_until(lambda: _sent_at(db, request_id) is not None, what="the late confirmation")
        assert holder in {r.client_id for r in recorders}
        _heard_once_then(db, listener, root, request_id)
    finally:
        listener.close()
        for recorder in recorders:
            recorder.stop()


def test_a_claim_is_kept_while_the_broker_is_away(db, fresh_broker, tmp_path, monkeypatch):
    """paho holds the message longest when the broker is gone: the claim must not lapse then."""
    # Four seconds: renewed when under two remain, by a loop that looks every second on
    # PostgreSQL (``LOOK_S``): a second's slack for a loaded machine, where one second left none.
    monkeypatch.setattr(sending, "CLAIM_S", timedelta(seconds=4))
    root = f"conf-{tmp_path.name}"
    recorder = Recorder(db, fresh_broker.url, root, f"rec-{root}")
    recorder.start()
    try:
        wait_until(lambda: recorder.bus.connected, what="the recorder's connection")
        sender = recorder.sending
        assert sender is not None
        assert fresh_broker.process is not None
        os.kill(fresh_broker.process.pid, signal.SIGSTOP)  # no PUBACK
        request_id = _record(db, root, 1)
        wait_until(lambda: sender.unconfirmed >= 1, what="a publication left unconfirmed")
        fresh_broker.stop(kill=True)  # SIGKILL reaches a stopped process
        wait_until(lambda: not recorder.bus.connected, what="the broker's loss")
        time.sleep(9)  # more than two claims' length: renewed at least twice
        with db.read() as session:
            row = session.get(CommandRow, request_id)
            assert row.sent_at is None
            assert row.claimed_until is not None and row.claimed_until > datetime.now(UTC)
    finally:
        recorder.stop()


def test_a_claim_that_lapsed_is_sent_by_another_recorder_and_a_live_one_is_not(
    db, broker, tmp_path
):
    """A recorder that died holding a claim: once it lapses, another sends the command."""
    root = f"conf-{tmp_path.name}"
    now = datetime.now(UTC)
    lapsed, live = _record(db, root, 1), _record(db, root, 2)
    with db.write() as session:
        for request_id, until in (
            (lapsed, now - timedelta(seconds=1)),
            (live, now + timedelta(minutes=1)),
        ):
            row = session.get(CommandRow, request_id)
            row.claimed_by, row.claimed_until = "rec-gone", until
    listener = Listener(broker.url, root)
    recorder = Recorder(db, broker.url, root, f"rec-{root}")
    recorder.start()
    try:
        wait_until(lambda: _sent_at(db, lapsed) is not None, what="the lapsed claim's command")
        _heard_once_then(db, listener, root, lapsed)
        assert live not in listener.heard and _sent_at(db, live) is None
    finally:
        listener.close()
        recorder.stop()


def test_a_confirmed_batch_is_marked_sent_and_published_once(db, broker, tmp_path):
    """The normal path: every row confirmed within the bound, none published twice."""
    root = f"conf-{tmp_path.name}"
    recorder = Recorder(db, broker.url, root, f"rec-{root}")
    recorder.start()
    listener = Listener(broker.url, root)
    try:
        wait_until(lambda: recorder.bus.connected, what="the recorder's connection")
        sent = [_record(db, root, n) for n in range(60)]
        wait_until(lambda: all(_sent_at(db, r) for r in sent), what="every row marked sent")
        wait_until(lambda: set(sent) <= set(listener.heard), what="every command heard")
        assert recorder.sending is not None
        assert recorder.sending.unconfirmed == 0 and recorder.sending.late == 0
        _heard_once_then(db, listener, root, sent[0])
        assert [r for r, n in Counter(listener.heard).items() if n > 1] == []
    finally:
        listener.close()
        recorder.stop()


def test_the_recorder_process_marks_a_row_sent_only_once_confirmed(
    recorder_process,  # noqa: F811 - the fixture imported above
    db,
    broker,
):
    recorder_process()
    root = recorder_process.root
    listener = Listener(broker.url, root)
    try:
        with _paused(broker):
            request_id = _record(db, root, 1)
            # Longer than a batch waits for its confirmations: without them, the row stays
            # unsent however long this takes (a row marked on paho's say-so would be by now).
            time.sleep(3 * sending.CONFIRM_S)
            assert _sent_at(db, request_id) is None
        wait_until(lambda: _sent_at(db, request_id) is not None, what="the late confirmation")
        _heard_once_then(db, listener, root, request_id)
    finally:
        listener.close()


class _PahoAcksFirst:
    """A paho client whose PUBACK is handled before ``publish`` returns (paho's thread won)."""

    def __init__(self) -> None:
        self.on_publish = None
        self.mid = 0

    def publish(self, topic, payload, qos=0, retain=False):  # noqa: ANN001, ANN201
        from paho.mqtt.client import MQTTMessageInfo
        from paho.mqtt.enums import MQTTErrorCode

        self.mid += 1
        info = MQTTMessageInfo(self.mid)
        info.rc = MQTTErrorCode.MQTT_ERR_SUCCESS
        acked = threading.Thread(target=self.on_publish, args=(self, None, self.mid, None, None))
        acked.start()
        acked.join()
        return info


def test_a_puback_handled_before_publish_returned_still_confirms_its_publication():
    publications = Publications()
    confirmations = Confirmations(_PahoAcksFirst(), publications.settle)
    try:
        token, publication = publications.new()
        confirmations.publish("t/cmd/x", b"{}", 1, False, token)
        assert publication.wait(10) and publication.confirmed
        assert confirmations.waiting == 0
    finally:
        confirmations.close()


def test_a_publication_paho_refuses_is_settled_unconfirmed_at_once():
    class Refusing(_PahoAcksFirst):
        def publish(self, topic, payload, qos=0, retain=False):  # noqa: ANN001, ANN201
            raise ValueError("Publish topic cannot contain wildcards.")

    publications = Publications()
    confirmations = Confirmations(Refusing(), publications.settle)
    try:
        token, publication = publications.new()
        confirmations.publish("t/cmd/#", b"{}", 1, False, token)
        assert publication.settled and not publication.confirmed
        with pytest.raises(ValueError):  # not followed: the caller hears paho's refusal
            confirmations.publish("t/cmd/#", b"{}", 1, False)
    finally:
        confirmations.close()


def test_the_codes_paho_holds_a_message_under_are_pahos_own():
    from paho.mqtt.enums import MQTTErrorCode

    from services.bus import confirm

    assert confirm._HELD == (MQTTErrorCode.MQTT_ERR_SUCCESS, MQTTErrorCode.MQTT_ERR_NO_CONN)


def test_0012_adds_the_claim_and_takes_it_away_keeping_the_commands(db_url, tmp_path):
    from sqlalchemy import inspect

    from services.store.schema import HEAD, current_revision, upgrade
    from tests.migrations import downgrade

    database = Database(db_url)
    upgrade(database, "0011")
    with database.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO commands (request_id, target_type, target, command, params, status, "
                "issued_by, issued_at, expires_at) VALUES ('r-1', 'Streetlight', 'light:1', "
                "'switch', '{}', 'pending', 't.roux', :at, :at)"
            ),
            {"at": datetime.now(UTC)},
        )
    upgrade(database)
    with database.read() as session:  # recorded before 0012: claimed by nobody
        row = session.get(CommandRow, "r-1")
        assert (row.claimed_by, row.claimed_until) == (None, None)
    downgrade(database, "0011")
    assert current_revision(database) == "0011"
    columns = {c["name"] for c in inspect(database.engine).get_columns("commands")}
    assert not {"claimed_by", "claimed_until"} & columns
    with database.engine.connect() as conn:
        assert conn.execute(text("SELECT request_id FROM commands")).scalars().all() == ["r-1"]
    upgrade(database)
    assert current_revision(database) == HEAD
    database.dispose()
