"""The map's legend: each symbol the page draws, with the operator's words for it."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

_SVG = '<svg width="16" height="16" viewBox="0 0 24 26">{}</svg>'
_UNIT = '<g stroke="#10151a" stroke-width="1.5" fill="#2ecc71">{}</g>'
#: (symbol, words): the shapes say the kind, so that colour is never the only clue.
_ROWS = [
    (_UNIT.format('<circle cx="12" cy="13" r="7"/>'), QT_TRANSLATE_NOOP("map", "Patrol")),
    (
        _UNIT.format('<rect x="5.5" y="6.5" width="13" height="13"/>'),
        QT_TRANSLATE_NOOP("map", "Road crew"),
    ),
    (
        _UNIT.format('<path d="M12 5 L20 13 L12 21 L4 13 Z"/>'),
        QT_TRANSLATE_NOOP("map", "Snow plough"),
    ),
    (
        _UNIT.format('<path d="M8 6.5 L16 6.5 L20 13 L16 19.5 L8 19.5 L4 13 Z"/>'),
        QT_TRANSLATE_NOOP("map", "Salt spreader"),
    ),
    (
        '<g stroke="#10151a"><circle cx="5" cy="13" r="4" fill="#2ecc71"/>'
        '<circle cx="14" cy="13" r="4" fill="#f39c12"/><circle cx="22" cy="13" r="3.5"'
        ' fill="#3498db"/></g>',
        QT_TRANSLATE_NOOP("map", "Available, en route, on scene"),
    ),
    (
        '<g fill="#e5e8e8"><path d="M2 8 L12 8 L7 17 Z"/><circle cx="16" cy="10" r="1.6"/>'
        '<circle cx="21" cy="10" r="1.6"/><circle cx="18.5" cy="15" r="1.6"/></g>',
        QT_TRANSLATE_NOOP("map", "Blade down, spreading"),
    ),
    (
        '<g stroke-width="4"><path d="M1 9 H23" stroke="#1e8449"/><path d="M1 17 H23"'
        ' stroke="#c0392b" stroke-dasharray="5 3"/></g>',
        QT_TRANSLATE_NOOP(
            "map", "Network treated within the hour; past its target (dashed: secondary)"
        ),
    ),
    ('<circle cx="12" cy="13" r="3" fill="#c9a227"/>', QT_TRANSLATE_NOOP("map", "Street light")),
    (
        '<path d="M12 7 L18 13 L12 19 L6 13 Z" fill="#48c9b0"/>',
        QT_TRANSLATE_NOOP("map", "Traffic signal"),
    ),
    (
        '<rect x="7" y="8" width="10" height="10" fill="#85c1e9"/>',
        QT_TRANSLATE_NOOP("map", "Camera"),
    ),
    ('<path d="M12 7 L18 18 L6 18 Z" fill="#bb8fce"/>', QT_TRANSLATE_NOOP("map", "Bollard")),
    (
        '<circle cx="12" cy="13" r="6" fill="#ff4d3a" stroke="#fff" stroke-width="1.5"/>',
        QT_TRANSLATE_NOOP("map", "Fault (larger, ringed)"),
    ),
    (
        '<circle cx="12" cy="13" r="5" fill="none" stroke="#9aa3ab" stroke-width="1.5"/>',
        QT_TRANSLATE_NOOP("map", "Silent: last state too old"),
    ),
    (
        '<g fill="none" stroke="#9aa3ab" stroke-width="1.5"><circle cx="12" cy="13" r="5"/>'
        '<path d="M7 8 L17 18"/></g>',
        QT_TRANSLATE_NOOP("map", "Link to its gateway lost"),
    ),
]


def legend_rows() -> list[tuple[str, str]]:
    """(SVG symbol, translated words) for ``build_page``."""
    return [
        (_SVG.format(symbol), QCoreApplication.translate("map", text)) for symbol, text in _ROWS
    ]
