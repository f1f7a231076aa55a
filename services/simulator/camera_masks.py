"""The privacy masks each simulated camera holds, per preset, and burns into its picture.

The city pushes them to the camera's gateway: at installation (``install``, from a mask folder)
and later by the ``masks`` command (``replace``). They live in the camera's private attribute
``_masks`` (never published: its state carries only ``maskVersion``, the version of the masks
for the preset in force). The stream server's threads read them while the simulation thread
replaces them: a replacement swaps the whole mapping in one assignment, so a reader sees the old
masks or the new ones, never half of each.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from services.domain.equipment import EquipmentType
from services.domain.privacy_masks import MaskBook, PresetMasks
from services.simulator.world import Entity, World

MASKS = "_masks"


def install(world: World, book: MaskBook) -> None:
    """Give every camera of ``world`` the city's masks of ``book`` (none for one it lacks)."""
    for camera in world.by_type[EquipmentType.CAMERA]:
        found = book.cameras.get(camera.id)
        camera.attrs[MASKS] = dict(found.presets) if found is not None else {}


def installed(camera: Entity) -> bool:
    return isinstance(camera.attrs.get(MASKS), Mapping)


def preset_in_force(camera: Entity) -> int | None:
    preset: Any = camera.attrs.get("preset")
    if isinstance(preset, bool) or not isinstance(preset, int):
        return None
    return preset


def in_force(camera: Entity) -> PresetMasks | None:
    """The masks for the preset in force; None when the city gave none for it."""
    return for_preset(camera, preset_in_force(camera))


def for_preset(camera: Entity, preset: int | None) -> PresetMasks | None:
    """The masks the camera holds for ``preset`` (a reader that already read the preset)."""
    masks = camera.attrs.get(MASKS)
    if not isinstance(masks, Mapping) or preset is None:
        return None
    return masks.get(preset)


def replace(camera: Entity, masks: PresetMasks) -> None:
    """Put ``masks`` in place of the camera's for their preset (one assignment: see above)."""
    old = camera.attrs.get(MASKS)
    camera.attrs[MASKS] = {**(old if isinstance(old, Mapping) else {}), masks.preset: masks}
