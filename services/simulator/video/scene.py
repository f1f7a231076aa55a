"""A simulated camera's picture, drawn with Pillow: its street, by day or night, in the weather.

``ScenePainter`` draws one camera at one size. What does not move (sky, facades, windows, road,
lamps) is drawn once and kept until the preset, the daylight, the weather or the lit windows
change; each frame copies it and adds what moves (vehicles, pedestrians, rain or snow), then the
camera's name and the room's time, as a camera's on-screen display does. Masks are not drawn
here: ``frames`` burns them over the finished picture, last, so that nothing can cover them.

Day or night follows the sun where the camera stands (``services.domain.sun``); the time burned
in is the room's (``services.domain.room_time``, Europe/Paris unless the setting says otherwise).
"""

from __future__ import annotations

import math
import unicodedata
from datetime import datetime
from functools import cache

from PIL import Image, ImageDraw, ImageFont

from services.domain.privacy_masks import REFERENCE_WIDTH
from services.domain.room_time import in_room
from services.domain.sun import is_night
from services.simulator.video.layout import (
    FAR_KERB_Y,
    GROUND_Y,
    LANE_LINE_Y,
    NEAR_KERB_Y,
    SCENE_WIDTH,
    Mover,
    Rgb,
    Street,
    Viewpoint,
    street_for,
    viewpoint,
)
from services.simulator.video.source import CameraView, Weather

#: The sizes a camera serves: a wall's tile, and a tile enlarged.
SIZES = ((640, 360), (1280, 720))
#: Lit windows change this often at night (seconds), redrawing the still part then.
LIT_WINDOWS_EVERY_S = 600
#: Vehicles on the road by day and by night (the share of laps a vehicle is there).
DENSITY_DAY, DENSITY_NIGHT = 0.8, 0.3
#: The on-screen display's font; Pillow's own font when the system has no DejaVu.
OSD_FONT = "DejaVuSansMono-Bold.ttf"

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


class ScenePainter:
    """Draws one camera's picture at one size; only one thread may use it."""

    def __init__(self, camera_id: str, size: tuple[int, int]) -> None:
        if size not in SIZES:
            raise ValueError(f"size {size} is not one of {SIZES}")
        self.camera_id = camera_id
        self.size = size
        self.street = street_for(camera_id)
        self._still_key: tuple[object, ...] | None = None
        self._still: Image.Image | None = None
        self._labels: dict[str, Image.Image] = {}

    def draw(self, view: CameraView, at: datetime) -> Image.Image:
        """The picture at ``at`` (an aware time), without masks."""
        night = is_night(at, *view.lat_lon)
        lit = int(at.timestamp() // LIT_WINDOWS_EVERY_S) if night else 0
        key = (view.preset, night, view.weather, lit)
        if self._still is None or key != self._still_key:
            self._still = self._draw_still(
                viewpoint(self.camera_id, view.preset), night, view.weather, lit
            )
            self._still_key = key
        image = self._still.copy()
        pen = _Pen(ImageDraw.Draw(image), viewpoint(self.camera_id, view.preset), self.size)
        t = at.timestamp()
        _draw_traffic(pen, self.street, t, night)
        _draw_weather(pen.draw, self.size, view.weather, t)
        self._draw_osd(image, view.name, at)
        return image

    # --- what does not move ---------------------------------------------------------------------
    def _draw_still(self, view: Viewpoint, night: bool, weather: Weather, lit: int) -> Image.Image:
        palette = _Palette(night, weather)
        image = Image.new("RGB", self.size, palette.sky)
        pen = _Pen(ImageDraw.Draw(image), view, self.size)
        for index, building in enumerate(self.street.buildings):
            pen.box(
                (building.x0, building.top, building.x1, GROUND_Y), palette.wall(building.colour)
            )
            pen.box((building.x0, building.top - 8, building.x1, building.top), palette.roof)
            pen.box((building.x0, GROUND_Y - 3, building.x1, GROUND_Y), palette.plinth)
            for k, window in enumerate(building.windows):
                on = night and (index * 131 + k * 71 + lit * 37) % 100 < 35
                pen.box(_grown(window, 3), palette.frame)
                pen.box(window, palette.lit if on else palette.glass)
            for door in building.doors:
                pen.box(_grown(door, 3), palette.frame)
                pen.box(door, palette.door)
            if building.shop is not None:
                pen.box(_grown(building.shop, 4), palette.frame)
                pen.box(building.shop, palette.lit if night else palette.shop)
        pen.box((0, GROUND_Y, SCENE_WIDTH, FAR_KERB_Y), palette.pavement)
        pen.box((0, FAR_KERB_Y, SCENE_WIDTH, NEAR_KERB_Y), palette.road)
        pen.box((0, NEAR_KERB_Y, SCENE_WIDTH, 720), palette.pavement)
        for y in (FAR_KERB_Y, NEAR_KERB_Y - 4):
            pen.box((0, y, SCENE_WIDTH, y + 4), palette.kerb)
        for x in range(0, SCENE_WIDTH, 120):
            pen.box((x, LANE_LINE_Y - 3, x + 60, LANE_LINE_Y + 3), palette.marking)
        for x in self.street.lamps:
            if night:
                pen.ellipse((x - 70, FAR_KERB_Y - 22, x + 70, FAR_KERB_Y + 40), palette.pool)
            pen.box((x - 3, 290, x + 3, FAR_KERB_Y - 4), palette.post)
            pen.box((x - 3, 290, x + 34, 296), palette.post)
            pen.box((x + 18, 296, x + 40, 304), palette.lamp)
        return image

    # --- on-screen display ----------------------------------------------------------------------
    def _draw_osd(self, image: Image.Image, name: str, at: datetime) -> None:
        local = in_room(at)
        # The zone's abbreviation too, as the room writes a time that could be misread.
        stamp = f"{local:%d/%m/%Y %H:%M:%S} {local.tzname()}"
        margin = max(4, self.size[0] // 160)
        image.paste(self._label(name), (margin, margin))
        clock = self._label(stamp)
        image.paste(clock, (self.size[0] - clock.width - margin, margin))

    def _label(self, text: str) -> Image.Image:
        """White text on black, cached: the name never changes, the time once a second."""
        found = self._labels.get(text)
        if found is None:
            if len(self._labels) > 4:  # past seconds: keep only the first label, the name
                self._labels = dict(list(self._labels.items())[:1])
            font, plain = _osd_font(max(11, self.size[1] // 26))
            shown = _ascii(text) if plain else text
            left, top, right, bottom = font.getbbox(shown)
            pad = max(2, self.size[1] // 120)
            found = Image.new("RGB", (int(right - left) + 2 * pad, int(bottom - top) + 2 * pad))
            ImageDraw.Draw(found).text((pad - left, pad - top), shown, font=font, fill="white")
            self._labels[text] = found
        return found


class _Pen:
    """Draws scene boxes and shapes in the picture's pixels, through a preset's viewpoint."""

    def __init__(self, draw: ImageDraw.ImageDraw, view: Viewpoint, size: tuple[int, int]) -> None:
        self.draw = draw
        self.view = view
        self.k = view.zoom * size[0] / REFERENCE_WIDTH
        self.seen = (view.pan_x, view.pan_x + REFERENCE_WIDTH / view.zoom)

    def xy(self, x: float, y: float) -> tuple[float, float]:
        return (x - self.view.pan_x) * self.k, (y - self.view.pan_y) * self.k

    def box(self, box: tuple[float, float, float, float], colour: Rgb) -> None:
        x0, y0 = self.xy(box[0], box[1])
        x1, y1 = self.xy(box[2], box[3])
        self.draw.rectangle((x0, y0, x1 - 1, y1 - 1), fill=colour)

    def ellipse(self, box: tuple[float, float, float, float], colour: Rgb) -> None:
        self.draw.ellipse((*self.xy(box[0], box[1]), *self.xy(box[2], box[3])), fill=colour)

    def line(
        self, a: tuple[float, float], b: tuple[float, float], colour: Rgb, width: float
    ) -> None:
        self.draw.line((self.xy(*a), self.xy(*b)), fill=colour, width=max(1, round(width * self.k)))

    def in_sight(self, x0: float, x1: float) -> bool:
        return x1 >= self.seen[0] and x0 <= self.seen[1]


class _Palette:
    """The colours of a street by day or night, dry, wet or under snow."""

    def __init__(self, night: bool, weather: Weather) -> None:
        grey = weather is not Weather.CLEAR
        snow = weather is Weather.SNOW
        shade = _dim if night else _as_is  # what the lamps and windows do not light
        self.night = night
        if night:
            self.sky = (16, 18, 30) if grey else (10, 14, 38)
        else:
            self.sky = (168, 174, 182) if grey else (135, 185, 230)
        self.roof = shade((236, 238, 242) if snow else (84, 70, 66))
        self.plinth = shade((110, 104, 96))
        self.frame = shade((70, 64, 60))
        self.glass = (20, 24, 34) if night else (72, 92, 112)
        self.lit = (250, 210, 130)
        self.door = shade((60, 40, 30))
        self.shop = shade((150, 170, 180))
        self.pavement = shade((232, 236, 240) if snow else (150, 146, 140))
        self.road = shade((120, 122, 126) if snow else (58, 60, 66) if grey else (82, 84, 88))
        self.kerb = shade((200, 200, 196))
        self.marking = shade((236, 238, 240) if snow else (225, 225, 215))
        self.post = (50, 54, 58)
        self.lamp = (255, 236, 170) if night else (200, 200, 190)
        self.pool = (200, 180, 120) if snow else (130, 120, 96)

    def wall(self, colour: Rgb) -> Rgb:
        return _dim(colour) if self.night else colour


def _draw_traffic(pen: _Pen, street: Street, t: float, night: bool) -> None:
    density = DENSITY_NIGHT if night else DENSITY_DAY
    for walker in street.far_walkers:
        _walker(pen, walker, t, GROUND_Y + 32)
    for mover in street.far_lane:
        _vehicle(pen, mover, t, LANE_LINE_Y - 12, density, night, leftwards=True)
    for mover in street.near_lane:
        _vehicle(pen, mover, t, NEAR_KERB_Y - 14, density, night, leftwards=False)
    for walker in street.near_walkers:
        _walker(pen, walker, t, 700)


def _vehicle(
    pen: _Pen, mover: Mover, t: float, bottom: float, density: float, night: bool, leftwards: bool
) -> None:
    x0 = mover.x_at(t)
    x1 = x0 + mover.length
    if not pen.in_sight(x0, x1) or not mover.present_at(t, density):
        return
    colour = _dim(mover.colour) if night else mover.colour
    top, h = bottom - mover.height, mover.height
    glass = (30, 36, 48)
    if mover.kind == "car":
        # A lower body, and a cabin set back from the bonnet.
        pen.box((x0, top + h * 0.45, x1, bottom - 8), colour)
        front, back = (x0 + 28, x1 - 14) if leftwards else (x0 + 14, x1 - 28)
        pen.box((front, top, back, top + h * 0.45 + 1), colour)
        pen.box((front + 5, top + 5, back - 5, top + h * 0.45 - 2), glass)
    else:
        pen.box((x0, top, x1, bottom - 8), colour)
        for wx in range(int(x0 + 14), int(x1 - 30), 44 if mover.kind == "bus" else 200):
            pen.box((wx, top + 8, wx + 32, top + h * 0.45), glass)
    for wheel_x in (x0 + 24, x1 - 24):
        pen.ellipse((wheel_x - 11, bottom - 20, wheel_x + 11, bottom + 2), (20, 20, 22))
    head, tail = ((255, 250, 210), (210, 20, 20)) if night else ((230, 230, 220), (150, 20, 20))
    nose, rear = (x0, x1 - 6) if leftwards else (x1 - 6, x0)
    pen.box((nose, bottom - 30, nose + 6, bottom - 20), head)
    pen.box((rear, bottom - 30, rear + 6, bottom - 20), tail)
    if night:  # the beam on the road ahead
        ahead = (nose - 90, nose) if leftwards else (nose + 6, nose + 96)
        pen.box((ahead[0], bottom - 6, ahead[1], bottom), (120, 116, 90))


def _walker(pen: _Pen, mover: Mover, t: float, feet: float) -> None:
    x = mover.x_at(t)
    if not pen.in_sight(x - 10, x + 10):
        return
    h = mover.height
    stride = math.sin(t * 7.0 + mover.index) * 7.0  # legs swing about two steps a second
    hip = feet - h * 0.45
    pen.line((x, hip), (x + stride, feet), (28, 28, 32), 4)
    pen.line((x, hip), (x - stride, feet), (28, 28, 32), 4)
    pen.box((x - 7, feet - h * 0.82, x + 7, hip + 2), mover.colour)
    pen.ellipse((x - 6, feet - h, x + 6, feet - h * 0.82), (224, 188, 160))


def _draw_weather(
    draw: ImageDraw.ImageDraw, size: tuple[int, int], weather: Weather, t: float
) -> None:
    if weather is Weather.CLEAR:
        return
    w, h = size
    s = w / REFERENCE_WIDTH
    if weather is Weather.RAIN:
        # Streaks falling fast and slanted, each on a path of its own, from a fixed pattern.
        for i in range(int(160 * s) + 40):
            x = ((i * 7919) % 1000 / 1000 * (w + 100) - 260 * s * t) % (w + 100) - 50
            y = ((i * 104729) % 1000 / 1000 * (h + 60) + 1100 * s * t) % (h + 60) - 30
            draw.line((x, y, x - 5 * s, y + 26 * s), fill=(200, 210, 224), width=1)
    else:
        for i in range(int(200 * s) + 40):
            fall = 40 + (i * 37) % 50
            y = ((i * 104729) % 1000 / 1000 * (h + 20) + fall * s * t) % (h + 20) - 10
            sway = math.sin(t * 1.3 + i) * 12 * s
            x = ((i * 7919) % 1000 / 1000 * w + sway) % w
            r = (1.5 + (i % 3) * 0.8) * s * 1.5
            draw.ellipse((x - r, y - r, x + r, y + r), fill=(245, 246, 250))


def _grown(box: tuple[float, float, float, float], by: float) -> tuple[float, float, float, float]:
    return (box[0] - by, box[1] - by, box[2] + by, box[3] + by)


def _dim(colour: Rgb) -> Rgb:
    """A colour at night: darker, and a little bluer."""
    return (colour[0] * 30 // 100, colour[1] * 30 // 100, colour[2] * 36 // 100)


def _as_is(colour: Rgb) -> Rgb:
    return colour


@cache
def _osd_font(size: int) -> tuple[Font, bool]:
    """The display's font at ``size`` px, and whether it is Pillow's own (ASCII only)."""
    try:
        return ImageFont.truetype(OSD_FONT, size), False
    except OSError:
        return ImageFont.load_default(size=size), True


def _ascii(text: str) -> str:
    """``Caméra`` as ``Camera``: Pillow's own font has no accents (better than empty boxes)."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
