"""Privacy-mask files: read whole or refused naming the file and the key; a version per preset."""

import hashlib
from pathlib import Path

import pytest

from services.domain.privacy_masks import (
    MaskBook,
    MaskFileError,
    mask_version,
    read_mask_file,
    read_mask_files,
)

BUNDLED = Path(__file__).resolve().parents[2] / "resources" / "privacy-masks"
GOOD = """
camera = "camera:21231-001"

[[preset]]
number = 1
polygons = [
    [[100, 80], [260, 80], [260, 300], [100, 300]],
    [[0, 0], [1280, 0], [1280, 720]],
]

[[preset]]
number = 2
polygons = []
"""


def test_a_file_gives_each_preset_its_polygons_and_version():
    masks = read_mask_file(GOOD, "cam-21231-001.toml")
    assert masks.camera == "camera:21231-001"
    one = masks.presets[1]
    assert one.polygons[0] == ((100, 80), (260, 80), (260, 300), (100, 300))
    canonical = b"[[[100,80],[260,80],[260,300],[100,300]],[[0,0],[1280,0],[1280,720]]]"
    assert one.version == hashlib.sha256(canonical).hexdigest()[:12]
    assert masks.presets[2].polygons == ()
    assert masks.presets[2].version == hashlib.sha256(b"[]").hexdigest()[:12]


def test_the_version_follows_the_points_not_the_layout_of_the_file():
    spaced = GOOD.replace("[[100, 80], [260, 80]", "[ [100,80] ,\n [260,80]")
    assert (
        read_mask_file(spaced, "a").presets[1].version
        == read_mask_file(GOOD, "b").presets[1].version
    )
    moved = GOOD.replace("[260, 300]", "[261, 300]")
    assert (
        read_mask_file(moved, "a").presets[1].version
        != read_mask_file(GOOD, "b").presets[1].version
    )
    assert mask_version([[(1, 2), (3, 4), (5, 6)]]) == mask_version([((1, 2), (3, 4), (5, 6))])


def test_a_camera_or_preset_without_masks_has_no_version():
    book = read_mask_files([("cam-21231-001.toml", GOOD)])
    assert book.version("camera:21231-001", 1) == book.masks("camera:21231-001", 1).version
    assert book.version("camera:21231-001", 3) is None  # a preset the city did not draw
    assert book.version("camera:21231-001", None) is None  # a preset the camera did not say
    assert book.version("camera:21231-009", 1) is None  # a camera without a file
    assert MaskBook().masks("camera:21231-001", 1) is None


def test_polygons_scale_to_the_size_served():
    one = read_mask_file(GOOD, "a").presets[1]
    assert one.scaled(640, 360)[0] == [(50.0, 40.0), (130.0, 40.0), (130.0, 150.0), (50.0, 150.0)]


@pytest.mark.parametrize(
    ("text", "where", "problem"),
    [
        ("camera = ", "", "not_toml"),
        ("[[preset]]\nnumber = 1\npolygons = []\n", "camera", "missing"),
        ("camera = 7\n", "camera", "not_a_name"),
        ('camera = "c"\ncolour = "red"\n', "colour", "unknown_key"),
        ('camera = "c"\npreset = 1\n', "preset", "not_list"),
        ('camera = "c"\n[[preset]]\npolygons = []\n', "preset[0].number", "missing"),
        (
            'camera = "c"\n[[preset]]\nnumber = -1\npolygons = []\n',
            "preset[0].number",
            "not_a_preset",
        ),
        (
            'camera = "c"\n[[preset]]\nnumber = true\npolygons = []\n',
            "preset[0].number",
            "not_a_preset",
        ),
        ('camera = "c"\n[[preset]]\nnumber = 1\n', "preset[0].polygons", "missing"),
        (
            'camera = "c"\n[[preset]]\nnumber = 1\nzoom = 2\npolygons = []\n',
            "preset[0].zoom",
            "unknown_key",
        ),
        (
            'camera = "c"\n[[preset]]\nnumber = 1\npolygons = [[[0, 0], [1, 1]]]\n',
            "preset[0].polygons[0]",
            "too_few_points",
        ),
        (
            'camera = "c"\n[[preset]]\nnumber = 1\npolygons = [[[0, 0], [1, 1], [2]]]\n',
            "preset[0].polygons[0][2]",
            "not_a_point",
        ),
        (
            'camera = "c"\n[[preset]]\nnumber = 1\npolygons = [[[0, 0], [1, 1], [2.5, 3]]]\n',
            "preset[0].polygons[0][2]",
            "not_integer",
        ),
        (
            'camera = "c"\n[[preset]]\nnumber = 1\npolygons = [[[0, 0], [1, 1], [1281, 3]]]\n',
            "preset[0].polygons[0][2]",
            "outside_frame",
        ),
        (
            'camera = "c"\n[[preset]]\nnumber = 1\npolygons = [[[0, 0], [1, 1], [9, -1]]]\n',
            "preset[0].polygons[0][2]",
            "outside_frame",
        ),
        (
            'camera = "c"\n[[preset]]\nnumber = 1\npolygons = []\n'
            "[[preset]]\nnumber = 1\npolygons = []\n",
            "preset[1].number",
            "duplicate_preset",
        ),
    ],
)
def test_a_malformed_file_is_refused_naming_the_file_and_the_key(text, where, problem):
    with pytest.raises(MaskFileError) as refused:
        read_mask_file(text, "cam-21231-001.toml")
    assert (refused.value.source, refused.value.where, refused.value.problem) == (
        "cam-21231-001.toml",
        where,
        problem,
    )
    assert str(refused.value).startswith("cam-21231-001.toml: ")


def test_two_files_for_one_camera_are_refused():
    with pytest.raises(MaskFileError) as refused:
        read_mask_files([("a.toml", GOOD), ("b.toml", GOOD)])
    assert refused.value.source == "b.toml"
    assert refused.value.details["also_in"] == "a.toml"


def test_the_bundled_examples_are_good():
    files = sorted(BUNDLED.glob("*.toml"))
    assert len(files) >= 2
    book = read_mask_files((f.name, f.read_text("utf-8")) for f in files)
    for masks in book.cameras.values():
        assert masks.presets and all(p.polygons for p in masks.presets.values())
