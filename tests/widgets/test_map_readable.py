"""The map stays readable at Dijon's scale (issue 17, item 5), in a real QtWebEngine page.

At every zoom what needs action comes first: healthy lights are counted clusters until the
street zoom; a fault is drawn above the incidents' tags, on its own from the street zoom that
still shows the blocks (15) and below it on its own or in a counted group of its cell; no label
covers another, the whole métropole fits the panel's real size, and selecting never jumps to
100 m.
"""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from services.domain.incidents import IncidentSource, Location, Priority, new_incident
from services.domain.units import UnitKind
from services.reference import communes
from tests.widgets.test_map import NOW, census, js, make_panel, unit

DARCY = (47.3223, 5.0333)  # Place Darcy, in Dijon's centre
CELL_PX = 56  # the map's grid of clusters, in screen pixels (vigie_map.js)


def incident(ident: int, lat: float, lon: float, priority: Priority = Priority.P3):
    made = new_incident(
        source=IncidentSource.CALL, category="noise", at=NOW, location=Location(lat, lon)
    )
    return replace(made, id=ident, priority=priority)


def view(qtbot, panel, lat: float, lon: float, zoom: float) -> None:
    js(qtbot, panel, f"vigie.map.setView([{lat}, {lon}], {zoom}, {{animate: false}}) && 1")


def zoom_of(qtbot, panel) -> float:
    return js(qtbot, panel, "vigie.map.getZoom()")


def centre_of(qtbot, panel) -> tuple[float, float]:
    return tuple(js(qtbot, panel, "[vigie.map.getCenter().lat, vigie.map.getCenter().lng]"))


def near(a: tuple[float, float], b: tuple[float, float], tolerance: float = 1e-4) -> bool:
    return abs(a[0] - b[0]) < tolerance and abs(a[1] - b[1]) < tolerance


def centred(qtbot, panel, place: tuple[float, float]) -> bool:
    """Whether the place is in the middle of the map, give or take a pixel's rounding."""
    return (
        js(
            qtbot,
            panel,
            f"vigie.map.latLngToContainerPoint([{place[0]}, {place[1]}])"
            ".distanceTo(vigie.map.getSize().divideBy(2))",
        )
        <= 1.5
    )


@pytest.fixture
def panel(qtbot):
    return make_panel(qtbot)


def test_the_communes_real_outlines_are_drawn_and_credited(qtbot, panel):
    assert js(qtbot, panel, "document.querySelectorAll('path.vm-commune').length") == 23
    assert js(qtbot, panel, "document.querySelectorAll('circle.vm-commune').length") == 0
    credit = js(qtbot, panel, "document.querySelector('.leaflet-control-attribution').textContent")
    assert "IGN Admin Express, Licence Ouverte" in credit


def test_lights_are_counted_clusters_until_the_street_zoom_and_faults_always_shown(qtbot, panel):
    rng = random.Random(3)
    lights = [
        (f"light:{n}", "Streetlight", "ok", DARCY[0] + rng.uniform(-0.01, 0.01),
         DARCY[1] + rng.uniform(-0.015, 0.015))
        for n in range(6_000)
    ]  # fmt: skip
    needing_action = [
        ("light:f1", "Streetlight", "fault", DARCY[0] + 0.001, DARCY[1]),
        ("light:f2", "Streetlight", "fault", DARCY[0] - 0.004, DARCY[1] + 0.006),
        ("light:s1", "Streetlight", "stale", DARCY[0] + 0.003, DARCY[1] - 0.002),
        ("light:c1", "Streetlight", "comm_lost", DARCY[0] - 0.002, DARCY[1] - 0.005),
    ]
    panel.update_devices(lights + needing_action)
    qtbot.waitUntil(lambda: census(qtbot, panel)["lights"] == 6_004, timeout=10_000)
    js(qtbot, panel, "vigie.redrawAll() && 1")
    whole = js(qtbot, panel, "vigie.drawn('lights')")
    assert whole["alarms"] + whole["grouped"] == 4  # every light that needs action, shown
    assert 0 < whole["clusters"] < 100  # 6,000 healthy lights: a few dozen counted discs
    assert whole["single"] < 100
    view(qtbot, panel, *DARCY, 17)  # the street: every light on its own, some 30 m apart
    street = js(qtbot, panel, "vigie.drawn('lights')")
    assert street["clusters"] == 0
    assert street["single"] > 50
    assert street["alarms"] == 1  # the fault 110 m away; the others are out of this view


def test_faults_crowding_a_cell_are_one_counted_mark_until_the_street_zoom(qtbot, panel):
    # ten times Dijon's 1,400 faults were a wall of red rings over the whole métropole
    crowd = [
        (f"light:f{n}", "Streetlight", "fault", DARCY[0] + n * 0.0001, DARCY[1] + n * 0.0001)
        for n in range(30)
    ]  # some 400 m of a street: one cell at zoom 13
    lone = ("light:lone", "Streetlight", "fault", DARCY[0] - 0.02, DARCY[1] - 0.03)
    silent = [
        (f"light:s{n}", "Streetlight", "comm_lost", DARCY[0] + 0.0003 * n, DARCY[1] - 0.01)
        for n in range(5)
    ]  # a cabinet's street cut off
    panel.update_devices([*crowd, lone, *silent])
    qtbot.waitUntil(lambda: census(qtbot, panel)["lights"] == 36, timeout=5_000)
    view(qtbot, panel, *DARCY, 13)
    zoomed_out = js(qtbot, panel, "vigie.drawn('lights')")
    assert zoomed_out["grouped"] + zoomed_out["alarms"] == 36  # none left out
    assert zoomed_out["alarmGroups"] <= 4  # the street's thirty, the cabinet's five
    assert zoomed_out["alarms"] <= 3  # the lone fault, and a street's end in the next cell
    # the lone fault stays itself (a click selects it); a group's click zooms in
    at = "vigie.map.latLngToContainerPoint([{}, {}])"
    pick = "vigie.groups.lights.nearest(" + at + ", 7)"
    assert js(qtbot, panel, pick.format(*lone[3:5])) == "light:lone"
    middle = crowd[15][3:5]
    assert js(qtbot, panel, pick.format(*middle)) is None  # inside its group
    assert js(qtbot, panel, f"vigie.groups.lights.clusterAt({at.format(*middle)}) !== null")
    view(qtbot, panel, *middle, 15)  # the street zoom that still shows the blocks
    street = js(qtbot, panel, "vigie.drawn('lights')")
    assert (street["alarmGroups"], street["grouped"]) == (0, 0)
    assert street["alarms"] >= 20  # each on its own, those of the street in view
    assert js(qtbot, panel, pick.format(*middle)) == crowd[15][0]
    legend = js(qtbot, panel, "document.querySelector('.vm-legend').textContent")
    assert "Zoomed out: that many in the area, a click zooms in" in legend


def test_groups_of_neighbouring_cells_never_touch(qtbot, panel):
    # a long street of faults across several cells: each cell's group stays in its middle half
    street = [
        (f"light:f{n}", "Streetlight", "fault", DARCY[0] + n * 0.00005, DARCY[1] + n * 0.00008)
        for n in range(400)
    ]  # fmt: skip  (some 3 km)
    panel.update_devices(street)
    qtbot.waitUntil(lambda: census(qtbot, panel)["lights"] == 400, timeout=5_000)
    view(qtbot, panel, DARCY[0] + 0.01, DARCY[1] + 0.016, 13)
    drawn = js(qtbot, panel, "vigie.drawn('lights')")
    assert drawn["alarmGroups"] >= 3 and drawn["grouped"] + drawn["alarms"] == 400
    marks = js(qtbot, panel, "vigie.groups.lights._clusters")  # the groups' places, no cluster
    assert len(marks) == drawn["alarmGroups"]
    closest = min(
        ((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5
        for i, a in enumerate(marks)
        for b in marks[i + 1 :]
    )
    assert closest >= CELL_PX / 2 - 0.5


def test_a_fault_ring_is_drawn_above_the_incidents_tag_and_not_under_it(qtbot, panel):
    # the incident a faulty light opened stands where the light stands
    panel.update_devices([("light:f1", "Streetlight", "fault", *DARCY)])
    panel.update_incidents([incident(21, *DARCY, Priority.P2)])
    qtbot.waitUntil(lambda: census(qtbot, panel)["incidents"] == 1, timeout=5_000)
    pane = "getComputedStyle(vigie.map.getPane('{}')).zIndex"
    assert int(js(qtbot, panel, pane.format("vigie-alarms"))) > int(
        js(qtbot, panel, pane.format("markerPane"))
    )
    view(qtbot, panel, *DARCY, 16)  # the tag written in full, its arrow above the point
    tag_bottom = js(
        qtbot,
        panel,
        "vigie.incidents.get(21).marker.getElement().firstChild.getBoundingClientRect().bottom"
        " - vigie.map.getContainer().getBoundingClientRect().top",
    )
    point_y = js(qtbot, panel, f"vigie.map.latLngToContainerPoint([{DARCY[0]}, {DARCY[1]}]).y")
    assert tag_bottom + 6 <= point_y - 8  # the arrow's tip (6 px) stops at the ring (8 px)
    view(qtbot, panel, *DARCY, 12)  # zoomed out, the incident is a dot inside the ring
    width = js(
        qtbot,
        panel,
        "vigie.incidents.get(21).marker.getElement().firstChild.getBoundingClientRect().width",
    )
    assert width < 2 * 8
    assert js(qtbot, panel, "vigie.drawn('lights')")["alarms"] == 1


def test_labels_never_overlap_but_every_incident_stays(qtbot, panel):
    crowd = [incident(30 + n, DARCY[0] + n * 0.00003, DARCY[1], Priority.P3) for n in range(5)]
    crowd.append(incident(40, DARCY[0] + 0.00006, DARCY[1] + 0.00002, Priority.P1))
    panel.update_incidents(crowd)
    panel.update_units(
        [unit(f"vehicle:pm-{n}", lat=DARCY[0] - 0.0004, lon=DARCY[1] + n * 0.00002)
         for n in range(4)]
    )  # fmt: skip
    qtbot.waitUntil(lambda: census(qtbot, panel)["incidents"] == 6, timeout=5_000)
    qtbot.waitUntil(lambda: census(qtbot, panel)["units"] == 4, timeout=5_000)
    view(qtbot, panel, *DARCY, 17)  # the street zoom: every tag and name would be written
    labels = js(qtbot, panel, "vigie.labels()")
    assert labels["incidents"]["40"] is False  # the P1's tag in full, first
    squeezed = [i for i, small in labels["incidents"].items() if small]
    assert len(squeezed) == 5  # the others, on top of it, shrink to their dots...
    assert census(qtbot, panel)["incidents"] == 6  # ...but none is hidden
    names = labels["units"]
    assert list(names.values()).count(False) == 1  # four names on one spot: one is written
    boxes = js(
        qtbot,
        panel,
        "[...document.querySelectorAll("
        "'.vi:not(.vi-squeezed), .vu:not(.vu-name-hidden) .vu-name')].map(e => {"
        "const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]})",
    )
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)


@pytest.mark.parametrize("size", [(900, 700), (460, 820), (1000, 380)])
def test_the_whole_metropole_fits_the_panels_real_size(qtbot, panel, size):
    base = js(qtbot, panel, "vigie.boundsOfBase()")

    def fitted() -> bool:
        south, west, north, east = js(qtbot, panel, "vigie.boundsInView()")
        return south <= base[0] and west <= base[1] and north >= base[2] and east >= base[3]

    view(qtbot, panel, *DARCY, 16)
    panel.show_whole()
    qtbot.waitUntil(fitted, timeout=5_000)
    panel.resize(*size)  # the dock moved, floated or shared: still the whole métropole
    qtbot.waitUntil(lambda: js(qtbot, panel, "vigie.map.getSize().x") == panel.view.width())
    qtbot.waitUntil(fitted, timeout=5_000)
    assert zoom_of(qtbot, panel) >= 10.5  # and no smaller than it needs to be
    view(qtbot, panel, *DARCY, 15)  # the operator moved: a resize keeps their view
    panel.resize(size[0] + 40, size[1] + 40)
    qtbot.waitUntil(lambda: js(qtbot, panel, "vigie.map.getSize().x") == panel.view.width())
    assert zoom_of(qtbot, panel) == 15


def test_a_click_on_an_incident_selects_it_where_it_is(qtbot, panel):
    panel.update_incidents([incident(50, DARCY[0] + 0.004, DARCY[1] + 0.006)])
    qtbot.waitUntil(lambda: census(qtbot, panel)["incidents"] == 1, timeout=5_000)
    view(qtbot, panel, *DARCY, 13.5)
    before = centre_of(qtbot, panel)
    with qtbot.waitSignal(panel.sig_incident_clicked, timeout=5_000):
        js(qtbot, panel, "vigie.incidents.get(50).marker.fire('click') && 1")
    panel.focus_incident(50)  # the queue selects it in turn, and says so (console/desks/map.py)
    qtbot.waitUntil(lambda: js(qtbot, panel, "vigie.selected") == {"kind": "incident", "id": 50})
    qtbot.waitUntil(lambda: not panel.frame_waiting, timeout=5_000)
    assert zoom_of(qtbot, panel) == 13.5  # not 100 m
    assert near(centre_of(qtbot, panel), before)  # nor moved under the operator's hand


def test_an_incident_out_of_view_is_brought_in_at_a_street_zoom_not_the_closest(qtbot, panel):
    far = (47.3000, 5.1350)  # Chevigny-Saint-Sauveur
    panel.update_incidents([incident(60, *far)])
    qtbot.waitUntil(lambda: census(qtbot, panel)["incidents"] == 1, timeout=5_000)
    view(qtbot, panel, *DARCY, 14)
    panel.focus_incident(60)
    qtbot.waitUntil(lambda: centred(qtbot, panel, far), timeout=5_000)
    assert zoom_of(qtbot, panel) == 15
    view(qtbot, panel, *DARCY, 17.5)  # the operator's own closer zoom is kept
    panel.focus_incident(60)
    qtbot.waitUntil(lambda: centred(qtbot, panel, far), timeout=5_000)
    assert zoom_of(qtbot, panel) == 17.5


def test_an_incident_selected_before_it_reaches_the_map_is_centred_when_it_does(qtbot, panel):
    view(qtbot, panel, *DARCY, 16)
    panel.focus_incident(70)  # a call just taken: the queue has it, the map not yet
    qtbot.waitUntil(lambda: not panel.frame_waiting, timeout=5_000)
    place = (47.3370, 5.0050)  # Talant
    panel.update_incidents([incident(70, *place)])
    qtbot.waitUntil(lambda: centred(qtbot, panel, place), timeout=5_000)
    assert zoom_of(qtbot, panel) == 16


def test_a_coverage_gap_dashes_the_communes_own_outline(qtbot, panel):
    talant = next(c for c in communes() if c.name == "Talant")
    panel.show_coverage([(talant, "no patrol for 25 min")])
    qtbot.waitUntil(
        lambda: js(qtbot, panel, "document.querySelectorAll('path.vm-commune.vc-gap').length") == 1,
        timeout=5_000,
    )
    assert js(qtbot, panel, "document.querySelectorAll('path.vc-gap').length") == 1  # no circle
    panel.show_coverage([])
    qtbot.waitUntil(
        lambda: js(qtbot, panel, "document.querySelectorAll('.vc-gap').length") == 0,
        timeout=5_000,
    )


def test_a_unit_is_still_drawn_under_the_names_it_would_cover(qtbot, panel):
    panel.update_units([unit("vehicle:ve-01", UnitKind.ROAD_CREW, lat=DARCY[0], lon=DARCY[1])])
    qtbot.waitUntil(lambda: census(qtbot, panel)["units"] == 1, timeout=5_000)
    view(qtbot, panel, *DARCY, 17)
    assert js(qtbot, panel, "vigie.labels()")["units"] == {"vehicle:ve-01": False}


def test_the_legend_is_folded_on_a_narrow_map_and_open_on_a_wide_one(qtbot):
    from services.reference import communes as all_communes
    from widgets.map.legend import legend_rows
    from widgets.map.page import build_page
    from widgets.map.panel import MapPanel

    narrow = make_panel(qtbot)  # 900 pixels wide, less the panel's margins: a dock's map
    assert js(qtbot, narrow, "document.querySelector('details.vm-legend').open") is False
    title = js(qtbot, narrow, "document.querySelector('.vm-legend summary').textContent")
    assert title == "Legend"  # a click away
    wide = MapPanel(build_page(all_communes(), legend_rows(), None), show_patrols=True)
    qtbot.addWidget(wide, before_close_func=lambda p: p.close_page())
    wide.resize(1400, 900)  # a map on a screen of its own
    with qtbot.waitSignal(wide.sig_ready, timeout=60_000):
        wide.show()
    assert js(qtbot, wide, "document.querySelector('details.vm-legend').open") is True


@pytest.mark.parametrize("size", [(620, 700), (900, 700)])
def test_the_communes_names_written_never_overlap_on_the_whole_view(qtbot, panel, size):
    panel.resize(*size)  # a dispatcher's dock at 1366x768, and a wider one
    panel.show_whole()
    js(qtbot, panel, "vigie.map.fire('moveend') && 1")  # decluttered as the map now stands
    boxes = js(
        qtbot,
        panel,
        "[...document.querySelectorAll('.vm-commune-name:not(.vm-name-hidden)')].map(e => {"
        "const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]})",
    )
    assert len(boxes) >= 8  # names are written, not all left out
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
