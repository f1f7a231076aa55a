"""Privacy masks: the polygons a camera blacks out of its picture, per preset, as the city drew.

French law (Code de la sécurité intérieure L.251-1 and following) forbids viewing the inside of
homes and their entrances. The city draws, for each camera and each of its presets, polygons over
what must never be seen; the camera burns them into the picture before it is encoded, and its
state reports the *version* of the masks in force, so that a console can tell a picture masked
as the city expects from one that is not.

One TOML file per camera (``resources/privacy-masks/cam-21231-001.toml`` by convention; the
``camera`` key, not the file's name, says which camera it is)::

    camera = "camera:21231-001"

    [[preset]]
    number = 1
    polygons = [
        [[100, 80], [260, 80], [260, 300], [100, 300]],   # first-floor windows, no 12
    ]

    [[preset]]
    number = 2
    polygons = []   # looked at: nothing to hide from this preset

Coordinates are integer pixels of a 1280x720 reference frame (x to the right, y down, within the
frame), scaled to whatever size is served. A polygon has at least three points. A preset listed
with no polygons has a version (reviewed, nothing to hide); a preset not listed, or a camera with
no file, has none, and the console blacks such a picture out.

The version is the first 12 hex digits of SHA-256 over the canonical polygons: the JSON of the
list of polygons in the file's order, each a list of ``[x, y]`` integer pairs, without spaces
(``[[[100,80],[260,80],[260,300],[100,300]]]``). The same polygons give the same version
wherever they are computed; any change of a point gives another.

Pure Python: texts in, values out. Reading the folder is the caller's (no I/O in the domain).
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NoReturn

#: The frame the city draws on; a served picture of another size scales the polygons.
REFERENCE_WIDTH = 1280
REFERENCE_HEIGHT = 720
VERSION_HEX_DIGITS = 12

Point = tuple[int, int]
Polygon = tuple[Point, ...]


class MaskFileError(ValueError):
    """A mask file that cannot be used: ``source`` is the file, ``where`` the key in it.

    ``problem`` is a short code (``not_toml``, ``missing``, ``not_integer``...), not a sentence;
    ``str()`` gives ``cam-21231-001.toml: preset[0].polygons[1]: too_few_points``.
    """

    def __init__(self, source: str, where: str, problem: str, **details: Any) -> None:
        self.source = source
        self.where = where
        self.problem = problem
        self.details = details
        text = f"{source}: {where}: {problem}" if where else f"{source}: {problem}"
        super().__init__(f"{text} {details}" if details else text)


@dataclass(frozen=True)
class PresetMasks:
    """The polygons of one preset of one camera, in reference-frame pixels, and their version."""

    preset: int
    polygons: tuple[Polygon, ...]
    version: str

    def scaled(self, width: int, height: int) -> list[list[tuple[float, float]]]:
        """The polygons in the pixels of a ``width`` x ``height`` picture."""
        sx, sy = width / REFERENCE_WIDTH, height / REFERENCE_HEIGHT
        return [[(x * sx, y * sy) for x, y in polygon] for polygon in self.polygons]


@dataclass(frozen=True)
class CameraMasks:
    camera: str
    source: str  # the file they were read from, for messages
    presets: Mapping[int, PresetMasks] = field(default_factory=dict)


@dataclass(frozen=True)
class MaskBook:
    """Every camera's masks; a camera or preset it does not list has none, and no version."""

    cameras: Mapping[str, CameraMasks] = field(default_factory=dict)

    def masks(self, camera: str, preset: int | None) -> PresetMasks | None:
        if preset is None or camera not in self.cameras:
            return None
        return self.cameras[camera].presets.get(preset)

    def version(self, camera: str, preset: int | None) -> str | None:
        found = self.masks(camera, preset)
        return found.version if found is not None else None


def mask_version(polygons: Iterable[Iterable[Point]]) -> str:
    """The first 12 hex digits of SHA-256 over the canonical JSON of ``polygons``."""
    canonical = json.dumps([[[x, y] for x, y in p] for p in polygons], separators=(",", ":"))
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()[:VERSION_HEX_DIGITS]


def parse_polygons(raw: Any, source: str = "params") -> tuple[Polygon, ...]:
    """Polygons as JSON gives them (a ``masks`` command's), checked as a file's are.

    Raises ``MaskFileError`` naming the problem (``params: polygons[1][2]: outside_frame``).
    """
    if not isinstance(raw, list):
        _fail(source, "polygons", "not_list")
    return tuple(_polygon(p, source, f"polygons[{k}]") for k, p in enumerate(raw))


def read_mask_file(text: str, source: str) -> CameraMasks:
    """One camera's file (TOML text), checked whole; ``MaskFileError`` names the fault."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        _fail(source, "", "not_toml", reason=str(error))
    _only(raw, {"camera", "preset"}, source, "")
    camera = raw.get("camera")
    if camera is None:
        _fail(source, "camera", "missing")
    if not isinstance(camera, str) or not camera.strip():
        _fail(source, "camera", "not_a_name")
    entries = raw.get("preset", [])
    if not isinstance(entries, list):
        _fail(source, "preset", "not_list")
    presets: dict[int, PresetMasks] = {}
    for i, entry in enumerate(entries):
        found = _preset(entry, source, f"preset[{i}]")
        if found.preset in presets:
            _fail(source, f"preset[{i}].number", "duplicate_preset", value=found.preset)
        presets[found.preset] = found
    return CameraMasks(camera=camera, source=source, presets=presets)


def read_mask_files(files: Iterable[tuple[str, str]]) -> MaskBook:
    """Every camera's file, as (name, TOML text) pairs; two files for one camera are refused."""
    cameras: dict[str, CameraMasks] = {}
    for source, text in files:
        masks = read_mask_file(text, source)
        if masks.camera in cameras:
            other = cameras[masks.camera].source
            _fail(source, "camera", "duplicate_camera", value=masks.camera, also_in=other)
        cameras[masks.camera] = masks
    return MaskBook(cameras)


def _preset(entry: Any, source: str, where: str) -> PresetMasks:
    if not isinstance(entry, Mapping):
        _fail(source, where, "not_table")
    _only(entry, {"number", "polygons"}, source, where)
    number = entry.get("number")
    if number is None:
        _fail(source, f"{where}.number", "missing")
    if isinstance(number, bool) or not isinstance(number, int) or number < 0:
        _fail(source, f"{where}.number", "not_a_preset", value=number)
    raw_polygons = entry.get("polygons")
    if raw_polygons is None:
        _fail(source, f"{where}.polygons", "missing")
    if not isinstance(raw_polygons, list):
        _fail(source, f"{where}.polygons", "not_list")
    polygons = tuple(
        _polygon(p, source, f"{where}.polygons[{k}]") for k, p in enumerate(raw_polygons)
    )
    return PresetMasks(preset=number, polygons=polygons, version=mask_version(polygons))


def _polygon(raw: Any, source: str, where: str) -> Polygon:
    if not isinstance(raw, list):
        _fail(source, where, "not_list")
    if len(raw) < 3:
        _fail(source, where, "too_few_points", points=len(raw))
    return tuple(_point(p, source, f"{where}[{j}]") for j, p in enumerate(raw))


def _point(raw: Any, source: str, where: str) -> Point:
    if not isinstance(raw, list) or len(raw) != 2:
        _fail(source, where, "not_a_point")
    x, y = raw
    for value in (x, y):
        if isinstance(value, bool) or not isinstance(value, int):
            _fail(source, where, "not_integer", value=value)
    if not (0 <= x <= REFERENCE_WIDTH and 0 <= y <= REFERENCE_HEIGHT):
        _fail(source, where, "outside_frame", x=x, y=y)
    return (x, y)


def _only(spec: Mapping[str, Any], allowed: set[str], source: str, where: str) -> None:
    for key in spec:
        if key not in allowed:
            _fail(source, f"{where}.{key}" if where else key, "unknown_key")


def _fail(source: str, where: str, problem: str, **details: Any) -> NoReturn:
    raise MaskFileError(source, where, problem, **details)


def masks_confirmed(book: MaskBook, camera: str, preset: int | None, reported: str | None) -> bool:
    """Whether a camera's picture may be shown.

    Its preset is one the city drew masks for, and the camera reports burning in exactly those
    (``reported``: its state's ``maskVersion``).

    Anything else (no preset, a preset the city never reviewed, no version, another version)
    is blacked out by the console: a picture is shown only when it is known to be masked.
    """
    expected = book.version(camera, preset)
    return expected is not None and reported == expected
