"""Citizens' photos published as a link: fetched only from hosts the configuration allows.

A report may carry ``media_url`` instead of the image. Fetching it means the control room's
workstation contacting a host named by whoever sent the report, so nothing is fetched unless
the host is listed (``photo_hosts``), over HTTP(S), with a time limit and a size limit, and
only an image is accepted. Runs off the GUI thread (the console's background worker).
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Collection
from urllib.parse import urlsplit

from services.domain.errors import VigieError

MAX_PHOTO_BYTES = 2 * 1024 * 1024  # as for photos sent inside a report
TIMEOUT_S = 5.0


def host_allowed(url: str, allowed: Collection[str]) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and (parts.hostname or "").lower() in allowed


class _AllowedRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to an allowed host.

    The sender of a report chooses the first URL, and its server could send us anywhere (a host
    inside the control room's network).
    """

    def __init__(self, allowed: Collection[str]) -> None:
        self.allowed = allowed

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001, ANN201
        if not host_allowed(newurl, self.allowed):
            raise VigieError("photo.host_not_allowed", url=newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch_photo(url: str, allowed: Collection[str]) -> bytes:
    """The image at ``url``; raises a VigieError saying why when it cannot be had."""
    if not host_allowed(url, allowed):
        raise VigieError("photo.host_not_allowed", url=url)
    request = urllib.request.Request(url, headers={"User-Agent": "Vigie"})
    opener = urllib.request.build_opener(_AllowedRedirects(allowed))
    try:
        with opener.open(request, timeout=TIMEOUT_S) as response:
            kind = response.headers.get_content_type()
            if not kind.startswith("image/"):
                raise VigieError("photo.not_an_image", url=url, kind=kind)
            data = response.read(MAX_PHOTO_BYTES + 1)
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise VigieError("photo.unreachable", url=url, reason=str(exc)) from None
    if len(data) > MAX_PHOTO_BYTES:
        raise VigieError("photo.too_large", url=url)
    return data
