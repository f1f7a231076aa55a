"""Qt Multimedia plays a simulated camera: the FFmpeg backend reads the MJPEG stream over HTTP
and frames arrive in a QVideoSink (needs the system's libpulse0)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtMultimedia import QMediaPlayer, QVideoSink

from services.bus.ports import free_port
from services.simulator.video import CameraView, StreamServer
from tests.simulator.video_support import CAMERA, Cameras, token


@pytest.fixture
def server() -> Iterator[StreamServer]:
    with StreamServer(Cameras(CameraView(CAMERA, "CAM-21231-001", 1)), port=free_port()) as running:
        yield running


def test_frames_of_a_stream_arrive_in_a_video_sink(qtbot, server):
    player = QMediaPlayer()
    sink = QVideoSink()
    player.setVideoSink(sink)
    sizes = []
    sink.videoFrameChanged.connect(lambda frame: sizes.append((frame.width(), frame.height())))
    errors = []
    player.errorOccurred.connect(lambda error, text: errors.append((error, text)))
    player.setSource(QUrl(server.stream_url(CAMERA, token())))
    player.play()
    try:
        qtbot.waitUntil(lambda: len(sizes) >= 10 or bool(errors), timeout=20_000)
    finally:
        player.stop()
    assert errors == []
    assert set(sizes) == {(640, 360)}
