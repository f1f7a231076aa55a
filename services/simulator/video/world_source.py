"""The simulator's world as the stream server's ``CameraSource``.

A camera's name, preset and fault are its entity's, as the simulator publishes them; its
weather is that of the nearest road-weather station (snow on the road: snow; precipitation:
rain); its masks are those the camera holds for the preset in force (``camera_masks``: the
city's at installation, then the ``masks`` command's), or, in a world where none were installed,
the mask book's. The simulation thread changes the world while the server's threads read it:
each read takes one attribute at a time, which may be a frame late, never torn.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping

from services.domain.equipment import EquipmentType
from services.domain.geography import distance_m
from services.domain.privacy_masks import MaskBook
from services.simulator import camera_masks
from services.simulator.video.source import CameraView, Weather
from services.simulator.world import Entity, World

#: Bytes of a gateway's stream secret made up by ``new_gateway_secrets``.
SECRET_BYTES = 32


def new_gateway_secrets(world: World) -> dict[str, bytes]:
    """A random stream secret for each gateway that serves cameras (fresh at every run)."""
    return {
        entity.gateway: secrets.token_bytes(SECRET_BYTES)
        for entity in world.by_type[EquipmentType.CAMERA]
        if entity.gateway is not None
    }


class WorldCameras:
    """``world``'s cameras, with ``masks`` burned in and tokens signed by their gateway's secret."""

    def __init__(self, world: World, masks: MaskBook, gateway_secrets: Mapping[str, bytes]) -> None:
        self.world = world
        self.masks = masks
        self.gateway_secrets = gateway_secrets
        self._stations: dict[str, Entity | None] = {}

    def camera(self, camera_id: str) -> CameraView | None:
        entity = self.world.entities.get(camera_id)
        if entity is None or entity.type is not EquipmentType.CAMERA:
            return None
        preset = camera_masks.preset_in_force(entity)
        if camera_masks.installed(entity):
            masks = camera_masks.for_preset(entity, preset)
        else:
            masks = self.masks.masks(entity.id, preset)
        label = entity.attrs.get("cameraName") or entity.id
        return CameraView(
            id=entity.id,
            name=f"{label} {entity.name}" if entity.name else str(label),
            preset=preset,
            in_fault=entity.status not in (None, "ok"),
            weather=self._weather(entity),
            masks=masks,
            lat_lon=(entity.lat, entity.lon),
        )

    def secret_for(self, camera_id: str) -> bytes:
        """The secret of the camera's gateway; ``KeyError`` for a camera without one."""
        gateway = self.world.entities[camera_id].gateway
        if gateway is None:
            raise KeyError(camera_id)
        return self.gateway_secrets[gateway]

    def _weather(self, camera: Entity) -> Weather:
        if camera.id not in self._stations:
            stations = self.world.by_type[EquipmentType.WEATHER_OBSERVED]
            self._stations[camera.id] = min(
                stations,
                key=lambda s: distance_m(camera.lat, camera.lon, s.lat, s.lon),
                default=None,
            )
        station = self._stations[camera.id]
        if station is None:
            return Weather.CLEAR
        if station.attrs.get("roadSurfaceState") == "snow":
            return Weather.SNOW
        precipitation = station.attrs.get("precipitation")
        if isinstance(precipitation, int | float) and precipitation > 0:
            return Weather.RAIN
        return Weather.CLEAR
