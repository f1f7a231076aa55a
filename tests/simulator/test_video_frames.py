"""The pictures themselves: a street that moves, by day and night, in the weather, seen from the
preset in force, with the city's masks where its homes are; and the simulator's world as a
source."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from importlib.resources import files

import pytest
from PIL import ImageChops, ImageStat

from services.domain.privacy_masks import MaskFileError
from services.simulator import build_world
from services.simulator.video import (
    SIZES,
    CameraView,
    FrameMaker,
    Weather,
    WorldCameras,
    new_gateway_secrets,
    parse_size,
    read_mask_folder,
)
from services.simulator.video.frames import BadSize
from services.simulator.video.layout import home_openings
from services.simulator.video.scene import ScenePainter
from tests.simulator.video_support import CAMERA, NOON, decode

NIGHT = datetime(2026, 12, 4, 21, 0, tzinfo=UTC)


def _picture(at=NOON, size=(640, 360), **view):
    base = {"id": CAMERA, "name": "CAM-21231-001", "preset": 1}
    return ScenePainter(CAMERA, size).draw(CameraView(**{**base, **view}), at)


def _difference(a, b) -> float:
    """Mean absolute difference over the picture, below the on-screen display's band."""
    box = (0, a.height // 8, a.width, a.height)
    return sum(ImageStat.Stat(ImageChops.difference(a.crop(box), b.crop(box))).mean) / 3


def _brightness(image) -> float:
    return sum(ImageStat.Stat(image.convert("RGB")).mean) / 3


def test_the_street_moves_with_time():
    assert _difference(_picture(), _picture(at=NOON + timedelta(seconds=1))) > 0.5
    assert _difference(_picture(), _picture(at=NOON)) == 0  # the same moment, the same picture


def test_the_preset_in_force_changes_the_view():
    assert _difference(_picture(preset=1), _picture(preset=2)) > 10


def test_night_is_darker_than_day():
    assert _brightness(_picture(at=NIGHT)) < _brightness(_picture()) / 2


@pytest.mark.parametrize("weather", [Weather.RAIN, Weather.SNOW])
def test_rain_and_snow_show(weather):
    assert _difference(_picture(), _picture(weather=weather)) > 5


def test_the_name_and_the_room_time_are_burned_in():
    band = (0, 0, 640, 360 // 10)
    one, other = _picture(name="CAM-A"), _picture(name="CAM-B rue Berbisey")
    assert ImageChops.difference(one.crop(band), other.crop(band)).getbbox() is not None
    later = _picture(at=NOON + timedelta(seconds=1))
    assert ImageChops.difference(one.crop(band), later.crop(band)).getbbox() is not None


def test_a_frame_is_a_jpeg_of_the_size_asked():
    for size in SIZES:
        jpeg = FrameMaker(CAMERA, size).jpeg(CameraView(CAMERA, "CAM", 1), NOON)
        assert decode(jpeg).size == size
    with pytest.raises(ValueError):
        FrameMaker(CAMERA, (800, 600))


def test_sizes_are_read_strictly():
    assert parse_size(None) == (640, 360)
    assert parse_size("1280x720") == (1280, 720)
    for bad in ("1280X720", "640x", "x360", "320x180", "640x360x1", " 640x360"):
        with pytest.raises(BadSize):
            parse_size(bad)


# --- the city's mask files ----------------------------------------------------------------------
def test_the_bundled_masks_cover_every_home_window_and_door_in_view():
    book = read_mask_folder()
    assert len(book.cameras) >= 2
    for camera, masks in book.cameras.items():
        for preset, preset_masks in masks.presets.items():
            boxes = [
                (
                    min(x for x, _ in p),
                    min(y for _, y in p),
                    max(x for x, _ in p),
                    max(y for _, y in p),
                )
                for p in preset_masks.polygons
            ]
            for x0, y0, x1, y1 in home_openings(camera, preset):
                assert any(a <= x0 and b <= y0 and x1 <= c and y1 <= d for a, b, c, d in boxes), (
                    masks.source,
                    preset,
                    (x0, y0, x1, y1),
                )


def test_a_malformed_file_is_refused_naming_it_and_its_key(tmp_path):
    (tmp_path / "cam-21231-001.toml").write_text(
        'camera = "camera:21231-001"\n[[preset]]\nnumber = 1\n'
        "polygons = [[[0, 0], [10, 0], [10, 10]]]\n"
    )
    (tmp_path / "cam-21231-002.toml").write_text(
        'camera = "camera:21231-002"\n[[preset]]\nnumber = 1\npolygons = [[[0, 0], [10, 0]]]\n'
    )
    with pytest.raises(MaskFileError) as refused:
        read_mask_folder(tmp_path)
    assert refused.value.source == "cam-21231-002.toml"
    assert refused.value.where == "preset[0].polygons[0]"
    assert str(refused.value).startswith(
        "cam-21231-002.toml: preset[0].polygons[0]: too_few_points"
    )


def test_a_missing_folder_is_an_error_not_a_city_without_masks(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_mask_folder(tmp_path / "nowhere")
    assert read_mask_folder(tmp_path).cameras == {}  # an empty one is a city without masks


# --- the simulator's world ----------------------------------------------------------------------
@pytest.fixture
def world():
    return build_world(1, "small")


def test_the_world_serves_its_cameras_as_they_stand(world):
    source = WorldCameras(world, read_mask_folder(), new_gateway_secrets(world))
    view = source.camera(CAMERA)
    assert view is not None
    assert view.name.startswith("CAM-21231-001 Caméra ")
    assert (view.preset, view.in_fault) == (1, False)
    assert view.masks_version == read_mask_folder().version(CAMERA, 1)
    assert source.camera("streetlight:21231-00001") is None
    assert source.camera("camera:99999-001") is None
    assert source.secret_for(CAMERA) == source.gateway_secrets[world.entities[CAMERA].gateway]

    camera = world.entities[CAMERA]
    camera.attrs["preset"] = 3  # a preset the city drew no masks for: none, and no version
    assert source.camera(CAMERA).masks is None and source.camera(CAMERA).masks_version is None
    camera.status = "fault"
    assert source.camera(CAMERA).in_fault


def test_a_camera_without_a_mask_file_has_no_masks(world, tmp_path):
    only = read_mask_folder().cameras[CAMERA]  # a city that drew one camera's masks
    (tmp_path / "one.toml").write_text(
        (files("resources") / "privacy-masks" / only.source).read_text("utf-8"), "utf-8"
    )
    source = WorldCameras(world, read_mask_folder(tmp_path), new_gateway_secrets(world))
    assert source.camera(CAMERA).masks is not None
    view = source.camera("camera:21231-004")
    assert view is not None and view.masks is None and view.masks_version is None


def test_the_weather_is_the_nearest_stations(world):
    source = WorldCameras(world, read_mask_folder(), new_gateway_secrets(world))
    stations = [e for e in world.entities.values() if e.type.value == "WeatherObserved"]
    for station in stations:
        station.attrs.update({"roadSurfaceState": "dry", "precipitation": 0.0})
    assert source.camera(CAMERA).weather is Weather.CLEAR
    for station in stations:
        station.attrs.update({"roadSurfaceState": "wet", "precipitation": 1.2})
    assert source.camera(CAMERA).weather is Weather.RAIN
    for station in stations:
        station.attrs.update({"roadSurfaceState": "snow"})
    assert source.camera(CAMERA).weather is Weather.SNOW
