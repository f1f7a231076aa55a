"""What a simulated camera looks at: one street per camera, the same every time for its id.

A street is a strip of ``SCENE_WIDTH`` by 720 scene units: a row of buildings (homes' windows
on the upper floors, their entrances and the odd shop front on the ground floor), a pavement,
two lanes of traffic, a near pavement. Each preset looks at part of it (``Viewpoint``: a pan
and a zoom), so that the preset in force changes the picture and a mask drawn for one preset
is in the wrong place for another, as on a real PTZ camera.

Nothing here draws (``scene`` does) nor reads a clock: movers' positions are functions of the
time given. ``home_openings`` lists where the windows and doors of homes fall in a preset's
picture, which is what the example mask files were drawn from.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from functools import cache

from services.domain.privacy_masks import REFERENCE_HEIGHT, REFERENCE_WIDTH

SCENE_WIDTH = 3200
#: Scene rows (y grows downwards), shared by every street.
GROUND_Y = 430  # foot of the facades, back of the far pavement
FAR_KERB_Y = 470
LANE_LINE_Y = 555
NEAR_KERB_Y = 640
FIRST_FLOOR_Y = 340  # the ground floor is taller than the others
FLOOR_HEIGHT = 75
#: Movers leave the strip by this much before they come back on the other side, out of sight.
MARGIN = 260
LOOP = SCENE_WIDTH + 2 * MARGIN

Rgb = tuple[int, int, int]
Box = tuple[float, float, float, float]  # x0, y0, x1, y1

# Dijon's stone, ochre and render, with the odd brick or grey.
FACADES: tuple[Rgb, ...] = (
    (214, 199, 170),
    (201, 176, 132),
    (188, 160, 120),
    (225, 214, 190),
    (176, 150, 128),
    (160, 100, 80),
    (168, 170, 172),
)
BODIES: tuple[Rgb, ...] = (
    (220, 220, 224),
    (40, 40, 46),
    (150, 20, 26),
    (30, 60, 130),
    (120, 124, 130),
    (235, 235, 235),
    (20, 90, 60),
)
CLOTHES: tuple[Rgb, ...] = ((30, 30, 60), (120, 30, 30), (60, 60, 60), (200, 170, 90), (30, 80, 50))


@dataclass(frozen=True)
class Building:
    x0: float
    x1: float
    top: float
    colour: Rgb
    windows: tuple[Box, ...]  # homes, on the upper floors
    doors: tuple[Box, ...]  # homes' entrances
    shop: Box | None  # a shop front: public, never masked


@dataclass(frozen=True)
class Mover:
    """A vehicle or a pedestrian going round the strip at a constant speed (px/s, signed)."""

    index: int
    offset: float
    speed: float
    length: float
    height: float
    colour: Rgb
    kind: str  # car, van, bus, walker

    def x_at(self, t: float) -> float:
        """Its left end's scene x at ``t`` (seconds, any epoch); off the strip half the time."""
        return (self.offset + self.speed * t) % LOOP - MARGIN

    def present_at(self, t: float, density: float) -> bool:
        """Whether it is on this lap: decided per lap, so nothing appears in sight."""
        lap = math.floor((self.offset + self.speed * t) / LOOP)
        return ((lap * 2654435761 + self.index * 40503) % 1000) / 1000 < density


@dataclass(frozen=True)
class Street:
    buildings: tuple[Building, ...]
    lamps: tuple[float, ...]  # scene x of the lamp posts on the far pavement
    far_lane: tuple[Mover, ...]  # right to left
    near_lane: tuple[Mover, ...]  # left to right
    far_walkers: tuple[Mover, ...]
    near_walkers: tuple[Mover, ...]


@dataclass(frozen=True)
class Viewpoint:
    """The part of the strip a preset looks at: reference pixel = (scene - pan) * zoom."""

    pan_x: float
    pan_y: float
    zoom: float

    def to_reference(self, x: float, y: float) -> tuple[float, float]:
        return (x - self.pan_x) * self.zoom, (y - self.pan_y) * self.zoom


@cache
def street_for(camera_id: str) -> Street:
    """The street ``camera_id`` looks at: always the same one for the same id."""
    rng = random.Random(f"vigie-video:{camera_id}:street")
    return Street(
        buildings=_buildings(rng),
        lamps=tuple(float(x) for x in range(int(rng.uniform(120, 300)), SCENE_WIDTH, 420)),
        far_lane=_lane(rng, -rng.uniform(170, 260), start=0),
        near_lane=_lane(rng, rng.uniform(190, 280), start=10),
        far_walkers=_walkers(rng, 7, start=20),
        near_walkers=_walkers(rng, 6, start=40),
    )


@cache
def viewpoint(camera_id: str, preset: int | None) -> Viewpoint:
    """Where preset ``preset`` points: preset 1 (and an unknown one) is the wide home view."""
    if preset is None or preset == 1:
        zoom = 1.0
        rng = random.Random(f"vigie-video:{camera_id}:preset:1")
    else:
        rng = random.Random(f"vigie-video:{camera_id}:preset:{preset}")
        zoom = rng.choice((1.0, 1.25, 1.5))
    seen_w, seen_h = REFERENCE_WIDTH / zoom, REFERENCE_HEIGHT / zoom
    # Zoomed in, the camera keeps the road and the ground floors in the picture.
    pan_y = max(0.0, 700.0 - seen_h)
    return Viewpoint(pan_x=round(rng.uniform(0, SCENE_WIDTH - seen_w)), pan_y=pan_y, zoom=zoom)


def home_openings(camera_id: str, preset: int | None) -> list[Box]:
    """Homes' windows and doors in the preset's 1280x720 picture (clipped to it), left to right."""
    view = viewpoint(camera_id, preset)
    found: list[Box] = []
    for building in street_for(camera_id).buildings:
        for x0, y0, x1, y1 in (*building.windows, *building.doors):
            a, b = view.to_reference(x0, y0)
            c, d = view.to_reference(x1, y1)
            box = (max(a, 0.0), max(b, 0.0), min(c, REFERENCE_WIDTH), min(d, REFERENCE_HEIGHT))
            if box[0] < box[2] and box[1] < box[3]:
                found.append(box)
    return found


def _buildings(rng: random.Random) -> tuple[Building, ...]:
    buildings = []
    x = 0.0
    while x < SCENE_WIDTH:
        x1 = x + rng.uniform(200, 340)
        if SCENE_WIDTH - x1 < 200:  # no sliver of a building at the end of the street
            x1 = SCENE_WIDTH
        top = rng.uniform(60, 190)
        floors = max(1, int((FIRST_FLOOR_Y - top - 20) // FLOOR_HEIGHT))
        columns = max(1, int((x1 - x - 30) // 62))
        step = (x1 - x) / columns
        windows = tuple(
            (
                x + step * c + step / 2 - 16,
                FIRST_FLOOR_Y - FLOOR_HEIGHT * f - 60,
                x + step * c + step / 2 + 16,
                FIRST_FLOOR_Y - FLOOR_HEIGHT * f - 15,
            )
            for f in range(floors)
            for c in range(columns)
        )
        shop = None
        door_from, door_to = x + 15, x1 - 61
        if x1 - x > 250 and rng.random() < 0.6:
            # A shop front on one side of the ground floor, the homes' door on the other.
            if rng.random() < 0.5:
                shop, door_from = (x + 15, GROUND_Y - 68, x + 115, GROUND_Y - 8), x + 130
            else:
                shop, door_to = (x1 - 115, GROUND_Y - 68, x1 - 15, GROUND_Y - 8), x1 - 176
        door_x = rng.uniform(door_from, door_to)
        doors = ((door_x, GROUND_Y - 74, door_x + 46, GROUND_Y),)
        buildings.append(Building(x, x1, top, rng.choice(FACADES), windows, doors, shop))
        x = x1
    return tuple(buildings)


def _lane(rng: random.Random, speed: float, start: int) -> tuple[Mover, ...]:
    """A platoon at one speed with gaps between them, so that no vehicle drives through another."""
    movers = []
    position = rng.uniform(0, 300)
    while position < LOOP - 400:
        kind = rng.choices(("car", "van", "bus"), weights=(8, 2, 1))[0]
        length = {"car": rng.uniform(110, 135), "van": 150.0, "bus": 300.0}[kind]
        height = {"car": 42.0, "van": 62.0, "bus": 84.0}[kind]
        colour = (230, 200, 40) if kind == "bus" else rng.choice(BODIES)
        movers.append(Mover(start + len(movers), position, speed, length, height, colour, kind))
        position += length + rng.uniform(90, 520)
    return tuple(movers)


def _walkers(rng: random.Random, count: int, start: int) -> tuple[Mover, ...]:
    return tuple(
        Mover(
            start + i,
            rng.uniform(0, LOOP),
            rng.choice((-1, 1)) * rng.uniform(30, 48),
            14.0,
            rng.uniform(62, 74),
            rng.choice(CLOTHES),
            "walker",
        )
        for i in range(count)
    )
