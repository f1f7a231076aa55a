"""Taking a snapshot from a real camera server: a PNG with the masks the camera burned in, saved
whole where the city says, or a clear refusal and nothing saved."""

from __future__ import annotations

import hashlib
import http.server
import io
import os
import socket
import stat
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image

from services.bus.ports import free_port
from services.domain.privacy_masks import PresetMasks, mask_version
from services.domain.snapshots import MADE_NAME
from services.domain.stream_tokens import mint
from services.simulator.video import CameraView, StreamServer
from services.snapshots import (
    FILE_MODE,
    SnapshotNotAPicture,
    SnapshotRefused,
    SnapshotUnavailable,
    SnapshotUnreachable,
    discard,
    snapshot_url,
    take_snapshot,
)
from tests.simulator.video_support import CAMERA, NOON, SECRET, Cameras, token

OTHER = "camera:21231-002"
BROKEN = "camera:21355-001"
WINDOWS = ((400, 130), (640, 130), (640, 330), (400, 330))
DOOR = ((700, 350), (760, 350), (760, 440), (700, 440))
MASKS = PresetMasks(1, (WINDOWS, DOOR), mask_version((WINDOWS, DOOR)))


@pytest.fixture
def server() -> Iterator[StreamServer]:
    cameras = Cameras(
        CameraView(CAMERA, "CAM-21231-001 Caméra rue de la Liberté (Dijon)", 1, masks=MASKS),
        CameraView(OTHER, "CAM-21231-002", 1),
        CameraView(BROKEN, "CAM-21355-001", 1, in_fault=True),
    )
    with StreamServer(cameras, port=free_port(), clock=lambda: NOON) as running:
        yield running


def _png(path) -> Image.Image:
    with Image.open(path) as image:
        assert image.format == "PNG"
        return image.convert("RGB")


@pytest.mark.parametrize("size", [(640, 360), (1280, 720)])
def test_a_snapshot_is_a_png_of_the_masked_frame_saved_whole_with_its_digest(
    server, tmp_path, size
):
    w, h = size
    folder = tmp_path / "snapshots"
    stream = server.stream_url(CAMERA, token(), size=f"{w}x{h}")
    at = datetime(2026, 12, 4, 18, 0, 5, 123456, tzinfo=UTC)
    snap = take_snapshot(stream, folder, 42, now=at)
    assert snap.camera == CAMERA and snap.taken_at == at
    assert snap.file_name == "camera_21231-001-20261204T180005.123Z-42.png"
    assert MADE_NAME.fullmatch(snap.file_name)
    assert snap.path == folder / snap.file_name and os.listdir(folder) == [snap.file_name]
    data = snap.path.read_bytes()
    assert hashlib.sha256(data).hexdigest() == snap.sha256 and len(data) == snap.size
    assert stat.S_IMODE(snap.path.stat().st_mode) == FILE_MODE
    picture = _png(snap.path)
    assert picture.size == (w, h)
    # The masks as the camera burned them in: opaque black well inside each polygon (JPEG blurs
    # their edges over its 16-pixel blocks), as test_video_server checks the stream.
    scale = w / 1280
    for polygon in (WINDOWS, DOOR):
        x0, x1 = min(x for x, _ in polygon) * scale, max(x for x, _ in polygon) * scale
        y0, y1 = min(y for _, y in polygon) * scale, max(y for _, y in polygon) * scale
        for fx in (0.0, 0.5, 1.0):
            for fy in (0.0, 0.5, 1.0):
                x, y = x0 + 16 + fx * (x1 - x0 - 32), y0 + 16 + fy * (y1 - y0 - 32)
                assert max(picture.getpixel((int(x), int(y)))) <= 4, (polygon, x, y)
    for x, y in ((30, 80), (1100, 80)):  # the sky over the roofs: the picture is there
        assert picture.getpixel((int(x * scale), int(y * scale)))[2] > 150


def test_the_png_holds_the_cameras_pixels_unchanged(server, tmp_path):
    from tests.simulator.video_support import decode, get

    snap = take_snapshot(server.stream_url(CAMERA, token()), tmp_path, 1)
    status, jpeg, _ = get(server.snapshot_url(CAMERA, token()))  # noon stands still
    assert status == 200
    assert _png(snap.path).tobytes() == decode(jpeg).tobytes()


def test_the_snapshots_address_is_the_servers_own(server):
    good = token()
    stream = server.stream_url(CAMERA, good, size="1280x720")
    assert snapshot_url(stream) == (CAMERA, server.snapshot_url(CAMERA, good, size="1280x720"))
    assert snapshot_url(server.stream_url(CAMERA, good), "1280x720") == (
        CAMERA,
        server.snapshot_url(CAMERA, good, size="1280x720"),
    )
    from services.domain.errors import InvalidInput

    for bad in ("ftp://h/cameras/c/stream", "http://h/cameras/c/snapshot.jpg", "not a url"):
        with pytest.raises(InvalidInput):
            snapshot_url(bad)


def test_two_snapshots_in_one_millisecond_never_overwrite_each_other(server, tmp_path):
    at = datetime.now(UTC)
    first = take_snapshot(server.stream_url(CAMERA, token()), tmp_path, 7, now=at)
    second = take_snapshot(server.stream_url(CAMERA, token()), tmp_path, 7, now=at)
    assert first.file_name != second.file_name and second.file_name.endswith("-7-2.png")
    assert sorted(os.listdir(tmp_path)) == sorted([first.file_name, second.file_name])
    discard(tmp_path, second.file_name)
    discard(tmp_path, second.file_name)  # gone already: nothing to do
    assert os.listdir(tmp_path) == [first.file_name]


@pytest.mark.parametrize(
    ("make_url", "error", "status", "reason"),
    [
        (
            lambda s: s.stream_url(CAMERA, mint(SECRET, CAMERA, "c.bernard", NOON - timedelta(1))),
            SnapshotRefused,
            403,
            "expired",
        ),
        (lambda s: s.stream_url(CAMERA, token(OTHER)), SnapshotRefused, 403, "other_camera"),
        (lambda s: s.stream_url(CAMERA), SnapshotRefused, 401, "missing"),
        (
            lambda s: s.stream_url("camera:nowhere", token("camera:nowhere")),
            SnapshotUnavailable,
            404,
            None,
        ),
        (lambda s: s.stream_url(BROKEN, token(BROKEN)), SnapshotUnavailable, 503, "fault"),
        (lambda s: s.stream_url(CAMERA, token(), size="9x9"), SnapshotUnavailable, 400, None),
    ],
)
def test_a_refusal_is_a_clear_error_and_nothing_is_saved(
    server, tmp_path, make_url, error, status, reason
):
    folder = tmp_path / "snapshots"
    url = make_url(server)
    with pytest.raises(error) as refused:
        take_snapshot(url, folder, 1)
    assert refused.value.params["status"] == status
    assert refused.value.params["camera"] in (CAMERA, BROKEN, "camera:nowhere")
    if reason:
        assert refused.value.params["reason"] == reason
    assert not folder.exists()
    query = url.partition("?")[2]
    assert not query or query not in str(refused.value)  # the token is in no error


def test_the_clear_errors_have_sentences():
    from console.text.messages import describe

    refused = SnapshotRefused(camera=CAMERA, status=403, reason="expired")
    assert "expired" in describe(refused) and CAMERA in describe(refused)
    assert "nothing was saved" in describe(SnapshotUnreachable(camera=CAMERA, reason="timed out"))


def test_a_dead_camera_is_given_up_within_the_time_limit(tmp_path):
    with socket.socket() as silent:  # accepts the connection, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        started = time.monotonic()
        with pytest.raises(SnapshotUnreachable) as gone:
            take_snapshot(
                f"http://127.0.0.1:{port}/cameras/{CAMERA}/stream?token=x", tmp_path, 1, timeout=0.5
            )
        assert time.monotonic() - started < 3
    assert gone.value.params["reason"] == "timed out"
    with pytest.raises(SnapshotUnreachable):  # nobody listens there any more
        take_snapshot(f"http://127.0.0.1:{port}/cameras/{CAMERA}/stream?token=x", tmp_path, 1)
    assert os.listdir(tmp_path) == []


class _NotAPicture(http.server.BaseHTTPRequestHandler):
    body = b"<html>hello</html>"
    kind = "text/html"

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.send_response(200)
        self.send_header("Content-Type", self.kind)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args) -> None:
        return None


class _BadJpeg(_NotAPicture):
    body = b"\xff\xd8 not really a JPEG"
    kind = "image/jpeg"


class _Png(_NotAPicture):
    kind = "image/jpeg"  # says JPEG, sends PNG: refused too

    @property
    def body(self) -> bytes:  # type: ignore[override]
        out = io.BytesIO()
        Image.new("RGB", (8, 8)).save(out, "PNG")
        return out.getvalue()


@pytest.mark.parametrize("handler", [_NotAPicture, _BadJpeg, _Png])
def test_an_answer_that_is_not_a_jpeg_picture_is_refused(tmp_path, handler):
    httpd = http.server.HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/cameras/{CAMERA}/stream?token=x"
        with pytest.raises(SnapshotNotAPicture):
            take_snapshot(url, tmp_path, 1)
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert os.listdir(tmp_path) == []


def test_the_folder_is_where_the_city_says(tmp_path):
    from services.config import Origin, default_snapshots_folder, load_settings

    config = tmp_path / "config.toml"
    plain = load_settings({}, {"VIGIE_CONFIG": str(config)})
    assert plain.snapshots_path == default_snapshots_folder()
    assert default_snapshots_folder().name == "snapshots"
    assert plain.origins["snapshots_folder"] is Origin.DEFAULT
    config.write_text('snapshots_folder = "/srv/vigie/instantanes"\n')
    from_file = load_settings({}, {"VIGIE_CONFIG": str(config)})
    assert str(from_file.snapshots_path) == "/srv/vigie/instantanes"
    from_env = load_settings(
        {}, {"VIGIE_CONFIG": str(config), "VIGIE_SNAPSHOTS_FOLDER": "~/instantanes"}
    )
    assert from_env.snapshots_path == Path("~/instantanes").expanduser()
    assert from_env.origins["snapshots_folder"] is Origin.ENVIRONMENT
