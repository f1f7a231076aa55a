"""Commanding equipment from the console, against the simulator: preview, send, follow the acks."""

from __future__ import annotations

import pytest

from console.app import Console
from services.domain.operators import Role
from services.recorder.process import Recorder, RecorderOptions
from services.simulator import Simulator, SimulatorOptions

DIJON = "21231"


@pytest.fixture
def technician(db, broker, qtbot, tmp_path, request):
    root = f"eqcmd{abs(hash(request.node.nodeid)) % 10**6}"
    options = SimulatorOptions(scale="small", seed=11, latency_ms=(20, 60), failure_rate=0.3)
    sim = Simulator(broker.url, root, options)
    sim.start()
    assert sim.wait_ready(60)
    recorder = Recorder(db, broker.url, root, f"rec-{root}", options=RecorderOptions())
    recorder.start()
    console = Console(
        db, broker.url, root, "t.roux", Role.TECHNICIAN, config_folder=tmp_path / "t.roux"
    )
    qtbot.addWidget(console.window)
    console.start()
    yield console, sim
    console.stop()
    recorder.stop()
    sim.stop()


def test_a_commune_switched_off_says_which_lights_failed(technician, qtbot):
    console, sim = technician
    from services.domain.equipment import EquipmentType

    lights = sorted(
        e.id for e in sim.world.by_type[EquipmentType.STREETLIGHT] if e.commune == DIJON
    )
    console.equipment_feed.refresh()
    qtbot.waitUntil(lambda: console.equipment_model.row_of(lights[0]) is not None, timeout=30_000)
    console.equipment.select_device(lights[0])
    console.equipment.command_button.click()
    dialog = console.command_dialog
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


def test_a_bad_parameter_is_explained_before_anything_is_sent(technician, qtbot):
    console, sim = technician
    from services.domain.equipment import EquipmentType

    light = sim.world.by_type[EquipmentType.STREETLIGHT][0].id
    console.equipment_feed.refresh()
    qtbot.waitUntil(lambda: console.equipment_model.row_of(light) is not None, timeout=30_000)
    console.equipment.select_device(light)
    console.equipment.command_button.click()
    dialog = console.command_dialog
    dialog.command.setCurrentIndex(dialog.command.findData("dim"))
    dialog.params.setText("illuminanceLevel=7")
    dialog.preview_button.click()
    qtbot.waitUntil(dialog.problem.isVisible, timeout=10_000)
    assert "illuminanceLevel" in dialog.problem.text()
    assert not dialog.send_button.isEnabled()
