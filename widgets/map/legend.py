"""The map's legend: each symbol the page draws, with the operator's words for it."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from widgets.palette import Role, css_var

_SVG = '<svg width="16" height="16" viewBox="0 0 24 26">{}</svg>'
#: The symbols' colours, by role: the page's custom properties, so that the legend follows the
#: theme with the rest of the page (in ``style``: SVG's attributes take no ``var()``).
_COLOURS = {
    "outline": Role.MAP_OUTLINE,
    "mark": Role.MAP_MARK,
    "available": Role.MAP_UNIT_AVAILABLE,
    "en_route": Role.MAP_UNIT_EN_ROUTE,
    "on_scene": Role.MAP_UNIT_ON_SCENE,
    "treating": Role.MAP_TREATING,
    "treated": Role.MAP_TREATED,
    "untreated": Role.MAP_UNTREATED,
    "light": Role.MAP_LIGHT,
    "light_off": Role.MAP_LIGHT_OFF,
    "signal": Role.MAP_SIGNAL,
    "camera": Role.MAP_CAMERA,
    "bollard": Role.MAP_BOLLARD,
    "fault": Role.MAP_FAULT,
    "silent": Role.MAP_SILENT,
    "text": Role.MAP_TEXT,
    "shadow": Role.MAP_SHADOW,
}


def _unit(shape: str) -> str:
    """A unit's symbol: its shape says its kind (filled in the available green)."""
    return f'<g style="stroke:{{outline}};fill:{{available}}" stroke-width="1.5">{shape}</g>'


#: (symbol, words): the shapes say the kind, so that colour is never the only clue.
_ROWS = [
    (_unit('<circle cx="12" cy="13" r="7"/>'), QT_TRANSLATE_NOOP("map", "Patrol")),
    (
        _unit('<rect x="5.5" y="6.5" width="13" height="13"/>'),
        QT_TRANSLATE_NOOP("map", "Road crew"),
    ),
    (
        _unit('<path d="M12 5 L20 13 L12 21 L4 13 Z"/>'),
        QT_TRANSLATE_NOOP("map", "Snow plough"),
    ),
    (
        _unit('<path d="M8 6.5 L16 6.5 L20 13 L16 19.5 L8 19.5 L4 13 Z"/>'),
        QT_TRANSLATE_NOOP("map", "Salt spreader"),
    ),
    (
        '<g style="stroke:{outline}"><circle cx="5" cy="13" r="4" style="fill:{available}"/>'
        '<circle cx="14" cy="13" r="4" style="fill:{en_route}"/><circle cx="22" cy="13"'
        ' r="3.5" style="fill:{on_scene}"/></g>',
        QT_TRANSLATE_NOOP("map", "Available, en route, on scene"),
    ),
    (
        '<g style="fill:{treating}"><path d="M2 8 L12 8 L7 17 Z"/><circle cx="16" cy="10" r="1.6"/>'
        '<circle cx="21" cy="10" r="1.6"/><circle cx="18.5" cy="15" r="1.6"/></g>',
        QT_TRANSLATE_NOOP("map", "Blade down, spreading"),
    ),
    (
        '<g stroke-width="4"><path d="M1 9 H23" style="stroke:{treated}"/><path d="M1 17 H23"'
        ' style="stroke:{untreated}" stroke-dasharray="5 3"/></g>',
        QT_TRANSLATE_NOOP(
            "map", "Network treated within the hour; past its target (dashed: secondary)"
        ),
    ),
    (
        '<circle cx="4" cy="13" r="3" style="fill:{light_off}"/><circle cx="12" cy="13" r="3"'
        ' style="fill:{light};opacity:0.55"/><circle cx="20" cy="13" r="3" style="fill:{light}"/>',
        QT_TRANSLATE_NOOP("map", "Street light: off, dimmed, at full level"),
    ),
    (
        '<path d="M12 7 L18 13 L12 19 L6 13 Z" style="fill:{signal}"/>',
        QT_TRANSLATE_NOOP("map", "Traffic signal"),
    ),
    (
        '<rect x="7" y="8" width="10" height="10" style="fill:{camera}"/>',
        QT_TRANSLATE_NOOP("map", "Camera"),
    ),
    (
        '<path d="M12 7 L18 18 L6 18 Z" style="fill:{bollard}"/>',
        QT_TRANSLATE_NOOP("map", "Bollard"),
    ),
    (
        '<circle cx="12" cy="13" r="6" style="fill:{fault};stroke:{mark}" stroke-width="1.5"/>',
        QT_TRANSLATE_NOOP("map", "Fault (larger, ringed)"),
    ),
    (
        '<g><circle cx="7" cy="13" r="4.5" style="fill:{fault};stroke:{mark}" stroke-width="1.5"/>'
        '<text x="14" y="18" font-size="13" font-weight="bold" style="fill:{text};stroke:{shadow}"'
        ' stroke-width="0.6">9</text></g>',
        QT_TRANSLATE_NOOP("map", "Zoomed out: that many in the area, a click zooms in"),
    ),
    (
        '<g><circle cx="12" cy="13" r="3.5" style="fill:{light_off};stroke:{outline}"/>'
        '<circle cx="12" cy="13" r="8" fill="none" style="stroke:{fault}" stroke-width="2"'
        ' stroke-dasharray="3 2"/></g>',
        QT_TRANSLATE_NOOP("map", "Dark at night when it should be lit"),
    ),
    (
        '<circle cx="12" cy="13" r="5" fill="none" style="stroke:{silent}" stroke-width="1.5"/>',
        QT_TRANSLATE_NOOP("map", "Silent: last state too old"),
    ),
    (
        '<g fill="none" style="stroke:{silent}" stroke-width="1.5"><circle cx="12" cy="13" r="5"/>'
        '<path d="M7 8 L17 18"/></g>',
        QT_TRANSLATE_NOOP("map", "Link to its gateway lost"),
    ),
]


def legend_rows() -> list[tuple[str, str]]:
    """(SVG symbol, translated words) for ``build_page``."""
    colours = {name: css_var(role) for name, role in _COLOURS.items()}
    return [
        (_SVG.format(symbol.format(**colours)), QCoreApplication.translate("map", text))
        for symbol, text in _ROWS
    ]
