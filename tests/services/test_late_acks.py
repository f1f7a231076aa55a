"""A command's record follows the final answer of the device it addressed, late or not.

An ack from anyone else is recorded but decides nothing; a final answer that arrives after the
command was recorded ``timed_out`` moves it, marked late; a unit's late acceptance of a dispatch
already put back is noted, never an assignment.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from services import dispatching
from services.bus.messages import AckMessage
from services.commands import outbox
from services.commands.outcome import GRACE
from services.domain.commands import CommandStatus
from services.domain.incidents import (
    IncidentSource,
    IncidentStatus,
    Location,
    new_incident,
)
from services.recorder import commands as command_record
from services.recorder import incident_rules
from services.store import incidents
from services.store.models import CommandAckRow, CommandRow, UnitRow
from services.store.types import utcnow

LIGHT = "urn:ngsi-ld:Streetlight:21231-0001"


def _command(db, target: str = LIGHT, at: datetime | None = None) -> outbox.CommandRequest:
    request = outbox.prepare(
        "Streetlight",
        target,
        "switch",
        {"powerState": "off"},
        issued_by="t.roux",
        reply_to="vigie/ack/test",
        now=at or utcnow(),
        expires_in=timedelta(seconds=10),
    )
    with db.write() as s:
        outbox.record(s, request)
    return request


def _ack(request_id: str, responder: str, status: str, kind: str = "device") -> AckMessage:
    return AckMessage(request_id, responder, kind, status, ts=utcnow())


def _receive(db, acks: list[AckMessage], now: datetime) -> list[tuple[str, str]]:
    """What the recorder's batch does with acks: record them, settle, follow dispatches."""
    with db.write() as s:
        known = command_record.record_acks(s, acks, now)
        moved = command_record.settle(s, known, now)
        for request_id, status in moved:
            incident_rules.follow_dispatch(s, request_id, status, now)
    return moved


def _sweep(db, now: datetime) -> list[tuple[str, str]]:
    """What the recorder's sweep does: time out the silent commands, follow dispatches."""
    with db.write() as s:
        overdue = [c.request_id for c in outbox.overdue(s, now - GRACE)]
        moved = command_record.settle(s, overdue, now)
        for request_id, status in moved:
            incident_rules.follow_dispatch(s, request_id, status, now)
    return moved


def _row(db, request_id: str) -> tuple[str, bool]:
    with db.read() as s:
        row = s.get(CommandRow, request_id)
        return row.status, row.late


def _acks(db, request_id: str) -> list[tuple[str, str, bool]]:
    with db.read() as s:
        rows = s.execute(
            select(CommandAckRow.responder, CommandAckRow.status, CommandAckRow.late)
            .where(CommandAckRow.request_id == request_id)
            .order_by(CommandAckRow.id)
        ).all()
    return [tuple(r) for r in rows]


def test_only_the_addressed_device_decides_its_command(db):
    request = _command(db)
    now = utcnow()
    # Another device (a misconfigured one, or one replaying someone else's request id).
    assert _receive(db, [_ack(request.request_id, "urn:other", "done")], now) == []
    assert _row(db, request.request_id) == ("pending", False)
    # A gateway may not answer for one device either: the contract gives it group commands.
    assert _receive(db, [_ack(request.request_id, "gw:1", "done", kind="gateway")], now) == []
    moved = _receive(db, [_ack(request.request_id, LIGHT, "failed")], now)
    assert moved == [(request.request_id, "failed")]
    assert [a[:2] for a in _acks(db, request.request_id)] == [
        ("urn:other", "done"),
        ("gw:1", "done"),
        (LIGHT, "failed"),
    ]


def test_a_final_answer_after_the_time_out_moves_the_command_marked_late(db):
    request = _command(db)
    later = request.expires_at + GRACE + timedelta(seconds=1)
    assert _sweep(db, later) == [(request.request_id, "timed_out")]
    assert _row(db, request.request_id) == ("timed_out", False)
    # The device executed it all the same; its answer arrives now.
    moved = _receive(db, [_ack(request.request_id, LIGHT, "done")], later + timedelta(seconds=3))
    assert moved == [(request.request_id, "done")]  # moved: consoles re-read it
    assert _row(db, request.request_id) == ("done", True)
    assert _acks(db, request.request_id) == [(LIGHT, "done", True)]
    # A repeat of it changes nothing more.
    assert _receive(db, [_ack(request.request_id, LIGHT, "done")], later) == []


def test_a_late_answer_from_another_device_moves_nothing(db):
    request = _command(db)
    later = request.expires_at + GRACE + timedelta(seconds=1)
    _sweep(db, later)
    assert _receive(db, [_ack(request.request_id, "urn:other", "done")], later) == []
    assert _row(db, request.request_id) == ("timed_out", False)
    assert _acks(db, request.request_id) == [("urn:other", "done", True)]  # recorded, late


def test_an_answer_that_raced_the_time_out_is_followed_and_flagged(db):
    """The sweep timed the command out while the batch holding the answer was being written."""
    request = _command(db)
    later = request.expires_at + GRACE + timedelta(seconds=1)
    with db.write() as s:
        command_record.record_acks(s, [_ack(request.request_id, LIGHT, "accepted")], later)
        # In time: the command is still open when these are recorded...
        command_record.record_acks(s, [_ack(request.request_id, LIGHT, "done")], later)
        # ...but the sweep, which had not seen them, commits the time-out first (on PostgreSQL
        # the batch's UPDATE then finds the command timed out).
        outbox.set_status(s, request.request_id, CommandStatus.TIMED_OUT, later)
        moved = command_record.settle(s, [request.request_id], later)
    assert moved == [(request.request_id, "done")]
    assert _row(db, request.request_id) == ("done", True)
    assert _acks(db, request.request_id) == [
        (LIGHT, "accepted", False),  # it came in time, and decided nothing
        (LIGHT, "done", True),
    ]


def _unit_and_incident(db, unit: str = "patrol:7"):
    with db.write() as s:
        s.add(
            UnitRow(
                id=unit,
                kind="patrol",
                status="available",
                lat=47.32,
                lon=5.04,
                observed_at=utcnow(),
            )
        )
        incident = incidents.create(
            s,
            new_incident(
                source=IncidentSource.CALL,
                category="road_accident",
                at=utcnow(),
                place="Rue Monge",
                location=Location(47.3200, 5.0400),
            ),
            by="c.bernard",
        )
    return unit, incident


def test_a_units_late_acceptance_is_noted_never_an_assignment(db):
    unit, incident = _unit_and_incident(db)
    _, request = dispatching.dispatch(db, incident, unit, by="c.bernard", reply_to="vigie/ack/test")
    later = request.expires_at + GRACE + timedelta(seconds=1)
    _sweep(db, later)  # no answer: the incident is put back
    with db.read() as s:
        back = incidents.get(s, incident.id)
    assert back.status is IncidentStatus.ACKNOWLEDGED and back.assigned_unit is None
    moved = _receive(db, [_ack(request.request_id, unit, "accepted", kind="unit")], later)
    assert moved == [(request.request_id, "done")]
    assert _row(db, request.request_id) == ("done", True)
    assert _acks(db, request.request_id) == [(unit, "accepted", True)]
    with db.read() as s:
        now_ = incidents.get(s, incident.id)
        notes = [n.text for n in incidents.notes(s, incident.id)]
    assert now_.status is IncidentStatus.ACKNOWLEDGED and now_.assigned_unit is None
    assert now_.version == back.version  # not moved by it
    assert any(unit in n and "late" in n for n in notes), notes


def test_a_late_refusal_never_frees_a_newer_dispatch_of_the_same_unit(db):
    unit, incident = _unit_and_incident(db)
    _, first = dispatching.dispatch(db, incident, unit, by="c.bernard", reply_to="vigie/ack/t")
    later = first.expires_at + GRACE + timedelta(seconds=1)
    _sweep(db, later)
    with db.read() as s:
        back = incidents.get(s, incident.id)
    again, _ = dispatching.dispatch(db, back, unit, by="c.bernard", reply_to="vigie/ack/t")
    _receive(db, [_ack(first.request_id, unit, "rejected", kind="unit")], later)
    assert _row(db, first.request_id) == ("rejected", True)
    with db.read() as s:
        kept = incidents.get(s, incident.id)
    assert kept.status is IncidentStatus.DISPATCHED and kept.assigned_unit == unit
    assert kept.version == again.version


def test_the_recorder_follows_a_late_answer_end_to_end(db, broker):
    """Through the broker: the sweep times the command out, the device's answer moves it."""
    from services.recorder.writer import Recorder, RecorderOptions
    from tests.services.test_recorder import Field, wait_until

    root = f"late{datetime.now(UTC).strftime('%H%M%S%f')}"
    recorder = Recorder(
        db, broker.url, root, f"{root}-rec", options=RecorderOptions(sweep_every=0.2)
    )
    recorder.start()
    assert recorder.bus.wait_connected(10)
    field = Field(broker.url, client_id=f"{root}-field")
    try:
        request = _command(db, at=utcnow() - timedelta(seconds=20))  # expired a while ago
        wait_until(lambda: _row(db, request.request_id)[0] == "timed_out", what="timed out")
        ack_topic = recorder.topics.ack("device")
        field.send(
            ack_topic, {"request_id": request.request_id, "device_id": "x", "status": "done"}
        )
        field.send(
            ack_topic, {"request_id": request.request_id, "device_id": LIGHT, "status": "done"}
        )
        wait_until(lambda: _row(db, request.request_id) == ("done", True), what="followed late")
        assert [a[0] for a in _acks(db, request.request_id)] == ["x", LIGHT]
    finally:
        field.close()
        recorder.stop()
