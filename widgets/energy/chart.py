"""The Energy panel's plot: one bar per night, what was used inside what full power would use.

The baseline (the same lights at full power for the same hours of night) is a wider bar drawn
as an outline, the kWh used a narrower filled bar inside it: the empty part of each outline is the
night's saving. Greys only (ISA-101: nothing here needs action); the night still in progress is
filled fainter and said so. Nights are on a day axis written as the room writes dates (``04/12``),
not pyqtgraph's English month names; pointing at a night says its figures.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QPalette

from widgets.energy.figures import NightSeries
from widgets.energy.model import kwh_text, share_text
from widgets.plain_text import as_html

#: Each label of the night axis wants this many pixels.
LABEL_PX = 46
USED_WIDTH = 0.56
BASELINE_WIDTH = 0.8


def day_text(day: date) -> str:
    """A night by its evening's date, as the room writes it."""
    return day.strftime("%d/%m")


class NightAxis(pg.AxisItem):
    """Days (proleptic ordinals) written ``dd/mm``, one label every few nights as room allows."""

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list:  # noqa: N802, N803
        span = maxVal - minVal
        if span <= 0 or size <= 0:
            return []
        step = max(1, math.ceil(span * LABEL_PX / size))
        if step > 1:
            step = next(s for s in (2, 3, 7, 14, 28, 10**6) if s >= step)
        first = max(1, math.ceil(minVal))
        return [(step, [float(d) for d in range(first, math.floor(maxVal) + 1, step)])]

    def tickStrings(self, values: list, scale: float, spacing: float) -> list[str]:  # noqa: N802
        # no date before the first day of the calendar (the empty plot's 0 to 1)
        return [day_text(date.fromordinal(round(v))) if v >= 1 else "" for v in values]


class NightBars(pg.PlotWidget):
    sig_hovered = Signal(str)
    """The night pointed at, in words (empty when none)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent=parent, axisItems={"bottom": NightAxis("bottom")})
        self._series: NightSeries | None = None
        self._in_progress: date | None = None
        item = self.getPlotItem()
        item.setMenuEnabled(False)
        item.hideButtons()
        item.setMouseEnabled(x=False, y=False)
        item.showGrid(x=False, y=True, alpha=0.15)
        item.getAxis("left").setWidth(64)
        self.baseline = pg.BarGraphItem(x=[], height=[], width=BASELINE_WIDTH, name="baseline")
        self.used = pg.BarGraphItem(x=[], height=[], width=USED_WIDTH, name="used")
        item.addItem(self.baseline)
        item.addItem(self.used)
        self.legend = pg.LegendItem(offset=None, colCount=2, frame=False)
        item.layout.addItem(self.legend, 4, 1)
        self.legend.addItem(self.used, as_html(self.tr("used")))
        self.legend.addItem(self.baseline, as_html(self.tr("at full power for the same hours")))
        item.setLabel("left", as_html(self.tr("kWh a night")))
        self.cursor = pg.InfiniteLine(angle=90, movable=False)
        self.cursor.setVisible(False)
        item.addItem(self.cursor, ignoreBounds=True)
        self._proxy = pg.SignalProxy(self.scene().sigMouseMoved, rateLimit=30, slot=self._on_moved)
        self._ready = True
        self.apply_palette(self.palette())

    # --- data -----------------------------------------------------------------------------------
    def show_series(self, nights: NightSeries, in_progress: date | None = None) -> None:
        """Draw one bar per night of ``nights``; ``in_progress``: the night not over yet."""
        self._series = nights
        self._in_progress = in_progress
        x = np.array([d.toordinal() for d in nights.days], dtype=float)
        used = np.array(nights.kwh, dtype=float)
        baseline = np.array(nights.baseline_kwh, dtype=float)
        known = np.isfinite(used)
        palette = self.palette()
        self.baseline.setOpts(
            x=x[known],
            height=baseline[known],
            width=BASELINE_WIDTH,
            pen=self._baseline_pen(palette),
            brush=pg.mkBrush(None),
        )
        brushes = [
            self._used_brush(palette, faint=day == in_progress)
            for day, ok in zip(nights.days, known, strict=True)
            if ok
        ]
        self.used.setOpts(
            x=x[known], height=used[known], width=USED_WIDTH, brushes=brushes, pen=pg.mkPen(None)
        )
        tops = [float(v) for v in (*baseline[known], *used[known])]
        self.setYRange(0, max([*tops, 1.0]) * 1.08, padding=0)
        if len(x):
            self.setXRange(x[0] - 0.6, x[-1] + 0.6, padding=0)

    @property
    def series(self) -> NightSeries | None:
        return self._series

    # --- hover ----------------------------------------------------------------------------------
    def _on_moved(self, event: tuple[QPointF]) -> None:
        view = self.getPlotItem().vb
        if not view.sceneBoundingRect().contains(event[0]):
            return
        self.hover_at(view.mapSceneToView(event[0]).x())

    def hover_at(self, x: float) -> str:
        """Say the figures of the night nearest ``x`` (a day's ordinal)."""
        text = ""
        nights = self._series
        if nights is not None and nights.days and x >= 1:
            day = date.fromordinal(round(x))
            if nights.days[0] <= day <= nights.days[-1]:
                i = (day - nights.days[0]).days
                self.cursor.setValue(float(day.toordinal()))
                self.cursor.setVisible(True)
                text = self.night_text(day, nights.kwh[i], nights.baseline_kwh[i])
                most = max(nights.communes)
                if 0 < nights.communes[i] < most:  # a commune's meters said nothing that night
                    text += " " + self.tr("(%1 of %2 communes recorded)").replace(
                        "%1", str(nights.communes[i])
                    ).replace("%2", str(most))
        self.sig_hovered.emit(text)
        return text

    def night_text(self, day: date, used: float, baseline: float) -> str:
        if used != used:  # NaN
            said = self.tr("Night of %1: nothing recorded").replace("%1", day_text(day))
        else:
            share = (baseline - used) / baseline if baseline > 0 else 0.0
            said = (
                self.tr("Night of %1: %2 kWh used, %3 kWh at full power, %4 saved")
                .replace("%1", day_text(day))
                .replace("%2", kwh_text(used))
                .replace("%3", kwh_text(baseline))
                .replace("%4", share_text(share))
            )
        if day == self._in_progress:
            said += " " + self.tr("(in progress: counted so far)")
        return said

    # --- theme ----------------------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.PaletteChange and getattr(self, "_ready", False):
            self.apply_palette(self.palette())
        super().changeEvent(event)

    def apply_palette(self, palette: QPalette) -> None:
        background = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        self.setBackground(background)
        item = self.getPlotItem()
        for side in ("left", "bottom"):
            axis = item.getAxis(side)
            axis.setPen(text)
            axis.setTextPen(text)
        self.legend.setLabelTextColor(text)
        self.cursor.setPen(pg.mkPen(text, width=1, style=Qt.PenStyle.DashLine))
        if self._series is not None:
            self.show_series(self._series, self._in_progress)
        else:
            self.baseline.setOpts(pen=self._baseline_pen(palette), brush=pg.mkBrush(None))
            self.used.setOpts(brush=self._used_brush(palette), pen=pg.mkPen(None))
        for sample, _label in self.legend.items:
            sample.update()

    @staticmethod
    def _baseline_pen(palette: QPalette) -> Any:
        ink = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        return pg.mkPen(ink, width=1.2)

    @staticmethod
    def _used_brush(palette: QPalette, *, faint: bool = False) -> Any:
        ink = QColor(palette.color(QPalette.ColorRole.Text))
        ink.setAlphaF(0.35 if faint else 0.8)
        return pg.mkBrush(ink)
