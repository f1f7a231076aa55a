"""The shared command log: statuses refresh in place, and the trouble is one filter away."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt

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


def _late(n: int, status: str):
    """A record as the outbox gives it once the device's answer came after the time-out."""
    import dataclasses

    base = record(n, status)
    if "late" in {f.name for f in dataclasses.fields(CommandRecord)}:
        return dataclasses.replace(base, late=True)

    # CommandRecord without ``late`` yet: the same record, carrying it.
    @dataclasses.dataclass(frozen=True, slots=True)
    class LateRecord(CommandRecord):
        late: bool = True

    return LateRecord(**{f.name: getattr(base, f.name) for f in dataclasses.fields(base)})


def test_a_command_followed_late_says_so_in_words(qtbot):
    model = CommandLogModel()
    panel = CommandLogPanel(model)
    qtbot.addWidget(panel)
    model.upsert([record(1, "done"), _late(2, "done")])
    shown = {model.record(r).request_id: r for r in range(model.rowCount())}
    on_time = model.index(shown["req-1"], Column.STATUS)
    late = model.index(shown["req-2"], Column.STATUS)
    assert "late" not in on_time.data() and on_time.data(Qt.ItemDataRole.ToolTipRole) is None
    assert late.data() == "done (late)"
    assert "timed out" in late.data(Qt.ItemDataRole.ToolTipRole)
