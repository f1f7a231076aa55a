"""The telemetry panel: curves get the chosen window's data, selectors redraw, hover reads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from services.domain.telemetry import CounterReading, TelemetryHistory, sample
from services.reference import communes
from tests.widgets.telemetry_history import POINTS, STATIONS, dusk_history
from widgets.telemetry.panel import TelemetryPanel

NAMES = {c.insee: c.name for c in communes()}
INSEE = sorted(NAMES)
DIJON = "21231"
START = datetime(2026, 11, 25, 16, 30, tzinfo=UTC)
END = START + timedelta(hours=2)


@pytest.fixture(scope="module")
def history() -> TelemetryHistory:
    return dusk_history(START, timedelta(hours=2), [DIJON, *(c for c in INSEE if c != DIJON)])


@pytest.fixture
def panel(qtbot, history) -> TelemetryPanel:
    panel = TelemetryPanel(NAMES)
    qtbot.addWidget(panel)
    panel.resize(1200, 900)
    panel.show_history(history)
    return panel


def plotted(plot, key):
    """What the curve was given (getData() would return what clipping to the view kept)."""
    curve = plot.curve(key)
    return curve.xData, curve.yData


def choose(combo, data) -> None:
    combo.setCurrentIndex(combo.findData(data))


def test_curves_get_the_last_hour_by_default(panel, history):
    window = history.window(END - timedelta(hours=1))
    x, on = plotted(panel.lights, "on")
    assert x[0] == (END - timedelta(hours=1)).timestamp() and x[-1] == END.timestamp()
    assert len(x) == len(window.samples) == 241  # one sample per 15 s, both ends included
    assert list(on) == [s.lights_total.on for s in window.samples]
    _, fault = plotted(panel.exceptions, "fault")
    assert list(fault) == [s.lights_total.fault for s in window.samples]
    _, energy = plotted(panel.energy, "energy")
    assert energy[-1] == pytest.approx(window.samples[-1].energy_w / 1000)
    _, received = plotted(panel.messages, "received")
    assert list(received) == [r.received for r in window.rates]
    left, right = panel.messages.getPlotItem().vb.viewRange()[0]
    assert (left, right) == pytest.approx((x[0], x[-1]), abs=60)  # 1 % padding: 36 s


def test_choosing_a_window_or_a_commune_redraws(panel, history):
    panel.window_choice.setCurrentIndex(0)  # 15 minutes
    x, _ = plotted(panel.lights, "on")
    assert len(x) == 61 and x[0] == (END - timedelta(minutes=15)).timestamp()
    panel.window_choice.setCurrentIndex(3)  # 24 hours: everything there is
    x, _ = plotted(panel.energy, "energy")
    assert len(x) == len(history)
    left, right = panel.messages.getPlotItem().vb.viewRange()[0]
    assert left > START.timestamp() - 600  # two hours of data fill the plot, not 1/12 of it
    choose(panel.commune_choice, DIJON)
    x, on = plotted(panel.lights, "on")
    _, stale = plotted(panel.exceptions, "stale")
    samples = history.window(START).samples
    assert list(on) == [s.lights[DIJON].on for s in samples]
    assert list(stale) == [s.lights[DIJON].stale for s in samples]
    assert on[-1] < samples[-1].lights_total.on  # not the whole métropole any more


def test_measured_points_and_stations_are_offered_and_plotted(panel, history):
    assert [panel.point_choice.itemData(i) for i in range(panel.point_choice.count())] == [
        None,
        *sorted(POINTS),
    ]
    window = history.window(END - timedelta(hours=1)).samples
    _, mean = plotted(panel.traffic, "intensity")
    expected = [sum(s.traffic_intensity.values()) / len(POINTS) for s in window]
    assert mean == pytest.approx(expected)
    choose(panel.point_choice, POINTS[3])
    _, one = plotted(panel.traffic, "intensity")
    assert list(one) == [s.traffic_intensity[POINTS[3]] for s in window]
    _, coldest = plotted(panel.temperatures, "coldest")
    assert list(coldest) == [min(s.road_temperature.values()) for s in window]
    assert panel.temperatures.curve("coldest").isVisible()
    choose(panel.station_choice, STATIONS[1])
    _, road = plotted(panel.temperatures, "road")
    assert list(road) == [s.road_temperature[STATIONS[1]] for s in window]
    assert not panel.temperatures.curve("coldest").isVisible()


def test_hover_says_the_value_under_the_cursor(panel, history, qtbot):
    taken = history.window(END - timedelta(minutes=30)).samples[0]
    text = panel.energy.hover_at(taken.at.timestamp() + 3)  # a few seconds off: nearest sample
    expected = f"{taken.energy_w / 1000:.1f}"
    assert expected in text and "kW" in text
    assert panel.readout.text() == text
    assert all(plot.cursor.isVisible() for plot in panel.plots)  # the same moment everywhere


def test_hover_follows_the_mouse(panel, qtbot):
    panel.show()
    qtbot.waitExposed(panel)
    view = panel.lights.getPlotItem().vb
    middle = view.sceneBoundingRect().center()
    before = panel.readout.text()
    panel.lights.scene().sigMouseMoved.emit(middle)
    qtbot.waitUntil(lambda: panel.readout.text() != before)
    assert "lights" in panel.readout.text()
    assert any(ch.isdigit() for ch in panel.readout.text().split(":", 2)[-1])


def test_a_reset_counter_leaves_a_gap_not_a_negative_rate(qtbot):
    history = TelemetryHistory()
    for seconds, received in ((0, 1000), (15, 2500), (30, 10), (45, 1510)):
        at = START + timedelta(seconds=seconds)
        history.add_counters(CounterReading(at, received, 0))
        history.add_sample(sample([], at))
    panel = TelemetryPanel(NAMES)
    qtbot.addWidget(panel)
    panel.show_history(history)
    _, received = plotted(panel.messages, "received")
    assert received[0] == 100 and np.isnan(received[1]) and received[2] == 100


def test_a_full_day_at_one_sample_per_15_s_renders(qtbot):
    day = dusk_history(START - timedelta(hours=22), timedelta(hours=24), INSEE)
    assert len(day) == 24 * 240 + 1
    panel = TelemetryPanel(NAMES)
    qtbot.addWidget(panel)
    panel.resize(1200, 900)
    panel.window_choice.setCurrentIndex(3)
    panel.show_history(day)
    x, _ = plotted(panel.temperatures, "air")
    assert len(x) == len(day)
    assert not panel.grab().isNull()


def test_an_empty_history_draws_nothing_and_fails_nothing(qtbot):
    panel = TelemetryPanel(NAMES)
    qtbot.addWidget(panel)
    panel.show_history(TelemetryHistory())
    x, _ = plotted(panel.lights, "on")
    assert x is None or len(x) == 0
    assert "—" in panel.lights.hover_at(START.timestamp())


def test_the_axis_and_the_readout_read_the_rooms_clock(panel):
    """19:41 UTC is 20:41 in the room: what the operator's wall clock says, not the server's."""
    from datetime import UTC, datetime

    at = datetime(2026, 12, 4, 19, 41, tzinfo=UTC).timestamp()
    assert panel.energy.hover_at(at).startswith("20:41")
    axis = panel.energy.getAxis("bottom")
    # Paris (winter or summer), as pyqtgraph counts it (west of UTC); not this server's UTC
    assert axis.utcOffset in (-3600, -7200)
