"""Switching the city's modes against the simulated field: preview, apply, follow, roll back."""

from __future__ import annotations

import json
import threading
import tomllib
from datetime import UTC, datetime, timedelta

import paho.mqtt.client as mqtt
import pytest
from sqlalchemy import func, select

from services.commands.sender import CommandSender
from services.domain.equipment import EquipmentType
from services.domain.incidents import Priority
from services.domain.playbooks import read_playbook
from services.modes import ModeSwitcher, SwitchInProgress
from services.recorder.writer import Recorder, RecorderOptions
from services.reference import communes
from services.simulator import Simulator, SimulatorOptions
from services.store.models import AuditRow, CityModeRow, CommandRow
from tests.services.test_recorder import wait_until

DIJON, CHENOVE = "21231", "21166"

PLAYBOOK = """
[groups.dijon]
communes = ["21231"]
plans = ["P1", "SNOW"]

[groups.talant]
intersections = ["trafficsignal:21617-001", "trafficsignal:21617-999"]
plans = ["P1", "SNOW"]

[snow.0]
[[snow.0.signals]]
group = "dijon"
plan = "P1"

[[snow.0.signals]]
group = "talant"
plan = "P1"

[snow.2]
bus_priority = false
[[snow.2.signals]]
group = "dijon"
plan = "SNOW"

[[snow.2.signals]]
group = "talant"
plan = "SNOW"

[[snow.2.lighting]]
commune = "21166"
level = 1.0
until = "+2h"

[snow.2.sla]
P2 = 30
"""


@pytest.fixture
def field(db, broker, request):
    root = f"modes{abs(hash(request.node.nodeid)) % 10**6}"
    failing = getattr(request, "param", 0.0)
    options = SimulatorOptions(scale="small", seed=5, latency_ms=(20, 60), failure_rate=failing)
    sim = Simulator(broker.url, root, options)
    sim.start()
    assert sim.wait_ready(60)
    recorder = Recorder(db, broker.url, root, f"rec-{root}", options=RecorderOptions())
    recorder.start()
    wait_until(
        lambda: recorder.known_equipment() >= len(sim.world.entities) - 5,
        timeout=60,
        what="the field recorded",
    )
    senders: list[CommandSender] = []

    def switcher(book: str = PLAYBOOK) -> ModeSwitcher:
        playbook = read_playbook(tomllib.loads(book), "test.toml", [c.insee for c in communes()])
        sender = CommandSender(db, broker.url, root)
        sender.connect(10)
        senders.append(sender)
        return ModeSwitcher(db, sender, playbook, expires_in=timedelta(seconds=4))

    yield sim, root, switcher
    for sender in senders:
        sender.close()
    recorder.stop()
    sim.stop()


def _devices(sim, kind: EquipmentType, commune: str) -> list[str]:
    return sorted(e.id for e in sim.world.by_type[kind] if e.commune == commune)


def test_the_preview_is_exactly_what_is_sent(field, db):
    sim, _root, switcher = field
    modes = switcher()
    preview = modes.preview("snow", "intervention", "c.morel")
    dijon_signals = _devices(sim, EquipmentType.TRAFFIC_SIGNAL, DIJON)
    chenove_lights = _devices(sim, EquipmentType.STREETLIGHT, CHENOVE)
    assert preview.value == "2" and preview.current.value == "0"
    assert preview.commands == {"set_plan": len(dijon_signals) + 2, "dim": len(chenove_lights)}
    assert preview.devices_per_commune[DIJON] == len(dijon_signals)
    assert preview.devices_per_commune[CHENOVE] == len(chenove_lights)
    assert preview.unknown_devices == ("trafficsignal:21617-999",)  # a warning, still sent
    assert preview.sla_changes[0][0] is Priority.P2
    with db.read() as s:
        before = s.execute(select(func.count()).select_from(CommandRow)).scalar_one()

    switch = modes.apply(preview, "c.morel", "verglas annoncé", "Météo-France orange neige")
    with db.read() as s:
        rows = s.execute(select(CommandRow).order_by(CommandRow.issued_at)).scalars().all()
        acts = s.execute(select(AuditRow.action).where(AuditRow.action.like("mode.%"))).all()
    by_id = {r.request_id: r for r in rows}
    assert len(rows) == before + len(preview.plans)
    for plan in preview.plans:  # the same request, target, command and parameters as previewed
        row = by_id[plan.request.request_id]
        assert (row.target, row.command) == (plan.request.target, plan.request.command)
        assert row.params == plan.request.params
    assert [a for (a,) in acts] == ["mode.switch"]  # one audited act, not one per command
    progress = modes.wait(switch)
    # every device but the one Vigie never heard of: counted in devices, not in commands
    assert progress.final and progress.outcome.succeeded == preview.device_count - 1
    record = modes.finish(switch, progress)
    assert (record.value, record.previous, record.state) == ("2", "0", "partial")
    wait_until(
        lambda: all(sim.world.entities[s].attrs.get("plan") == "SNOW" for s in dijon_signals),
        timeout=10,
        what="Dijon's signals on their snow plan",
    )


@pytest.mark.parametrize("field", [0.3], indirect=True)
def test_a_switch_with_failing_devices_then_its_rollback(field, broker):
    sim, root, switcher = field
    modes = switcher()
    announced: list[dict] = []
    got = threading.Event()
    watcher = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"watch-{root}")

    def heard(_c, _u, message):  # noqa: ANN001
        announced.append(json.loads(message.payload))
        got.set()

    watcher.on_message = heard
    watcher.connect("127.0.0.1", broker.port)
    watcher.subscribe(f"{root}/modes/snow", qos=1)
    watcher.loop_start()
    try:
        preview = modes.preview("snow", 2, "c.morel")
        switch = modes.apply(preview, "c.morel", "neige", "")
        wait_until(lambda: any(a["state"] == "applying" for a in announced), what="applying")
        assert [a for a in announced if a["state"] == "applying"][0]["level"] == 2
        progress = modes.wait(switch)
        failed = {d for d, _ in progress.outcome.failed}
        assert failed, "a 30 % failure rate fails some of the lights and signals"
        # The result counts what the preview counted: devices, each once (the lights are
        # reached by a switch and a dim, and were counted twice as device-commands).
        assert progress.devices == preview.device_count
        assert progress.outcome.succeeded + len(failed) <= preview.device_count
        record = modes.finish(switch, progress)
        assert record.state == "partial" and record.value == "2"
        wait_until(lambda: announced[-1]["state"] == "partial", what="the end announced")
        assert announced[-1]["previous"] == 0 or announced[-1]["previous"] == "0"

        back = modes.preview_rollback("snow", "c.morel")
        assert back.rollback and back.value == "0"
        # Level 0 says nothing of the lights level 2 turned on for some hours: the rollback
        # says it leaves them so, and until when.
        sent = {(p.request.target, p.request.command) for p in preview.plans}
        again = {(p.request.target, p.request.command) for p in back.plans}
        left = {(n.target, n.command) for n in back.not_undone}
        assert left and left == sent - again
        assert {n.command for n in back.not_undone} <= {"switch", "dim"}
        assert all(n.until is not None and n.until > datetime.now(UTC) for n in back.not_undone)
        undo = modes.apply(back, "c.morel", "fausse alerte", "")
        record = modes.finish(undo, modes.wait(undo))
        assert record.value == "0" and record.previous == "2"
        assert record.state in {"rolled_back", "partial"}
        wait_until(lambda: announced[-1]["state"] == record.state, what="the rollback announced")
        assert announced[-1]["level"] == 0
    finally:
        watcher.loop_stop()
        watcher.disconnect()


def test_two_coordinators_switching_at_once_the_second_is_refused(field, db):
    _sim, _root, switcher = field
    first, second = switcher(), switcher()
    a = first.preview("snow", 2, "c.morel")
    b = second.preview("snow", 0, "j.petit")
    switch = first.apply(a, "c.morel", "neige", "")
    with db.read() as s:
        recorded = s.execute(select(func.count()).select_from(CommandRow)).scalar_one()
    with pytest.raises(SwitchInProgress) as refused:
        second.apply(b, "j.petit", "retour", "")
    assert refused.value.params["by"] == "c.morel"
    with db.read() as s:  # the refused switch recorded and sent nothing
        assert s.execute(select(func.count()).select_from(CommandRow)).scalar_one() == recorded
        assert s.get(CityModeRow, "snow").target == "2"
    first.finish(switch, first.wait(switch))
    again = second.apply(second.preview("snow", 0, "j.petit"), "j.petit", "retour", "")
    assert second.finish(again, second.wait(again)).value == "0"


#: Two groups: Dijon's signals (one gateway) and Dijon's lights (three cabinets).
TWO_GROUPS = """
[groups.dijon]
communes = ["21231"]
plans = ["P1", "SNOW"]

[snow.0]
[[snow.0.signals]]
group = "dijon"
plan = "P1"

[snow.1]
[[snow.1.signals]]
group = "dijon"
plan = "SNOW"

[[snow.1.lighting]]
commune = "21231"
level = 1.0
until = "+2h"
"""


def silence_one_light_cabinet(sim) -> str:  # noqa: ANN001
    """Take one of Dijon's light cabinets off the air: its lights will never answer."""
    cabinets = sorted(
        {e.gateway for e in sim.world.by_type[EquipmentType.STREETLIGHT] if e.commune == DIJON}
    )
    signals = {e.gateway for e in sim.world.by_type[EquipmentType.TRAFFIC_SIGNAL]}
    assert len(cabinets) > 1
    cabinet = next(c for c in cabinets if c not in signals)
    sim.drop_gateway(cabinet, 120)
    wait_until(lambda: not sim.world.gateways[cabinet].online, what="the cabinet off the air")
    return cabinet


def test_a_switch_whose_group_ends_partial_is_partial(field, broker, db):
    """One group done, one partial (a silent cabinet): the switch is partial, not applied."""
    sim, root, switcher = field
    modes = switcher(TWO_GROUPS)
    announced: list[dict] = []
    watcher = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"watch-p-{root}")
    watcher.on_message = lambda _c, _u, message: announced.append(json.loads(message.payload))
    watcher.connect("127.0.0.1", broker.port)
    watcher.subscribe(f"{root}/modes/snow", qos=1)
    watcher.loop_start()
    try:
        cabinet = silence_one_light_cabinet(sim)
        switch = modes.apply(modes.preview("snow", 1, "c.morel"), "c.morel", "neige", "")
        progress = modes.wait(switch)
        assert progress.final and not progress.outcome.failed  # nobody said no: one was silent
        assert cabinet in progress.outcome.silent_gateways
        record = modes.finish(switch, progress)
        assert record.state == "partial"
        assert progress.short and progress.fell_short  # the lights' group fell short: exit 1
        wait_until(lambda: announced and announced[-1]["state"] == "partial", what="announced")

        def recorded() -> dict[str, str]:
            with db.read() as s:
                rows = s.execute(
                    select(CommandRow.request_id, CommandRow.status).where(
                        CommandRow.request_id.in_([r.request_id for r in switch.requests])
                    )
                )
                return dict(rows.all())

        # The record says the same: the signals' group done, the lights' partial.
        wait_until(lambda: sorted(recorded().values()) == ["done", "partial"], what="recorded")
    finally:
        watcher.loop_stop()
        watcher.disconnect()
