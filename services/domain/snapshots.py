"""A snapshot of a camera is a recording: taken in a view, journaled, kept a month at most.

Issue 18 ("Purpose and trace", item 6): a snapshot is a PNG of one frame as the camera served
it (its privacy masks burned in at the source, never drawn again nor removed), taken by the
viewer of an open view (whose purpose it shares), saved where the city says, journaled
(``camera.snapshot``) and purged by the recorder's retention after ``Retention.snapshots``
(30 days, the CNIL's month for images); the row stays as the journal of a recording that
existed. Vigie keeps no other footage.

Plain rules, shared by SQLite's path and PostgreSQL's function (``services/store/
pg_snapshots.py`` writes the same limits into its SQL).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from services.domain.errors import InvalidInput

#: The audit action of a snapshot (``permissions.act_of``: viewing cameras).
SNAPSHOT = "camera.snapshot"

#: A file name as the record keeps it: a plain name in the snapshots folder, never a path.
MAX_FILE_NAME = 255
FILE_NAME_PATTERN = r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,250}\.png"
_FILE_NAME = re.compile(FILE_NAME_PATTERN)
#: The names ``file_name`` makes: what the retention's sweep of the folder may delete.
MADE_NAME = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*-\d{8}T\d{6}\.\d{3}Z-\d+(-\d+)?\.png")
#: A snapshot being written (``services/snapshots.py``): a temporary name, renamed once whole.
TEMPORARY_PREFIX, TEMPORARY_SUFFIX = ".snapshot-", ".tmp"
SHA256_PATTERN = r"[0-9a-f]{64}"
_SHA256 = re.compile(SHA256_PATTERN)
#: A PNG of a 4K frame is some 25 MiB at worst: anything larger is not a snapshot.
MAX_BYTES = 64 * 1024 * 1024


def safe_camera_name(camera: str) -> str:
    """The camera's id as a file name's first part: ``camera:21231-001`` -> ``camera_21231-001``."""
    name = re.sub(r"[^A-Za-z0-9._-]", "_", camera).lstrip(".")[:128]
    return name or "camera"


def file_name(camera: str, taken_at: datetime, view_id: int, attempt: int = 1) -> str:
    """``{camera}-{UTC time to the millisecond}-{view}.png`` (``-2``... if that one is taken)."""
    at = taken_at.astimezone(UTC)
    stamp = f"{at:%Y%m%dT%H%M%S}.{at.microsecond // 1000:03d}Z"
    again = f"-{attempt}" if attempt > 1 else ""
    return f"{safe_camera_name(camera)}-{stamp}-{view_id}{again}.png"


def check_file_name(name: str) -> str:
    if not isinstance(name, str) or not _FILE_NAME.fullmatch(name):
        raise InvalidInput("snapshot.bad_file_name", value=str(name)[:80])
    return name


def check_sha256(digest: str) -> str:
    if not isinstance(digest, str) or not _SHA256.fullmatch(digest):
        raise InvalidInput("snapshot.bad_sha256", value=str(digest)[:80])
    return digest


def check_size(size: int) -> int:
    if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= MAX_BYTES:
        raise InvalidInput("snapshot.bad_size", value=size, maximum=MAX_BYTES)
    return size
