"""Before ``make demo``: the system libraries the console needs, and the Debian packages to install.

PySide6's wheels bring Qt, not what Qt loads from the system. On a bare desktop Qt's xcb platform
stopped at the first library it missed and named another (``libxcb-cursor0`` when
``libxcb-icccm4`` and ``libxcb-keysyms1`` were missing). This check names every missing library
and the Debian packages that provide them in one go (Debian 12's names; a later release that
renamed one, ``libasound2t64`` for ``libasound2``, installs it under the old name too), then
exits with a status of its own.

It imports no Qt until it has something to say: Qt may be what cannot load.

``python -m console.tools.system_libraries`` (``make demo`` and ``make test`` run it first).
"""

from __future__ import annotations

import ctypes
import os
import platform
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass

#: The exit status when something is missing: ``ExitStatus.FAILED``'s (console.cli.context,
#: a layer above this one), as the console could not start.
MISSING = 1

#: What Qt's GUI and its web engine (the map) load: soname -> Debian package.
ALWAYS: Mapping[str, str] = {
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libX11.so.6": "libx11-6",
    "libxcb.so.1": "libxcb1",
    # Qt WebEngine
    "libnss3.so": "libnss3",
    "libnspr4.so": "libnspr4",
    "libXcomposite.so.1": "libxcomposite1",
    "libXdamage.so.1": "libxdamage1",
    "libXext.so.6": "libxext6",
    "libXfixes.so.3": "libxfixes3",
    "libXrandr.so.2": "libxrandr2",
    "libXrender.so.1": "libxrender1",
    "libXtst.so.6": "libxtst6",
    "libxkbfile.so.1": "libxkbfile1",
    "libxcb-dri3.so.0": "libxcb-dri3-0",
    "libasound.so.2": "libasound2",
    "libgbm.so.1": "libgbm1",
    "libdrm.so.2": "libdrm2",
}
#: What Qt Multimedia (PySide6's FFmpeg backend) loads: the video wall plays the cameras with it.
MULTIMEDIA: Mapping[str, str] = {"libpulse.so.0": "libpulse0"}
#: What Qt's xcb platform plugin (an X11 desktop) loads besides.
XCB: Mapping[str, str] = {
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
}

Finder = Callable[[str], bool]  # soname -> whether the dynamic loader finds it


@dataclass(frozen=True)
class Missing:
    libraries: tuple[str, ...]  # sonames, as the dynamic loader would report them
    packages: tuple[str, ...]  # the Debian packages that provide them


def needs_xcb(platform_variable: str | None) -> bool:
    """Whether Qt will try its xcb platform: by default, or when QT_QPA_PLATFORM lists it.

    QT_QPA_PLATFORM may list fallbacks (``wayland;xcb``); ``offscreen`` needs no display at all.
    """
    if not platform_variable:
        return True
    return any(name.split(":")[0].strip() == "xcb" for name in platform_variable.split(";"))


def required(platform_variable: str | None) -> dict[str, str]:
    """Every library the console loads on this platform, with its package."""
    return {**ALWAYS, **MULTIMEDIA, **(XCB if needs_xcb(platform_variable) else {})}


def missing(wanted: Mapping[str, str], found: Finder) -> Missing:
    absent = [soname for soname in wanted if not found(soname)]
    packages = sorted({wanted[soname] for soname in absent})
    return Missing(tuple(absent), tuple(packages))


def ldconfig_cache() -> frozenset[str] | None:
    """The sonames the dynamic loader's cache knows (``ldconfig -p``); None without ldconfig."""
    # Debian keeps ldconfig in /sbin, out of a user's PATH.
    command = shutil.which("ldconfig") or next(
        (p for p in ("/sbin/ldconfig", "/usr/sbin/ldconfig") if os.access(p, os.X_OK)), None
    )
    if command is None:
        return None
    try:
        listing = subprocess.run(
            [command, "-p"], capture_output=True, text=True, timeout=30, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return frozenset(re.findall(r"^\s*(\S+)\s+\(", listing, flags=re.MULTILINE))


def loadable(soname: str) -> bool:
    """Whether the dynamic loader opens ``soname`` (LD_LIBRARY_PATH too, unlike its cache)."""
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def system_finder() -> Finder:
    """The cache first (no library is loaded for it), then the loader for what it lacks."""
    cache = ldconfig_cache() or frozenset()
    return lambda soname: soname in cache or loadable(soname)


def explain(found: Missing) -> str:
    """What is missing and the one command that installs it, in the operator's language."""
    try:
        from console.text.i18n import fill, translate
    except ImportError:  # Qt itself cannot load (its own libraries are missing): in English
        fill, translate = _fill_in_english, _as_written
    return fill(
        translate(
            "cli",
            "The console cannot start: system libraries are missing ({libraries}).\n"
            "Install them, then run 'make demo' again:\n  sudo apt-get install {packages}",
        ),
        {"libraries": ", ".join(found.libraries), "packages": " ".join(found.packages)},
    )


def _as_written(_context: str, text: str) -> str:
    return text


def _fill_in_english(template: str, params: Mapping[str, str]) -> str:
    return template.format(**params)


def check(
    environ: Mapping[str, str] = os.environ,
    found: Finder | None = None,
    system: str | None = None,
) -> tuple[int, str]:
    """The exit status and what to say (nothing when all is there, or off Linux)."""
    if (system or platform.system()) != "Linux":
        return 0, ""  # the wheels for macOS and Windows carry what Qt needs
    result = missing(required(environ.get("QT_QPA_PLATFORM")), found or system_finder())
    if not result.libraries:
        return 0, ""
    return MISSING, explain(result)


def main() -> int:
    status, message = check()
    if message:
        print(message, file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
