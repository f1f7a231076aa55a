"""One time plot of the telemetry panel: named curves on a date axis, a legend, a hover readout.

Curves are told apart by their line style (solid, dashed, dotted, dash-dot) and only then by
colour, which is kept for what needs attention (amber) or action (red). The plot takes its
background and text colours from the widget's palette, so the console's dark and light grey
themes both stay readable. pyqtgraph draws its titles and legend as HTML: what they show (a
measured point's id, from the field) is escaped first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QLocale, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QPalette

from services.domain.room_time import in_room
from widgets.palette import Role, colour, theme_in_effect
from widgets.plain_text import as_html

#: A curve's weight: "neutral" in the palette's text colour, "quiet" in its disabled grey,
#: "attention" amber, "alarm" red (the palette's roles, in the theme the plot is drawn in).
WEIGHT_ROLES = {"attention": Role.ATTENTION, "alarm": Role.ALARM}

#: A value farther than this many sampling steps from the cursor is not shown as "the value".
NEAREST_STEPS = 2.5


@dataclass(frozen=True, slots=True)
class CurveStyle:
    weight: str = "neutral"
    line: Qt.PenStyle = Qt.PenStyle.SolidLine
    width: float = 2.0


class TrendPlot(pg.PlotWidget):
    sig_hovered = Signal(float, str)
    """The cursor is over this plot at a time (POSIX seconds); the text gives the values there."""

    def __init__(
        self,
        title: str,
        unit: str,
        *,
        decimals: int = 0,
        from_zero: bool = True,
        parent: Any = None,
    ) -> None:
        # The axis reads the room's clock, not the machine's (a server's is often UTC).
        axis = pg.DateAxisItem(utcOffset=_room_offset_west())
        super().__init__(parent=parent, axisItems={"bottom": axis})
        self.title = title
        self.unit = unit
        self.decimals = decimals
        # Counts, rates and power are read against zero: autorange alone would blow a 5 kW dip
        # out of 1,600 up to the plot's full height. Temperatures are read against 0 °C anyway.
        self.from_zero = from_zero
        self._curves: dict[str, pg.PlotDataItem] = {}
        self._styles: dict[str, CurveStyle] = {}
        self._references: list[tuple[pg.InfiniteLine, CurveStyle]] = []
        self._right: pg.ViewBox | None = None
        item = self.getPlotItem()
        item.setMenuEnabled(False)
        item.showGrid(x=True, y=True, alpha=0.15)
        # The window is chosen in the panel: a plot dragged sideways would be pulled back on
        # the next refresh, so only the vertical scale follows the data.
        item.setMouseEnabled(x=False, y=False)
        item.hideButtons()
        if not from_zero:
            item.enableAutoRange(axis="y")
        item.setLabel("left", as_html(unit))
        # One width for every plot's value axis: the time axes of a column line up.
        item.getAxis("left").setWidth(64)
        # Every plot keeps a right margin as wide as the messages plot's second axis, so that
        # plots stacked in a column share their time axis to the pixel.
        item.showAxis("right")
        item.getAxis("right").setWidth(64)
        item.getAxis("right").setStyle(showValues=False)
        # Autorange with clipping and peak downsampling: 24 h at one sample per 15 s stays cheap
        # to draw on a dock a few hundred pixels wide.
        item.setClipToView(True)
        item.setDownsampling(auto=True, mode="peak")
        # The legend sits under the time axis, in the plot's own layout: inside the view it hid
        # whatever the curves did in its corner. Two names a line: four, in French, were cut.
        self.legend = pg.LegendItem(offset=None, colCount=2, frame=False)
        item.layout.addItem(self.legend, 4, 1)
        item.legend = self.legend  # named curves join it by themselves
        self.cursor = pg.InfiniteLine(angle=90, movable=False)
        self.cursor.setVisible(False)
        item.addItem(self.cursor, ignoreBounds=True)
        self._proxy = pg.SignalProxy(self.scene().sigMouseMoved, rateLimit=30, slot=self._on_moved)
        self._ready = True
        self.apply_palette(self.palette())

    # --- curves -----------------------------------------------------------------------------

    def add_curve(
        self, key: str, name: str, style: CurveStyle, *, right_axis: str | None = None
    ) -> pg.PlotDataItem:
        """A curve on the left axis, or on a right axis of its own scale labelled ``right_axis``.

        A few quarantined messages beside hundreds received would lie flat on zero.
        """
        if right_axis is None:
            curve = self.plot([], [], name=name, connect="finite")
        else:
            curve = pg.PlotDataItem([], [], name=name, connect="finite")
            self._right_view().addItem(curve)
            self.getPlotItem().setLabel("right", as_html(right_axis))
            self.legend.addItem(curve, name)
        self._curves[key] = curve
        self._styles[key] = style
        curve.setPen(self._pen(style, self.palette()))
        self.rename_curve(key, name)  # the legend's label, escaped
        return curve

    def _right_view(self) -> pg.ViewBox:
        if self._right is None:
            item = self.getPlotItem()
            self._right = pg.ViewBox()
            self._right.setMouseEnabled(x=False, y=False)
            item.getAxis("right").setStyle(showValues=True)
            item.scene().addItem(self._right)
            item.getAxis("right").linkToView(self._right)
            self._right.setXLink(item)
            item.vb.sigResized.connect(
                lambda view: self._right.setGeometry(view.sceneBoundingRect())
            )
            self.apply_palette(self.palette())
        return self._right

    def add_reference(self, value: float, label: str) -> None:
        """A horizontal line at a value that means something (0 °C: ice)."""
        style = CurveStyle("quiet", Qt.PenStyle.DotLine, 1.0)
        line = pg.InfiniteLine(
            pos=value,
            angle=0,
            movable=False,
            label=label,
            labelOpts={"position": 0.02, "anchors": [(0, 1), (0, 1)]},
        )
        self.getPlotItem().addItem(line, ignoreBounds=False)
        self._references.append((line, style))
        self._paint_reference(line, style, self.palette())

    def curve(self, key: str) -> pg.PlotDataItem:
        return self._curves[key]

    def rename_curve(self, key: str, name: str) -> None:
        curve = self._curves[key]
        curve.opts["name"] = name  # as written: the hover readout is plain text
        label = self.legend.getLabel(curve)
        if label is not None:
            label.setText(as_html(name))

    def set_series(self, key: str, x: np.ndarray, y: np.ndarray) -> None:
        self._curves[key].setData(x, y, connect="finite")
        if self.from_zero:
            self._scale_from_zero()

    def _scale_from_zero(self) -> None:
        views = {id(self.getPlotItem().vb): (self.getPlotItem().vb, [])}
        for curve in self._curves.values():
            view = curve.getViewBox()
            if view is not None:
                views.setdefault(id(view), (view, []))[1].append(curve)
        for view, curves in views.values():
            known = [c.yData[np.isfinite(c.yData)] for c in curves if c.yData is not None]
            tops = [float(values.max()) for values in known if len(values)]
            view.setYRange(0, max([*tops, 1.0]) * 1.06, padding=0.02)

    # --- hover ------------------------------------------------------------------------------

    def _on_moved(self, event: tuple[QPointF]) -> None:
        position = event[0]
        view = self.getPlotItem().vb
        if not view.sceneBoundingRect().contains(position):
            return
        self.hover_at(view.mapSceneToView(position).x())

    def hover_at(self, x: float) -> str:
        """Show the cursor at time ``x`` and say the values of every curve there."""
        self.show_cursor(x)
        parts = []
        for curve in self._curves.values():
            if not curve.isVisible():
                continue
            value = _value_near(curve, x)
            shown = "—" if value is None else self._number(value)
            parts.append(f"{curve.name()} {shown}")
        local = in_room(datetime.fromtimestamp(x, UTC)).time()
        when = QLocale().toString(local, QLocale.FormatType.ShortFormat)
        text = f"{when}   {self.title} ({self.unit}):   " + "   ".join(parts)
        self.sig_hovered.emit(x, text)
        return text

    def _number(self, value: float) -> str:
        """The value to ``decimals``; one that rounds to zero reads 0, never -0 (-0.04 °C)."""
        rounded = round(value, self.decimals) + 0.0  # adding 0.0 turns -0.0 into 0.0
        return QLocale().toString(rounded, "f", self.decimals)

    def show_cursor(self, x: float | None) -> None:
        self.cursor.setVisible(x is not None)
        if x is not None:
            self.cursor.setValue(x)

    # --- theme ------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        # Qt sends palette changes while PlotWidget is still being built: only once ready.
        if event.type() == QEvent.Type.PaletteChange and getattr(self, "_ready", False):
            self.apply_palette(self.palette())
        super().changeEvent(event)

    def apply_palette(self, palette: QPalette) -> None:
        """Take background, text and grid colours from the theme in effect."""
        background = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        self.setBackground(background)
        item = self.getPlotItem()
        item.setTitle(as_html(self.title), color=text.name(), size="10pt")
        for side in ("left", "bottom", "right"):
            axis = item.getAxis(side)
            axis.setPen(text if side != "right" or self._right is not None else background)
            axis.setTextPen(text)
        self.legend.setLabelTextColor(text)
        backdrop = QColor(background)
        backdrop.setAlpha(200)  # curves stay visible behind the legend
        self.legend.setBrush(backdrop)
        self.legend.setPen(pg.mkPen(palette.color(QPalette.ColorRole.Mid)))
        self.cursor.setPen(pg.mkPen(text, width=1, style=Qt.PenStyle.DashLine))
        for key, curve in self._curves.items():
            curve.setPen(self._pen(self._styles[key], palette))
        for line, style in self._references:
            self._paint_reference(line, style, palette)
        # The legend's samples are drawn from the pens: redraw them with the new colours.
        for sample, _label in self.legend.items:
            sample.update()

    def _paint_reference(self, line: pg.InfiniteLine, style: CurveStyle, palette: QPalette) -> None:
        line.setPen(self._pen(style, palette))
        line.label.setColor(palette.color(QPalette.ColorRole.Text))

    @staticmethod
    def _pen(style: CurveStyle, palette: QPalette) -> Any:
        if style.weight == "neutral":
            ink = palette.color(QPalette.ColorRole.Text)
        elif style.weight == "quiet":
            ink = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        else:
            ink = colour(WEIGHT_ROLES[style.weight], theme_in_effect(palette))
        return pg.mkPen(ink, width=style.width, style=style.line)


def _value_near(curve: pg.PlotDataItem, x: float) -> float | None:
    """The curve's value at the sample nearest ``x``, if one is close enough and known."""
    xs, ys = curve.xData, curve.yData
    if xs is None or len(xs) == 0:
        return None
    index = int(np.clip(np.searchsorted(xs, x), 1, len(xs) - 1)) if len(xs) > 1 else 0
    if index > 0 and abs(xs[index - 1] - x) <= abs(xs[index] - x):
        index -= 1
    step = float(np.median(np.diff(xs))) if len(xs) > 1 else 0.0
    if abs(xs[index] - x) > max(step * NEAREST_STEPS, 1.0):
        return None
    value = float(ys[index])
    return None if np.isnan(value) else value


def _room_offset_west() -> int:
    """The room's offset as pyqtgraph's axis wants it: seconds west of UTC (Paris: -3600)."""
    offset = in_room(datetime.now(UTC)).utcoffset()
    return -int(offset.total_seconds()) if offset is not None else 0
