"""The files themselves: CSV (RFC 4180, UTF-8, comma, a header) and GeoJSON (RFC 7946).

What a French portal takes (data.gouv.fr's schemas read exactly this): a point for decimals, ISO
8601 for dates and times, an empty field for a value not published. Each file is written under
a temporary name and renamed into place, so that a reader (the service, a portal's harvester)
never finds a half-written file.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

#: A published file's mode: its owner writes, everyone reads (a web root, a portal's harvester).
PUBLISHED_MODE = 0o644


@dataclass(frozen=True)
class Csv:
    file: str
    header: tuple[str, ...]
    rows: list[tuple[Any, ...]]


@dataclass(frozen=True)
class GeoJson:
    file: str
    features: list[dict[str, Any]]


@dataclass(frozen=True)
class Built:
    """One dataset's files, and the days its data covers (None: nothing to say)."""

    dataset: str
    files: tuple[Csv | GeoJson, ...]
    temporal: tuple[date, date] | None = None
    rows: int = field(default=0)


def cell(value: Any) -> str:
    """A value as a CSV field: empty for None (not published), ISO 8601 for times."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        # Six decimals at most: a device's place to 0.1 m; the builders round their figures.
        return f"{value:.6f}".rstrip("0").rstrip(".") if value % 1 else str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def csv_bytes(table: Csv) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.header)
    for row in table.rows:
        writer.writerow([cell(v) for v in row])
    return out.getvalue().encode("utf-8")


def geojson_bytes(layer: GeoJson) -> bytes:
    document = {"type": "FeatureCollection", "features": layer.features}
    return json.dumps(document, ensure_ascii=False, default=cell).encode("utf-8")


def content(item: Csv | GeoJson) -> bytes:
    return csv_bytes(item) if isinstance(item, Csv) else geojson_bytes(item)


@dataclass(frozen=True)
class Written:
    file: str
    media_type: str
    format: str
    byte_size: int
    sha256: str


def write_all(folder: Path, items: Sequence[tuple[str, bytes]]) -> list[Written]:
    """Write ``(name, bytes)`` into ``folder``: every file to a temporary name, then each renamed.

    The temporary names are this writer's own (two exports at once never share one) and start
    with a dot (the service never serves them); the renames come together at the end, so a
    failure while writing leaves the files published before as they were.
    """
    folder.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[str, Path, bytes]] = []
    written = []
    try:
        for name, data in items:
            handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".partial")
            # Published files: readable by all, as a plain write would make them (mkstemp: 0600)
            os.fchmod(handle, PUBLISHED_MODE)
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            staged.append((name, Path(temporary), data))
        for name, temporary, data in staged:
            temporary.replace(folder / name)
            media, fmt = _kind(name)
            written.append(Written(name, media, fmt, len(data), hashlib.sha256(data).hexdigest()))
    finally:
        for _name, temporary, _data in staged:
            temporary.unlink(missing_ok=True)  # what was not renamed (a failure on the way)
    return written


def _kind(name: str) -> tuple[str, str]:
    if name.endswith(".csv"):
        return "text/csv", "CSV"
    if name.endswith(".geojson"):
        return "application/geo+json", "GeoJSON"
    return "application/ld+json", "JSON-LD"
