"""The shared command log: statuses refresh in place, and the trouble is one filter away."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.domain.commands import CommandRecord
from widgets.command_log.panel import TROUBLE, Column, CommandLogModel, CommandLogPanel

T0 = datetime(2026, 11, 25, 20, 0, tzinfo=UTC)


def record(n: int, status: str, target: str = "commune:21231") -> CommandRecord:
    return CommandRecord(
        f"req-{n}",
        "group",
        target,
        "switch",
        status,
        "t.roux",
        T0 + timedelta(minutes=n),
        params={"powerState": "off"},
    )


def test_trouble_is_one_filter_away_and_statuses_refresh_in_place(qtbot):
    model = CommandLogModel()
    panel = CommandLogPanel(model)
    qtbot.addWidget(panel)
    model.upsert([record(1, "done"), record(2, "pending"), record(3, "timed_out", "all:Camera")])
    assert model.index(1, Column.COMMAND).data() == "switch powerState=off"
    panel.status_filter.setCurrentIndex(panel.status_filter.findData(TROUBLE))
    assert panel.proxy.rowCount() == 1
    with qtbot.waitSignal(model.dataChanged):
        model.upsert([record(2, "partial")])  # the acks came: the same row, a new status
    assert model.rowCount() == 3 and panel.proxy.rowCount() == 2
    panel.status_filter.setCurrentIndex(0)
    panel.search.setText("camera")
    qtbot.waitUntil(lambda: panel.proxy.rowCount() == 1)
