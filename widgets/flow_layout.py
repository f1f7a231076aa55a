"""A row of controls that wraps onto the next line instead of squeezing them.

A panel's filters (status, priority, commune, search…) in a plain ``QHBoxLayout`` were squeezed
at 1366×768 until they read "Toutes les com", "R…". Here each control keeps the width its text
needs and the row wraps, as text does; the panel grows a line taller instead. Qt's own flow
layout example, kept to what the panels use: one stretching control (the search box) takes what
is left of its line.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QSizePolicy, QWidget


class FlowLayout(QLayout):
    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._stretching: set[int] = set()  # ids of the widgets that take the rest of a line
        self.setContentsMargins(QMargins(0, 0, 0, 0))
        self.setSpacing(spacing)

    def add_widget(self, widget: QWidget, *, stretch: bool = False) -> None:
        """Add a control; ``stretch``: it widens to the end of its line (a search box)."""
        if stretch:
            self._stretching.add(id(widget))
            widget.setSizePolicy(QSizePolicy.Policy.Expanding, widget.sizePolicy().verticalPolicy())
        self.addWidget(widget)

    # --- QLayout's interface -------------------------------------------------------------------
    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._arrange(QRect(0, 0, width, 0), place=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802
        super().setGeometry(rect)
        self._arrange(rect, place=True)

    def sizeHint(self) -> QSize:  # noqa: N802
        """All on one line, as wide as the controls ask."""
        visible = self._visible()
        gaps = self.spacing() * max(0, len(visible) - 1)
        width = sum(i.sizeHint().width() for i in visible) + gaps
        height = max((i.sizeHint().height() for i in visible), default=0)
        m = self.contentsMargins()
        return QSize(width + m.left() + m.right(), height + m.top() + m.bottom())

    def minimumSize(self) -> QSize:  # noqa: N802
        """As narrow as its widest control: the rest wraps."""
        size = QSize()
        for item in self._visible():
            size = size.expandedTo(item.minimumSize().expandedTo(item.sizeHint()))
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    # --- placing -------------------------------------------------------------------------------
    def _visible(self) -> list[QLayoutItem]:
        return [i for i in self._items if not i.isEmpty()]

    def _lines(self, width: int) -> list[list[QLayoutItem]]:
        lines: list[list[QLayoutItem]] = [[]]
        used = 0
        for item in self._visible():
            wanted = item.sizeHint().width()
            if lines[-1] and used + self.spacing() + wanted > width:
                lines.append([])
                used = 0
            used += (self.spacing() if lines[-1] else 0) + wanted
            lines[-1].append(item)
        return [line for line in lines if line]

    def _arrange(self, rect: QRect, *, place: bool) -> int:
        """Lay the controls out in ``rect``; the height they take."""
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        y = area.y()
        for line in self._lines(area.width()):
            height = max(i.sizeHint().height() for i in line)
            if place:
                self._place_line(line, area, y, height)
            y += height + self.spacing()
        return y - self.spacing() - rect.y() + margins.bottom() if y > area.y() else 0

    def _place_line(self, line: list[QLayoutItem], area: QRect, y: int, height: int) -> None:
        widths = [i.sizeHint().width() for i in line]
        spare = area.width() - sum(widths) - self.spacing() * (len(line) - 1)
        stretching = [n for n, i in enumerate(line) if self._stretches(i)]
        for n in stretching:  # the spare room goes to the stretching controls, shared
            widths[n] += max(0, spare) // len(stretching)
        x = area.x()
        for item, width in zip(line, widths, strict=True):
            item.setGeometry(QRect(QPoint(x, y), QSize(min(width, area.width()), height)))
            x += width + self.spacing()

    def _stretches(self, item: QLayoutItem) -> bool:
        widget: Any = item.widget()
        return widget is not None and id(widget) in self._stretching
