"""What the video tests share: a world of cameras held in a dict, a server on a free port, and
an MJPEG reader that counts what arrives."""

from __future__ import annotations

import http.client
import io
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from PIL import Image

from services.domain.stream_tokens import mint
from services.simulator.video import CameraView

SECRET = b"gw-cam-21231-1 stream secret"
CAMERA = "camera:21231-001"
#: Noon in June: a bright sky, so that what is black was blacked out.
NOON = datetime(2026, 6, 15, 10, 0, tzinfo=UTC)
VIDEO_THREAD = "vigie-video camera"


class Cameras:
    """A ``CameraSource`` whose cameras a test changes as it goes (fault, preset, masks)."""

    def __init__(self, *views: CameraView) -> None:
        self._lock = threading.Lock()
        self._views = {v.id: v for v in views}

    def camera(self, camera_id: str) -> CameraView | None:
        with self._lock:
            return self._views.get(camera_id)

    def secret_for(self, camera_id: str) -> bytes:
        return SECRET

    def change(self, camera_id: str, **changes: object) -> None:
        with self._lock:
            self._views[camera_id] = replace(self._views[camera_id], **changes)


def token(camera: str = CAMERA, *, viewer: str = "c.bernard", minutes: float = 5) -> str:
    return mint(SECRET, camera, viewer, datetime.now(UTC) + timedelta(minutes=minutes))


def video_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith(VIDEO_THREAD)]


def get(url: str, timeout: float = 10.0) -> tuple[int, bytes, dict[str, str]]:
    """A plain request: status, whole body, headers (for refusals and snapshots)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request("GET", f"{parts.path}?{parts.query}" if parts.query else parts.path)
        response = connection.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        connection.close()


class Stream:
    """An open MJPEG stream, read part by part."""

    def __init__(self, url: str, timeout: float = 10.0) -> None:
        parts = urlsplit(url)
        self._connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
        self._connection.request("GET", f"{parts.path}?{parts.query}")
        self.response = self._connection.getresponse()
        self.status = self.response.status
        self.ended = False  # the server closed the multipart body with its final boundary

    def frames(self) -> Iterator[bytes]:
        """Each JPEG as it arrives, until the body's final boundary or the connection's end."""
        read = self.response
        while True:
            line = read.readline()
            if not line:
                return
            if line.strip() == b"":
                continue
            if line.strip() == b"--frame--":
                self.ended = True
                return
            assert line.strip() == b"--frame", line
            headers = {}
            while (line := read.readline().strip()) != b"":
                name, _, value = line.decode("ascii").partition(":")
                headers[name.strip().lower()] = value.strip()
            assert headers["content-type"] == "image/jpeg"
            yield read.read(int(headers["content-length"]))

    def close(self) -> None:
        # The response holds the socket of an HTTP/1.0 answer: closing only the connection
        # would leave it open, and the server would go on sending.
        self.response.close()
        self._connection.close()

    def __enter__(self) -> Stream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def decode(jpeg: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(jpeg))
    image.load()
    return image.convert("RGB")
