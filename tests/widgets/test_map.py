"""The map panel in a real QtWebEngine page, offscreen: offline, batched, clickable, private."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QPalette

from services.domain.incidents import IncidentSource, IncidentStatus, Location, new_incident
from services.domain.units import Unit, UnitKind, UnitStatus
from services.reference import communes
from widgets.map.bridge import LOCAL_SCHEMES
from widgets.map.legend import legend_rows
from widgets.map.page import TileSource, build_page
from widgets.map.panel import MapPanel
from widgets.palette import Role, colour, hex_of

NOW = datetime.now(UTC)


def make_panel(
    qtbot, *, show_patrols: bool = True, tiles: TileSource | None = None, hosts=frozenset()
) -> MapPanel:
    page = build_page(communes(), legend_rows(), tiles)
    panel = MapPanel(page, show_patrols=show_patrols, allowed_hosts=hosts)
    qtbot.addWidget(panel, before_close_func=lambda p: p.close_page())
    panel.resize(900, 700)
    with qtbot.waitSignal(panel.sig_ready, timeout=60_000):
        panel.show()
    return panel


def js(qtbot, panel: MapPanel, expression: str):
    """The expression's value, through JSON (objects and arrays do not cross as they are)."""
    with qtbot.waitCallback(timeout=10_000) as callback:
        panel.view.page().runJavaScript(f"JSON.stringify({expression})", 0, callback)
    return json.loads(callback.args[0])


def census(qtbot, panel: MapPanel) -> dict:
    return js(qtbot, panel, "vigie.census()")


def unit(ident: str, kind=UnitKind.PATROL, lat=47.3220, lon=5.0415, **more) -> Unit:
    # heard now, not when the module was imported: a long run would make the unit stale
    fields = {
        "status": UnitStatus.AVAILABLE,
        "name": ident,
        "observed_at": datetime.now(UTC),
        "bearing": 90.0,
    }
    fields.update(more)
    return Unit(ident, kind, lat=lat, lon=lon, **fields)


@pytest.fixture
def panel(qtbot):
    return make_panel(qtbot)


def test_the_page_loads_from_this_machine_only(qtbot, panel):
    assert js(qtbot, panel, "typeof L") == "object"  # Leaflet came from XStatic-Leaflet
    assert js(qtbot, panel, "typeof jQuery") == "function"
    names = js(qtbot, panel, "document.querySelectorAll('.vm-commune-name').length")
    assert names == len(communes()) == 23  # the base the map draws without a tile server
    seen = panel.interceptor.requested
    assert any(url.endswith("leaflet.js") for url in seen)
    assert all(url.split(":", 1)[0] in LOCAL_SCHEMES for url in seen), seen
    assert panel.interceptor.blocked == []


def test_a_request_leaving_the_machine_is_blocked(qtbot):
    # The network is open to one tile server; the page asks another: every tile is stopped.
    tiles = TileSource("http://tiles.invalid/{z}/{x}/{y}.png", "© test")
    panel = make_panel(qtbot, tiles=tiles, hosts=frozenset({"tiles.example.org"}))
    qtbot.waitUntil(lambda: len(panel.interceptor.blocked) > 0, timeout=10_000)
    assert all(url.startswith("http://tiles.invalid/") for url in panel.interceptor.blocked)


def test_markers_appear_move_and_change(qtbot, panel):
    heard = datetime.now(UTC)
    panel.update_units(
        [unit("vehicle:pm-01", observed_at=heard), unit("vehicle:ve-01", UnitKind.ROAD_CREW)]
    )
    panel.update_devices(
        [
            ("light:1", "Streetlight", "ok", 47.32, 5.04),
            ("light:2", "Streetlight", "fault", 47.321, 5.041),
            ("tls:1", "TrafficSignal", "ok", 47.322, 5.042),
            ("hydrant:1", "FireHydrant", "ok", 47.322, 5.042),  # not a map layer: left out
        ]
    )
    incident = new_incident(
        source=IncidentSource.CALL, category="fire", at=NOW, location=Location(47.33, 5.05)
    )
    panel.update_incidents([_with_id(incident, 7)])
    qtbot.waitUntil(lambda: census(qtbot, panel)["units"] == 2, timeout=5_000)
    counts = census(qtbot, panel)
    assert (counts["incidents"], counts["lights"], counts["signals"]) == (1, 2, 1)
    assert js(qtbot, panel, "vigie.deviceState('lights', 'light:2')") == "fault"

    later = heard + timedelta(seconds=5)
    panel.update_units([unit("vehicle:pm-01", lat=47.3300, observed_at=later)])
    panel.update_devices([("light:2", "Streetlight", "comm_lost", 47.321, 5.041)])
    qtbot.waitUntil(
        lambda: js(qtbot, panel, "vigie.unitAt('vehicle:pm-01')")[0] == 47.33, timeout=5_000
    )
    lat, _lon, trail, status = js(qtbot, panel, "vigie.unitAt('vehicle:pm-01')")
    assert (trail, status) == (2, "available")  # where it was and where it is: its trail
    assert js(qtbot, panel, "vigie.deviceState('lights', 'light:2')") == "comm_lost"
    # a resolved incident leaves the map
    panel.update_incidents([_with_id(incident, 7, status=IncidentStatus.RESOLVED)])
    qtbot.waitUntil(lambda: census(qtbot, panel)["incidents"] == 0, timeout=5_000)


def test_two_hundred_updates_cost_one_bridge_call(qtbot, panel):
    qtbot.waitUntil(lambda: not panel.frame_waiting, timeout=5_000)  # the layers' first frame
    before_calls = panel.bridge_calls
    before_frames = census(qtbot, panel)["frames"]
    for n in range(200):  # as a storm of positions arrives between two frames
        panel.update_units([unit(f"vehicle:pm-{n:03d}", lat=47.30 + n / 10_000)])
    qtbot.waitUntil(lambda: census(qtbot, panel)["units"] == 200, timeout=5_000)
    assert panel.bridge_calls - before_calls == 1
    assert census(qtbot, panel)["frames"] - before_frames == 1


def test_a_continuous_flow_is_sent_at_most_five_times_a_second(qtbot, panel):
    moves = {"n": 0}

    def move() -> None:  # a position every 10 ms, for a second
        moves["n"] += 1
        panel.update_units([unit("vehicle:pm-01", lat=47.30 + moves["n"] / 10_000)])

    pump = QTimer()
    pump.timeout.connect(move)
    before = panel.bridge_calls
    pump.start(10)
    qtbot.wait(1_000)
    pump.stop()
    sent = panel.bridge_calls - before
    assert moves["n"] > 20  # many more updates than frames
    assert 1 <= sent <= 6  # five frames a second (one more if the second straddles a frame)


def test_clicks_on_the_page_reach_python(qtbot, panel):
    panel.update_units([unit("vehicle:pm-01")])
    panel.update_devices([("light:9", "Streetlight", "fault", 47.31, 5.02)])
    incident = new_incident(
        source=IncidentSource.CALL, category="fire", at=NOW, location=Location(47.33, 5.05)
    )
    panel.update_incidents([_with_id(incident, 12)])
    qtbot.waitUntil(lambda: census(qtbot, panel)["incidents"] == 1, timeout=5_000)
    with qtbot.waitSignal(panel.sig_unit_clicked, timeout=5_000) as clicked:
        js(qtbot, panel, "vigie.units.get('vehicle:pm-01').marker.fire('click') && 1")
    assert clicked.args == ["vehicle:pm-01"]
    assert "vehicle:pm-01" in panel.info.text()
    # selected on the page, with its trail drawn though the trails layer is off
    qtbot.waitUntil(lambda: js(qtbot, panel, "vigie.selectedTrailLength()") == 1, timeout=5_000)
    with qtbot.waitSignal(panel.sig_incident_clicked, timeout=5_000) as clicked:
        js(qtbot, panel, "vigie.incidents.get(12).marker.fire('click') && 1")
    assert clicked.args == [12]
    with qtbot.waitSignal(panel.sig_device_clicked, timeout=5_000) as clicked:
        js(
            qtbot,
            panel,
            "vigie.map.fire('click', {containerPoint: vigie.map.latLngToContainerPoint([47.31,"
            " 5.02]), latlng: L.latLng(47.31, 5.02)}) && 1",
        )
    assert clicked.args == ["light:9"]


def test_layers_are_switched_from_the_panel(qtbot, panel):
    assert js(qtbot, panel, "vigie.map.hasLayer(vigie.groups.lights)") is True
    panel.switches["lights"].setChecked(False)
    panel.switches["snow"].setChecked(False)
    qtbot.waitUntil(
        lambda: js(qtbot, panel, "vigie.map.hasLayer(vigie.groups.lights)") is False,
        timeout=5_000,
    )
    assert js(qtbot, panel, "vigie.map.hasLayer(vigie.groups.snow_plough)") is False
    assert js(qtbot, panel, "vigie.map.hasLayer(vigie.groups.patrol)") is True


def test_a_role_that_may_not_see_patrols_never_gets_them(qtbot):
    panel = make_panel(qtbot, show_patrols=False)
    assert "patrol" not in panel.switches
    panel.update_units([unit("vehicle:pm-01"), unit("vehicle:cs-01", UnitKind.SNOW_PLOUGH)])
    qtbot.waitUntil(lambda: census(qtbot, panel)["units"] == 1, timeout=5_000)
    assert js(qtbot, panel, "vigie.unitAt('vehicle:pm-01')") is None


def test_selecting_an_incident_centres_the_map_on_it(qtbot, panel):
    incident = new_incident(
        source=IncidentSource.CALL, category="fire", at=NOW, location=Location(47.2900, 5.1000)
    )
    panel.update_incidents([_with_id(incident, 3)])
    qtbot.waitUntil(lambda: census(qtbot, panel)["incidents"] == 1, timeout=5_000)
    whole = js(qtbot, panel, "vigie.map.getZoom()")
    panel.focus_incident(3)
    qtbot.waitUntil(
        lambda: abs(js(qtbot, panel, "vigie.map.getCenter().lat") - 47.29) < 1e-4, timeout=5_000
    )
    assert js(qtbot, panel, "vigie.map.getZoom()") == whole  # in view: the operator's zoom


def _with_id(incident, ident: int, **changes):
    from dataclasses import replace

    return replace(incident, id=ident, **changes)


def test_the_tile_server_is_the_only_host_the_page_may_reach():
    from console.desks.map import MapOptions

    assert MapOptions().allowed_hosts == frozenset()  # none configured: nothing leaves
    tiles = TileSource("https://{s}.tiles.example.org/{z}/{x}/{y}.png", "© OSM")
    assert MapOptions(tiles=tiles).allowed_hosts == {
        "a.tiles.example.org",
        "b.tiles.example.org",
        "c.tiles.example.org",
    }


def test_a_followed_unit_keeps_the_map_on_it(qtbot, panel):
    panel.update_units([unit("vehicle:pm-01", lat=47.30, lon=5.00)])
    qtbot.waitUntil(lambda: census(qtbot, panel)["units"] == 1, timeout=5_000)
    panel.focus_unit("vehicle:pm-01")
    panel.follow.setChecked(True)
    panel.update_units([unit("vehicle:pm-01", lat=47.35, lon=5.10)])
    qtbot.waitUntil(
        lambda: abs(js(qtbot, panel, "vigie.map.getCenter().lat") - 47.35) < 1e-4, timeout=5_000
    )
    panel.follow.setChecked(False)  # the operator takes the map back
    panel.update_units([unit("vehicle:pm-01", lat=47.25, lon=4.95)])
    qtbot.waitUntil(
        lambda: js(qtbot, panel, "vigie.unitAt('vehicle:pm-01')")[0] == 47.25, timeout=5_000
    )
    assert abs(js(qtbot, panel, "vigie.map.getCenter().lat") - 47.35) < 1e-4


def test_the_winter_network_is_coloured_by_the_time_since_its_last_pass(qtbot, panel):
    from datetime import timedelta

    from services.domain.snow_watch import SnowWatch
    from services.snow_network import load_network

    segments, schematic = load_network()
    assert schematic and len(segments) == 22
    start = NOW - timedelta(hours=3)
    watch = SnowWatch(segments, start)
    chenove = next(s for s in segments if s.name == "Dijon – Chenôve")
    quetigny = next(s for s in segments if s.name == "Dijon – Quetigny")
    middle = [(a + b) / 2 for a, b in zip(*chenove.points, strict=True)]
    watch.observe("plough-1", *middle, NOW - timedelta(minutes=10), treating=True)
    end = quetigny.points[-1]
    watch.observe("plough-2", *end, NOW - timedelta(minutes=90), treating=False)  # blade up
    panel.set_snow_network(segments, schematic)
    panel.show_passes(watch.states(NOW, since=start))
    assert js(qtbot, panel, "vigie.map.hasLayer(vigie.groups.snow_network)") is False
    panel.show_layers(frozenset({"snow_network"}))  # a snow level's playbook asks for it
    qtbot.waitUntil(
        lambda: js(qtbot, panel, f"vigie.segmentState('{chenove.id}')") == "fresh", timeout=5_000
    )
    assert js(qtbot, panel, "vigie.map.hasLayer(vigie.groups.snow_network)") is True
    # untreated for the three hours of the operation: past the principal network's two
    assert js(qtbot, panel, f"vigie.segmentState('{quetigny.id}')") == "late"
    assert watch.vehicles(NOW) == (1, 1)  # plough-2 was last heard 90 min ago
    gaps = watch.gaps(NOW, since=start)
    assert quetigny.id in {g.segment.id for g in gaps} and chenove.id not in {
        g.segment.id for g in gaps
    }


def test_a_signals_running_plan_is_written_beside_it(qtbot, panel):
    panel.update_devices([("trafficsignal:21231-001", "TrafficSignal", "ok", 47.3220, 5.0415)])
    panel.show_plans({"trafficsignal:21231-001": "SNOW"})
    qtbot.waitUntil(
        lambda: (
            js(qtbot, panel, "vigie.deviceLabel('signals', 'trafficsignal:21231-001')") == "SNOW"
        ),
        timeout=5_000,
    )
    panel.show_plans({"trafficsignal:21231-001": "P1"})  # back to the time-of-day plan
    qtbot.waitUntil(
        lambda: js(qtbot, panel, "vigie.deviceLabel('signals', 'trafficsignal:21231-001')") == "P1",
        timeout=5_000,
    )


def test_a_snow_vehicle_at_work_says_so_beside_its_name(qtbot, panel):
    panel.update_units([unit("plough-7", UnitKind.SNOW_PLOUGH, name="Chasse-neige 7")])
    qtbot.waitUntil(
        lambda: js(qtbot, panel, "vigie.unitLabel('plough-7')") is not None, timeout=5_000
    )
    assert js(qtbot, panel, "vigie.unitLabel('plough-7')") == "Chasse-neige 7"
    panel.update_units(
        [unit("plough-7", UnitKind.SNOW_PLOUGH, name="Chasse-neige 7", work="plough+spread")]
    )
    qtbot.waitUntil(
        lambda: js(qtbot, panel, "vigie.unitLabel('plough-7')") == "Chasse-neige 7 ▼⁘",
        timeout=5_000,
    )


def _theme(qapp, window: QColor) -> None:
    """The operator's theme, as console/shell/theme.py sets it: the application's palette."""
    palette = QPalette(qapp.palette())
    palette.setColor(QPalette.ColorRole.Window, window)
    qapp.setPalette(palette)


def _rgb(role: Role, theme: str) -> str:
    """A role's colour as the page's computed style says it."""
    c = colour(role, theme)
    return f"rgb({c.red()}, {c.green()}, {c.blue()})"


def test_the_map_follows_the_theme(qtbot, qapp):
    before = QPalette(qapp.palette())
    try:
        _theme(qapp, colour(Role.WINDOW, "dark"))
        panel = make_panel(qtbot)
        panel.update_devices([("light:1", "Streetlight", "ok", 47.32, 5.04)])
        qtbot.waitUntil(lambda: census(qtbot, panel)["lights"] == 1, timeout=5_000)
        ground = "getComputedStyle(document.querySelector('.leaflet-container')).backgroundColor"
        fault = "getComputedStyle(document.querySelector('.vm-legend [style*=map-fault]')).fill"
        assert js(qtbot, panel, ground) == _rgb(Role.MAP_BACKGROUND, "dark")
        # the light was drawn on its canvas: the script keeps the colour it read
        assert js(qtbot, panel, "vigie.colour('map-light')") == hex_of(Role.MAP_LIGHT, "dark")

        _theme(qapp, colour(Role.WINDOW, "light"))  # the operator picks the light theme
        qtbot.waitUntil(
            lambda: js(qtbot, panel, ground) == _rgb(Role.MAP_BACKGROUND, "light"), timeout=5_000
        )
        assert js(qtbot, panel, fault) == _rgb(Role.MAP_FAULT, "light")  # the legend follows
        assert js(qtbot, panel, "vigie.colour('map-light')") == hex_of(Role.MAP_LIGHT, "light")

        qtbot.waitUntil(lambda: not panel.frame_waiting, timeout=5_000)
        _theme(qapp, colour(Role.BASE, "light"))  # another palette, the same theme
        assert not panel.frame_waiting  # nothing to send: the page has the theme's colours
    finally:
        qapp.setPalette(before)


def test_a_layer_a_mode_turned_on_goes_off_with_it_unless_the_operator_chose(qtbot, panel):
    """Back to the snow plan's watch level: the winter network it drew is no longer drawn."""
    network = panel.switches["snow_network"]
    assert not network.isChecked()
    panel.show_layers(frozenset({"snow", "snow_network", "incidents"}))  # level 2
    assert network.isChecked()
    panel.show_layers(frozenset({"snow", "incidents"}))  # back to 0
    assert not network.isChecked()
    assert panel.switches["incidents"].isChecked()  # asked for by both: stays
    panel.show_layers(frozenset({"snow_network"}))
    panel.switches["trails"].setChecked(True)  # the operator's own choice
    network.setChecked(False)
    network.setChecked(True)  # kept on by hand: no longer the mode's to take away
    panel.show_layers(frozenset())
    assert network.isChecked() and panel.switches["trails"].isChecked()


def test_a_camera_pressed_on_the_map_is_dragged_as_its_id(qtbot, panel):
    panel.update_devices([("camera:21231-001", "Camera", "ok", 47.31, 5.02)])
    qtbot.waitUntil(
        lambda: js(qtbot, panel, "vigie.groups.cameras.points.size") == 1, timeout=5_000
    )
    press = (
        "(function (lat, lon) {"
        " const map = vigie.map, box = map.getContainer().getBoundingClientRect();"
        " const p = map.latLngToContainerPoint([lat, lon]);"
        " map.getContainer().dispatchEvent(new MouseEvent('mousedown', {bubbles: true,"
        "  clientX: box.left + p.x, clientY: box.top + p.y, button: 0}));"
        " const drag = new DragEvent('dragstart',"
        "  {bubbles: true, dataTransfer: new DataTransfer()});"
        " map.getContainer().dispatchEvent(drag);"
        " const carried = [drag.dataTransfer.getData('text/plain'), map.getContainer().draggable];"
        " document.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));"
        " return carried.concat([map.getContainer().draggable, map.dragging.enabled()]);"
        "})"
    )
    carried, draggable, after, panning = js(qtbot, panel, press + "(47.31, 5.02)")
    assert (carried, draggable) == ("camera:21231-001", True)
    assert (after, panning) == (False, True)  # released: the map pans again
    carried, draggable, _after, _panning = js(qtbot, panel, press + "(47.35, 5.10)")
    assert (carried, draggable) == ("", False)  # pressed elsewhere: the map pans, no drag
