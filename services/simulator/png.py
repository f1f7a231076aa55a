"""A tiny valid PNG made in code: the photo some simulated citizens attach to their report.

No image library and no file: a few pixels of a colour, filtered scanlines, zlib, CRCs.
"""

from __future__ import annotations

import struct
import zlib


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def tiny_png(width: int = 8, height: int = 8, rgb: tuple[int, int, int] = (128, 128, 128)) -> bytes:
    """An 8-bit RGB PNG of ``width`` × ``height`` pixels, a light diagonal over ``rgb``."""
    if not (1 <= width <= 256 and 1 <= height <= 256):
        raise ValueError("a tiny PNG is 1 to 256 pixels a side")
    light = tuple(min(255, c + 64) for c in rgb)
    rows = []
    for y in range(height):
        pixels = b"".join(bytes(light if x == y else rgb) for x in range(width))
        rows.append(b"\x00" + pixels)  # filter type 0 (none) per scanline
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + _chunk(b"IEND", b"")
    )
