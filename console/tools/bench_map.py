"""``vigie bench map``: the map page with Dijon's field against the same page without markers.

Two map panels run offscreen in one process, on the same page. The loaded one gets 34,000
lights, the signals, cameras and bollards and 205 units; the baseline gets nothing, and its
layers are switched off. Both then receive the same frames: every unit moves and some lights
change state between two frames. Reported: the bridge calls those frames cost (one per frame,
whatever the number of updates), the page's time to apply a frame (median and 95th percentile,
measured by the page itself), a full redraw of the equipment as when the operator pans, and the
ratio of each to the baseline. The baseline's redraw is of the little its frames left on it.
"""

from __future__ import annotations

import random
import statistics
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from console.feeds.light_grid import LightGrid, View
from services.domain.units import Unit, UnitKind, UnitStatus
from services.reference import communes
from widgets.map.legend import legend_rows
from widgets.map.page import build_page
from widgets.map.panel import MapPanel

#: Dijon Métropole's field: 113 intersections, 269 cameras, 26 bollards, 205 vehicles.
SIGNALS, CAMERAS, BOLLARDS = 113, 269, 26
UNIT_MIX = {
    UnitKind.PATROL: 64,
    UnitKind.ROAD_CREW: 95,
    UnitKind.SNOW_PLOUGH: 20,
    UnitKind.SALT_SPREADER: 26,
}
LIGHT_CHANGES_PER_FRAME = 50
#: Served (x10): the grid's clusters are sent again every this many frames (2 s), as the feed does.
CELLS_FRAMES = 10


@dataclass(frozen=True)
class PageFigures:
    frame_median_ms: float
    frame_p95_ms: float
    redraw_ms: float
    bridge_calls: int
    updates: int


@dataclass(frozen=True)
class MapBench:
    lights: int
    units: int
    frames: int
    snapshot_ms: float  # the loaded page taking in its whole field in one batch
    loaded: PageFigures
    baseline: PageFigures

    @property
    def frame_ratio(self) -> float:
        return _ratio(self.loaded.frame_median_ms, self.baseline.frame_median_ms)

    @property
    def redraw_ratio(self) -> float:
        return _ratio(self.loaded.redraw_ms, self.baseline.redraw_ms)


def _ratio(a: float, b: float) -> float:
    return a / b if b > 0 else float("inf")


def _field(lights: int, units: int, rng: random.Random) -> tuple[list, list[Unit]]:
    places = communes()
    weights = [c.population for c in places]
    devices = []
    for kind, count in (
        ("Streetlight", lights),
        ("TrafficSignal", SIGNALS),
        ("Camera", CAMERAS),
        ("Bollard", BOLLARDS),
    ):
        for n in range(count):
            c = rng.choices(places, weights)[0]
            state = "fault" if rng.random() < 0.01 else "ok"
            devices.append(
                (
                    f"{kind}:{n}",
                    kind,
                    state,
                    c.lat + rng.uniform(-0.012, 0.012),
                    c.lon + rng.uniform(-0.018, 0.018),
                )
            )
    now = datetime.now(UTC)
    mix = [k for k, n in UNIT_MIX.items() for _ in range(n)][:units]
    fleet = []
    for n, kind in enumerate(mix):
        c = rng.choices(places, weights)[0]
        fleet.append(
            Unit(
                f"vehicle:{kind.value}-{n:03d}",
                kind,
                UnitStatus.AVAILABLE,
                f"{kind.value} {n:03d}",
                lat=c.lat + rng.uniform(-0.01, 0.01),
                lon=c.lon + rng.uniform(-0.015, 0.015),
                observed_at=now,
                bearing=rng.uniform(0, 360),
            )
        )
    return devices, fleet


def _wait(signal, timeout_ms: int = 60_000) -> list:  # noqa: ANN001
    """Run the event loop until ``signal`` fires; its arguments."""
    loop = QEventLoop()
    got: list = []
    heard = []

    def fired(*args: object) -> None:
        got.extend(args)
        heard.append(True)
        loop.quit()

    signal.connect(fired)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    signal.disconnect(fired)
    if not heard:
        raise TimeoutError("the map page did not answer")
    return got


def _redraw_ms(panel: MapPanel, rounds: int = 7) -> float:
    times: list[float] = []
    loop = QEventLoop()

    def measured(ms: float) -> None:
        times.append(float(ms))
        loop.quit()

    for _ in range(rounds):
        panel.view.page().runJavaScript("vigie.redrawAll()", 0, measured)
        loop.exec()
    return statistics.median(times)


def _panel(html: str) -> MapPanel:
    panel = MapPanel(html, show_patrols=True)
    panel.resize(1400, 900)
    panel.show()
    _wait(panel.sig_ready)
    return panel


def _frames(
    panel: MapPanel,
    devices: list,
    fleet: list[Unit],
    frames: int,
    seed: int,
    served: Served | None = None,
):
    """Move every unit and change some lights, frame after frame; the page's times."""
    rng = random.Random(seed)
    lights = [d for d in devices if d[1] == "Streetlight"]
    times, updates = [], 0
    before = panel.bridge_calls
    for n in range(frames):
        moved = [
            Unit(
                u.id,
                u.kind,
                u.status,
                u.name,
                lat=u.lat + rng.uniform(-0.0004, 0.0004),  # type: ignore[operator]
                lon=u.lon + rng.uniform(-0.0006, 0.0006),  # type: ignore[operator]
                observed_at=datetime.now(UTC) + timedelta(seconds=n),
                bearing=rng.uniform(0, 360),
            )
            for u in fleet
        ]
        for unit in moved:  # one call per update, as the feed's messages arrive
            panel.update_units([unit])
        changed = rng.sample(lights, min(LIGHT_CHANGES_PER_FRAME, len(lights)))
        for ident, kind, state, lat, lon in changed:
            now = "fault" if state == "ok" else "ok"
            if served is None:
                panel.update_devices([(ident, kind, now, lat, lon)])
            elif now == "ok":  # back to health: into its cluster
                panel.forget_devices([ident])
                served.grid.put(ident, lat, lon, None, True)
            else:
                panel.update_devices([(ident, kind, now, lat, lon)])
                served.grid.put(ident, lat, lon, None, False)
        if served is not None and n % CELLS_FRAMES == CELLS_FRAMES - 1:
            panel.show_light_cells(served.grid.payload(served.view))
        updates += len(moved) + len(changed)
        times.extend(_wait(panel.sig_frame))
    return times, panel.bridge_calls - before, updates


@dataclass
class Served:
    """Ten times Dijon: the healthy lights in the console's grid, sent as clusters of the view."""

    grid: LightGrid
    view: View


def _serve(panel: MapPanel, devices: list) -> Served:
    """The devices as the map feed sends a served field: the grid's clusters, the rest alone."""
    views: list[View] = []
    panel.sig_view.connect(lambda *v: views.append(View(*v)))
    panel.show_whole()
    _wait(panel.sig_view)
    grid = LightGrid()
    alone = []
    for device in devices:
        ident, kind, state, lat, lon = device
        if kind == "Streetlight":
            grid.put(ident, lat, lon, None, state == "ok")
        if kind != "Streetlight" or state != "ok":
            alone.append(device)
    served = Served(grid, views[-1])
    panel.update_devices(alone)
    panel.show_light_cells(grid.payload(served.view))
    return served


def run(
    lights: int = 34_000, units: int = 205, frames: int = 25, seed: int = 7, served: bool = False
) -> MapBench:
    from console.shell.web_engine import prepare_web_engine

    prepare_web_engine()
    app = QApplication.instance() or QApplication([])  # held until the end: Qt needs it alive
    html = build_page(communes(), legend_rows(), None)
    devices, fleet = _field(lights, units, random.Random(seed))

    baseline = _panel(html)
    switches = [s for layer, s in baseline.switches.items() if layer != "legend"]
    for switch in switches:
        switch.setChecked(False)  # the same page and frames, nothing drawn
    _wait(baseline.sig_frame)
    base_times, base_calls, base_updates = _frames(baseline, devices, fleet, frames, seed)
    for switch in switches:  # a redraw of what the frames left there (no snapshot)
        switch.setChecked(True)
    _wait(baseline.sig_frame)
    base_redraw = _redraw_ms(baseline)

    loaded = _panel(html)
    grid = _serve(loaded, devices) if served else None
    if grid is None:
        loaded.update_devices(devices)
    loaded.update_units(fleet)
    snapshot_ms = _wait(loaded.sig_frame)[0]
    times, calls, updates = _frames(loaded, devices, fleet, frames, seed, grid)
    redraw = _redraw_ms(loaded)
    for panel in (baseline, loaded):
        panel.close_page()
        panel.close()
    app.processEvents()
    return MapBench(
        lights=lights,
        units=len(fleet),
        frames=frames,
        snapshot_ms=snapshot_ms,
        loaded=_figures(times, redraw, calls, updates),
        baseline=_figures(base_times, base_redraw, base_calls, base_updates),
    )


def _figures(times: list[float], redraw: float, calls: int, updates: int) -> PageFigures:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return PageFigures(statistics.median(times), p95, redraw, calls, updates)
