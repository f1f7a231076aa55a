"""The faults view: rows follow the faults without a reset, and lead to the incident or device."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.domain.equipment import Fault
from widgets.faults.panel import FAULT_ROLE, Column, FaultsPanel, FaultTableModel

NOW = datetime(2026, 11, 25, 21, 0, tzinfo=UTC)


def fault(ident: str, minutes: int, incident: int | None = None, gateway: bool = False) -> Fault:
    return Fault(
        ident,
        "Streetlight",
        "defectiveLamp",
        "21231",
        "gw:cab",
        NOW - timedelta(minutes=minutes),
        incident,
        gateway,
    )


def test_the_faults_follow_without_a_reset(qtbot):
    model = FaultTableModel({"21231": "Dijon"}, clock=lambda: NOW)
    model.replace([fault("a", 50, 7), fault("b", 10, 9, gateway=True)])
    assert model.index(1, Column.INCIDENT).data() == "#9 (gateway gw:cab)"
    assert model.index(0, Column.SINCE).data() == "50 min"
    with qtbot.assertNotEmitted(model.modelReset):
        with qtbot.waitSignal(model.rowsRemoved):
            model.replace([fault("b", 10, 9, gateway=True), fault("c", 1)])
    assert [model.fault(r).id for r in range(model.rowCount())] == ["b", "c"]
    assert model.index(1, Column.INCIDENT).data() == "none yet"


def test_the_panel_leads_to_the_incident_and_the_device(qtbot):
    model = FaultTableModel({"21231": "Dijon"}, clock=lambda: NOW)
    panel = FaultsPanel(model)
    qtbot.addWidget(panel)
    model.replace([fault("a", 50, 7)])
    assert "1 device(s) in fault" in panel.count.text()
    panel.table.selectRow(0)
    with qtbot.waitSignal(panel.sig_incident_requested) as asked:
        panel.open_incident.click()
    assert asked.args == [7]
    with qtbot.waitSignal(panel.sig_device_requested) as asked:
        panel.show_device.click()
    assert asked.args == ["a"]


def test_a_big_first_fill_comes_in_over_a_few_turns_of_the_event_loop(qtbot):
    """1,400 faults at once into the sorted view held the GUI thread 70 ms (ten times Dijon)."""
    model = FaultTableModel({"21231": "Dijon"}, clock=lambda: NOW)
    panel = FaultsPanel(model)
    qtbot.addWidget(panel)
    many = [fault(f"sl:{n}", n % 600) for n in range(3 * FaultTableModel.rows_a_turn + 50)]
    model.replace(many)
    assert model.rowCount() == FaultTableModel.rows_a_turn  # the rest at the next turns
    assert f"{len(many)} device(s) in fault" in panel.count.text()  # counted all the same
    qtbot.waitUntil(lambda: model.rowCount() == len(many), timeout=5_000)
    shown = [panel.proxy.index(r, 0).data(FAULT_ROLE) for r in range(panel.proxy.rowCount())]
    assert [f.since for f in shown] == sorted(f.since for f in many)  # longest in fault first
