"""The video wall: 1, 4 or 9 tiles in a grid, one clock for all of them.

The wall arranges tiles and says which are shown; what plays on them is the video desk's
business. Going to fewer tiles hides the last ones: the desk closes their views
(``sig_tiles_hidden``), since a view nobody can see has no purpose.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from widgets.plain_text import plain_label
from widgets.video_wall.quiet import quiet_ffmpeg
from widgets.video_wall.tile import VideoTile

LAYOUTS = (1, 4, 9)
#: How often the tiles judge their streams and count down their views.
TICK_MS = 250


class VideoWall(QWidget):
    sig_tiles_hidden = Signal(list)  # the indexes of tiles no longer shown

    def __init__(self, parent: QWidget | None = None, tiles: int = 4) -> None:
        super().__init__(parent)
        self.setObjectName("video_wall")
        quiet_ffmpeg()  # before the tiles' players: FFmpeg's chatter is not the operator's
        self.tiles = [VideoTile(i, self) for i in range(max(LAYOUTS))]
        self.shown = 0
        self.soloist: VideoTile | None = None  # the enlarged tile, if one is
        self.layout_buttons: dict[int, QToolButton] = {}
        bar = QHBoxLayout()
        bar.addWidget(plain_label(self.tr("Tiles")))
        group = QButtonGroup(self)
        for count in LAYOUTS:
            button = QToolButton(self)
            button.setText(str(count))
            button.setCheckable(True)
            button.setObjectName(f"wall_layout_{count}")
            button.setToolTip(self.tr("Show %1 tile(s)").replace("%1", str(count)))
            button.clicked.connect(lambda _=False, n=count: self.set_layout(n))
            group.addButton(button)
            bar.addWidget(button)
            self.layout_buttons[count] = button
        self.note = plain_label()  # what the desk has to say (a refusal, a view closed)
        self.note.setObjectName("wall_note")
        self.note.setWordWrap(True)
        bar.addWidget(self.note, 1)
        self.grid = QGridLayout()
        self.grid.setSpacing(2)
        column = QVBoxLayout(self)
        column.setContentsMargins(2, 2, 2, 2)
        column.addLayout(bar)
        column.addLayout(self.grid, 1)
        self.set_layout(tiles)
        self.clock = QTimer(self)
        self.clock.timeout.connect(self.tick)
        self.clock.start(TICK_MS)

    def set_layout(self, count: int) -> None:
        if count not in LAYOUTS:
            raise ValueError(f"a wall shows {LAYOUTS} tiles, not {count}")
        if self.soloist is not None:
            self.solo(None)
        hidden = [t.index for t in self.tiles[count : self.shown] if t.busy]
        side = {1: 1, 4: 2, 9: 3}[count]
        for tile in self.tiles:
            self.grid.removeWidget(tile)
            tile.hide()
        for i, tile in enumerate(self.tiles[:count]):
            self.grid.addWidget(tile, i // side, i % side)
            tile.show()
        for r in range(3):
            self.grid.setRowStretch(r, 1 if r < side else 0)
            self.grid.setColumnStretch(r, 1 if r < side else 0)
        self.shown = count
        self.layout_buttons[count].setChecked(True)
        if hidden:
            self.sig_tiles_hidden.emit(hidden)

    def solo(self, tile: VideoTile | None) -> None:
        """One tile alone over the whole wall (None: the layout again).

        The others' views stay open and play on, hidden while the operator looks closer.
        """
        self.soloist = tile
        for other in self.tiles[: self.shown]:
            other.setVisible(tile is None or other is tile)
        for button in self.layout_buttons.values():
            button.setEnabled(tile is None)

    def visible_tiles(self) -> list[VideoTile]:
        return self.tiles[: self.shown]

    def free_tile(self) -> VideoTile | None:
        """The first shown tile without a camera."""
        return next((t for t in self.visible_tiles() if not t.busy), None)

    def tick(self) -> None:
        for tile in self.visible_tiles():
            tile.tick()

    def say(self, text: str) -> None:
        self.note.setText(text)
