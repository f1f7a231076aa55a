"""The telemetry panel: the field's trends over a chosen window, live.

Six plots on one time axis: messages per second (received, quarantined), the lights on and off,
the lights in fault and not heard (on a scale of their own: a few hundred beside 34,000 would be
a flat line at the bottom), the energy the lights draw, traffic flow intensity and road and air
temperatures. Traffic shows the mean of every measured point, or one point chosen in its
selector (a curve per point would be a tangle at a city's scale); temperatures show the mean air
and road temperatures and the coldest road surface of all stations, or one station's.

The console gives it a ``TelemetryHistory`` through ``show_history``; it never reads the
database, never talks to the broker and starts no thread.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from services.domain.telemetry import TelemetryHistory, TelemetryWindow
from widgets.flow_layout import FlowLayout
from widgets.plain_text import plain_label
from widgets.telemetry import series
from widgets.telemetry.trend_plot import CurveStyle, TrendPlot

SOLID, DASH, DOT, DASH_DOT = (
    Qt.PenStyle.SolidLine,
    Qt.PenStyle.DashLine,
    Qt.PenStyle.DotLine,
    Qt.PenStyle.DashDotLine,
)
WINDOWS = (timedelta(minutes=15), timedelta(hours=1), timedelta(hours=6), timedelta(hours=24))
DEFAULT_WINDOW = timedelta(hours=1)
#: A plot's least height, and the panel's width from which two plots stand side by side.
PLOT_HEIGHT = 190
TWO_COLUMNS_FROM = 1000
#: A choice longer than this (a station's full name) is elided rather than widen the dock.
MOST_COMBO_WIDTH = 320


def _captioned(text: str, combo: QComboBox) -> QWidget:
    """A caption and its combo, wrapped together."""
    pair = QWidget()
    row = QHBoxLayout(pair)
    row.setContentsMargins(0, 0, 0, 0)
    caption = plain_label(text)
    caption.setBuddy(combo)
    row.addWidget(caption)
    row.addWidget(combo)
    return pair


class TelemetryPanel(QWidget):
    def __init__(self, commune_names: Mapping[str, str], parent: Any = None) -> None:
        super().__init__(parent)
        self._history: TelemetryHistory | None = None
        self.window_choice = QComboBox()
        window_names = (
            self.tr("Last 15 minutes"),
            self.tr("Last hour"),
            self.tr("Last 6 hours"),
            self.tr("Last 24 hours"),
        )
        for span, text in zip(WINDOWS, window_names, strict=True):
            self.window_choice.addItem(text, span)
        self.window_choice.setCurrentIndex(WINDOWS.index(DEFAULT_WINDOW))
        self.commune_choice = QComboBox()
        self.commune_choice.addItem(self.tr("All communes"), None)
        for insee, name in sorted(commune_names.items(), key=lambda item: item[1]):
            self.commune_choice.addItem(name, insee)
        self.point_choice = QComboBox()
        self.point_choice.addItem(self.tr("Mean of measured points"), None)
        self.station_choice = QComboBox()
        self.station_choice.addItem(self.tr("All stations"), None)
        self.readout = plain_label(self.tr("Point at a plot to read its values."))
        self.readout.setObjectName("telemetry_readout")
        self.readout.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.readout.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.messages = TrendPlot(
            self.tr("Messages from the field"), self.tr("received, msg/s"), decimals=1
        )
        self.messages.add_curve("received", self.tr("received"), CurveStyle())
        self.messages.add_curve(
            "quarantined",
            self.tr("quarantined (right axis)"),
            CurveStyle("attention", DASH),
            right_axis=self.tr("quarantined, msg/s"),
        )
        self.lights = TrendPlot(self.tr("Street lights"), self.tr("lights"))
        self.lights.add_curve("on", self.tr("on"), CurveStyle())
        self.lights.add_curve("off", self.tr("off"), CurveStyle("quiet", DASH))
        self.exceptions = TrendPlot(self.tr("Street lights needing attention"), self.tr("lights"))
        self.exceptions.add_curve("fault", self.tr("in fault"), CurveStyle("alarm", DASH_DOT))
        self.exceptions.add_curve("stale", self.tr("not heard"), CurveStyle("attention", DOT, 2.5))
        self.energy = TrendPlot(self.tr("Energy drawn by street lights"), self.tr("kW"), decimals=1)
        self.energy.add_curve("energy", self.tr("power"), CurveStyle())
        self.traffic = TrendPlot(self.tr("Traffic flow intensity"), self.tr("vehicles"))
        self.traffic.add_curve("intensity", self.tr("mean"), CurveStyle())
        self.temperatures = TrendPlot(
            self.tr("Temperatures"), self.tr("°C"), decimals=1, from_zero=False
        )
        self.temperatures.add_curve("road", self.tr("road surface"), CurveStyle())
        self.temperatures.add_curve(
            "coldest", self.tr("coldest road"), CurveStyle("alarm", DASH_DOT)
        )
        self.temperatures.add_curve("air", self.tr("air"), CurveStyle("quiet", DASH))
        self.temperatures.add_reference(0.0, self.tr("0 °C"))
        self.plots = (
            self.messages,
            self.energy,
            self.lights,
            self.exceptions,
            self.traffic,
            self.temperatures,
        )
        for plot in self.plots:
            plot.setMinimumHeight(PLOT_HEIGHT)
            plot.setMinimumWidth(200)  # not the axes' and legend's wish: the dock decides
            plot.sig_hovered.connect(self._on_hovered)

        # The choices wrap, a caption with its combo, rather than squeeze: at 1366×768 they read
        # "Mean of me", "All commun". A long station name is elided past a third of a screen.
        controls = FlowLayout()
        for text, combo in (
            (self.tr("Window"), self.window_choice),
            (self.tr("Commune"), self.commune_choice),
            (self.tr("Measured point"), self.point_choice),
            (self.tr("Weather station"), self.station_choice),
        ):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.setMaximumWidth(MOST_COMBO_WIDTH)
            controls.add_widget(_captioned(text, combo))
        # The plots scroll, in one column on a narrow dock and two on a wide one: side by side
        # in 560 pixels, their titles and legends were cut ("quarantined (right ax…").
        self._plots_grid = QGridLayout()
        self._columns = 0
        plots = QWidget()
        plots.setLayout(self._plots_grid)
        self._scroll = QScrollArea()
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._scroll.setWidget(plots)
        self._lay_out_plots(columns=1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(controls)
        layout.addWidget(self.readout)
        layout.addWidget(self._scroll, 1)

        for combo in (
            self.window_choice,
            self.commune_choice,
            self.point_choice,
            self.station_choice,
        ):
            combo.currentIndexChanged.connect(self._redraw)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._lay_out_plots(columns=2 if event.size().width() >= TWO_COLUMNS_FROM else 1)

    def _lay_out_plots(self, columns: int) -> None:
        if columns == self._columns:
            return
        self._columns = columns
        for index, plot in enumerate(self.plots):
            self._plots_grid.addWidget(plot, index // columns, index % columns)
        rows = -(-len(self.plots) // columns)
        # as tall as the rows need; the dock scrolls when it is shorter
        self._scroll.widget().setMinimumHeight(rows * (PLOT_HEIGHT + 6))

    # --- public -------------------------------------------------------------------------------

    @property
    def span(self) -> timedelta:
        return self.window_choice.currentData()

    def show_history(self, history: TelemetryHistory) -> None:
        """Draw the chosen window of ``history``: call it after each sample (GUI thread)."""
        self._history = history
        self._redraw()

    # --- drawing ------------------------------------------------------------------------------

    def _redraw(self) -> None:
        history = self._history
        if history is None or history.latest is None:
            return
        end = history.latest.at
        window = history.window(end - self.span)
        self._draw_messages(window)
        self._draw_field(window)
        # A console started two hours ago has two hours to show, even in the 24-hour window:
        # spread them across the plot rather than squeeze them into its right edge.
        first = window.samples[0].at if window.samples else end
        # Each plot is given the same range rather than linked: pyqtgraph aligns linked views
        # by their pixels, which shifts the time axes of plots side by side in a grid.
        for plot in self.plots:
            plot.setXRange(first.timestamp(), end.timestamp(), padding=0.01)

    def _draw_messages(self, window: TelemetryWindow) -> None:
        x = series.times(window.rates)
        for key, y in series.message_rates(window.rates).items():
            self.messages.set_series(key, x, y)

    def _draw_field(self, window: TelemetryWindow) -> None:
        samples = window.samples
        x = series.times(samples)
        counts = series.light_counts(samples, self.commune_choice.currentData())
        for key in ("on", "off"):
            self.lights.set_series(key, x, counts[key])
        for key in ("fault", "stale"):
            self.exceptions.set_series(key, x, counts[key])
        self.energy.set_series("energy", x, series.energy_kw(samples))

        traffic = [s.traffic_intensity for s in samples]
        _refill(self.point_choice, series.device_ids(traffic))
        point = self.point_choice.currentData()
        self.traffic.set_series("intensity", x, series.one_or_mean(traffic, point))
        self.traffic.rename_curve("intensity", point or self.tr("mean"))

        road = [s.road_temperature for s in samples]
        air = [s.air_temperature for s in samples]
        _refill(self.station_choice, series.device_ids([*road, *air]))
        station = self.station_choice.currentData()
        self.temperatures.set_series("road", x, series.one_or_mean(road, station))
        self.temperatures.set_series("air", x, series.one_or_mean(air, station))
        # The coldest road says where ice forms first; for one station it is its road curve.
        self.temperatures.curve("coldest").setVisible(station is None)
        self.temperatures.set_series("coldest", x, series.lowest(road))
        if station is None:
            self.temperatures.rename_curve("road", self.tr("road surface (mean)"))
            self.temperatures.rename_curve("air", self.tr("air (mean)"))
        else:
            self.temperatures.rename_curve("road", self.tr("road surface"))
            self.temperatures.rename_curve("air", self.tr("air"))

    def _on_hovered(self, x: float, text: str) -> None:
        self.readout.setText(text)
        for plot in self.plots:
            plot.show_cursor(x)


def _refill(combo: QComboBox, ids: list[str]) -> None:
    """Add devices newly heard to a selector, keeping the first entry and the choice made."""
    present = {combo.itemData(i) for i in range(1, combo.count())}
    missing = [i for i in ids if i not in present]
    if not missing:
        return
    combo.blockSignals(True)  # adding items is not a choice: no redraw in the middle of one
    for device_id in missing:
        combo.addItem(device_id, device_id)
    combo.blockSignals(False)
