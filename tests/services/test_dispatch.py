"""Dispatching a unit through the outbox, against the simulator: accepted, rejected, unanswered."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from services.commands.sender import CommandSender
from services.domain.commands import CommandStatus
from services.domain.units import UnitKind, UnitStatus
from services.recorder.writer import Recorder, RecorderOptions
from services.simulator import Simulator, SimulatorOptions
from services.store.models import CommandRow, UnitRow
from tests.services.test_recorder import wait_until


def test_dispatch_accepted_rejected_and_unanswered(db, broker):
    root = "dispatch"
    sim = Simulator(broker.url, root, SimulatorOptions(scale="small", seed=5, latency_ms=(20, 60)))
    sim.start()
    assert sim.wait_ready(60)
    recorder = Recorder(
        db, broker.url, root, "rec-dispatch", options=RecorderOptions(sweep_every=0.3)
    )
    recorder.start()
    sender = CommandSender(db, broker.url, root)
    sender.connect(10)
    patrol = sorted(u.id for u in sim.world.units.values() if u.kind is UnitKind.PATROL)[0]
    try:
        first = sender.dispatch(
            patrol, 1, 47.3220, 5.0415, "Rixe place Darcy", issued_by="c.bernard"
        )
        assert sender.wait(first, None).status is CommandStatus.DONE  # accepted
        busy = sender.dispatch(patrol, 2, 47.30, 5.00, "Accident", issued_by="c.bernard")
        refused = sender.wait(busy, None)
        assert refused.status is CommandStatus.REJECTED and refused.reason == "unit_busy"
        ghost = sender.dispatch(
            "patrol:ghost",
            3,
            47.30,
            5.00,
            "?",
            issued_by="c.bernard",
            expires_in=timedelta(seconds=1),
        )
        assert sender.wait(ghost, None).status is CommandStatus.TIMED_OUT  # never assumed

        def recorded() -> dict[str, str]:
            with db.read() as s:
                return dict(s.execute(select(CommandRow.request_id, CommandRow.status)).all())

        wait_until(
            lambda: (
                recorded()
                == {
                    first.request_id: "done",
                    busy.request_id: "rejected",
                    ghost.request_id: "timed_out",
                }
            ),
            what="the recorder agrees",
        )
        wait_until(
            lambda: _status(db, patrol) in ("en_route", "on_scene"), what="the unit's own status"
        )
    finally:
        sender.close()
        recorder.stop()
        sim.stop()


def _status(db, unit_id: str) -> str | None:
    with db.read() as s:
        row = s.get(UnitRow, unit_id)
        return row.status if row else None


def test_a_dispatch_moves_its_incident_and_a_refusal_frees_it(db, broker):
    from services import dispatching
    from services.domain.incidents import IncidentSource, IncidentStatus, Location, new_incident
    from services.store import incidents
    from services.store.types import utcnow

    root = "dispatch-flow"
    options = SimulatorOptions(
        scale="small",
        seed=6,
        speed=600.0,
        latency_ms=(20, 60),
        reports_per_day=0,
        alerts_per_day=0,
        alarms_per_day=0,
    )
    sim = Simulator(broker.url, root, options)
    sim.start()
    assert sim.wait_ready(60)
    recorder = Recorder(db, broker.url, root, "rec-flow", options=RecorderOptions(sweep_every=0.3))
    recorder.start()
    sender = CommandSender(db, broker.url, root)
    sender.connect(10)

    def incident(place: str):
        with db.write() as s:
            return incidents.create(
                s,
                new_incident(
                    source=IncidentSource.CALL,
                    category="fire",
                    at=utcnow(),
                    place=place,
                    location=Location(47.3220, 5.0415),
                ),
                by="c.bernard",
            )

    def status(incident_id: int) -> IncidentStatus:
        with db.read() as s:
            return incidents.get(s, incident_id).status

    try:
        fire = incident("Place Darcy")
        wait_until(lambda: len(dispatching.candidates(db, fire)) >= 2, what="units on the map")
        ranked = dispatching.candidates(db, fire)
        assert [c.distance_m for c in ranked] == sorted(c.distance_m for c in ranked)
        nearest = ranked[0]
        assert nearest.eta_minutes == pytest.approx(nearest.distance_m / 1000 / 25 * 60)
        saved, request = dispatching.dispatch(
            db, fire, nearest.unit_id, by="c.bernard", reply_to=sender.reply_to
        )
        assert saved.status is IncidentStatus.DISPATCHED and saved.assigned_unit == nearest.unit_id
        sender.bus.publish(request.topic(sender.topics), request.payload(), qos=1)
        wait_until(lambda: status(fire.id) is IncidentStatus.ON_SCENE, timeout=60, what="on scene")
        wait_until(lambda: status(fire.id) is IncidentStatus.RESOLVED, timeout=60, what="done")

        # A unit that holds an incident is not sent elsewhere: the room refuses, nothing is sent.
        second, third = incident("Rue de la Liberté"), incident("Rue Monge")
        busy = next(c for c in dispatching.candidates(db, second) if c.unit_id != nearest.unit_id)
        _, going = dispatching.dispatch(
            db, second, busy.unit_id, by="c.bernard", reply_to=sender.reply_to
        )
        sender.bus.publish(going.topic(sender.topics), going.payload(), qos=1)
        assert busy.unit_id not in {c.unit_id for c in dispatching.candidates(db, third)}
        with pytest.raises(dispatching.UnitBusy) as refused_here:
            dispatching.dispatch(db, third, busy.unit_id, by="c.bernard", reply_to="x")
        assert refused_here.value.params == {"unit": busy.unit_id, "incident": second.id}
        assert status(third.id) is IncidentStatus.NEW

        # A crew that refuses (its terminal went on a break before saying so): the incident is
        # free again, with a note.
        crew = next(c for c in dispatching.candidates(db, third) if c.unit_id != nearest.unit_id)
        sim.world.units[crew.unit_id].status = UnitStatus.UNAVAILABLE  # not published
        _, refused = dispatching.dispatch(
            db, third, crew.unit_id, by="c.bernard", reply_to=sender.reply_to
        )
        sender.bus.publish(refused.topic(sender.topics), refused.payload(), qos=1)
        wait_until(
            lambda: status(third.id) is IncidentStatus.ACKNOWLEDGED, timeout=30, what="freed"
        )
        with db.read() as s:
            notes = [n.text for n in incidents.notes(s, third.id)]
            assert incidents.get(s, third.id).assigned_unit is None
        assert any("rejected" in n and crew.unit_id in n for n in notes), notes

        # A unit that never answers (known to the room, its terminal off): the dispatch times
        # out and the incident is free again.
        with db.write() as s:
            s.add(
                UnitRow(
                    id="vehicle:silent-99",
                    kind="road_crew",
                    status="available",
                    lat=47.32,
                    lon=5.04,
                    observed_at=utcnow(),
                )
            )
        fourth = incident("Rue Chabot-Charny")
        _, unanswered = dispatching.dispatch(
            db,
            fourth,
            "vehicle:silent-99",
            by="c.bernard",
            reply_to=sender.reply_to,
            expires_in=timedelta(seconds=1),
        )
        sender.bus.publish(unanswered.topic(sender.topics), unanswered.payload(), qos=1)
        assert status(fourth.id) is IncidentStatus.DISPATCHED  # shown as sent, not as accepted
        wait_until(
            lambda: status(fourth.id) is IncidentStatus.ACKNOWLEDGED, timeout=30, what="timed out"
        )
        with db.read() as s:
            notes = [n.text for n in incidents.notes(s, fourth.id)]
        assert any("timed_out" in n and "vehicle:silent-99" in n for n in notes), notes
    finally:
        sender.close()
        recorder.stop()
        sim.stop()
