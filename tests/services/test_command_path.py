"""Commands end to end: sender, outbox, broker, simulator, acks, recorder; the broker killed."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

from sqlalchemy import select

from services.commands.sender import CommandSender
from services.domain.equipment import EquipmentType
from services.recorder.writer import Recorder, RecorderOptions
from services.simulator import Simulator, SimulatorOptions
from services.store.models import CommandRow
from tests.services.test_recorder import wait_until

FINAL = {"done", "failed", "expired", "timed_out"}


def _count_executions(sim: Simulator) -> Counter[str]:
    """Count how many times the simulated field executes each request id."""
    executions: Counter[str] = Counter()
    desk = sim.engine.commands
    original = desk._finish_device
    lock = threading.Lock()

    def counting(request, entity, checked, lost, now):  # noqa: ANN001
        with lock:
            executions[request.request_id] += 1
        return original(request, entity, checked, lost, now)

    desk._finish_device = counting
    return executions


def test_broker_killed_during_1000_commands(db, fresh_broker):
    root = "cmdpath"
    sim = Simulator(
        fresh_broker.url, root, SimulatorOptions(scale="small", seed=3, latency_ms=(20, 80))
    )
    sim.start()
    assert sim.wait_ready(60)
    executions = _count_executions(sim)
    recorder = Recorder(
        db, fresh_broker.url, root, "rec-cmdpath", options=RecorderOptions(sweep_every=0.5)
    )
    recorder.start()
    sender = CommandSender(db, fresh_broker.url, root)
    sender.connect(10)
    lights = sorted(
        e.id for e in sim.world.entities.values() if e.type is EquipmentType.STREETLIGHT
    )[:40]
    wait_until(
        lambda: recorder.known_equipment() >= len(sim.world.entities) // 2,
        timeout=60,
        what="the field recorded",
    )
    sent = []
    try:
        for n in range(1000):
            if n == 400:
                fresh_broker.restart(kill=True)  # every client loses its link mid-stream
            plan = sender.plan(
                "Streetlight",
                lights[n % len(lights)],
                "switch",
                {"powerState": "off" if n % 2 else "on"},
                issued_by="system:test",
                expires_in=timedelta(seconds=10),
            )
            sent.append(sender.send(plan).request_id)
        assert len(set(sent)) == 1000

        def finished() -> int:
            with db.read() as s:
                statuses = s.execute(select(CommandRow.status)).scalars().all()
            return sum(st in FINAL for st in statuses)

        wait_until(lambda: finished() == 1000, timeout=120, what="every command final")
    finally:
        sender.close()
        recorder.stop()
        sim.stop()
    with db.read() as s:
        outcome = Counter(s.execute(select(CommandRow.status)).scalars())
    assert set(outcome) <= FINAL
    assert outcome["done"] >= 900, outcome  # the broker was away a second or two, not longer
    assert max(executions.values()) == 1  # re-sent and redelivered, never executed twice
    assert sum(executions.values()) >= outcome["done"]


def test_a_selections_outcomes_add_up_as_a_groups():
    from services.commands.outcome import Outcome
    from services.commands.selection import selection_outcome
    from services.domain.commands import CommandStatus as S

    done, pending = Outcome(S.DONE, succeeded=1), Outcome(S.PENDING)
    failed = Outcome(S.FAILED, failed=(("light:2", "lampFault"),))
    silent = Outcome(S.TIMED_OUT)
    assert selection_outcome([done, pending]).status is S.PENDING  # never done too early
    assert selection_outcome([done, done]).status is S.DONE
    mixed = selection_outcome([done, failed, silent])
    assert (mixed.status, mixed.succeeded, mixed.failed) == (
        S.PARTIAL,
        1,
        (("light:2", "lampFault"),),
    )
    assert selection_outcome([failed, failed]).status is S.FAILED
    assert selection_outcome([silent, silent]).status is S.TIMED_OUT
