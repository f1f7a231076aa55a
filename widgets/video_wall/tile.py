"""One tile of the video wall: a camera's live picture, its name, its health and its controls.

The tile plays what it is given (``play``) with Qt Multimedia: a ``QMediaPlayer`` (the FFmpeg
backend PySide6 ships reads the camera's MJPEG over HTTP and decodes it on its own threads) into a
``QVideoSink``, whose frames the ``Picture`` paints. It opens no view and knows no token: the
video desk does, and tells the tile what camera it shows and until when (``show_camera``,
``show_view``). Everything it shows came from outside (a camera's name) and is plain text.

What the operator reads at a glance: the camera's name; *live*, *late* with the age of the last
frame, or *lost* (black, never a frozen picture); the time left before the view closes itself;
the preset in force and the answer to the last preset asked. A camera whose privacy masks are
not confirmed (``masks_confirmed``) stays black whatever arrives, with its expected masks
outlined.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QMouseEvent
from PySide6.QtMultimedia import QMediaPlayer, QVideoFrame, QVideoSink
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from widgets.camera_drag import camera_in
from widgets.flow_layout import FlowLayout
from widgets.palette import Role, style_plain, style_text
from widgets.plain_text import plain_label, plain_tooltip
from widgets.refusal import set_permitted
from widgets.video_wall.health import LOST_AFTER_S, Health, judge
from widgets.video_wall.picture import Picture, Polygon, Shows

#: A lost stream is asked again this often while its view is open (a camera back from a fault).
RETRY_S = LOST_AFTER_S
#: The time left under which the tile asks to be renewed.
RENEW_WARNING_S = 120


@dataclass(frozen=True)
class TileCamera:
    """What the tile shows of a camera, from its state and the city's mask files."""

    id: str
    name: str
    preset: int | None
    presets: tuple[int, ...]  # the presets the city drew masks for: the buttons offered
    confirmed: bool  # masks_confirmed: the picture may be shown
    masks: tuple[Polygon, ...]  # the masks the city expects for the preset in force
    fault: bool


class VideoTile(QFrame):
    sig_camera_dropped = Signal(str)
    sig_close_requested = Signal()
    sig_renew_requested = Signal()
    sig_snapshot_requested = Signal()
    sig_preset_requested = Signal(int)
    sig_enlarge_requested = Signal()
    sig_expired = Signal()  # the view reached its limit: the desk closes it

    def __init__(self, index: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.index = index
        self.setObjectName(f"video_tile_{index}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAcceptDrops(True)
        self.camera: TileCamera | None = None
        self.expires_at: datetime | None = None
        self.purpose = ""
        self.url = ""
        self.frames_received = 0
        self._asked_at: float | None = None  # monotonic, when this stream was asked to play
        self._retried_at: float | None = None  # and when it was last asked again
        self._last_frame_at: float | None = None
        self._ended = False
        self._expired_said = False
        self.health = Health.WAITING
        self.preset_refusal = ""  # why this operator may not turn cameras, if they may not
        #: Bumped whenever the tile is taken or cleared: a view that arrives for an older one
        #: is not this tile's any more (the desk closes it on the record).
        self.generation = 0
        self._player = QMediaPlayer(self)
        self._sink = QVideoSink(self)
        self._player.setVideoSink(self._sink)
        self._sink.videoFrameChanged.connect(self._frame)
        self._player.errorOccurred.connect(lambda *_: self._end())
        self._player.mediaStatusChanged.connect(self._status)
        self.picture = Picture(self)
        self._build()
        self.clear()

    # --- layout ------------------------------------------------------------------------------
    def _build(self) -> None:
        self.name_label = plain_label()
        self.name_label.setObjectName("tile_name")
        bold = self.name_label.font()  # a font, not a style sheet: the theme's own colour
        bold.setBold(True)
        self.name_label.setFont(bold)
        self.health_label = plain_label()
        self.health_label.setObjectName("tile_health")
        self.left_label = plain_label()  # time left before the view closes itself
        header = QHBoxLayout()
        header.setContentsMargins(4, 2, 4, 2)
        header.setSpacing(12)
        # A long name is cut at the tile's edge (whole in its tooltip), never widens the wall.
        self.name_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        header.addWidget(self.name_label, 1)
        header.addWidget(self.health_label)
        header.addWidget(self.left_label)
        presets = QWidget(self)  # the preset buttons change with the camera
        self.preset_bar = QHBoxLayout(presets)
        self.preset_bar.setContentsMargins(0, 0, 0, 0)
        self.preset_bar.setSpacing(2)
        self.preset_bar.addWidget(plain_label(self.tr("Preset")))
        self.preset_buttons: dict[int, QToolButton] = {}
        self.ack_label = plain_label()  # the last preset command's answer
        self.ack_label.setObjectName("tile_ack")
        self.renew_button = self._button(self.tr("Renew"), self.sig_renew_requested)
        self.snapshot_button = self._button(self.tr("Snapshot"), self.sig_snapshot_requested)
        self.enlarge_button = self._button(self.tr("Enlarge"), self.sig_enlarge_requested)
        self.close_button = self._button(self.tr("Close"), self.sig_close_requested)
        self.renew_button.setToolTip(self.tr("Keep this view open for another period"))
        self.snapshot_button.setToolTip(
            self.tr("Save the picture as the camera serves it, masks included (kept 30 days)")
        )
        # Wrapped, not squeezed: a narrow tile (a wall docked beside the map) grows a line.
        footer = FlowLayout(spacing=4)
        footer.setContentsMargins(4, 2, 4, 2)
        footer.add_widget(presets)
        footer.add_widget(self.ack_label, stretch=True)
        for button in (
            self.renew_button,
            self.snapshot_button,
            self.enlarge_button,
            self.close_button,
        ):
            footer.add_widget(button)
        column = QVBoxLayout(self)
        column.setContentsMargins(1, 1, 1, 1)
        column.setSpacing(0)
        column.addLayout(header)
        column.addWidget(self.picture, 1)
        column.addLayout(footer)

    def _button(self, text: str, signal: Signal) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.clicked.connect(lambda: signal.emit())
        return button

    # --- what the desk tells it --------------------------------------------------------------
    def show_camera(self, camera: TileCamera) -> None:
        """The camera's state as it stands (its preset, its masks, a fault): shown at once."""
        self.camera = camera
        self.name_label.setText(camera.name)
        self.name_label.setToolTip(plain_tooltip(f"{camera.name}\n{camera.id}"))
        if tuple(self.preset_buttons) != camera.presets:
            for button in self.preset_buttons.values():
                button.deleteLater()
            self.preset_buttons = {}
            for number in camera.presets:
                button = QToolButton(self)
                button.setText(str(number))
                button.setCheckable(True)
                button.setObjectName(f"preset_{number}")
                button.clicked.connect(lambda _=False, n=number: self._preset_clicked(n))
                set_permitted(button, True, self.preset_refusal)
                self.preset_bar.addWidget(button)
                self.preset_buttons[number] = button
        for number, button in self.preset_buttons.items():
            button.setChecked(number == camera.preset)
        self.picture.set_masks(camera.masks)
        self._judge()

    def show_view(self, url: str, expires_at: datetime, purpose: str) -> None:
        """A view is open: play ``url`` (its token in it) until ``expires_at``."""
        self.expires_at = expires_at
        self.purpose = purpose
        self._expired_said = False
        self.setToolTip(plain_tooltip(purpose))
        self.play(url)
        self._set_controls(True)

    def renewed(self, url: str, expires_at: datetime) -> None:
        """The same view, longer, with a new token: the stream goes on with the new one."""
        self.expires_at = expires_at
        self._expired_said = False
        self.url = url  # used when the stream is asked again; the open one plays on

    def play(self, url: str, *, retry: bool = False) -> None:
        """Play ``url``; a ``retry`` of a lost stream stays lost until a frame comes."""
        self.url = url
        self._retried_at = time.monotonic()
        if not retry:
            self._asked_at = self._retried_at
            self._last_frame_at = None
        self._ended = False
        self._player.setSource(QUrl(url))
        self._player.play()
        self._judge()

    def refuse_presets(self, refusal: str) -> None:
        """Presets are device commands: refused (and said why) to who may not command one."""
        self.preset_refusal = refusal
        for button in self.preset_buttons.values():
            set_permitted(button, True, refusal)

    def say_preset(self, text: str) -> None:
        self.ack_label.setText(text)

    def take(self, camera: TileCamera) -> int:
        """The tile reserved for ``camera`` while its view opens: the reservation's number."""
        self.generation += 1
        self.show_camera(camera)
        self.close_button.setEnabled(True)  # the operator may change their mind meanwhile
        return self.generation

    def clear(self) -> None:
        """No camera: the player stopped, nothing shown, controls off."""
        self.generation += 1
        self._player.stop()
        self._player.setSource(QUrl())
        self.camera = None
        self.expires_at = None
        self.url = ""
        self.purpose = ""
        self._asked_at = None
        self._retried_at = None
        self._last_frame_at = None
        self.setToolTip("")
        self.name_label.setText(self.tr("Tile %1").replace("%1", str(self.index + 1)))
        self.name_label.setToolTip("")
        self.health_label.setText("")
        self.left_label.setText("")
        self.ack_label.setText("")
        for button in self.preset_buttons.values():
            button.deleteLater()
        self.preset_buttons = {}
        self.picture.set_masks(())
        self.picture.set_shows(Shows.NOTHING, self.tr("Drop a camera here"))
        self._set_controls(False)

    @property
    def busy(self) -> bool:
        return self.camera is not None

    def _set_controls(self, on: bool) -> None:
        for button in (
            self.renew_button,
            self.snapshot_button,
            self.enlarge_button,
            self.close_button,
        ):
            button.setEnabled(on)

    # --- what the player tells it ------------------------------------------------------------
    def _frame(self, frame: QVideoFrame) -> None:
        self.frames_received += 1
        self._last_frame_at = time.monotonic()
        self._ended = False
        if self.health is not Health.LIVE:  # shown from the first frame, not the next tick
            self._judge()
        self.picture.show_frame(frame)

    def _status(self, status: QMediaPlayer.MediaStatus) -> None:
        if status in (QMediaPlayer.MediaStatus.EndOfMedia, QMediaPlayer.MediaStatus.InvalidMedia):
            self._end()

    def _end(self) -> None:
        if self.url:
            self._ended = True
            self._judge()

    # --- every quarter second ----------------------------------------------------------------
    def tick(self, now: datetime | None = None) -> None:
        """Health, time left and the limit: called by the wall's clock for every tile."""
        if self.camera is None:
            return
        now = now or datetime.now(UTC)
        self._judge()
        if self.expires_at is not None:
            left = (self.expires_at - now).total_seconds()
            self.left_label.setText(
                self.tr("%1 left").replace("%1", _minutes_seconds(max(left, 0)))
            )
            if left <= RENEW_WARNING_S:
                style_text(self.left_label, Role.WARNING, bold=True)
            else:
                style_plain(self.left_label)
            if left <= 0 and not self._expired_said:
                self._expired_said = True
                self.sig_expired.emit()
        if self.health is Health.LOST and self.url and self._retried_at is not None:
            if time.monotonic() - self._retried_at >= RETRY_S:
                self.play(self.url, retry=True)  # the camera may be back; the token holds

    def _judge(self) -> None:
        if self.camera is None:
            return
        now = time.monotonic()
        age = None if self._last_frame_at is None else now - self._last_frame_at
        waited = 0.0 if self._asked_at is None else now - self._asked_at
        self.health = judge(age, self._ended, waited) if self.url else Health.WAITING
        self.health_label.setText(self._health_text(age))
        style_text(
            self.health_label,
            {
                Health.LIVE: Role.OK,
                Health.LATE: Role.WARNING,
                Health.LOST: Role.ALARM,
                Health.WAITING: Role.TEXT,
            }[self.health],
            bold=self.health is not Health.LIVE,
        )
        if not self.camera.confirmed:
            self.picture.set_shows(
                Shows.HIDDEN,
                self.tr("Hidden: the camera does not confirm the privacy masks of this preset"),
            )
        elif self.health is Health.LOST:
            self.picture.set_shows(Shows.LOST, self._lost_text(age))
        elif self.health is Health.WAITING:
            self.picture.set_shows(Shows.LOST, self.tr("Connecting…"))
        else:
            self.picture.set_shows(Shows.PICTURE)

    def _health_text(self, age: float | None) -> str:
        if self.health is Health.LIVE:
            return self.tr("● live")
        if self.health is Health.LATE and age is not None:
            return self.tr("late %1 s").replace("%1", str(int(age)))
        if self.health is Health.LOST:
            return self.tr("LOST")
        return self.tr("connecting")

    def _lost_text(self, age: float | None) -> str:
        if self.camera is not None and self.camera.fault:
            return self.tr("Lost: the camera is in fault")
        if age is None:
            return self.tr("Lost: no picture received")
        return self.tr("Lost: last picture %1 s ago").replace("%1", str(int(age)))

    def _preset_clicked(self, number: int) -> None:
        if self.camera is not None:
            for n, button in self.preset_buttons.items():  # stays on the preset in force
                button.setChecked(n == self.camera.preset)
        self.sig_preset_requested.emit(number)

    # --- drag and drop, double-click ---------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt's name
        if camera_in(event.mimeData()) is not None:
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt's name
        if camera_in(event.mimeData()) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt's name
        camera = camera_in(event.mimeData())
        if camera is not None:
            event.acceptProposedAction()
            self.sig_camera_dropped.emit(camera)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if self.camera is not None:
            self.sig_enlarge_requested.emit()


def _minutes_seconds(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"
