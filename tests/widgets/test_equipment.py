"""The equipment table: 34,000 rows filtered, counted and found again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.domain.equipment import EquipmentView
from services.reference import communes
from widgets.equipment.model import Column, EquipmentTableModel
from widgets.equipment.panel import EquipmentPanel
from widgets.equipment.proxy import EquipmentFilterProxy

NOW = datetime(2026, 11, 25, 21, 0, tzinfo=UTC)
NAMES = {c.insee: c.name for c in communes()}
INSEE = sorted(NAMES)


def device(n: int, **changes) -> EquipmentView:
    fields = {
        "id": f"urn:light:{n:05d}",
        "type": "Streetlight",
        "state": "fault" if n % 100 == 0 else "stale" if n % 250 == 1 else "ok",
        "status": "defectiveLamp" if n % 100 == 0 else "ok",
        "commune": INSEE[n % len(INSEE)],
        "gateway": f"gw:{n // 100}",
        "lat": 47.3,
        "lon": 5.0,
        "received_at": NOW - timedelta(minutes=30 if n % 250 == 1 else 1),
        "updated_at": NOW,
        "fault_since": None,
        "attributes": {},
    }
    fields.update(changes)
    return EquipmentView(**fields)


def filled(qtbot, model: EquipmentTableModel, devices: list[EquipmentView]) -> None:  # noqa: ANN001
    """Upserted, every row in: beyond ``rows_a_turn`` they come over the next turns."""
    model.upsert(devices)
    qtbot.waitUntil(lambda: model.rowCount() == len(devices), timeout=60_000)


@pytest.fixture
def field() -> list[EquipmentView]:
    return [device(n) for n in range(34_000)]


def test_34000_devices_are_filtered_and_counted(qtbot, field):
    model = EquipmentTableModel(NAMES, clock=lambda: NOW)
    filled(qtbot, model, field)
    proxy = EquipmentFilterProxy()
    proxy.setSourceModel(model)
    assert proxy.rowCount() == 34_000
    assert model.counts() == {"ok": 33_524, "fault": 340, "stale": 136}
    proxy.set_state("fault")
    assert proxy.rowCount() == 340
    proxy.set_commune(INSEE[0])  # n % 23 == 0 and n % 100 == 0: every 2,300th
    assert proxy.rowCount() == len([n for n in range(0, 34_000, 100) if n % 23 == 0])
    proxy.set_state(None)
    proxy.set_commune(None)
    proxy.set_gateway("gw:7")
    assert proxy.rowCount() == 100
    proxy.set_gateway(None)
    proxy.set_text("01234")
    assert [proxy.index(r, 0).data() for r in range(proxy.rowCount())] == ["urn:light:01234"]


def test_the_counts_include_the_devices_still_waiting_for_their_row(qtbot, field):
    model = EquipmentTableModel(NAMES, clock=lambda: NOW)
    model.upsert(field[:1000])
    assert model.rowCount() < 1000  # the rest at the next turns of the event loop
    assert sum(model.counts().values()) == 1000


def test_a_change_refreshes_its_row_and_a_silent_device_shows_its_age(qtbot, field):
    model = EquipmentTableModel(NAMES, clock=lambda: NOW)
    model.upsert(field[:10])
    with qtbot.waitSignal(model.dataChanged) as changed:
        model.upsert([device(3, state="fault", status="brokenLantern")])
    assert changed.args[0].row() == 3
    assert model.rowCount() == 10  # refreshed, not added
    assert model.index(3, Column.STATUS).data() == "broken lantern"  # words, not the code
    silent = model.index(1, Column.AGE)  # n=1: stale, heard 30 minutes ago
    assert silent.data() == "30 min"
    assert "30 min" in model.index(1, Column.STATE).data(3)  # tooltip (ToolTipRole = 3)


def test_the_panel_finds_a_device_behind_its_filters(qtbot, field):
    model = EquipmentTableModel(NAMES, clock=lambda: NOW)
    panel = EquipmentPanel(model, NAMES, search_delay_ms=0)
    qtbot.addWidget(panel)
    filled(qtbot, model, field[:500])
    panel.state_filter.setCurrentIndex(panel.state_filter.findData("fault"))
    assert panel.proxy.rowCount() == 5
    with qtbot.waitSignal(panel.sig_device_selected) as selected:
        assert panel.select_device("urn:light:00042")  # ok: hidden by the fault filter
    assert selected.args == ["urn:light:00042"]
    assert panel.proxy.rowCount() == 500  # the filter that hid it was cleared
    qtbot.waitUntil(lambda: "500 shown" in panel.counts.text())
    assert panel.select_device("urn:light:99999") is False


def test_a_cameras_privacy_masks_are_not_a_command_typed_at_a_desk(qtbot):
    from widgets.equipment.command_dialog import CommandDialog

    camera = device(3, id="cam-21231-001", type="Camera", attributes={"preset": 1})
    dialog = CommandDialog([camera], NAMES)
    qtbot.addWidget(dialog)
    offered = [dialog.command.itemData(i) for i in range(dialog.command.count())]
    assert offered == ["preset", "reboot"]


def test_the_command_dialog_offers_the_device_its_group_its_commune_and_its_type(qtbot):
    from widgets.equipment.command_dialog import CommandDialog

    light = device(7, attributes={"refStreetlightGroup": "group:rue-de-la-liberte"})
    dialog = CommandDialog([light], NAMES)
    qtbot.addWidget(dialog)
    targets = [dialog.target.itemData(i) for i in range(dialog.target.count())]
    assert targets == ["device", "group", "commune", "all"]
    assert [dialog.command.itemData(i) for i in range(dialog.command.count())] == ["switch", "dim"]
    dialog.params.setText("powerState=off")
    dialog.until.setText("+2h")
    chosen = []
    for scope in targets:
        dialog.target.setCurrentIndex(dialog.target.findData(scope))
        chosen.append(dialog.chosen()[:2])
    assert chosen == [
        ("Streetlight", "urn:light:00007"),
        ("group", "group:rue-de-la-liberte"),
        ("group", f"commune:{light.commune}"),
        ("group", "all:Streetlight"),
    ]
    assert dialog.chosen()[3] == {"powerState": "off", "until": "+2h"}
    dialog.command.setCurrentIndex(dialog.command.findData("dim"))
    assert dialog.until.isEnabled()  # dim is an override too
