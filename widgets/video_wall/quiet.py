"""Quiet FFmpeg: what Qt Multimedia's FFmpeg backend prints on standard error, silenced.

Every tile's player writes to the console's standard error: the hardware decoders it could
not load (``hwaccel initialisation returned error``), a pixel-format notice on every frame size
(``deprecated pixel format used``), ``Demuxing failed -5`` each time a camera's stream ends,
and the dump of every stream it opens, whose first line is the stream's whole URL, token
included. None of it is for the operator, and the tile already says what matters (late, lost).

Two sources, two switches:

- Qt's own categories (``qt.multimedia.ffmpeg…``, the playback engine, the symbols resolver):
  their debug, info and warning messages are turned off with ``QLoggingCategory`` rules
  (critical ones still print). ``QT_LOGGING_RULES`` is read after these rules, so a developer
  turns them back on with, e.g., ``QT_LOGGING_RULES="qt.multimedia.ffmpeg*=true"``.
- libav's own log (the lines in square brackets, and the stream dump): its level is lowered to
  ``AV_LOG_FATAL`` through ctypes, on the ``libavutil`` Qt's FFmpeg plugin loaded (PySide6's,
  ``Qt/lib/libavutil.so.N``), found among the libraries this process has loaded
  (``/proc/self/maps``). The plugin is loaded with Qt Multimedia's backend, at the first
  ``QMediaPlayer``: if it is not loaded yet, a player is made and dropped (nothing is played)
  to have it loaded. PySide6's copy cannot be loaded ahead of the plugin (its symbols resolve
  only once the plugin's loading has brought what they need), and a system-wide libavutil is
  another copy, whose level the plugin never reads. When Qt's debugging of FFmpeg is asked for
  (``QT_FFMPEG_DEBUG``) the level is left as Qt sets it; where no libavutil is found (not
  Linux, another build), nothing happens and those lines print as before.

``quiet_ffmpeg()`` is called before the first player is made (``VideoWall`` does); calling it
again does nothing.
"""

from __future__ import annotations

import ctypes
import logging
import os
import re
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLoggingCategory

log = logging.getLogger(__name__)

#: libavutil's log levels (libavutil/log.h).
AV_LOG_FATAL = 8
AV_LOG_ERROR = 16

#: Qt Multimedia's categories whose debug, info and warning messages are FFmpeg's chatter.
CATEGORIES = (
    "qt.multimedia.ffmpeg*",
    "qt.multimedia.playbackengine*",
    "qt.multimedia.symbolsresolver*",
)

_rules: list[str] = []  # every rule Vigie set (Qt cannot be asked for those set before)
_av_quieted = False  # libav's level set
_SONAME = re.compile(r"/libavutil\.so\.\d+$")


def add_logging_rules(rules: list[str]) -> None:
    """Add ``rules`` to the ``QLoggingCategory`` filter rules Vigie sets.

    ``QLoggingCategory.setFilterRules`` replaces the rules given before and Qt has no getter for
    them: Vigie's code sets rules only through here, so that none replaces another's.
    """
    new = [rule for rule in rules if rule not in _rules]
    if new:
        _rules.extend(new)
        QLoggingCategory.setFilterRules("\n".join(_rules))


def quiet_ffmpeg(level: int = AV_LOG_FATAL) -> bool:
    """Silence FFmpeg's messages; True when libav's level could be set too.

    Call it before the first ``QMediaPlayer`` is made, once an application object exists;
    once it has succeeded, later calls do nothing.
    """
    global _av_quieted
    add_logging_rules(
        [f"{name}.{kind}=false" for name in CATEGORIES for kind in ("debug", "info", "warning")]
    )
    if not _av_quieted:
        _av_quieted = _set_av_log_level(level)
    return _av_quieted


def _set_av_log_level(level: int) -> bool:
    if os.environ.get("QT_FFMPEG_DEBUG"):
        return False  # Qt's FFmpeg debugging is on: its level stands
    for path in _loaded_libavutil() or _load_ffmpeg_plugin():
        try:
            library = ctypes.CDLL(str(path))  # already in the process: the same copy
            library.av_log_set_level.argtypes = [ctypes.c_int]
            library.av_log_set_level.restype = None
            library.av_log_set_level(level)
        except (OSError, AttributeError) as error:  # not loadable, or no such function
            log.debug("libavutil %s not used: %s", path, error)
            continue
        return True
    log.debug("no libavutil loaded: FFmpeg's own messages are not quieted")
    return False


def _load_ffmpeg_plugin() -> list[Path]:
    """Have Qt load its multimedia backend (a player made and dropped); its libavutil then.

    Only with an application object (a player needs one); nothing is played.
    """
    if QCoreApplication.instance() is None:
        return []
    from PySide6.QtMultimedia import QMediaPlayer

    player = QMediaPlayer()
    del player
    return _loaded_libavutil()


def _loaded_libavutil() -> list[Path]:
    """The libavutil libraries in this process (the one Qt's FFmpeg plugin loaded).

    Only one already loaded: loading PySide6's copy ahead of the plugin fails (its symbols are
    resolved against libraries the plugin's loading brings), and a system-wide one would be
    another copy, whose level the plugin never reads.
    """
    loaded: list[Path] = []
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
            for line in maps:
                name = line.rstrip("\n").rsplit(" ", 1)[-1]
                if _SONAME.search(name) and Path(name) not in loaded:
                    loaded.append(Path(name))
    except OSError:
        pass  # no /proc: not Linux
    return loaded
