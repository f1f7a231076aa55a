"""Draw privacy-mask files for the simulated cameras, as a city's video officer would.

The simulated streets are known (``layout``), so the masks over their homes' windows and
entrances can be drawn from them: per building, one rectangle over its windows and one over
each entrance, in the 1280x720 reference frame, rounded outwards. A real city draws its own on
its cameras' pictures; these stand in for them in the demonstration, so that every simulated
camera shows a masked picture rather than black.

    python -m services.simulator.video.draw_masks resources/privacy-masks --scale dijon

A camera that already has a file keeps it (the city's hand outranks this one).
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from services.domain.equipment import EquipmentType
from services.domain.privacy_masks import REFERENCE_HEIGHT, REFERENCE_WIDTH
from services.privacy_mask_files import read_mask_folder
from services.simulator.video.layout import Box, street_for, viewpoint

#: The presets drawn: the wide home view and one other (a preset not drawn stays black).
PRESETS = (1, 2)


#: A margin around what is hidden, in reference pixels: a lens's blur, a camera's shake.
MARGIN = {"windows": 6, "entrance": 5}


def _clipped(box: Box, camera: str, preset: int, margin: int) -> tuple[int, int, int, int] | None:
    view = viewpoint(camera, preset)
    a, b = view.to_reference(box[0], box[1])
    c, d = view.to_reference(box[2], box[3])
    x0, y0 = max(math.floor(a) - margin, 0), max(math.floor(b) - margin, 0)
    x1 = min(math.ceil(c) + margin, REFERENCE_WIDTH)
    y1 = min(math.ceil(d) + margin, REFERENCE_HEIGHT)
    return (x0, y0, x1, y1) if x0 < x1 and y0 < y1 else None


def _covering(boxes: list[Box]) -> Box:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def preset_polygons(camera: str, preset: int) -> list[tuple[tuple[int, int, int, int], str]]:
    """(rectangle, what it hides) over the homes the preset sees, left to right."""
    found = []
    for building in street_for(camera).buildings:
        pieces = [(_covering(list(building.windows)), "windows")] if building.windows else []
        pieces += [(door, "entrance") for door in building.doors]
        for box, what in pieces:
            clipped = _clipped(box, camera, preset, MARGIN[what])
            if clipped is not None:
                found.append((clipped, what))
    return found


def mask_file(camera: str) -> str:
    lines = [
        f"# Privacy masks of {camera} (a simulated camera), drawn from its street",
        "# by services/simulator/video/draw_masks.py: pixels of the 1280x720 reference frame.",
        "",
        f'camera = "{camera}"',
    ]
    for preset in PRESETS:
        lines += ["", "[[preset]]", f"number = {preset}", "polygons = ["]
        for (x0, y0, x1, y1), what in preset_polygons(camera, preset):
            lines.append(f"    [[{x0}, {y0}], [{x1}, {y0}], [{x1}, {y1}], [{x0}, {y1}]],  # {what}")
        lines.append("]")
    return "\n".join(lines) + "\n"


def main() -> int:
    from services.simulator import build_world

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--scale", default="dijon")
    args = parser.parse_args()
    drawn = read_mask_folder(args.folder).cameras
    made = 0
    for camera in build_world(1, args.scale).by_type[EquipmentType.CAMERA]:
        if camera.id in drawn:
            continue
        name = "cam-" + camera.id.split(":", 1)[1] + ".toml"
        (args.folder / name).write_text(mask_file(camera.id), "utf-8")
        made += 1
    print(f"{made} file(s) drawn in {args.folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
