"""Translation: every sentence an operator reads goes through Qt's translation system.

The command line translates with a ``QTranslator`` it calls directly (no application object, no
display); the desktop console installs the same translator on its ``QApplication`` so that widgets'
``translate()`` calls use it. The language follows the system locale (``LC_ALL``, ``LC_MESSAGES``,
``LANG``); English is the source language, French ships in ``resources/translations`` as its
``.ts`` source, compiled on first use.
"""

from __future__ import annotations

import hashlib
import os
import string
import subprocess
import tempfile
from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import platformdirs
from PySide6.QtCore import QLocale, QTranslator

CATALOGUE = "vigie"


def _lrelease() -> Path:
    """Qt's catalogue compiler, shipped inside the PySide6 package."""
    import PySide6

    return Path(PySide6.__file__).parent / "lrelease"


def compiled_catalogue(language: str) -> Path | None:
    """The ``.qm`` for ``language``, compiled from its ``.ts`` on first use and cached.

    Catalogues ship as their ``.ts`` sources, never as binaries: the cache key is the source's
    hash, so an updated ``.ts`` is compiled again. ``None`` when none ships or it cannot compile.
    """
    source = resources.files("resources").joinpath("translations", f"{CATALOGUE}_{language}.ts")
    if not source.is_file():
        return None
    data = source.read_bytes()
    folder = Path(platformdirs.user_cache_dir("vigie")) / "translations"
    target = folder / f"{CATALOGUE}_{language}-{hashlib.sha256(data).hexdigest()[:16]}.qm"
    if target.is_file():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        ts, qm = Path(tmp) / "source.ts", Path(tmp) / "out.qm"
        ts.write_bytes(data)
        try:
            subprocess.run(
                [str(_lrelease()), "-silent", str(ts), "-qm", str(qm)],
                check=True,
                capture_output=True,
                timeout=60,
            )
        except (OSError, subprocess.SubprocessError):
            return None  # English, rather than no console at all
        os.replace(qm, target)  # atomic: two processes starting at once both end up right
    return target


#: Languages the console ships, as the settings offer them.
LANGUAGES = ("fr", "en")
_chosen: str | None = None  # None: the system locale's


def use_language(language: str | None) -> None:
    """Speak ``language`` from now on (None: the system locale's); before any window is built."""
    global _chosen
    _chosen = language if language in LANGUAGES else None
    translator.cache_clear()


@cache
def translator() -> QTranslator:
    """The translator for the chosen language or the system locale; empty (English) if none."""
    tr = QTranslator()
    for name in [_chosen] if _chosen else QLocale.system().uiLanguages():
        language = name.replace("-", "_").split("_")[0]
        if language == "en":
            break
        qm = compiled_catalogue(language)
        if qm is not None and tr.load(str(qm)):
            break
    return tr


def translate(context: str, text: str) -> str:
    """``text`` in the operator's language (lupdate finds the calls through their context)."""
    return translator().translate(context, text) or text


class _Lenient(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(template: str, params: Mapping[str, Any]) -> str:
    """Format with named fields; an unknown field stays visible instead of raising."""
    return string.Formatter().vformat(template, (), _Lenient(params))
