"""Photos sent as a link: fetched only from allowed hosts, as images, within limits."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pytest

from services.domain.errors import VigieError
from services.photos import MAX_PHOTO_BYTES, fetch_photo, host_allowed
from services.simulator.png import tiny_png

PNG = tiny_png(8, 8, (10, 20, 30))


class PhotoHost:
    """A local web server: /p.png is an image, /page is HTML, /big is over the limit."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        host = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                host.requests.append(self.path)
                if self.path.startswith("/away"):  # a redirect to another host
                    port = self.server.server_address[1]
                    self.send_response(302)
                    self.send_header("Location", f"http://localhost:{port}/p.png?moved")
                    self.end_headers()
                    return
                kind, body = {
                    "/p.png": ("image/png", PNG),
                    "/page": ("text/html", b"<html></html>"),
                    "/big": ("image/jpeg", b"x" * (MAX_PHOTO_BYTES + 10)),
                }.get(self.path, ("text/plain", b""))
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def photo_host() -> Iterator[PhotoHost]:
    host = PhotoHost()
    yield host
    host.stop()


def test_only_listed_hosts_over_http(photo_host):
    assert host_allowed("https://photos.example.org/a.jpg", {"photos.example.org"})
    assert not host_allowed("https://evil.example.org/a.jpg", {"photos.example.org"})
    assert not host_allowed("file:///etc/passwd", {""})
    with pytest.raises(VigieError) as refused:
        fetch_photo(f"{photo_host.url}/p.png", set())
    assert refused.value.key == "photo.host_not_allowed"
    assert photo_host.requests == []  # refused before any request


def test_an_image_from_an_allowed_host_is_fetched(photo_host):
    assert fetch_photo(f"{photo_host.url}/p.png", {"127.0.0.1"}) == PNG


@pytest.mark.parametrize(
    ("path", "key"),
    [("/page", "photo.not_an_image"), ("/big", "photo.too_large"), ("/gone", "photo.unreachable")],
)
def test_what_is_not_a_photo_is_refused_with_a_reason(photo_host, path, key):
    with pytest.raises(VigieError) as refused:
        fetch_photo(f"{photo_host.url}{path}", {"127.0.0.1"})
    assert refused.value.key == key


def test_a_redirect_to_a_host_not_listed_is_not_followed(photo_host):
    with pytest.raises(VigieError) as refused:
        fetch_photo(f"{photo_host.url}/away", {"127.0.0.1"})
    assert refused.value.key == "photo.host_not_allowed"
    assert "localhost" in refused.value.params["url"]
    assert photo_host.requests == ["/away"]
