"""Cameras near the incident shown: nearest first, opened on the video wall in one click.

The video desk fills the list (``show``) from the cameras' positions; the operator opens the
nearest ones (as many as the wall has free tiles, at most ``OPEN_AT_ONCE``) or those selected.
Shown only to operators who may view cameras.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from widgets.plain_text import plain_label

#: "The four cameras nearest": a 2×2 wall's worth.
OPEN_AT_ONCE = 4


class NearbyCameras(QWidget):
    sig_open_requested = Signal(list)  # camera ids, nearest first

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("nearby_cameras")
        self.caption = plain_label()
        self.listing = QListWidget()
        self.listing.setObjectName("nearby_cameras_list")
        self.listing.setMaximumHeight(90)
        self.listing.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.open_nearest = QPushButton(self.tr("Open the nearest on the wall"))
        self.open_nearest.setObjectName("open_nearest_cameras")
        self.open_selected = QPushButton(self.tr("Open selected"))
        self.open_nearest.clicked.connect(self._nearest)
        self.open_selected.clicked.connect(self._selected)
        self.listing.itemDoubleClicked.connect(
            lambda item: self.sig_open_requested.emit([item.data(Qt.ItemDataRole.UserRole)])
        )
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_nearest)
        buttons.addWidget(self.open_selected)
        buttons.addStretch(1)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.caption)
        box.addWidget(self.listing)
        box.addLayout(buttons)
        self.show_cameras([], 200)

    def show_cameras(self, cameras: list[tuple[str, str, float]], radius_m: int) -> None:
        """(id, name, metres) nearest first; an empty list says there is none."""
        self.listing.clear()
        for ident, name, metres in cameras:
            item = QListWidgetItem(f"{name} — {round(metres)} m")  # QListWidget shows plain text
            item.setData(Qt.ItemDataRole.UserRole, ident)
            item.setToolTip(ident)
            self.listing.addItem(item)
        count = len(cameras)
        near = sum(1 for _ident, _name, metres in cameras if metres <= radius_m)
        caption = self.tr("Cameras within %1 m: %2").replace("%1", str(radius_m))
        caption = caption.replace("%2", str(near))
        if count > near:  # completed with the nearest farther away, their distance said
            caption += " " + self.tr("(and the nearest beyond)")
        self.caption.setText(caption)
        self.listing.setVisible(count > 0)
        self.open_nearest.setEnabled(count > 0)
        self.open_selected.setEnabled(count > 0)

    def ids(self) -> list[str]:
        return [
            self.listing.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.listing.count())
        ]

    def _nearest(self) -> None:
        self.sig_open_requested.emit(self.ids()[:OPEN_AT_ONCE])

    def _selected(self) -> None:
        chosen = [i.data(Qt.ItemDataRole.UserRole) for i in self.listing.selectedItems()]
        if chosen:
            self.sig_open_requested.emit(chosen)
