"""The console at ten times Dijon: the equipment table pages through the database, the map is
sent clusters of the view, and neither holds a pass over the whole field on the GUI thread.

The field is put straight into a scratch database (``services.bench.console_field.seed_field``);
the "small" scale (2,034 devices) is enough to check that what the database filters, orders and
counts is what the held table shows; the scale itself is measured by ``vigie bench console``.
"""

from __future__ import annotations

import json
import random
import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from sqlalchemy import select

import console.desks.equipment as equipment_desk
import console.feeds.equipment as equipment_feed
from console.app import Console
from console.bridge import Bridge
from console.feeds.equipment import EquipmentPager
from console.feeds.light_grid import CELL_PX, SINGLE_FROM, LightGrid, View, cell17
from services.bench.console_field import seed_field
from services.domain.equipment import EquipmentType, EquipmentView, assess_state
from services.domain.equipment_query import EquipmentQuery, SortKey
from services.reference import communes
from services.situation import read_equipment
from services.store import equipment_page
from services.store.database import Database
from services.store.models import EquipmentRow
from services.store.schema import upgrade
from tests.widgets.test_equipment import filled
from widgets.equipment.model import DEVICE_ROLE, STATE_ORDER, Column, EquipmentTableModel
from widgets.equipment.paged import BLOCK, EquipmentPageModel
from widgets.equipment.panel import EquipmentPanel
from widgets.equipment.proxy import EquipmentFilterProxy
from widgets.map.legend import legend_rows
from widgets.map.page import build_page
from widgets.map.panel import MapPanel

NAMES = {c.insee: c.name for c in communes()}
SELECT_ROWS = QItemSelectionModel.SelectionFlag.Rows


@pytest.fixture
def field_db(db_url: str):
    database = Database(db_url)
    upgrade(database)
    now = datetime.now(UTC)
    offline = frozenset({f"cab-{communes()[0].insee}-00000"})  # a cabinet's link lost
    seed_field(db_url, "small", now=now, operators_too=False, offline=offline)
    with database.write() as session:  # what the seed has not: a type the contract does not
        # know, silent for an hour (judged as a DEVICE: stale), and devices with no status
        old = now - timedelta(hours=1)
        for n, (kind, status, at) in enumerate(
            [("PresenceSensorX", "ok", old), ("PresenceSensorX", None, now), ("Camera", None, now)]
        ):
            session.add(
                EquipmentRow(
                    id=f"zz-odd-{n}",
                    type=kind,
                    status=status,
                    commune=None,
                    lat=47.32,
                    lon=5.04,
                    received_at=at,
                    updated_at=at,
                    attributes={},
                )
            )
    yield database, now
    database.dispose()


def judged(database: Database, now: datetime, *, unknown: bool = False) -> dict[str, str]:
    """Every device's state as the held table judges it (``assess_state``, in Python).

    ``unknown``: with the devices of a type the contract does not know, which the held table
    leaves out and the paged one shows as a DEVICE, judged by ``assess_state`` as such.
    """
    states = {d.id: d.state for d in read_equipment(database, now, since=None).devices}
    if unknown:
        known = [kind.value for kind in EquipmentType]
        with database.read() as session:
            odd = session.execute(
                select(EquipmentRow.status, EquipmentRow.received_at, EquipmentRow.id).where(
                    EquipmentRow.type.not_in(known)
                )
            ).all()
        for status, at, ident in odd:
            at = at if at.tzinfo else at.replace(tzinfo=UTC)
            states[ident] = assess_state(EquipmentType.DEVICE, status, at, now).value
    return states


def test_the_database_judges_filters_and_orders_as_the_held_table(field_db):
    database, now = field_db
    states = judged(database, now, unknown=True)
    assert {"ok", "fault", "stale", "comm_lost"} <= set(states.values())  # a field with all four
    assert states["zz-odd-0"] == "stale"  # an unknown type, silent: judged as a DEVICE
    with database.read() as session:
        counts = equipment_page.state_counts(session, now)
        assert counts == {s: list(states.values()).count(s) for s in set(states.values())}
        for state in ("fault", "stale", "comm_lost"):
            query = EquipmentQuery(state=state)
            assert equipment_page.count(session, query, now) == counts[state]
            rows = equipment_page.page(session, query, now, 0, 10_000)
            assert {d.id for d in rows} == {i for i, s in states.items() if s == state}
        # Pages in the id's order, no row twice, none left out.
        pages = [equipment_page.page(session, EquipmentQuery(), now, o, 500) for o in (0, 500)]
        ids = [d.id for p in pages for d in p]
        assert ids == sorted(states)[:1000]
        # Ordered by silence: the longest silent first, ties broken by id.
        by_age = equipment_page.page(session, EquipmentQuery(sort=SortKey.AGE), now, 0, 50)
        ages = [d.received_at for d in by_age]
        assert ages == sorted(ages)
        descending = EquipmentQuery(sort=SortKey.STATE, descending=True)
        first = equipment_page.page(session, descending, now, 0, 5)
        assert {d.state for d in first} == {"ok"}  # ranked: fault, comm_lost, stale, ok
        unknown = EquipmentQuery(state="stale", text="zz-odd")
        assert [d.id for d in equipment_page.page(session, unknown, now, 0, 10)] == ["zz-odd-0"]
        # Text: a gateway typed in part, or a commune by its name.
        query = EquipmentQuery(text="cab-21231-0000")
        found = equipment_page.page(session, query, now, 0, 10_000)
        assert found and all(d.gateway.startswith("cab-21231-0000") for d in found)
        dijon = EquipmentQuery(text="zzz", text_communes=("21231",))
        assert equipment_page.count(session, dijon, now) == sum(
            1 for d in read_equipment(database, now, since=None).devices if d.commune == "21231"
        )
        # Where a device stands in an order, and None when the filters hide it.
        assert equipment_page.position(session, EquipmentQuery(), now, ids[700]) == 700
        hidden = next(i for i, s in states.items() if s == "ok")
        assert equipment_page.position(session, EquipmentQuery(state="fault"), now, hidden) is None


def test_the_paged_table_fetches_what_it_shows_and_finds_a_hidden_device(qtbot, field_db):
    database, now = field_db
    states = judged(database, now, unknown=True)
    bridge = Bridge()
    pager = EquipmentPager(database, bridge=bridge, block=BLOCK)
    model = EquipmentPageModel(NAMES)
    model.sig_wanted.connect(pager.ask)
    model.sig_locate.connect(pager.locate)
    pager.sig_count.connect(model.show_count)
    pager.sig_block.connect(model.show_block)
    pager.sig_located.connect(model.show_location)
    panel = _shown_panel(qtbot, model)
    try:
        model.refresh()
        qtbot.waitUntil(lambda: model.rowCount() == len(states), timeout=20_000)
        qtbot.waitUntil(lambda: model.data(model.index(0, Column.ID)) is not None, timeout=20_000)
        assert model.data(model.index(0, Column.ID)) == min(states)
        assert len(model.items()) < len(states)  # it holds pages, not the field
        faults = sum(1 for s in states.values() if s == "fault")
        qtbot.waitUntil(lambda: f": {faults}" in panel.counts.text(), timeout=10_000)
        # A filter is the database's: the rows shown are the faults, in order.
        panel.state_filter.setCurrentIndex(panel.state_filter.findData("fault"))
        qtbot.waitUntil(lambda: model.rowCount() == faults, timeout=20_000)
        qtbot.waitUntil(lambda: model.data(model.index(0, Column.ID)) is not None, timeout=20_000)
        shown = {model.device(r).id for r in range(min(faults, BLOCK))}
        assert shown <= {i for i, s in states.items() if s == "fault"}
        # Sorted by the column's header: the database's order.
        panel.state_filter.setCurrentIndex(0)
        panel.table.sortByColumn(Column.ID, Qt.SortOrder.DescendingOrder)
        qtbot.waitUntil(
            lambda: model.data(model.index(0, Column.ID)) == max(states), timeout=20_000
        )
        # The record changed (the feed's period): counted again, the rows in view read again,
        # shown as they were meanwhile; no reset (the selection and the scroll stay).
        resets: list[bool] = []
        model.modelReset.connect(lambda: resets.append(True))
        model.refresh()
        assert model.data(model.index(0, Column.ID)) == max(states)  # still shown
        qtbot.waitUntil(lambda: not model._stale, timeout=20_000)
        assert model.data(model.index(0, Column.ID)) == max(states) and not resets
        # A device the filters hide is found: filters cleared, its row selected and shown.
        panel.state_filter.setCurrentIndex(panel.state_filter.findData("fault"))
        qtbot.waitUntil(lambda: model.rowCount() == faults, timeout=20_000)
        wanted = sorted(i for i, s in states.items() if s == "ok")[1234]
        with qtbot.waitSignal(panel.sig_device_selected, timeout=20_000) as selected:
            panel.select_device(wanted)
            qtbot.waitUntil(lambda: model.rowCount() == len(states), timeout=20_000)
            qtbot.waitUntil(lambda: selected_loaded(panel), timeout=20_000)
        assert selected.args == [wanted]
        assert panel.selected_devices()[0].id == wanted
    finally:
        pager.stop()
        bridge.shutdown()


def test_the_database_orders_states_and_missing_values_as_the_held_table(field_db, qtbot):
    """The state ranked as the held table ranks it (not its code's text), and a missing status
    first ascending, last descending, on SQLite and PostgreSQL alike."""
    database, now = field_db
    devices = read_equipment(database, now, since=None).devices
    held = EquipmentTableModel(NAMES, clock=lambda: now)
    filled(qtbot, held, devices)
    held_ids = {d.id for d in devices}
    proxy = EquipmentFilterProxy()
    proxy.setSourceModel(held)
    with database.read() as session:
        for descending in (False, True):
            order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
            proxy.sort(Column.STATE, order)
            shown = [proxy.data(proxy.index(r, 0), DEVICE_ROLE).state for r in range(len(devices))]
            query = EquipmentQuery(sort=SortKey.STATE, descending=descending)
            paged = [  # the held table leaves a type the contract does not know out
                d.state
                for d in equipment_page.page(session, query, now, 0, 10_000)
                if d.id in held_ids
            ]
            assert paged == shown
            query = EquipmentQuery(sort=SortKey.STATUS, descending=descending)
            statuses = [d.status for d in equipment_page.page(session, query, now, 0, 10_000)]
            missing = statuses.count(None)
            assert missing == 2
            assert (statuses[-missing:] if descending else statuses[:missing]) == [None] * missing
            proxy.sort(Column.STATUS, order)
            held_statuses = [
                proxy.data(proxy.index(r, 0), DEVICE_ROLE).status for r in range(len(devices))
            ]
            kept = held_statuses.count(None)  # the camera with no status (the other: unknown type)
            assert kept == 1
            assert (held_statuses[-kept:] if descending else held_statuses[:kept]) == [None]
        # No commune: first, as the held table shows an empty name first.
        by_name = tuple(code for code, _name in sorted(NAMES.items(), key=lambda i: i[1]))
        query = EquipmentQuery(sort=SortKey.COMMUNE, commune_order=by_name)
        first = equipment_page.page(session, query, now, 0, 3)
        assert [d.commune for d in first] == [None] * 3
        proxy.sort(Column.COMMUNE, Qt.SortOrder.AscendingOrder)
        assert proxy.data(proxy.index(0, 0), DEVICE_ROLE).commune is None
    assert equipment_page.STATE_ORDER == STATE_ORDER  # one order, both sides


def _views(count: int) -> list[EquipmentView]:
    at = datetime.now(UTC)
    return [
        EquipmentView(
            id=f"sl-{n:05d}",
            type="Streetlight",
            state="ok",
            status="ok",
            commune="21231",
            gateway=None,
            lat=None,
            lon=None,
            received_at=at,
            updated_at=at,
            fault_since=None,
            attributes={},
        )
        for n in range(count)
    ]


def _answer(model: EquipmentPageModel, order: list[EquipmentView], blocks: list[int]) -> None:
    """What the pager would say for the model's present query: its count and these blocks."""
    model.show_count(model.generation, len(order), {"ok": len(order)})
    for block in blocks:
        model.show_block(model.generation, block, order[block * BLOCK : (block + 1) * BLOCK])


def test_the_paged_selection_is_the_devices_chosen_not_their_rows(qtbot):
    """A refresh reads the blocks again in place: the devices chosen stay chosen where they now
    are, and a command never goes to a device that came to their rows."""
    model = EquipmentPageModel(NAMES)
    panel = _shown_panel(qtbot, model)
    devices = _views(3 * BLOCK)
    model.refresh()
    _answer(model, devices, [0])
    panel.table.selectRow(5)
    chosen = devices[5]
    assert [d.id for d in panel.selected_devices()] == [chosen.id]
    # The record changed: another order, read again in place (no reset).
    again = [replace(d, state="fault") if d is chosen else d for d in devices]
    again.insert(10, again.pop(5))
    model.refresh()
    _answer(model, again, [0])
    assert [d.id for d in panel.selected_devices()] == [chosen.id]
    assert [d.state for d in panel.selected_devices()] == ["fault"]  # as read now
    rows = [i.row() for i in panel.table.selectionModel().selectedRows()]
    assert rows == [10]
    commanded: list[list] = []
    panel.sig_command_requested.connect(commanded.append)
    panel.command_button.click()
    assert [[d.id for d in c] for c in commanded] == [[chosen.id]]


def test_a_selection_over_rows_not_read_is_never_commanded_in_part(qtbot):
    model = EquipmentPageModel(NAMES)
    panel = _shown_panel(qtbot, model)
    devices = _views(3 * BLOCK)
    model.refresh()
    _answer(model, devices, [0])
    commanded: list[list] = []
    panel.sig_command_requested.connect(commanded.append)
    # A shift-selection from the first row to the last: two blocks never read.
    panel.table.selectRow(0)
    whole = QItemSelection(panel.proxy.index(0, 0), panel.proxy.index(len(devices) - 1, 0))
    panel.table.selectionModel().select(
        whole, QItemSelectionModel.SelectionFlag.ClearAndSelect | SELECT_ROWS
    )
    assert not panel.command_button.isEnabled()
    assert "not read yet" in panel.command_button.toolTip()
    assert not panel.selection_complete()
    panel._command()  # even called: nothing commanded
    assert commanded == []
    # Their blocks arrive: the devices of those rows are the selection, commanded whole.
    _answer(model, devices, [1, 2])
    assert panel.selection_complete() and panel.command_button.isEnabled()
    assert panel.command_button.toolTip() == ""
    panel.command_button.click()
    assert [d.id for d in commanded[0]] == [d.id for d in devices]


def test_the_console_counts_the_field_off_the_gui_thread_then_pages(
    db, broker, qtbot, tmp_path, monkeypatch
):
    """The record's size is counted on the feed's lane; the table pages when it is told."""
    threads: list[threading.Thread] = []
    counted = equipment_feed.field_size

    def field_size(database):
        threads.append(threading.current_thread())
        return counted(database)

    monkeypatch.setattr(equipment_feed, "field_size", field_size)
    monkeypatch.setattr(equipment_desk, "HELD_LIMIT", -1)  # this small field plays the big one
    console = Console(db, broker.url, "x10size", "c.bernard", config_folder=tmp_path / "c")
    qtbot.addWidget(console.window)
    try:
        assert threads == []  # nothing counted while the console was built
        desk = console.desks.equipment
        assert not desk.equipment.paged  # held until the count is known
        console.start()
        qtbot.waitUntil(lambda: desk.equipment.paged, timeout=20_000)
        assert threads and threading.main_thread() not in threads
        assert isinstance(desk.model, EquipmentPageModel) and desk.equipment.model is desk.model
        assert desk.equipment.table.model() is desk.equipment.proxy
        assert not console.feeds.equipment.lights_to_panels
    finally:
        console.stop()


def selected_loaded(panel: EquipmentPanel) -> bool:
    rows = panel.table.selectionModel().selectedRows()
    return bool(rows) and panel.proxy.data(rows[0], DEVICE_ROLE) is not None


def test_the_grid_groups_the_healthy_lights_as_the_page_does():
    rng = random.Random(5)
    grid = LightGrid()
    lights = {}
    for n in range(5000):
        lat, lon = 47.32 + rng.gauss(0, 0.02), 5.04 + rng.gauss(0, 0.03)
        healthy = n % 50 != 0
        lights[f"sl-{n}"] = (lat, lon, healthy)
        grid.put(f"sl-{n}", lat, lon, 0.5 if n % 2 else 1.0, healthy)
    whole = View(11, 46.0, 3.0, 48.5, 7.0)
    cells = grid.payload(whole)["cells"]
    assert sum(c[2] for c in cells) == sum(1 for *_p, h in lights.values() if h)  # none twice
    assert len(cells) < 600  # a few hundred clusters, not 5,000 lights
    assert all(0.5 <= c[3] <= 1.0 for c in cells)  # their lights' mean level
    # One cluster per page cell at that zoom: the page's own grouping keeps them as they are.
    for zoom in (12, 15):
        keys = []
        for lat, lon, _n, _level in grid.payload(View(zoom, 46.0, 3.0, 48.5, 7.0))["cells"]:
            x, y = cell17(lat, lon)
            keys.append((x >> (SINGLE_FROM - zoom), y >> (SINGLE_FROM - zoom)))
        assert len(keys) == len(set(keys))
    # Zoomed in: the lights themselves, only those in and around the view, healthy ones only.
    street = View(17, 47.318, 5.036, 47.322, 5.044)
    singles = grid.payload(street)["singles"]
    assert singles and all(lights[s[0]][2] for s in singles)
    padded = street.padded()
    inside = {
        i
        for i, (lat, lon, h) in lights.items()
        if h and street.south <= lat <= street.north and street.west <= lon <= street.east
    }
    assert inside <= {s[0] for s in singles}
    assert all(padded.south - 0.01 <= s[1] <= padded.north + 0.01 for s in singles)
    # A light's fault takes it out of its cluster; its repair puts it back.
    before = sum(c[2] for c in grid.payload(whole)["cells"])
    assert grid.put("sl-1", *lights["sl-1"][:2], 0.5, False)
    assert sum(c[2] for c in grid.payload(whole)["cells"]) == before - 1
    assert not grid.put("sl-1", *lights["sl-1"][:2], 0.5, False)  # nothing new: no change
    assert CELL_PX == 56


def js(qtbot, panel: MapPanel, expression: str):
    with qtbot.waitCallback(timeout=10_000) as callback:
        panel.view.page().runJavaScript(f"JSON.stringify({expression})", 0, callback)
    return json.loads(callback.args[0])


def test_the_page_draws_served_clusters_and_the_lights_that_need_action(qtbot):
    panel = MapPanel(build_page(communes(), legend_rows(), None), show_patrols=True)
    qtbot.addWidget(panel, before_close_func=lambda p: p.close_page())
    panel.resize(900, 700)
    with qtbot.waitSignal(panel.sig_ready, timeout=60_000):
        panel.show()
    with qtbot.waitSignal(panel.sig_view, timeout=20_000) as reported:
        panel.show_whole()
    view = View(*reported.args)
    assert 10 <= view.zoom < SINGLE_FROM and view.south < 47.32 < view.north
    rng = random.Random(3)
    grid = LightGrid()
    for n in range(60_000):
        grid.put(f"sl-{n}", 47.32 + rng.gauss(0, 0.02), 5.04 + rng.gauss(0, 0.03), 1.0, True)
    payload = grid.payload(view)
    panel.show_light_cells(payload)
    panel.update_devices([("sl-7", "Streetlight", "fault", 47.32, 5.04)])
    with qtbot.waitSignal(panel.sig_frame, timeout=20_000):
        pass
    drawn = js(qtbot, panel, "vigie.redrawAll() && vigie.drawn('lights')")
    assert drawn["alarms"] == 1  # the light in fault, on its own
    assert 0 < drawn["clusters"] <= len(payload["cells"])
    held = js(qtbot, panel, "vigie.groups.lights.points.size")
    assert held == len(payload["cells"]) + 1 < 60_000  # clusters, not sixty thousand lights
    levels = js(qtbot, panel, "vigie.clusterLevels()")
    assert sum(n for n, _level in levels) <= 60_000
    # Repaired: back into its cluster, no longer drawn alone.
    panel.forget_devices(["sl-7"])
    with qtbot.waitSignal(panel.sig_frame, timeout=20_000):
        pass
    assert js(qtbot, panel, "vigie.redrawAll() && vigie.drawn('lights')")["alarms"] == 0


def test_the_map_feed_serves_a_big_field_as_clusters_and_alarms_alone(field_db, monkeypatch):
    """Above ``SERVED_LIGHTS`` the lane sends the page clusters of the view, and the lights
    that need action one by one; a light's fault takes it out of its cluster."""
    import console.feeds.map as map_feed
    from services.domain.operators import Role
    from services.permissions import load_matrix

    database, now = field_db
    monkeypatch.setattr(map_feed, "SERVED_LIGHTS", 1_000)  # the small field plays the big one
    bridge = Bridge()
    feed = map_feed.MapFeed(
        database,
        "mqtt://127.0.0.1:9",  # never started: the lane's work is called as a turn would
        "x10test",
        bridge=bridge,
        kinds=load_matrix().unit_kinds(Role("technician")),
    )
    try:
        feed.set_view(11, 46.9, 4.4, 47.8, 5.7)
        said = feed._work(True, {}, False, False)
        assert feed.served
        states = judged(database, now)
        lights = {i for i in states if i.startswith("sl-")}
        healthy = {i for i in lights if states[i] == "ok"}
        sent = {d[0] for d in said.situation.devices}
        assert sent & lights == lights - healthy  # the lights that need action, alone
        assert {i for i in states if not i.startswith("sl-")} <= sent  # every other device
        cells = [c.light_cells for c in said.changes if c.light_cells is not None]
        assert len(cells) == 1 and sum(c[2] for c in cells[0]["cells"]) == len(healthy)
        # A healthy light falls into fault: drawn alone, out of its cluster.
        broken = sorted(healthy)[0]
        feed._devices[broken].status = "brokenLantern"
        said = feed._work(False, {}, True, False)
        moved = [d for c in said.changes for d in c.devices if d[0] == broken]
        assert moved and moved[-1][2] == "fault"
        feed._cells_at = 0.0  # its clusters' next sending is due
        said = feed._work(False, {}, True, False)
        cells = [c.light_cells for c in said.changes if c.light_cells is not None]
        assert cells and sum(c[2] for c in cells[-1]["cells"]) == len(healthy) - 1
        # Repaired: back into its cluster, no longer drawn alone.
        feed._devices[broken].status = "ok"
        said = feed._work(False, {}, True, False)
        assert broken in [i for c in said.changes for i in c.devices_gone]
    finally:
        feed.bus.stop()
        bridge.shutdown()


def _shown_panel(qtbot, model: EquipmentPageModel) -> EquipmentPanel:
    """The equipment panel on ``model``, shown at a size that paints a few dozen rows."""
    panel = EquipmentPanel(model, NAMES, search_delay_ms=0)
    qtbot.addWidget(panel)
    panel.resize(1000, 600)
    panel.show()
    return panel
