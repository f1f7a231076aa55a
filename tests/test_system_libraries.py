"""``make demo`` checks the system libraries Qt loads first, and names the Debian packages."""

from __future__ import annotations

import sys

import pytest

from console.tools import system_libraries as libraries

BARE_DESKTOP = {"libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libGL.so.1"}


def finder_without(absent: set[str]):
    return lambda soname: soname not in absent


def test_a_bare_desktop_is_told_every_package_at_once():
    status, message = libraries.check({}, finder_without(BARE_DESKTOP), system="Linux")
    assert status == libraries.MISSING != 0
    assert "libxcb-icccm.so.4" in message and "libGL.so.1" in message
    # one command, the packages in a stable order; not libxcb-cursor0, which was there
    assert "sudo apt-get install libgl1 libxcb-icccm4 libxcb-keysyms1" in message
    assert "libxcb-cursor0" not in message


def test_offscreen_needs_no_xcb_library_but_still_opengl():
    status, message = libraries.check(
        {"QT_QPA_PLATFORM": "offscreen"}, finder_without(BARE_DESKTOP), system="Linux"
    )
    assert status == libraries.MISSING
    assert message.endswith("sudo apt-get install libgl1")


def test_nothing_missing_says_nothing():
    assert libraries.check({}, finder_without(set()), system="Linux") == (0, "")


@pytest.mark.parametrize(
    ("variable", "needed"),
    [(None, True), ("", True), ("xcb", True), ("wayland;xcb", True), ("offscreen", False)],
)
def test_xcb_is_needed_when_qt_may_use_it(variable, needed):
    assert libraries.needs_xcb(variable) is needed


def test_every_library_maps_to_a_package():
    for platform in (None, "offscreen"):
        wanted = libraries.required(platform)
        assert all(soname.startswith("lib") and ".so" in soname for soname in wanted)
        assert all(package and " " not in package for package in wanted.values())
    assert libraries.required(None)["libxcb-cursor.so.0"] == "libxcb-cursor0"
    assert "libxcb-cursor.so.0" not in libraries.required("offscreen")


@pytest.mark.skipif(sys.platform != "linux", reason="the dynamic loader of Linux")
def test_the_system_finder_finds_what_python_itself_loads():
    found = libraries.system_finder()
    assert found("libc.so.6")
    assert not found("libvigie-nowhere.so.0")


def test_the_video_walls_library_is_named_even_offscreen():
    status, said = libraries.check(
        {"QT_QPA_PLATFORM": "offscreen"},
        found=lambda soname: soname != "libpulse.so.0",
        system="Linux",
    )
    assert status != 0 and "libpulse0" in said
