"""The simulated cameras' video server: MJPEG over HTTP on loopback, behind signed tokens.

As many IP cameras do, each camera serves ``multipart/x-mixed-replace`` JPEG frames::

    GET /cameras/{id}/stream?token=...&size=640x360     25 frames a second until closed
    GET /cameras/{id}/snapshot.jpg?token=...&size=...   one frame

``size`` is ``640x360`` (the default, a wall's tile) or ``1280x720``. The answers are for
programs, with a one-word reason as a plain-text body:

    200  the stream or the frame
    400  bad_size
    401  missing             no token
    403  malformed, bad_signature, expired, other_camera   (``stream_tokens``)
    404  not_found, unknown_camera   (an unknown camera only to a good token: checked first)
    503  fault               the camera is in fault: nothing is served, and an open stream ends
    503  stopping            the server is stopping
    500  error               the source failed (a bug, logged)

The token is checked when the request arrives, against the camera's secret
(``CameraSource.secret_for``): a stream outlives its token, as a view outlives the moment it
was opened; the console closes views at their limit. The query (the token) is never logged.

Frames are drawn only while watched (``producers``); every request has a thread of its own
(``ThreadingHTTPServer``), so a viewer that stops reading holds up only itself, and is dropped
once a write has waited ``WRITE_TIMEOUT_S``.
"""

from __future__ import annotations

import logging
import re
import secrets
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

from services.domain.stream_tokens import MISSING, TokenRefused, check
from services.simulator.video.frames import BadSize, FrameMaker, parse_size
from services.simulator.video.producers import Producers, ServerStopping
from services.simulator.video.source import CameraSource

log = logging.getLogger(__name__)

LOOPBACK = "127.0.0.1"
FPS = 25.0
BOUNDARY = "frame"
#: A viewer whose socket accepts nothing for this long is dropped.
WRITE_TIMEOUT_S = 10.0
#: How long a viewer waits for a frame before taking its camera's producer for stuck.
FRAME_TIMEOUT_S = 5.0
_TOKEN_IN_TEXT = re.compile(r"token=[^&\s\"']*")


class StreamServer:
    """Serves ``source``'s cameras on ``host``:``port`` (0: any free port) from ``start``."""

    def __init__(
        self,
        source: CameraSource,
        *,
        host: str = LOOPBACK,
        port: int = 0,
        fps: float = FPS,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.source = source
        self.clock = clock
        self.producers = Producers(source, fps, clock)
        self._httpd = _Httpd((host, port), _Handler)
        self._httpd.streams = self
        self._thread: threading.Thread | None = None

    @property
    def host(self) -> str:
        return str(self._httpd.server_address[0])

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def stream_url(self, camera_id: str, token: str | None = None, size: str | None = None) -> str:
        """The camera's stream; without a token, the URL its state names (a viewer adds one)."""
        return self._url(camera_id, "stream", token, size)

    def snapshot_url(self, camera_id: str, token: str, size: str | None = None) -> str:
        return self._url(camera_id, "snapshot.jpg", token, size)

    def start(self) -> StreamServer:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name="vigie-video server", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening and end every stream (their threads finish their current write)."""
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self.producers.stop_all()
        self._httpd.server_close()

    def __enter__(self) -> StreamServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _url(self, camera_id: str, what: str, token: str | None, size: str | None) -> str:
        query = {"token": token, "size": size}
        query = {k: v for k, v in query.items() if v}
        path = f"{self.base_url}/cameras/{quote(camera_id, safe=':')}/{what}"
        return f"{path}?{urlencode(query)}" if query else path


class _Httpd(ThreadingHTTPServer):
    daemon_threads = True  # a viewer's thread never keeps the process alive
    streams: StreamServer


class _Refused(Exception):
    def __init__(self, status: HTTPStatus, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class _Handler(BaseHTTPRequestHandler):
    server: _Httpd
    server_version = "VigieSimulatedCamera/1"
    # HTTP/1.0: one request per connection, and a stream's body lasts until the connection ends.
    protocol_version = "HTTP/1.0"
    timeout = WRITE_TIMEOUT_S

    def do_GET(self) -> None:  # the name http.server dispatches GET to
        try:
            camera_id, what, size = self._admit()
        except _Refused as refused:
            self._refuse(refused.status, refused.reason)
            return
        except Exception:  # the source failed (a bug): say so rather than drop the connection
            log.exception("camera request %s failed", urlsplit(self.path).path)
            self._refuse(HTTPStatus.INTERNAL_SERVER_ERROR, "error")
            return
        try:
            if what == "snapshot.jpg":
                self._snapshot(camera_id, size)
            else:
                self._stream(camera_id, size)
        except ServerStopping:
            self._refuse(HTTPStatus.SERVICE_UNAVAILABLE, "stopping")

    def _admit(self) -> tuple[str, str, tuple[int, int]]:
        """The camera, what is asked of it and at which size; ``_Refused`` says why not."""
        streams = self.server.streams
        url = urlsplit(self.path)
        parts = url.path.split("/")
        if (
            len(parts) != 4
            or parts[:2] != ["", "cameras"]
            or parts[3]
            not in (
                "stream",
                "snapshot.jpg",
            )
        ):
            raise _Refused(HTTPStatus.NOT_FOUND, "not_found")
        camera_id = unquote(parts[2])
        query = parse_qs(url.query)
        token = query.get("token", [""])[0]
        if not token:
            raise _Refused(HTTPStatus.UNAUTHORIZED, MISSING)
        try:
            size = parse_size(query.get("size", [""])[0])
        except BadSize:
            raise _Refused(HTTPStatus.BAD_REQUEST, "bad_size") from None
        # The token first, against a secret nobody holds when the camera is unknown or its
        # gateway has none: a request without a good token learns nothing, not even whether
        # the camera exists.
        try:
            secret = streams.source.secret_for(camera_id)
        except KeyError:
            secret = secrets.token_bytes(32)
        try:
            viewer = check(secret, token, camera_id, streams.clock())
        except TokenRefused as refused:
            raise _Refused(HTTPStatus.FORBIDDEN, refused.reason) from None
        view = streams.source.camera(camera_id)
        if view is None:
            raise _Refused(HTTPStatus.NOT_FOUND, "unknown_camera")
        # Checked after the token: only a holder of a good token learns the camera's state.
        if view.in_fault:
            raise _Refused(HTTPStatus.SERVICE_UNAVAILABLE, "fault")
        log.debug("camera %s: %s for %s at %dx%d", camera_id, parts[3], viewer, *size)
        return camera_id, parts[3], size

    def _stream(self, camera_id: str, size: tuple[int, int]) -> None:
        with self.server.streams.producers.watching(camera_id, size) as broadcast:
            got = broadcast.next_after(0, FRAME_TIMEOUT_S)
            if got is None:  # it went into fault between the check and the first frame
                self._refuse(HTTPStatus.SERVICE_UNAVAILABLE, "fault")
                return
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", f"multipart/x-mixed-replace; boundary={BOUNDARY}")
            self._private_headers()
            self.end_headers()
            try:
                while got is not None:
                    number, frame = got
                    self.wfile.write(_part(frame))
                    got = broadcast.next_after(number, FRAME_TIMEOUT_S)
                self.wfile.write(f"--{BOUNDARY}--\r\n".encode("ascii"))
            except OSError:  # the viewer left, or stopped reading for WRITE_TIMEOUT_S
                return

    def _snapshot(self, camera_id: str, size: tuple[int, int]) -> None:
        streams = self.server.streams
        view = streams.source.camera(camera_id)
        if view is None or view.in_fault:
            self._refuse(HTTPStatus.SERVICE_UNAVAILABLE, "fault")
            return
        frame = FrameMaker(camera_id, size).jpeg(view, streams.clock())
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "image/jpeg")
        self.send_header("Content-Length", str(len(frame)))
        self._private_headers()
        self.end_headers()
        try:
            self.wfile.write(frame)
        except OSError:
            return

    def _refuse(self, status: HTTPStatus, reason: str) -> None:
        body = f"{reason}\n".encode("ascii")
        self.send_response(status)
        if status is HTTPStatus.UNAUTHORIZED:
            self.send_header("WWW-Authenticate", 'Token realm="vigie-video"')
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self._private_headers()
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:
            return

    def _private_headers(self) -> None:
        # Nothing of a camera may be kept by a cache on the way, nor guessed into another type.
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        log.debug("%s %s %s", self.command, urlsplit(self.path).path, code)

    def log_message(self, format: str, *args: Any) -> None:  # http.server's signature
        log.debug("%s", _TOKEN_IN_TEXT.sub("token=…", format % args))


def _part(frame: bytes) -> bytes:
    head = f"--{BOUNDARY}\r\nContent-Type: image/jpeg\r\nContent-Length: {len(frame)}\r\n\r\n"
    return head.encode("ascii") + frame + b"\r\n"
