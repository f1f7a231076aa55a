"""Taking a camera's snapshot: one frame from its server, saved as a PNG where the city says.

A snapshot is a recording (issue 18, item 6): ``take_snapshot`` asks the camera's server for
one frame (``GET /cameras/{id}/snapshot.jpg?token=…``, the stream's address with the view's
token), decodes the JPEG and writes it as a PNG in the snapshots folder (the
``snapshots_folder`` setting), whole or not at all (a temporary file, then a new name that
replaces nothing), mode 640. The privacy masks are the camera's, burned in before the frame was
encoded: nothing here draws them again or takes them away. The caller then records it in the
same view (``services/store/camera_snapshots.record_snapshot``), and if that is refused, gives
the file to ``discard``: no footage is kept without its journal entry. The recorder's
retention deletes the file after a month (``services/recorder/retention.py``).

Blocking (the network, the disk): a console calls it off its GUI thread. Every request has a
time limit, so a dead camera never holds the caller longer than ``TIMEOUT_S`` per step. The
token is never logged nor put in an error.
"""

from __future__ import annotations

import hashlib
import http.client
import io
import os
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from PIL import Image, UnidentifiedImageError

from services.domain.errors import InvalidInput, VigieError
from services.domain.snapshots import (
    TEMPORARY_PREFIX,
    TEMPORARY_SUFFIX,
    check_file_name,
    file_name,
)

#: How long a step (connecting, each read) may wait for the camera: a dead one is given up.
TIMEOUT_S = 5.0
#: A frame is some 100 KiB at 1280x720; anything past this is not one.
MAX_JPEG_BYTES = 16 * 1024 * 1024
#: A 4K frame at most: a larger picture is refused before it is decoded.
MAX_PIXELS = 3840 * 2160
FILE_MODE = 0o640
FOLDER_MODE = 0o750
#: A stream's address: ``…/cameras/{id}/stream``; its snapshot is ``…/cameras/{id}/snapshot.jpg``.
_STREAM, _SNAPSHOT = "stream", "snapshot.jpg"
#: The server's one-word reasons (docs/video.md), kept only if they look like one.
_REASON_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz_")


class Snapshot(NamedTuple):
    camera: str
    file_name: str  # in the folder: what ``record_snapshot`` records
    sha256: str  # of the PNG, hex
    size: int  # of the PNG, bytes
    taken_at: datetime
    path: Path


class SnapshotFailed(VigieError):
    """No snapshot was saved (nothing is left in the folder); ``key`` says why."""

    key = "snapshot.failed"


class SnapshotRefused(SnapshotFailed):
    """The camera refused the view's token (401, 403): expired, another camera's, or none."""

    key = "snapshot.refused"


class SnapshotUnavailable(SnapshotFailed):
    """The camera answered with no picture: unknown (404), in fault (503), or another error."""

    key = "snapshot.unavailable"


class SnapshotUnreachable(SnapshotFailed):
    """The camera's server could not be reached, or did not answer in time."""

    key = "snapshot.unreachable"


class SnapshotNotAPicture(SnapshotFailed):
    """The camera's answer is not a JPEG picture Vigie takes."""

    key = "snapshot.not_a_picture"


class SnapshotNotSaved(SnapshotFailed):
    """The PNG could not be written in the snapshots folder."""

    key = "snapshot.not_saved"


def snapshot_url(stream_url: str, size: str | None = None) -> tuple[str, str]:
    """The camera and its snapshot's address, from its stream's (with its token and size).

    ``…/cameras/{id}/stream?token=…&size=…`` becomes ``…/cameras/{id}/snapshot.jpg?…``, as the
    server's own ``snapshot_url`` makes it; ``size`` replaces the stream's size if given.
    """
    parts = urlsplit(stream_url)
    path = parts.path.split("/")
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or len(path) < 4
        or path[-3] != "cameras"
        or path[-1] != _STREAM
        or not path[-2]
    ):
        raise InvalidInput("snapshot.bad_stream_url")
    camera = unquote(path[-2])
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "size"]
    wanted = size or dict(parse_qsl(parts.query)).get("size")
    if wanted:
        query.append(("size", wanted))
    path[-1] = _SNAPSHOT
    return camera, urlunsplit(parts._replace(path="/".join(path), query=urlencode(query)))


def take_snapshot(
    stream_url: str,
    folder: Path | str,
    view_id: int,
    *,
    size: str | None = None,
    timeout: float = TIMEOUT_S,
    now: datetime | None = None,
) -> Snapshot:
    """Fetch one frame of the camera ``stream_url`` plays (with the view's token) as a PNG.

    Written in ``folder`` (made if missing) as ``{camera}-{UTC time}-{view}.png``; returns its
    name, SHA-256 and size for ``record_snapshot``. Raises a ``SnapshotFailed`` saying why, and
    then leaves nothing in the folder.
    """
    camera, url = snapshot_url(stream_url, size)
    jpeg = _fetch(url, camera, timeout)
    png = _as_png(jpeg, camera)
    taken_at = now or datetime.now(UTC)
    path = _write(Path(folder), png, camera, taken_at, view_id)
    return Snapshot(camera, path.name, hashlib.sha256(png).hexdigest(), len(png), taken_at, path)


def discard(folder: Path | str, name: str) -> None:
    """Delete a snapshot that was not recorded (its view closed meanwhile, a refusal)."""
    try:
        (Path(folder) / check_file_name(name)).unlink()
    except FileNotFoundError:
        pass


def _fetch(url: str, camera: str, timeout: float) -> bytes:
    parts = urlsplit(url)
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    # No proxy and no redirect: a camera is asked directly, and answers itself or not at all.
    connection = kind(parts.hostname or "", parts.port, timeout=timeout)
    deadline = time.monotonic() + 2 * timeout
    try:
        connection.request("GET", f"{parts.path}?{parts.query}", headers={"User-Agent": "Vigie"})
        response = connection.getresponse()
        if response.status != 200:
            reason = _reason(response.read(64))
            refused = SnapshotRefused if response.status in (401, 403) else SnapshotUnavailable
            raise refused(camera=camera, status=response.status, reason=reason)
        if response.getheader("Content-Type", "").split(";")[0].strip() != "image/jpeg":
            raise SnapshotNotAPicture(camera=camera)
        chunks, received = [], 0
        while chunk := response.read(64 * 1024):
            received += len(chunk)
            if received > MAX_JPEG_BYTES:
                raise SnapshotNotAPicture(camera=camera)
            if time.monotonic() > deadline:  # a camera dripping its answer is given up too
                raise SnapshotUnreachable(camera=camera, reason="timed out")
            chunks.append(chunk)
        return b"".join(chunks)
    except (OSError, http.client.HTTPException) as exc:
        reason = "timed out" if isinstance(exc, TimeoutError) else type(exc).__name__
        if isinstance(exc, OSError) and exc.strerror:
            reason = exc.strerror
        raise SnapshotUnreachable(camera=camera, reason=reason) from None
    finally:
        connection.close()


def _reason(body: bytes) -> str:
    word = body.decode("ascii", "replace").strip()
    return word if word and len(word) <= 32 and set(word) <= _REASON_CHARS else "-"


def _as_png(jpeg: bytes, camera: str) -> bytes:
    """The frame as the camera drew it, losslessly as a PNG: no pixel changed, nothing drawn."""
    try:
        with Image.open(io.BytesIO(jpeg)) as image:
            if image.format != "JPEG" or image.width * image.height > MAX_PIXELS:
                raise SnapshotNotAPicture(camera=camera)
            image.load()
            picture = image.convert("RGB")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise SnapshotNotAPicture(camera=camera) from None
    out = io.BytesIO()
    picture.save(out, "PNG")  # nothing of the JPEG's own metadata goes along
    return out.getvalue()


def _write(folder: Path, png: bytes, camera: str, taken_at: datetime, view_id: int) -> Path:
    """``png`` in ``folder`` under a new name, whole or not at all; never over another file."""
    temporary: str | None = None
    try:
        folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(
            dir=folder, prefix=TEMPORARY_PREFIX, suffix=TEMPORARY_SUFFIX
        )
        with os.fdopen(descriptor, "wb") as file:
            if hasattr(os, "fchmod"):
                os.fchmod(file.fileno(), FILE_MODE)
            file.write(png)
            file.flush()
            os.fsync(file.fileno())
        for attempt in range(1, 100):
            final = folder / file_name(camera, taken_at, view_id, attempt)
            try:
                os.link(temporary, final)  # fails rather than replace a snapshot kept there
            except FileExistsError:
                continue
            return final
        raise FileExistsError(f"{camera}: no free name")
    except OSError as exc:
        raise SnapshotNotSaved(
            camera=camera, folder=str(folder), reason=exc.strerror or str(exc)
        ) from None
    finally:
        if temporary is not None:
            try:
                os.unlink(temporary)
            except FileNotFoundError:
                pass
