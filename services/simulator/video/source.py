"""What the stream server needs to know of the world: a small interface, so any world plugs in.

The server asks, for every frame it draws, how the camera stands (``CameraSource.camera``): its
name, the preset in force, whether it is in fault, the weather where it stands and the masks its
gateway burns in; and, when a stream opens, the secret its tokens are signed with. The
simulator's world is one such source (``world_source``); tests write their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from services.domain.privacy_masks import PresetMasks

#: Where a camera stands when its source does not say: Dijon's town-centre reference point. Only
#: the sun's times depend on it (day or night).
DIJON_LAT_LON = (47.3220, 5.0415)


class Weather(StrEnum):
    CLEAR = "clear"
    RAIN = "rain"
    SNOW = "snow"


@dataclass(frozen=True)
class CameraView:
    """A camera as it stands now, for drawing its next frame."""

    id: str
    name: str  # burned into the picture
    preset: int | None  # None: unknown (the console blacks such a camera out)
    in_fault: bool = False
    weather: Weather = Weather.CLEAR
    #: The masks its gateway burns in for ``preset``; None: none in force (no version either).
    masks: PresetMasks | None = None
    lat_lon: tuple[float, float] = DIJON_LAT_LON

    @property
    def masks_version(self) -> str | None:
        """What the camera's state reports; the same object carries the polygons burned in."""
        return self.masks.version if self.masks is not None else None


class CameraSource(Protocol):
    """The world the stream server serves. Called from the server's threads, concurrently."""

    def camera(self, camera_id: str) -> CameraView | None:
        """The camera as it stands now; None for a camera this world does not have."""
        ...

    def secret_for(self, camera_id: str) -> bytes:
        """The secret its tokens are signed with (its gateway's), 1 to 64 bytes."""
        ...
