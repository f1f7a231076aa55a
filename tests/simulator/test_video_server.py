"""The simulated cameras' server over real HTTP: who is let in, what a stream carries, and that
only watched cameras are drawn."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest

from services.bus.ports import free_port
from services.domain.privacy_masks import PresetMasks, mask_version
from services.domain.stream_tokens import mint
from services.simulator.video import CameraView, StreamServer
from tests.simulator.video_support import (
    CAMERA,
    NOON,
    SECRET,
    Cameras,
    Stream,
    decode,
    get,
    token,
    video_threads,
)

OTHER = "camera:21231-002"
BROKEN = "camera:21355-001"
#: One mask, well inside the picture: a first-floor window block and a door of the street.
WINDOWS = ((400, 130), (640, 130), (640, 330), (400, 330))
DOOR = ((700, 350), (760, 350), (760, 440), (700, 440))
MASKS = PresetMasks(1, (WINDOWS, DOOR), mask_version((WINDOWS, DOOR)))


@pytest.fixture
def cameras() -> Cameras:
    return Cameras(
        CameraView(CAMERA, "CAM-21231-001 Caméra rue de la Liberté (Dijon)", 1, masks=MASKS),
        CameraView(OTHER, "CAM-21231-002", 1),
        CameraView(BROKEN, "CAM-21355-001", 1, in_fault=True),
    )


@pytest.fixture
def server(cameras) -> Iterator[StreamServer]:
    with StreamServer(cameras, port=free_port(), clock=lambda: datetime.now(UTC)) as running:
        yield running
    assert not video_threads()


def _until(condition, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


# --- who is let in ------------------------------------------------------------------------------
def test_no_token_is_401(server):
    for url in (
        f"{server.base_url}/cameras/{CAMERA}/stream",
        server.stream_url(CAMERA, ""),
        f"{server.base_url}/cameras/{CAMERA}/snapshot.jpg",
    ):
        status, body, headers = get(url)
        assert (status, body) == (401, b"missing\n"), url
        assert "WWW-Authenticate" in headers


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (
            lambda: mint(SECRET, CAMERA, "c.bernard", datetime.now(UTC) - timedelta(seconds=1)),
            "expired",
        ),
        (lambda: token(OTHER), "other_camera"),
        (
            lambda: mint(
                b"another gateway", CAMERA, "c.bernard", datetime.now(UTC) + timedelta(minutes=5)
            ),
            "bad_signature",
        ),
        (lambda: "not-a-token", "malformed"),
    ],
)
def test_a_bad_token_is_403_saying_why(server, make, reason):
    for url in (server.stream_url(CAMERA, make()), server.snapshot_url(CAMERA, make())):
        status, body, _ = get(url)
        assert (status, body) == (403, f"{reason}\n".encode()), url
    assert not video_threads()


def test_an_unknown_camera_or_path_is_404(server):
    status, body, _ = get(server.stream_url("camera:99999-001", token("camera:99999-001")))
    assert (status, body) == (404, b"unknown_camera\n")
    status, body, _ = get(f"{server.base_url}/cameras/{CAMERA}/recordings?token={token()}")
    assert (status, body) == (404, b"not_found\n")


def test_a_camera_in_fault_serves_nothing(server):
    for url in (
        server.stream_url(BROKEN, token(BROKEN)),
        server.snapshot_url(BROKEN, token(BROKEN)),
    ):
        status, body, _ = get(url)
        assert (status, body) == (503, b"fault\n")
    assert not video_threads()


def test_a_size_the_cameras_do_not_serve_is_400(server):
    status, body, _ = get(server.stream_url(CAMERA, token(), size="4000x3000"))
    assert (status, body) == (400, b"bad_size\n")


def test_the_token_never_reaches_the_log(server, caplog):
    secret_token = token()
    with caplog.at_level("DEBUG", logger="services.simulator.video"):
        get(server.snapshot_url(CAMERA, secret_token))
        get(server.stream_url(CAMERA, secret_token, size="1x1"))
    assert caplog.records
    assert secret_token not in caplog.text


def test_a_camera_whose_gateway_has_no_secret_opens_to_no_token(cameras):
    class Secretless(Cameras):
        def secret_for(self, camera_id: str) -> bytes:
            raise KeyError(camera_id)

    with StreamServer(Secretless(cameras.camera(CAMERA)), port=free_port()) as server:
        status, body, _ = get(server.stream_url(CAMERA, token()))
    assert (status, body) == (403, b"bad_signature\n")


def test_a_source_that_fails_is_a_500_not_a_dropped_connection(cameras):
    class Failing(Cameras):
        def secret_for(self, camera_id: str) -> bytes:
            raise RuntimeError(camera_id)

    failing = Failing(cameras.camera(CAMERA))
    with StreamServer(failing, port=free_port()) as server:
        status, body, _ = get(server.stream_url(CAMERA, token()))
    assert (status, body) == (500, b"error\n")


# --- what a stream carries ----------------------------------------------------------------------
def test_a_stream_runs_at_25_frames_a_second_in_jpeg(server):
    with Stream(server.stream_url(CAMERA, token())) as stream:
        assert stream.status == 200
        assert (
            stream.response.getheader("Content-Type") == "multipart/x-mixed-replace; boundary=frame"
        )
        assert stream.response.getheader("Cache-Control") == "no-store"
        frames = stream.frames()
        first = next(frames)
        started = time.monotonic()
        count = 0
        for _ in frames:
            count += 1
            if time.monotonic() - started >= 2.0:
                break
    assert first[:2] == b"\xff\xd8" and first[-2:] == b"\xff\xd9"
    assert decode(first).size == (640, 360)
    assert count >= 30  # 50 expected: a loose floor for a busy machine


def test_the_enlarged_size_and_a_snapshot(server):
    with Stream(server.stream_url(CAMERA, token(), size="1280x720")) as stream:
        assert decode(next(stream.frames())).size == (1280, 720)
    status, body, headers = get(server.snapshot_url(CAMERA, token(), size="1280x720"))
    assert status == 200 and headers["Content-Type"] == "image/jpeg"
    assert decode(body).size == (1280, 720)


def test_an_open_stream_ends_when_its_camera_goes_into_fault(server, cameras):
    with Stream(server.stream_url(CAMERA, token())) as stream:
        frames = stream.frames()
        for _ in range(3):
            next(frames)
        cameras.change(CAMERA, in_fault=True)
        after = time.monotonic()
        rest = sum(1 for _ in frames)  # ends: the iterator stops at the final boundary
        assert stream.ended
        assert time.monotonic() - after < 2.0
        assert rest <= 5
    assert _until(lambda: not video_threads())
    status, body, _ = get(server.stream_url(CAMERA, token()))
    assert (status, body) == (503, b"fault\n")
    cameras.change(CAMERA, in_fault=False)  # repaired: served again
    with Stream(server.stream_url(CAMERA, token())) as stream:
        assert stream.status == 200 and next(stream.frames())


def test_a_stream_outlives_its_token(server):
    with Stream(server.stream_url(CAMERA, token(minutes=1 / 60))) as stream:  # good for 1 s
        frames = stream.frames()
        started = time.monotonic()
        while time.monotonic() - started < 1.5:
            next(frames)


# --- masks burned in at the source --------------------------------------------------------------
@pytest.fixture
def noon_server(cameras) -> Iterator[StreamServer]:
    with StreamServer(cameras, port=free_port(), clock=lambda: NOON) as running:
        yield running


@pytest.mark.parametrize("size", [(640, 360), (1280, 720)])
def test_masked_pixels_are_opaque_black_and_the_rest_is_not(noon_server, cameras, size):
    w, h = size
    scale = w / 1280
    with Stream(noon_server.stream_url(CAMERA, token(), size=f"{w}x{h}")) as stream:
        masked = decode(next(stream.frames()))
    # Well inside each polygon, since JPEG blurs edges over its 16-pixel blocks: a grid of points
    # 16 served pixels in from the edges.
    for polygon in (WINDOWS, DOOR):
        x0, x1 = min(x for x, _ in polygon) * scale, max(x for x, _ in polygon) * scale
        y0, y1 = min(y for _, y in polygon) * scale, max(y for _, y in polygon) * scale
        for fx in (0.0, 0.5, 1.0):
            for fy in (0.0, 0.5, 1.0):
                x, y = x0 + 16 + fx * (x1 - x0 - 32), y0 + 16 + fy * (y1 - y0 - 32)
                assert max(masked.getpixel((int(x), int(y)))) <= 4, (polygon, x, y)
    # What they hide is there without them (facades and windows are not black)...
    cameras.change(CAMERA, masks=None)
    with Stream(noon_server.stream_url(CAMERA, token(), size=f"{w}x{h}")) as stream:
        frames = stream.frames()
        for _ in range(5):  # the first may have been drawn before the change
            bare = decode(next(frames))
    inside = [(int(520 * scale), int(230 * scale)), (int(730 * scale), int(395 * scale))]
    assert all(max(bare.getpixel(p)) > 40 for p in inside)
    # ...and outside the masks the masked picture is the picture (the clock stands still at noon,
    # so both are drawn alike): a grid of points clear of the masks by a JPEG block.
    clear = [
        (x, y)
        for x in range(8, w, 24)
        for y in range(8, h, 24)
        if not any(_near_box(x / scale, y / scale, p, 32 / scale) for p in (WINDOWS, DOOR))
    ]
    alike = [
        max(abs(a - b) for a, b in zip(masked.getpixel(p), bare.getpixel(p), strict=True)) <= 12
        for p in clear
    ]
    assert sum(alike) >= 0.98 * len(clear)
    for x, y in ((30, 80), (1100, 80)):  # the sky over the roofs
        assert masked.getpixel((int(x * scale), int(y * scale)))[2] > 150


def _near_box(x: float, y: float, polygon, margin: float) -> bool:
    xs, ys = [px for px, _ in polygon], [py for _, py in polygon]
    return min(xs) - margin <= x <= max(xs) + margin and min(ys) - margin <= y <= max(ys) + margin


def test_a_snapshot_is_masked_too(noon_server):
    status, body, _ = get(noon_server.snapshot_url(CAMERA, token()))
    assert status == 200
    assert max(decode(body).getpixel((260, 115))) <= 6  # the window block's middle, at 640x360


# --- only watched streams cost processor time ---------------------------------------------------
def test_nothing_is_drawn_while_nobody_watches(server):
    time.sleep(0.3)
    assert video_threads() == []
    assert server.producers.running() == {} and server.producers.started == 0
    get(server.snapshot_url(CAMERA, token()))  # a snapshot is drawn once, by its request
    assert server.producers.started == 0

    first = Stream(server.stream_url(CAMERA, token()))
    second = Stream(server.stream_url(CAMERA, token(viewer="m.dupont")))
    a, b = first.frames(), second.frames()
    next(a), next(b)
    assert server.producers.running() == {(CAMERA, (640, 360)): 2}
    assert len(video_threads()) == 1  # one producer for both: frames are shared
    first.close()
    for _ in range(10):
        next(b)  # the other still watches
    assert _until(lambda: server.producers.running() == {(CAMERA, (640, 360)): 1})
    second.close()
    assert _until(lambda: not video_threads())
    assert server.producers.running() == {}
    assert server.producers.started == 1


def test_each_size_has_its_producer(server):
    with (
        Stream(server.stream_url(CAMERA, token())) as small,
        Stream(server.stream_url(CAMERA, token(), size="1280x720")) as large,
    ):
        next(small.frames()), next(large.frames())
        assert sorted(server.producers.running()) == [(CAMERA, (640, 360)), (CAMERA, (1280, 720))]
        assert len(video_threads()) == 2
    assert _until(lambda: not video_threads())


def test_a_viewer_that_stops_reading_holds_up_nobody(server):
    # A viewer that never reads, with the smallest receive buffer the system allows, so that the
    # server's writes to it block at once.
    parts = urlsplit(server.stream_url(CAMERA, token()))
    stalled = socket.socket()
    stalled.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
    stalled.connect((parts.hostname, parts.port))
    stalled.sendall(f"GET {parts.path}?{parts.query} HTTP/1.0\r\n\r\n".encode())
    try:
        assert _until(lambda: server.producers.running().get((CAMERA, (640, 360))) == 1)
        time.sleep(0.5)  # its writes are blocked by now
        with Stream(server.stream_url(CAMERA, token(viewer="m.dupont"))) as reader:
            frames = reader.frames()
            next(frames)
            started, count = time.monotonic(), 0
            for _ in frames:
                count += 1
                if time.monotonic() - started >= 2.0:
                    break
        assert count >= 30
    finally:
        stalled.close()


def test_stopping_the_server_ends_its_streams(cameras):
    server = StreamServer(cameras, port=free_port()).start()
    done = threading.Event()
    with Stream(server.stream_url(CAMERA, token())) as stream:
        frames = stream.frames()
        next(frames)

        def drain() -> None:
            for _ in frames:
                pass
            done.set()

        threading.Thread(target=drain, daemon=True).start()
        server.stop()
        assert done.wait(5)
    assert _until(lambda: not video_threads())


def test_a_request_without_a_good_token_learns_nothing_of_which_cameras_exist(server):
    unknown = "camera:99999-001"
    assert get(server.stream_url(unknown, token(CAMERA)))[:2] == (403, b"other_camera\n")
    forged = token(unknown).rsplit(".", 1)[0] + ".AAAA"
    assert get(server.stream_url(unknown, forged))[:2] == get(server.stream_url(CAMERA, forged))[:2]


def test_a_request_racing_the_stop_starts_no_picture(cameras):
    server = StreamServer(cameras, port=free_port()).start()
    server.producers.stop_all()
    status, body, _ = get(server.stream_url(CAMERA, token()))
    server.stop()
    assert (status, body) == (503, b"stopping\n")
    assert server.producers.running() == {}
