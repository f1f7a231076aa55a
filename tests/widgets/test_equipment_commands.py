"""Commanding equipment from the console, against the simulator: preview, send, follow the acks."""

from __future__ import annotations

import pytest

from services.domain.operators import Role
from services.simulator import SimulatorOptions
from tests.widgets.field import console_on_field

DIJON = "21231"


def open_dialog(console, qtbot, device_id: str, command: str, params: str):
    """The command dialog on ``device_id``, its command and parameters filled in."""
    console.feeds.equipment.refresh()
    qtbot.waitUntil(
        lambda: console.desks.equipment.model.row_of(device_id) is not None, timeout=30_000
    )
    console.desks.equipment.equipment.select_device(device_id)
    console.desks.equipment.equipment.command_button.click()
    dialog = console.desks.commands.dialog
    dialog.command.setCurrentIndex(dialog.command.findData(command))
    dialog.params.setText(params)
    return dialog


def send(dialog, qtbot) -> None:
    dialog.preview_button.click()
    qtbot.waitUntil(dialog.send_button.isEnabled, timeout=10_000)
    dialog.send_button.click()


@pytest.fixture
def technician(db, broker, qtbot, tmp_path, request):
    root = f"eqcmd{abs(hash(request.node.nodeid)) % 10**6}"
    # some lights fail their commands, unless a test asks for a field that never fails
    failing = 0.0 if request.node.get_closest_marker("reliable_field") else 0.3
    options = SimulatorOptions(scale="small", seed=11, latency_ms=(20, 60), failure_rate=failing)
    with console_on_field(
        db, broker, qtbot, root, "t.roux", Role.TECHNICIAN, tmp_path / "t.roux", options
    ) as (console, sim, _recorder):
        yield console, sim


def day_rules(db) -> None:
    """This city's rules let a commune go dark without a second operator (the default makes
    it wait between sunset and sunrise, and these tests run at any hour)."""
    from dataclasses import replace

    from services.domain.approvals import ApprovalRules, rules_as_data
    from services.store.models import ApprovalRulesRow

    rules = replace(ApprovalRules(), commune_lights_off_at_night=False)
    with db.write() as s:
        s.add(ApprovalRulesRow(id=1, rules=rules_as_data(rules)))


def test_a_commune_switched_off_says_which_lights_failed(technician, qtbot, db):
    console, sim = technician
    from services.domain.equipment import EquipmentType

    day_rules(db)
    lights = sorted(
        e.id for e in sim.world.by_type[EquipmentType.STREETLIGHT] if e.commune == DIJON
    )

    def recorded() -> int:  # the plan counts what the database knows: wait for all of them
        from sqlalchemy import func, select

        from services.store.models import EquipmentRow

        with console.seat.db.read() as session:
            return session.execute(
                select(func.count()).where(EquipmentRow.id.in_(lights))
            ).scalar_one()

    qtbot.waitUntil(lambda: recorded() == len(lights), timeout=30_000)
    console.feeds.equipment.refresh()
    qtbot.waitUntil(
        lambda: console.desks.equipment.model.row_of(lights[0]) is not None, timeout=30_000
    )
    console.desks.equipment.equipment.select_device(lights[0])
    console.desks.equipment.equipment.command_button.click()
    dialog = console.desks.commands.dialog
    dialog.target.setCurrentIndex(dialog.target.findData("commune"))
    dialog.command.setCurrentIndex(dialog.command.findData("switch"))
    dialog.params.setText("powerState=off")
    assert not dialog.send_button.isEnabled()  # nothing is sent before it is read
    dialog.preview_button.click()
    qtbot.waitUntil(dialog.send_button.isEnabled, timeout=10_000)
    plan = dialog.plan.toPlainText()
    assert f"{len(lights)} device(s) of commune:{DIJON}" in plan and "Dijon" in plan
    assert "switch powerState=off" in plan
    dialog.send_button.click()
    qtbot.waitUntil(lambda: "succeeded" in dialog.plan.toPlainText(), timeout=10_000)
    qtbot.waitUntil(lambda: dialog.preview_button.isEnabled(), timeout=60_000)  # final
    result = dialog.plan.toPlainText()
    assert ": partial," in result and "failed:" in result  # which lights failed, and why


def test_all_the_lights_of_the_metropole_wait_for_a_second_operator(technician, qtbot, db):
    from sqlalchemy import select

    from services.domain.equipment import EquipmentType
    from services.store import approvals
    from services.store.models import CommandRow

    console, sim = technician
    light = sim.world.by_type[EquipmentType.STREETLIGHT][0].id
    dialog = open_dialog(console, qtbot, light, "switch", "powerState=off")
    dialog.target.setCurrentIndex(dialog.target.findData("all"))
    send(dialog, qtbot)  # no reason given: asked for, nothing recorded
    qtbot.waitUntil(dialog.problem.isVisible, timeout=10_000)
    assert "reason" in dialog.problem.text()
    dialog.reason.setText("délestage demandé par Enedis")
    send(dialog, qtbot)
    qtbot.waitUntil(lambda: "Awaiting approval" in dialog.plan.toPlainText(), timeout=10_000)
    with db.read() as s:
        (asked,) = approvals.list_all(s)
        assert (asked.requested_by, asked.reason) == ("t.roux", "délestage demandé par Enedis")
        assert "all:Streetlight" in asked.preview[0]
        assert s.execute(select(CommandRow)).first() is None  # nothing went to the field


def test_a_bad_parameter_is_explained_before_anything_is_sent(technician, qtbot):
    console, sim = technician
    from services.domain.equipment import EquipmentType

    light = sim.world.by_type[EquipmentType.STREETLIGHT][0].id
    dialog = open_dialog(console, qtbot, light, "dim", "illuminanceLevel=7")
    dialog.preview_button.click()
    qtbot.waitUntil(dialog.problem.isVisible, timeout=10_000)
    assert "illuminanceLevel" in dialog.problem.text()
    assert not dialog.send_button.isEnabled()


def test_the_command_log_shows_what_was_sent_and_runs_it_again(technician, qtbot):
    from PySide6.QtWidgets import QMessageBox

    from services.domain.equipment import EquipmentType

    console, sim = technician
    light = sim.world.by_type[EquipmentType.STREETLIGHT][0].id
    send(open_dialog(console, qtbot, light, "dim", "illuminanceLevel=0.5"), qtbot)
    log = console.desks.commands.log_model

    def statuses() -> list[str]:
        return [log.record(r).status for r in range(log.rowCount())]

    qtbot.waitUntil(lambda: log.rowCount() == 1, timeout=10_000)  # shown pending at once
    assert log.record(0).issued_by == "t.roux" and log.record(0).target == light
    # the recorder's verdict reaches the log through events/commands
    qtbot.waitUntil(lambda: statuses()[0] in ("done", "failed"), timeout=30_000)
    console.desks.commands.log.table.selectRow(0)
    console.desks.commands.log.rerun.click()
    qtbot.waitUntil(lambda: console.desks.commands.rerun_box is not None, timeout=10_000)
    assert "dim illuminanceLevel=0.5" in console.desks.commands.rerun_box.text()
    yes = console.desks.commands.rerun_box.button(QMessageBox.StandardButton.Yes)
    yes.click()
    qtbot.waitUntil(lambda: log.rowCount() == 2, timeout=10_000)


def test_a_device_that_never_answers_times_out_and_says_so(technician, db, qtbot):
    from services.store.models import EquipmentRow
    from services.store.types import utcnow

    console, _sim = technician
    now = utcnow()
    with db.write() as s:  # known to the database, unknown to the field: no ack will come
        s.add(
            EquipmentRow(
                id="light:ghost",
                type="Streetlight",
                status="ok",
                commune=DIJON,
                attributes={},
                received_at=now,
                updated_at=now,
            )
        )
    dialog = open_dialog(console, qtbot, "light:ghost", "switch", "powerState=on")
    dialog.expires.setValue(1)
    send(dialog, qtbot)
    qtbot.waitUntil(lambda: ": pending," in dialog.plan.toPlainText(), timeout=10_000)
    qtbot.waitUntil(lambda: ": timed out," in dialog.plan.toPlainText(), timeout=20_000)


def test_a_selection_of_lights_gets_one_command_each_followed_as_one(technician, qtbot):
    from PySide6.QtCore import QItemSelectionModel

    from services.domain.equipment import EquipmentType

    console, sim = technician
    lights = [e.id for e in sim.world.by_type[EquipmentType.STREETLIGHT][:3]]
    console.feeds.equipment.refresh()
    model, panel = console.desks.equipment.model, console.desks.equipment.equipment
    qtbot.waitUntil(lambda: all(model.row_of(i) is not None for i in lights), timeout=30_000)
    selection = panel.table.selectionModel()
    for ident in lights:  # as with Ctrl+click
        index = panel.proxy.mapFromSource(model.index(model.row_of(ident), 0))
        selection.select(
            index, QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        )
    assert sorted(d.id for d in panel.selected_devices()) == sorted(lights)
    panel.command_button.click()
    dialog = console.desks.commands.dialog
    assert dialog.target.currentData() == "selection"
    dialog.command.setCurrentIndex(dialog.command.findData("dim"))
    dialog.params.setText("illuminanceLevel=0.3")
    dialog.preview_button.click()
    qtbot.waitUntil(dialog.send_button.isEnabled, timeout=10_000)
    assert "on the 3 selected Streetlight (one command each)" in dialog.plan.toPlainText()
    dialog.send_button.click()
    qtbot.waitUntil(lambda: dialog.preview_button.isEnabled(), timeout=60_000)  # final
    result = dialog.plan.toPlainText()
    assert result.startswith("3 commands: ")
    qtbot.waitUntil(lambda: console.desks.commands.log_model.rowCount() == 3, timeout=10_000)


@pytest.mark.reliable_field
def test_a_command_is_pending_until_its_ack_then_done(technician, qtbot):
    from services.domain.equipment import EquipmentType

    console, sim = technician
    light = sim.world.by_type[EquipmentType.STREETLIGHT][0].id
    dialog = open_dialog(console, qtbot, light, "dim", "illuminanceLevel=0.4")
    send(dialog, qtbot)
    qtbot.waitUntil(lambda: ": done, 1 succeeded" in dialog.plan.toPlainText(), timeout=30_000)
    assert sim.world.entities[light].attrs["illuminanceLevel"] == 0.4  # the field did it
