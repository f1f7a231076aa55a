"""Live synthetic video for the simulator's cameras: MJPEG over HTTP, behind signed tokens.

``StreamServer`` serves any ``CameraSource`` (``WorldCameras`` adapts the simulator's world);
each frame is drawn with Pillow (``scene``), the camera's privacy masks burned in before it is
encoded (``frames``), and only while someone watches (``producers``). ``docs/video.md`` says
what the server answers and how tokens and mask files are made.
"""

from __future__ import annotations

from services.privacy_mask_files import read_mask_folder
from services.simulator.video.frames import FrameMaker, parse_size
from services.simulator.video.scene import SIZES
from services.simulator.video.server import StreamServer
from services.simulator.video.source import CameraSource, CameraView, Weather
from services.simulator.video.world_source import WorldCameras, new_gateway_secrets

__all__ = [
    "SIZES",
    "CameraSource",
    "CameraView",
    "FrameMaker",
    "StreamServer",
    "Weather",
    "WorldCameras",
    "new_gateway_secrets",
    "parse_size",
    "read_mask_folder",
]
