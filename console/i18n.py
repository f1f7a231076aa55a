"""Translation: every sentence an operator reads goes through Qt's translation system.

The command line translates with a ``QTranslator`` it calls directly (no application object, no
display); the desktop console installs the same translator on its ``QApplication`` so that widgets'
``translate()`` calls use it. The language follows the system locale (``LC_ALL``, ``LC_MESSAGES``,
``LANG``); English is the source language, French ships in ``resources/translations``.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

from PySide6.QtCore import QLocale, QTranslator

CATALOGUE = "vigie"


@cache
def translator() -> QTranslator:
    """The translator for the system locale; an empty one (English) when none ships for it."""
    tr = QTranslator()
    folder = resources.files("resources").joinpath("translations")
    for name in QLocale.system().uiLanguages():
        language = name.replace("-", "_").split("_")[0]
        if language == "en":
            break
        qm = folder.joinpath(f"{CATALOGUE}_{language}.qm")
        if qm.is_file() and tr.load(str(qm)):
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
