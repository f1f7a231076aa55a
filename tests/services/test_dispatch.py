"""Dispatching a unit through the outbox, against the simulator: accepted, rejected, unanswered."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from services.commands.sender import CommandSender
from services.domain.commands import CommandStatus
from services.domain.units import UnitKind
from services.recorder.process import Recorder, RecorderOptions
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
