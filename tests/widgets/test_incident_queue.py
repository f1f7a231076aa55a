"""The incident queue's model (without a view), its filters, and the panel."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt

from services.domain.incidents import (
    IncidentSource,
    IncidentStatus,
    Location,
    Priority,
    SlaState,
    new_incident,
)
from widgets.incident_queue.model import (
    INCIDENT_ROLE,
    SLA_COLOURS,
    SLA_ROLE,
    SORT_ROLE,
    Column,
    IncidentTableModel,
    format_duration,
)
from widgets.incident_queue.panel import IncidentQueuePanel

T0 = datetime(2026, 11, 25, 17, 0, tzinfo=UTC)
COMMUNES = {"21231": "Dijon", "21166": "Chenôve", "21617": "Talant"}


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


def incident(n: int, category: str = "road_damage", **fields):
    base = new_incident(
        source=IncidentSource.REPORT,
        category=category,
        at=T0,
        commune="21231",
        place=f"rue {n}",
        location=Location(47.32, 5.04),
    )
    return dataclasses.replace(base, id=n, **fields)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def model(qapp, clock) -> IncidentTableModel:
    return IncidentTableModel(COMMUNES, clock=clock)


def test_the_model_passes_qts_model_checks(model, qtmodeltester):
    model.upsert([incident(n) for n in range(1, 30)])
    qtmodeltester.check(model, force_py=True)


def test_upsert_inserts_then_updates_in_place(model, qtbot):
    with qtbot.waitSignal(model.rowsInserted) as inserted:
        model.upsert([incident(1), incident(2), incident(3)])
    assert inserted.args[1:] == [0, 2]  # one insertion of three rows
    assert model.rowCount() == 3
    changed = dataclasses.replace(incident(2), status=IncidentStatus.ACKNOWLEDGED)
    with (
        qtbot.assertNotEmitted(model.rowsInserted),
        qtbot.assertNotEmitted(model.modelReset),
        qtbot.waitSignal(model.dataChanged) as data_changed,
    ):
        model.upsert([changed, incident(3)])  # 3 unchanged: nothing for it
    top, bottom = data_changed.args[0], data_changed.args[1]
    assert (top.row(), bottom.row()) == (1, 1)
    assert model.data(model.index(1, Column.STATUS)) == "acknowledged"
    model.remove([1])
    assert [model.incident(r).id for r in range(model.rowCount())] == [2, 3]
    assert model.row_of(3) == 1


def test_the_clock_repaints_without_announcing_changed_rows(model, qtbot):
    model.upsert([incident(n) for n in range(1, 6)])
    with qtbot.assertNotEmitted(model.dataChanged), qtbot.waitSignal(model.clock_ticked):
        model.tick()


def test_time_left_counts_down_and_turns_amber_then_red(model, clock):
    model.upsert([incident(1, category="fire")])  # P1: 15 minutes
    cell = model.index(0, Column.TIME_LEFT)
    assert model.data(cell) == "15:00"
    assert model.data(cell, Qt.ItemDataRole.ForegroundRole) is None
    clock.now = T0 + timedelta(minutes=12)
    assert model.data(cell) == "▲ 3:00"  # amber, and a mark beside the colour
    assert model.data(cell, SLA_ROLE) is SlaState.WARNING
    assert model.data(cell, Qt.ItemDataRole.ForegroundRole).color() == SLA_COLOURS[SlaState.WARNING]
    clock.now = T0 + timedelta(minutes=20)
    assert model.data(cell) == "■ -5:00"
    assert model.data(cell, SLA_ROLE) is SlaState.BREACHED
    assert model.data(model.index(0, Column.AGE)) == "20:00"


def test_p1_rows_stand_out_and_closed_ones_stop_counting(model):
    model.upsert([incident(1, category="fire"), incident(2, status=IncidentStatus.CLOSED)])
    assert model.data(model.index(0, Column.PLACE), Qt.ItemDataRole.BackgroundRole) is not None
    assert model.data(model.index(1, Column.TIME_LEFT)) == ""
    assert model.data(model.index(1, Column.PRIORITY), INCIDENT_ROLE).id == 2


def test_sorting_uses_raw_values(model, clock):
    model.upsert([incident(1, priority=Priority.P4), incident(2, priority=Priority.P1)])
    p4, p1 = model.row_of(1), model.row_of(2)  # the model keeps the queue's order: P1 first
    assert model.data(model.index(p4, Column.PRIORITY), SORT_ROLE) == 4
    assert model.data(model.index(p1, Column.PRIORITY), SORT_ROLE) == 1
    due = model.data(model.index(p1, Column.TIME_LEFT), SORT_ROLE)
    clock.now = T0 + timedelta(hours=5)
    assert model.data(model.index(p1, Column.TIME_LEFT), SORT_ROLE) == due  # clock-free order


def test_durations():
    assert format_duration(timedelta(seconds=65)) == "1:05"
    assert format_duration(timedelta(hours=3, minutes=5)) == "3h05"
    assert format_duration(timedelta(days=2, hours=4)) == "2d04h"
    assert format_duration(timedelta(seconds=-30)) == "-0:30"


def test_panel_filters_and_selection(model, qtbot):
    panel = IncidentQueuePanel(model, COMMUNES, tick_ms=60_000)
    qtbot.addWidget(panel)
    model.upsert(
        [
            incident(1, category="fire"),
            incident(2, category="graffiti", commune="21166", place="place de la Mairie"),
            incident(3, status=IncidentStatus.CLOSED),
        ]
    )
    proxy = panel.proxy
    assert proxy.rowCount() == 2  # open ones by default
    panel.status_filter.setCurrentIndex(panel.status_filter.findData("all"))
    assert proxy.rowCount() == 3
    panel.commune_filter.setCurrentIndex(panel.commune_filter.findData("21166"))
    assert [proxy.incident_at(r).id for r in range(proxy.rowCount())] == [2]
    panel.commune_filter.setCurrentIndex(0)
    panel.search.setText("MAIRIE")
    assert proxy.rowCount() == 3  # not yet: the filter waits for a pause in the typing
    qtbot.waitUntil(lambda: [proxy.incident_at(r).id for r in range(proxy.rowCount())] == [2])
    panel.search.clear()
    qtbot.waitUntil(lambda: proxy.rowCount() == 3)
    panel.priority_filter.setCurrentIndex(panel.priority_filter.findData(1))
    assert [proxy.incident_at(r).id for r in range(proxy.rowCount())] == [1]
    with qtbot.waitSignal(panel.sig_incident_selected) as selected:
        panel.table.selectRow(0)
    assert selected.args == [1]


def test_panel_sorts_most_urgent_first(model, qtbot):
    panel = IncidentQueuePanel(model, COMMUNES, tick_ms=60_000)
    qtbot.addWidget(panel)
    model.upsert(
        [
            incident(1, category="graffiti"),
            incident(2, category="fire"),
            incident(3, category="traffic"),
        ]
    )
    order = [panel.proxy.incident_at(r).id for r in range(panel.proxy.rowCount())]
    assert order == [2, 3, 1]  # least time left on top


def test_render_the_panel(model, qtbot, tmp_path, clock):
    """Render offscreen for a look (docs/screenshots keeps the current one)."""
    panel = IncidentQueuePanel(model, COMMUNES, tick_ms=60_000)
    qtbot.addWidget(panel)
    panel.resize(1100, 360)
    model.upsert(
        [
            incident(1, category="fire", place="École Voltaire, 2 rue Voltaire"),
            incident(2, category="security", commune="21617", place="Gymnase du Bas-Mont"),
            incident(3, category="lighting_fault", commune="21166", place="Av. Roland Carraz"),
            incident(
                4,
                category="road_damage",
                place="Bd de la Trémouille",
                status=IncidentStatus.DISPATCHED,
                assigned_unit="patrol:7",
            ),
            incident(
                5, category="traffic", place="Place Darcy", status=IncidentStatus.ACKNOWLEDGED
            ),
        ]
    )
    clock.now = T0 + timedelta(minutes=13)
    panel.show()
    qtbot.waitExposed(panel)
    image = panel.grab()
    assert image.width() == 1100
    out = tmp_path / "queue.png"
    assert image.save(str(out))


def test_p1_awaiting_acknowledgement_stays_in_view(model, qtbot):
    panel = IncidentQueuePanel(model, COMMUNES, tick_ms=60_000)
    qtbot.addWidget(panel)
    panel.show()
    model.upsert([incident(1, category="graffiti"), incident(2, category="fire")])
    assert panel.attention.isVisible() and "1" in panel.attention.text()
    assert [i.id for i in model.waiting_p1()] == [2]
    assert model.first_unacknowledged().id == 2  # the P1 before the P4
    panel.priority_filter.setCurrentIndex(panel.priority_filter.findData(4))  # P1 filtered out
    assert panel.select_incident(2)  # going to it clears the filter that hid it
    assert panel.proxy.incident_at(panel.table.currentIndex().row()).id == 2
    model.upsert(
        [dataclasses.replace(incident(2, category="fire"), status=IncidentStatus.ACKNOWLEDGED)]
    )
    assert not panel.attention.isVisible()


def _shown(panel: IncidentQueuePanel) -> set[int]:
    return {panel.proxy.incident_at(r).id for r in range(panel.proxy.rowCount())}


def _filters(panel: IncidentQueuePanel) -> tuple:
    """What the filters above the table say."""
    return (
        panel.status_filter.currentData(),
        panel.priority_filter.currentData(),
        panel.commune_filter.currentData(),
        panel.search.text(),
    )


def test_a_selection_lists_what_arrives_meanwhile_and_clear_puts_the_filters_back(
    model, qtbot, monkeypatch
):
    panel = IncidentQueuePanel(model, COMMUNES, tick_ms=60_000, search_delay_ms=10)
    qtbot.addWidget(panel)
    mairie = incident(2, category="graffiti", commune="21166", place="place de la Mairie")
    model.upsert([incident(1), mairie, incident(3, status=IncidentStatus.CLOSED)])
    # the operator's own filters: open ones (the default), a priority, Chenôve, "mairie"
    panel.priority_filter.setCurrentIndex(panel.priority_filter.findData(int(mairie.priority)))
    panel.commune_filter.setCurrentIndex(panel.commune_filter.findData("21166"))
    panel.search.setText("mairie")
    qtbot.waitUntil(lambda: _shown(panel) == {2})
    before = _filters(panel)
    refilters: list[int] = []
    refilter = panel.proxy.refilter
    monkeypatch.setattr(panel.proxy, "refilter", lambda: (refilters.append(1), refilter()))

    panel.show_selection("Statistics: road damage, this month (2)", [1, 3])
    assert len(refilters) == 1  # one pass over the rows, not one a filter
    assert _filters(panel) == ("all", None, None, "")
    assert _shown(panel) == {1, 3}
    assert not panel.arrivals_label.isVisibleTo(panel)

    # A call just taken, a P1, while the selection is shown: listed with it, and said.
    model.upsert([incident(4, category="fire")])
    assert _shown(panel) == {1, 3, 4}
    assert panel.arrivals_label.isVisibleTo(panel)
    assert panel.arrivals_label.text() == "+ 1 new incident(s) since"
    model.upsert([dataclasses.replace(mairie, status=IncidentStatus.ACKNOWLEDGED)])
    assert _shown(panel) == {1, 3, 4}  # an incident the queue held is no arrival
    assert panel.select_incident(4) and panel.selected_ids == {1, 3}  # F5 keeps the selection

    # One selection after another: what arrived during the first stays shown.
    panel.show_selection("Statistics: graffiti, this month (1)", [2])
    assert _shown(panel) == {2, 4} and panel.arrivals() == 1

    refilters.clear()
    qtbot.mouseClick(panel.clear_selection_button, Qt.MouseButton.LeftButton)
    assert len(refilters) == 1
    assert _filters(panel) == before  # the operator's filters, as they were
    assert _shown(panel) == {2}
    assert not panel.arrivals_label.isVisibleTo(panel)
