"""The modes panel against the simulator: preview, confirm with a reason, follow, roll back."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.domain.incidents import Priority
from services.domain.operators import Role
from services.simulator import SimulatorOptions
from tests.widgets.field import console_on_field
from tests.widgets.test_map import js


@pytest.fixture
def coordinator(db, broker, qtbot, tmp_path, request):
    root = f"modes{abs(hash(request.node.nodeid)) % 10**6}"
    options = SimulatorOptions(scale="small", seed=7, latency_ms=(20, 60))
    with console_on_field(
        db, broker, qtbot, root, "c.morel", Role.SNOW_COORDINATOR, tmp_path / "c", options
    ) as (console, sim, recorder):
        qtbot.waitUntil(lambda: recorder.known_equipment() > 50, timeout=60_000)
        yield console, sim


def test_a_coordinator_raises_the_snow_level_then_rolls_it_back(coordinator, qtbot):
    console, sim = coordinator
    panel = console.desks.city.panel
    qtbot.waitUntil(lambda: panel.snow.badge.text() == "0 watch", timeout=10_000)
    assert not panel.snow.rollback_button.isEnabled()  # nothing to roll back yet
    panel.snow.choice.setCurrentIndex(panel.snow.choice.findData("2"))
    panel.snow.switch_button.click()
    dialog = console.desks.modes.dialog
    qtbot.waitUntil(lambda: "2 intervention" in dialog.preview.toPlainText(), timeout=10_000)
    preview = dialog.preview.toPlainText()
    assert "set_plan plan=SNOW" in preview and "SLA P2: 60 min → 30 min" in preview
    assert not dialog.apply_button.isEnabled()  # no reason given yet
    dialog.reason.setText("verglas annoncé cette nuit")
    dialog.motive.setText("Météo-France vigilance orange neige-verglas")
    assert dialog.apply_button.isEnabled() and "2 intervention" in dialog.apply_button.text()
    dialog.apply_button.click()
    qtbot.waitUntil(lambda: dialog.progress.isVisible(), timeout=10_000)
    qtbot.waitUntil(lambda: dialog.rollback_button.isVisible(), timeout=60_000)
    assert dialog.headline.text().startswith("snow plan 2 intervention: applied (")
    assert "0 failed, 0 gateway(s) silent" in dialog.headline.text()
    qtbot.waitUntil(lambda: panel.snow.badge.text() == "2 intervention", timeout=10_000)
    assert "verglas annoncé" in panel.snow.details.text()
    # every console's queue now measures P2 incidents against the snow level's 30 minutes
    assert console.desks.incidents.queue_model._sla.target(Priority.P2) == timedelta(minutes=30)
    assert console.window.modes_label.text().startswith("Snow plan: 2 intervention")
    signals = [e for e in sim.world.entities.values() if e.id.startswith("trafficsignal:21231")]
    assert signals and all(e.attrs["plan"] == "SNOW" for e in signals)
    # the coordinator watches them follow: each signal's plan written beside it on the map
    first = signals[0].id
    qtbot.waitUntil(lambda: console.desks.map.map.ready, timeout=60_000)
    qtbot.waitUntil(
        lambda: (
            js(qtbot, console.desks.map.map, f"vigie.deviceLabel('signals', '{first}')") == "SNOW"
        ),
        timeout=30_000,
    )

    dialog.rollback_button.click()  # one click from the result: the rollback's own preview
    back = console.desks.modes.dialog
    assert back is not dialog
    qtbot.waitUntil(lambda: "Roll the snow plan back" in back.preview.toPlainText(), timeout=10_000)
    back.reason.setText("fausse alerte")
    back.apply_button.click()
    qtbot.waitUntil(lambda: back.rollback_button.isVisible(), timeout=60_000)
    assert back.headline.text().startswith("snow plan 0 watch: rolled back (")
    qtbot.waitUntil(lambda: panel.snow.badge.text() == "0 watch", timeout=10_000)
    assert console.desks.incidents.queue_model._sla.target(Priority.P2) == timedelta(hours=1)
    assert all(e.attrs["plan"] == "P1" for e in signals)
    back.close()
    dialog.close()


def test_the_snow_operations_box_says_what_needs_doing(qtbot):

    from services.domain.snow import (
        CoverageGap,
        DepotReading,
        Network,
        Segment,
        SnowSituation,
        StationReading,
    )
    from widgets.modes.panel import ModesPanel

    panel = ModesPanel({"21231": "Dijon", "21166": "Chenôve"})
    qtbot.addWidget(panel)
    axis = Segment(
        "prin:a",
        "Dijon – Chenôve",
        Network.PRINCIPAL,
        ((47.3, 5.0), (47.2, 5.0)),
        timedelta(hours=2),
    )
    panel.show_snow(
        SnowSituation(
            treating=3,
            heard=10,
            principal=8,
            gaps=(CoverageGap(axis, timedelta(hours=3)),),
            stations=(
                StationReading("weather:1", "21166", -0.8, "wet", True),
                StationReading("weather:2", "21231", 2.0, "dry", False),
            ),
            depots=((DepotReading("saltstock:depot-01", "21231", 412.0, 35.0, 800.0), 9.25, None),),
        )
    )
    ops = panel.operations
    assert ops.vehicles.text() == "3 treating (blade down or spreading) of 10 heard from"
    assert "1 of 8 segments untreated past their target: Dijon – Chenôve 3 h" in ops.network.text()
    assert ops.freeze.text() == "⚠ Chenôve (1) -0.8 °C wet"
    assert ops.salt.text() == (
        "Dijon (depot-01): 412 t of salt (9.2 days left), 35 m³ of brine (no rate of use yet)"
    )


def test_with_bus_priority_off_the_hours_counts_read_as_history(qtbot):
    from widgets.modes.panel import ModesPanel

    panel = ModesPanel({"21231": "Dijon"})
    qtbot.addWidget(panel)
    panel.show_bus_requests(166, 166, True)
    assert panel.bus_requests.text().startswith("Bus priority requests in the last hour: 166")
    panel.show_bus_requests(166, 166, False)
    assert panel.bus_requests.text() == (
        "Bus priority is off (in the last hour: 166 requests, 166 served)"
    )
