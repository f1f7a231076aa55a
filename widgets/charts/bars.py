"""Bar charts with their words on them: the Statistics panel's, and the daily report's on paper.

One bar a row (horizontal, the default: a category's or a commune's name reads on its row) or a
column (vertical: priorities, days). Each row says its figure at the end of its bar, so nobody
reads a scale; the value axis is not drawn. A row may be made of parts (``Bar.stacked``): the
SLA chart's "in time" and "late" of one priority, each part a bar of its own to click.

Greys only, as everywhere in the room (ISA-101); a part that needs attention names a palette role
(``Role.ALARM`` for what was late) and its figure is written in that colour too, never the colour
alone. ``render_bars`` draws the same chart offscreen into an image (the PDF's charts), in the
light theme on a transparent ground: paper is white.

Names on rows come from outside (categories, communes): pyqtgraph draws axis ticks as plain text,
the figures are written as escaped HTML (``as_html``) and tooltips through ``plain_tooltip``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QLocale, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPalette

from widgets.palette import Role, colour, theme_in_effect
from widgets.plain_text import as_html, plain_tooltip

#: A bar's thickness, as a share of its row.
THICKNESS = 0.62
#: Names on rows are elided past this many pixels.
LABEL_MAX_PX = 170
#: Pixels between a bar's end and its figure, and kept free after the figure.
GAP_PX = 6
#: How opaque the ordinary (grey) bars are drawn, in the theme's text colour.
GREY_ALPHA = 0.5


@dataclass(frozen=True)
class Bar:
    """One bar (or one part of a row, ``stacked``).

    ``key`` is what a click says (``sig_bar_clicked``); ``label`` names the row (a part's label
    says what the part is, in its tooltip); ``text`` is the figure as written when not the plain
    number; ``role`` a colour for what needs attention (``None``: the grey); ``tip`` what pointing
    at it says (its label and figure by default).
    """

    key: str
    label: str
    value: float
    role: Role | None = None
    text: str | None = None
    stacked: bool = False
    """Drawn after the previous bar on the same row, as a part of it."""
    tip: str = ""


def value_text(value: float, locale: QLocale | None = None) -> str:
    """A figure as the operator's language writes it (``1 234``, ``12,5``).

    ``locale``: the operator's (the console passes its translator's); the system's when none.
    """
    locale = locale or QLocale()
    if float(value).is_integer():
        return locale.toString(int(value))
    return locale.toString(float(value), "f", 1)


@dataclass(frozen=True)
class _Part:
    bar: Bar
    row: int
    start: float

    @property
    def end(self) -> float:
        return self.start + max(self.bar.value, 0.0)

    def written(self, locale: QLocale) -> str:
        return self.bar.text if self.bar.text is not None else value_text(self.bar.value, locale)


def _rows(bars: Sequence[Bar]) -> list[list[_Part]]:
    rows: list[list[_Part]] = []
    for bar in bars:
        if bar.stacked and rows:
            last = rows[-1][-1]
            rows[-1].append(_Part(bar, last.row, last.end))
        else:
            rows.append([_Part(bar, len(rows), 0.0)])
    return rows


class RowAxis(pg.AxisItem):
    """The category axis: each row's (or column's) name, elided when too long."""

    def __init__(self, orientation: str) -> None:
        super().__init__(orientation)
        self.labels: list[str] = []
        self.setStyle(tickLength=0)

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list:  # noqa: N802, N803
        if not self.labels or size <= 0:
            return []
        low, high = sorted((minVal, maxVal))  # an inverted view gives them the other way round
        rows = [float(i) for i in range(len(self.labels)) if low - 0.5 <= i <= high + 0.5]
        if self.orientation in ("bottom", "top"):
            # columns: one name in every few when they would overlap
            widest = max(QFontMetricsF(self.font()).horizontalAdvance(t) for t in self.labels)
            room = size / max(high - low, 1.0)
            step = max(1, int((widest + 8) // max(room, 1.0)) + 1)
            rows = rows[::step]
        return [(1.0, rows)]

    def tickStrings(self, values: list, scale: float, spacing: float) -> list[str]:  # noqa: N802
        metrics = QFontMetricsF(self.font())
        out = []
        for v in values:
            i = round(v)
            text = self.labels[i] if 0 <= i < len(self.labels) else ""
            out.append(metrics.elidedText(text, Qt.TextElideMode.ElideRight, LABEL_MAX_PX))
        return out


class BarChart(pg.PlotWidget):
    sig_bar_clicked = Signal(str)
    """The ``Bar.key`` of the bar clicked (a bar of no value is not clickable)."""

    def __init__(
        self,
        title: str,
        parent: Any = None,
        *,
        horizontal: bool = True,
        theme: str | None = None,
        locale: QLocale | None = None,
    ) -> None:
        """``theme``: "light" or "dark" whatever the console's (paper), ``None`` to follow it.

        ``locale``: how figures are written, the operator's language's (the system's when none).
        """
        self.horizontal = horizontal
        self._theme = theme
        self.locale_of_figures = locale or QLocale()
        category_side = "left" if horizontal else "bottom"
        self.row_axis = RowAxis(category_side)
        super().__init__(parent=parent, axisItems={category_side: self.row_axis})
        self._bars: tuple[Bar, ...] = ()
        self._parts: list[_Part] = []
        self._rows: list[list[_Part]] = []
        self._texts: list[pg.TextItem] = []
        self._transparent = False
        self.title = title
        self.empty_text = self.tr("Nothing in this period")
        item = self.getPlotItem()
        item.setMenuEnabled(False)
        item.hideButtons()
        item.setMouseEnabled(x=False, y=False)
        item.hideAxis("bottom" if horizontal else "left")
        item.getViewBox().invertY(horizontal)  # the first row on top
        # The title over the whole chart, names included: centred over the bars alone, a long
        # title ran off a narrow chart's right edge.
        item.layout.removeItem(item.titleLabel)
        item.layout.addItem(item.titleLabel, 0, 0, 1, 3)
        self.graph = pg.BarGraphItem(x0=[], y0=[], width=[], height=[])
        item.addItem(self.graph)
        self.empty = pg.TextItem(anchor=(0.5, 0.5))
        item.addItem(self.empty, ignoreBounds=True)
        item.getViewBox().sigResized.connect(self._fit)
        self.scene().sigMouseClicked.connect(self._on_clicked)
        self._hover = pg.SignalProxy(self.scene().sigMouseMoved, rateLimit=30, slot=self._on_moved)
        self.setMinimumHeight(120)
        self._ready = True
        self.apply_palette()

    # --- data -----------------------------------------------------------------------------------
    @property
    def bars(self) -> tuple[Bar, ...]:
        return self._bars

    def show_bars(self, bars: Sequence[Bar]) -> None:
        """Draw these bars, in this order (the first on top, or on the left)."""
        self._bars = tuple(bars)
        self._rows = _rows(self._bars)
        self._parts = [part for row in self._rows for part in row]
        self.row_axis.labels = [row[0].bar.label for row in self._rows]
        self._size_axis()
        self._draw()

    def _size_axis(self) -> None:
        axis = self.row_axis
        if self.horizontal:
            metrics = QFontMetricsF(axis.font())
            widest = max((metrics.horizontalAdvance(t) for t in axis.labels), default=0.0)
            axis.setWidth(int(min(widest, LABEL_MAX_PX)) + 12)
        axis.picture = None  # pyqtgraph caches the drawn ticks
        axis.update()

    def _draw(self) -> None:
        item = self.getPlotItem()
        for text in self._texts:
            item.removeItem(text)
        self._texts = []
        parts = self._parts
        starts = np.array([p.start for p in parts], dtype=float)
        lengths = np.array([max(p.bar.value, 0.0) for p in parts], dtype=float)
        rows = np.array([p.row for p in parts], dtype=float)
        brushes = [pg.mkBrush(self._bar_colour(p.bar.role)) for p in parts]
        side = rows - THICKNESS / 2
        if self.horizontal:
            self.graph.setOpts(x0=starts, y0=side, width=lengths, height=THICKNESS, brushes=brushes)
        else:
            self.graph.setOpts(x0=side, y0=starts, width=THICKNESS, height=lengths, brushes=brushes)
        self.graph.setOpts(pen=pg.mkPen(None))
        font = self._font()
        for row in self._rows:
            end = row[-1].end
            anchor = (0.0, 0.5) if self.horizontal else (0.5, 1.0)
            text = pg.TextItem(html=self._row_html(row), anchor=anchor)
            text.setFont(font)
            text.setPos(*((end, row[0].row) if self.horizontal else (row[0].row, end)))
            item.addItem(text, ignoreBounds=True)
            self._texts.append(text)
        nothing = not any(p.bar.value > 0 for p in parts)
        self.empty.setVisible(nothing)
        self.empty.setText(self.empty_text if nothing else "")
        self._fit()

    def _row_html(self, row: list[_Part]) -> str:
        said = []
        for part in row:
            if written := part.written(self.locale_of_figures):
                ink = self._ink(part.bar.role).name()
                said.append(f'<span style="color:{ink}">{as_html(written)}</span>')
        return " · ".join(said)

    def _fit(self) -> None:
        """Keep room for the widest figure after its bar, whatever the widget's size."""
        view = self.getPlotItem().getViewBox()
        rows = max(len(self._rows), 1)
        top = max((row[-1].end for row in self._rows), default=0.0)
        metrics = QFontMetricsF(self._font())
        if self.horizontal:
            pixels = view.width()
            need = max((t.boundingRect().width() for t in self._texts), default=0.0) + 2 * GAP_PX
        else:
            pixels = view.height()
            need = metrics.height() + 2 * GAP_PX
        if top <= 0:
            top_range = 1.0
        else:
            usable = max(pixels - need, pixels * 0.35, 1.0)
            top_range = top * max(pixels, 1.0) / usable
        if self.horizontal:
            view.setRange(xRange=(0, top_range), yRange=(-0.5, rows - 0.5), padding=0)
            self.empty.setPos(top_range / 2, (rows - 1) / 2)
        else:
            view.setRange(xRange=(-0.5, rows - 0.5), yRange=(0, top_range), padding=0)
            self.empty.setPos((rows - 1) / 2, top_range / 2)
        # a figure sits GAP_PX after its bar
        gap = GAP_PX * top_range / max(pixels, 1.0)
        for text, row in zip(self._texts, self._rows, strict=True):
            end = row[-1].end + gap
            text.setPos(*((end, row[0].row) if self.horizontal else (row[0].row, end)))

    # --- pointing and clicking ------------------------------------------------------------------
    def bar_at(self, scene_pos: QPointF) -> Bar | None:
        """The bar under a point of the scene: a part when on it, else its row's first bar.

        A whole row answers (its name, the space after a short bar): a bar of 1 beside one of
        300 is a sliver nobody can hit.
        """
        item = self.getPlotItem()
        if not item.sceneBoundingRect().contains(scene_pos) or not self._rows:
            return None
        point = item.getViewBox().mapSceneToView(scene_pos)
        along, across = (point.x(), point.y()) if self.horizontal else (point.y(), point.x())
        index = round(across)
        if not 0 <= index < len(self._rows) or abs(across - index) > 0.5:
            return None
        row = self._rows[index]
        for part in row:
            if part.start <= along < part.end and part.bar.value > 0:
                return part.bar
        first = row[0].bar
        return first if first.value > 0 else None

    def bar_centre(self, key: str) -> QPointF:
        """Where a bar is, in the scene's coordinates (to point at it)."""
        part = next(p for p in self._parts if p.bar.key == key)
        middle = (part.start + part.end) / 2
        point = QPointF(middle, part.row) if self.horizontal else QPointF(part.row, middle)
        return self.getPlotItem().getViewBox().mapViewToScene(point)

    def _on_clicked(self, event: Any) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        bar = self.bar_at(event.scenePos())
        if bar is not None:
            event.accept()
            self.sig_bar_clicked.emit(bar.key)

    def _on_moved(self, event: tuple[QPointF]) -> None:
        bar = self.bar_at(event[0])
        if bar is None:
            self.setToolTip("")
            self.viewport().unsetCursor()
            return
        part = next(p for p in self._parts if p.bar is bar)
        said = bar.tip or f"{bar.label}: {part.written(self.locale_of_figures)}"
        self.setToolTip(plain_tooltip(said))
        self.viewport().setCursor(Qt.CursorShape.PointingHandCursor)

    # --- colours --------------------------------------------------------------------------------
    def theme(self) -> str:
        return self._theme or theme_in_effect(self.palette())

    def _ink(self, role: Role | None) -> QColor:
        return colour(role or Role.TEXT, self.theme())

    def _bar_colour(self, role: Role | None) -> QColor:
        if role is not None:
            return colour(role, self.theme())
        grey = colour(Role.TEXT, self.theme())
        grey.setAlphaF(GREY_ALPHA)
        return grey

    def _font(self) -> QFont:
        return QFont(self.font())

    def set_transparent(self, transparent: bool) -> None:
        """No ground of its own (drawn on paper)."""
        self._transparent = transparent
        self.apply_palette()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.PaletteChange and getattr(self, "_ready", False):
            self.apply_palette()
        super().changeEvent(event)

    def apply_palette(self, _palette: QPalette | None = None) -> None:
        theme = self.theme()
        text = colour(Role.TEXT, theme)
        self.setBackground(None if self._transparent else colour(Role.BASE, theme))
        item = self.getPlotItem()
        item.setTitle(as_html(self.title), color=text)
        axis = self.row_axis
        axis.setPen(colour(Role.DISABLED_TEXT, theme))
        axis.setTextPen(text)
        self._size_axis()
        self.empty.setColor(colour(Role.DISABLED_TEXT, theme))
        self._draw()


def render_bars(
    bars: Sequence[Bar],
    title: str,
    size: QSize,
    *,
    horizontal: bool = True,
    theme: str = "light",
    locale: QLocale | None = None,
) -> QImage:
    """The chart drawn into an image of ``size`` pixels, offscreen, on a transparent ground.

    For the printed report: light theme by default (ink on white paper); figures written as
    ``locale`` writes them (the report's language's; the system's when none). Needs a
    QApplication, no display (``QT_QPA_PLATFORM=offscreen`` is enough).
    """
    chart = BarChart(title, horizontal=horizontal, theme=theme, locale=locale)
    chart.set_transparent(True)
    chart.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    chart.resize(size)
    chart.show_bars(bars)
    chart.show()  # lays the plot out at its size; never on screen
    chart.getPlotItem().layout.activate()
    chart.centralWidget.setGeometry(QRectF(0, 0, size.width(), size.height()))
    chart.show_bars(bars)
    image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    chart.render(painter)
    painter.end()
    chart.hide()
    chart.deleteLater()
    return image
