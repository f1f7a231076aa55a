"""A tile's picture: the last frame scaled to fit, or black with the reason why nothing shows.

Only painting happens here, on the GUI thread: frames are decoded by Qt Multimedia's FFmpeg
backend and handed over by the tile's ``QVideoSink``; converting the frame to an image is done
when Qt paints, so frames that arrive faster than the screen repaints cost nothing.

The privacy masks the city expects for the camera's preset are outlined over the picture: the
camera burns them in (black), and the outline lets the operator see that the black is where the
city drew it. When the camera's masks are not confirmed the picture is never painted.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtMultimedia import QVideoFrame
from PySide6.QtWidgets import QSizePolicy, QWidget

from services.domain.privacy_masks import REFERENCE_HEIGHT, REFERENCE_WIDTH
from widgets.palette import Role, colour

Polygon = tuple[tuple[int, int], ...]


class Shows(StrEnum):
    NOTHING = "nothing"  # no camera on the tile
    PICTURE = "picture"
    HIDDEN = "hidden"  # masks not confirmed: black, whatever arrives
    LOST = "lost"  # no frame for too long, or the stream ended: no frozen picture


class Picture(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("video_picture")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(160, 90)
        self.shows = Shows.NOTHING
        self.message = ""  # what is said over black (translated by the tile)
        self.masks: tuple[Polygon, ...] = ()
        self._frame: QVideoFrame | None = None
        self.frames_painted = 0  # for the bench: frames that reached the screen

    def show_frame(self, frame: QVideoFrame) -> None:
        if self.shows is Shows.PICTURE:  # a frame that arrived hidden is never painted later
            self._frame = frame
            self.update()

    def set_shows(self, shows: Shows, message: str = "") -> None:
        if (shows, message) != (self.shows, self.message):
            self.shows, self.message = shows, message
            if shows is not Shows.PICTURE:
                self._frame = None  # a picture once hidden or lost is never shown again
            self.update()

    def set_masks(self, polygons: tuple[Polygon, ...]) -> None:
        self.masks = polygons
        self.update()

    def picture_rect(self) -> QRectF:
        """Where a 16:9 picture lands in the widget, letterboxed."""
        w, h = self.width(), self.height()
        scale = min(w / REFERENCE_WIDTH, h / REFERENCE_HEIGHT)
        pw, ph = REFERENCE_WIDTH * scale, REFERENCE_HEIGHT * scale
        return QRectF((w - pw) / 2, (h - ph) / 2, pw, ph)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.fillRect(self.rect(), Qt.GlobalColor.black)
        target = self.picture_rect()
        if self.shows is Shows.PICTURE and self._frame is not None and self._frame.isValid():
            image = self._frame.toImage()
            if not image.isNull():
                painter.drawImage(target, image)
                self.frames_painted += 1
        if self.shows in (Shows.PICTURE, Shows.HIDDEN) and self.masks:
            self._outline(painter, target)
        if self.message:  # on a band of its own, so that no outline runs through the words
            flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
            area = self.rect().adjusted(8, 0, -8, 0)
            needed = painter.boundingRect(area, flags, self.message)
            band = QRectF(
                0, (self.height() - needed.height()) / 2 - 6, self.width(), needed.height() + 12
            )
            painter.fillRect(band, colour(Role.VIDEO_BAND))
            painter.setPen(colour(Role.VIDEO_TEXT))
            painter.drawText(band, flags, self.message)
        painter.end()

    def _outline(self, painter: QPainter, target: QRectF) -> None:
        sx, sy = target.width() / REFERENCE_WIDTH, target.height() / REFERENCE_HEIGHT
        pen = QPen(colour(Role.VIDEO_MASK_OUTLINE), 1.5, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for polygon in self.masks:
            painter.drawPolygon(
                QPolygonF([QPointF(target.x() + x * sx, target.y() + y * sy) for x, y in polygon])
            )
