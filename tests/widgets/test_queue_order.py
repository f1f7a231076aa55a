"""The queue's order, kept by the model itself, and what the proxy shows of it.

The model keeps its rows in the queue's order (least time left first) so that the proxy sorts
nothing; these tests hold it to that order through every kind of change, and hold the filters to
what they matched when the proxy sorted and built its search text itself.
"""

from __future__ import annotations

import dataclasses
import random
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester

from services.domain.incidents import (
    DEFAULT_SLA,
    IncidentSource,
    IncidentStatus,
    Location,
    Priority,
    SlaPolicy,
    new_incident,
)
from widgets.incident_queue.model import Column, IncidentTableModel
from widgets.incident_queue.order import OrderedRows, queue_key
from widgets.incident_queue.panel import IncidentQueuePanel

T0 = datetime(2026, 11, 25, 17, 0, tzinfo=UTC)
COMMUNES = {"21231": "Dijon", "21166": "Chenôve", "21617": "Talant"}


def incident(n: int, category: str = "road_damage", minutes_ago: int = 0, **fields):
    base = new_incident(
        source=IncidentSource.REPORT,
        category=category,
        at=T0 - timedelta(minutes=minutes_ago),
        commune="21231",
        place=f"rue {n}",
        location=Location(47.32, 5.04),
    )
    return dataclasses.replace(base, id=n, **fields)


def model_ids(model: IncidentTableModel) -> list[int]:
    return [model.incident(r).id for r in range(model.rowCount())]


def shown_ids(panel: IncidentQueuePanel) -> list[int]:
    return [panel.proxy.incident_at(r).id for r in range(panel.proxy.rowCount())]


def selected_id(panel: IncidentQueuePanel) -> int | None:
    rows = panel.table.selectionModel().selectedRows()
    return panel.proxy.incident_at(rows[0].row()).id if rows else None


@pytest.fixture
def model(qapp) -> IncidentTableModel:
    return IncidentTableModel(COMMUNES, clock=lambda: T0 + timedelta(minutes=5))


@pytest.fixture
def panel(model, qtbot) -> IncidentQueuePanel:
    panel = IncidentQueuePanel(model, COMMUNES, tick_ms=60_000, search_delay_ms=0)
    qtbot.addWidget(panel)
    return panel


# --- the order itself ---------------------------------------------------------------------------
def test_least_time_left_first_then_priority_then_age_and_closed_last():
    fire = incident(1, "fire")  # P1: due in 15 minutes
    old_p2 = incident(2, "fallen_tree", minutes_ago=45)  # P2, due in 15 minutes too
    p2 = incident(3, "fallen_tree")
    closed = incident(4, "fire", status=IncidentStatus.CLOSED)
    older_twin = incident(5, "fallen_tree", minutes_ago=45)  # as old_p2, a higher id
    keys = {i.id: queue_key(i, DEFAULT_SLA) for i in (fire, old_p2, p2, closed, older_twin)}
    assert sorted(keys, key=keys.__getitem__) == [1, 2, 5, 3, 4]


def test_ordered_rows_find_rows_and_say_where_new_ones_go():
    rows = OrderedRows(DEFAULT_SLA)
    aged = [incident(n, minutes_ago=10 * n) for n in (1, 2, 3)]  # the oldest is due first
    first = sorted(map(rows.new_row, aged), key=by_key)
    assert rows.runs(first, most=1) == [(0, first)]  # into an empty queue: one run
    rows.insert(0, first)
    assert [rows.row_of(n) for n in (3, 2, 1, 99)] == [0, 1, 2, None]
    later = [rows.new_row(incident(n)) for n in (7, 8)]  # younger: after every other
    assert rows.runs(later, most=1) == [(3, later)]
    scattered = sorted(
        map(rows.new_row, [incident(5, minutes_ago=40), incident(6, minutes_ago=15)]), key=by_key
    )
    assert rows.runs(scattered, most=2) == [(0, scattered[:1]), (2, scattered[1:])]
    assert rows.runs(scattered, most=1) is None  # more places than allowed: reorder instead
    rows.delete(0, 1)
    assert [r.incident.id for r in rows] == [1] and rows.row_of(3) is None


def by_key(row):
    return row.key


# --- the model keeps it -------------------------------------------------------------------------
def test_the_model_is_in_queue_order_whatever_the_order_incidents_come_in(model):
    model.upsert([incident(1, "graffiti"), incident(2, "fire"), incident(3, "traffic")])
    assert model_ids(model) == [2, 3, 1]  # P1 (15 min), P3 (8 h), P4 (72 h)
    assert [model.row_of(n) for n in (1, 2, 3)] == [2, 0, 1]


def test_a_new_incident_is_inserted_in_its_place(model, qtbot):
    model.upsert([incident(1, "graffiti"), incident(2, "fire")])
    with qtbot.waitSignal(model.rowsInserted) as inserted:
        model.upsert([incident(3, "traffic")])
    assert inserted.args[1:] == [1, 1]  # one row, between the P1 and the P4
    assert model_ids(model) == [2, 3, 1]


def test_an_incident_whose_priority_changes_moves_to_its_place(model, panel, qtbot):
    model.upsert([incident(1, "graffiti"), incident(2, "fire"), incident(3, "traffic")])
    raised = dataclasses.replace(incident(1, "graffiti"), priority=Priority.P1, version=2)
    with qtbot.waitSignal(model.layoutChanged), qtbot.assertNotEmitted(model.rowsRemoved):
        model.upsert([raised])
    assert model_ids(model) == [1, 2, 3]  # as due as the fire, and older by its id
    assert shown_ids(panel) == [1, 2, 3]
    assert model.data(model.index(0, Column.PRIORITY)) == "P1"


def test_a_closed_incident_goes_last_and_leaves_the_open_queue(model, panel):
    model.upsert([incident(1, "fire"), incident(2, "traffic")])
    model.upsert([dataclasses.replace(incident(1, "fire"), status=IncidentStatus.CLOSED)])
    assert model_ids(model) == [2, 1]
    assert shown_ids(panel) == [2]


def test_other_sla_targets_reorder_the_queue(model):
    model.upsert([incident(1, "fallen_tree"), incident(2, "road_damage", minutes_ago=450)])
    assert model_ids(model) == [2, 1]  # a P3 with 25 minutes left before a P2 with 55
    tighter = SlaPolicy(targets={**DEFAULT_SLA.targets, Priority.P2: timedelta(minutes=20)})
    model.set_sla(tighter)
    assert model_ids(model) == [1, 2]


def test_any_mix_of_changes_keeps_the_order_and_passes_qts_checks(model, panel, qtmodeltester):
    rng = random.Random(17)
    categories = ("fire", "traffic", "fallen_tree", "road_damage", "graffiti")
    known: dict[int, object] = {}

    def some_incident(n: int):
        return incident(n, rng.choice(categories), minutes_ago=rng.randrange(0, 600))

    model.upsert([some_incident(n) for n in range(1, 40)])
    qtmodeltester.check(model, force_py=True)  # and it checks every change after this
    # Qt's own tester for the proxy: it warns, and pytest-qt fails a test its tester warned in.
    proxy_tester = QAbstractItemModelTester(  # noqa: F841 - it checks while it lives
        panel.proxy, QAbstractItemModelTester.FailureReportingMode.Warning
    )
    for n in range(1, 40):
        known[n] = model.incident(model.row_of(n))
    next_id = 40
    for _ in range(25):
        batch = []
        for _ in range(rng.randrange(1, 12)):  # new ones, here and there
            known[next_id] = some_incident(next_id)
            batch.append(known[next_id])
            next_id += 1
        for n in rng.sample(sorted(known), 3):  # changes: some move, some stay
            before = known[n]
            known[n] = dataclasses.replace(
                before,
                priority=rng.choice(list(Priority)),
                status=rng.choice(list(IncidentStatus)),
                version=before.version + 1,
            )
            batch.append(known[n])
        model.upsert(batch)
        gone = rng.sample(sorted(known), 2)
        model.remove(gone)
        for n in gone:
            del known[n]
        expected = sorted(known.values(), key=lambda i: queue_key(i, DEFAULT_SLA))
        assert model_ids(model) == [i.id for i in expected]
        assert all(model.row_of(i.id) == row for row, i in enumerate(expected))
        assert shown_ids(panel) == [i.id for i in expected if i.is_open]


# --- the proxy shows it -------------------------------------------------------------------------
def test_the_queue_order_costs_the_proxy_no_sort_and_other_orders_still_sort(model, panel):
    model.upsert([incident(1, "graffiti"), incident(2, "fire"), incident(3, "traffic")])
    header = panel.table.horizontalHeader()
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (
        Column.TIME_LEFT,
        Qt.SortOrder.AscendingOrder,
    )
    assert panel.proxy.sortColumn() == -1  # the model's order, as it is
    assert shown_ids(panel) == [2, 3, 1]
    panel.table.sortByColumn(Column.TIME_LEFT, Qt.SortOrder.DescendingOrder)
    assert shown_ids(panel) == [1, 3, 2]
    panel.table.sortByColumn(Column.PRIORITY, Qt.SortOrder.DescendingOrder)
    assert shown_ids(panel) == [1, 3, 2]
    panel.table.sortByColumn(Column.TIME_LEFT, Qt.SortOrder.AscendingOrder)
    assert shown_ids(panel) == [2, 3, 1]
    model.upsert([incident(4, "fallen_tree")])  # a P2: in the model's order, not appended
    assert shown_ids(panel) == [2, 4, 3, 1]


def test_the_selection_follows_its_incident_when_rows_move(model, panel):
    model.upsert([incident(n, "graffiti", minutes_ago=n) for n in range(1, 6)])
    panel.select_incident(2)
    assert shown_ids(panel) == [5, 4, 3, 2, 1] and selected_id(panel) == 2
    model.upsert([dataclasses.replace(incident(1, "graffiti", 1), priority=Priority.P1)])
    assert shown_ids(panel)[0] == 1 and selected_id(panel) == 2  # a row moved before it
    model.upsert([incident(6, "fire"), incident(7, "graffiti", minutes_ago=600)])
    assert selected_id(panel) == 2  # rows inserted before and after it
    model.upsert([dataclasses.replace(incident(2, "graffiti", 2), priority=Priority.P2)])
    assert selected_id(panel) == 2  # it moved itself
    assert panel.proxy.incident_at(panel.table.currentIndex().row()).id == 2


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("#3", [3]),  # the id
        ("GRAFFITI", [2]),  # the category as shown
        ("place de la mairie", [2]),  # the address
        ("chenôve", [2]),  # the commune's name
        ("  Fuite d'eau  ", [3]),  # the description, blanks around ignored
        ("p1", [1]),  # the priority
        ("patrol:7", [3]),  # the unit
        ("dispatched", [3]),  # the status as shown
        ("citizen report", [1, 2, 3]),  # the source as shown
        ("nowhere", []),
    ],
)
def test_the_text_filter_finds_what_it_found_before(model, panel, qtbot, typed, found):
    model.upsert(
        [
            incident(1, "fire"),
            incident(2, "graffiti", commune="21166", place="Place de la Mairie"),
            incident(
                3,
                description="Fuite d'eau sous la chaussée",
                status=IncidentStatus.DISPATCHED,
                assigned_unit="patrol:7",
            ),
        ]
    )
    panel.search.setText(typed)
    qtbot.waitUntil(lambda: sorted(shown_ids(panel)) == found)
    assert panel.count_label.text() == panel.tr("%n incident(s)", "", len(found))


def test_a_changed_incident_is_searched_as_it_now_reads(model, panel, qtbot):
    model.upsert([incident(1, "graffiti")])
    panel.search.setText("patrol:9")
    qtbot.waitUntil(lambda: shown_ids(panel) == [])
    model.upsert([dataclasses.replace(incident(1, "graffiti"), assigned_unit="patrol:9")])
    assert shown_ids(panel) == [1]
