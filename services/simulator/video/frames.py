"""A finished frame: the scene, the masks burned in over it, then the JPEG that leaves the camera.

This is the one place a picture becomes bytes, and the masks are the last thing drawn on it:
opaque black polygons over the picture as drawn, before it is encoded, so that no stream,
snapshot or later processing holds what they cover.
"""

from __future__ import annotations

import io
from datetime import datetime

from PIL import Image, ImageDraw

from services.domain.privacy_masks import PresetMasks
from services.simulator.video.scene import SIZES, ScenePainter
from services.simulator.video.source import CameraView

#: JPEG quality: 80 keeps a 640x360 frame near 40 kB, some 8 Mbit/s at 25 fps on loopback.
JPEG_QUALITY = 80
MASK_COLOUR = (0, 0, 0)


class BadSize(ValueError):
    """A size the cameras do not serve."""


def parse_size(text: str | None) -> tuple[int, int]:
    """``"640x360"`` as (640, 360); the wall's tile size when not given; ``BadSize`` otherwise."""
    if not text:
        return SIZES[0]
    width, x, height = text.partition("x")
    if x and width.isdigit() and height.isdigit() and (int(width), int(height)) in SIZES:
        return int(width), int(height)
    raise BadSize(text)


def burn_masks(image: Image.Image, masks: PresetMasks | None) -> None:
    """Black out ``masks``' polygons, scaled from the reference frame to ``image``'s size."""
    if masks is None:
        return
    draw = ImageDraw.Draw(image)
    for polygon in masks.scaled(*image.size):
        draw.polygon(polygon, fill=MASK_COLOUR, outline=MASK_COLOUR)


def encode_jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY)
    return out.getvalue()


class FrameMaker:
    """One camera's frames at one size, as JPEG; only one thread may use it."""

    def __init__(self, camera_id: str, size: tuple[int, int]) -> None:
        self.camera_id = camera_id
        self.size = size
        self._painter = ScenePainter(camera_id, size)

    def picture(self, view: CameraView, at: datetime) -> Image.Image:
        """The picture as the camera encodes it: drawn, then masked."""
        if view.id != self.camera_id:
            raise ValueError(f"a frame of {view.id} asked of {self.camera_id}'s maker")
        image = self._painter.draw(view, at)
        burn_masks(image, view.masks)
        return image

    def jpeg(self, view: CameraView, at: datetime) -> bytes:
        return encode_jpeg(self.picture(view, at))
