"""Colours belong to the theme: widgets name a role, the palette gives its dark and light value."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel

from widgets import palette as roles
from widgets.palette import (
    THEMES,
    Role,
    brush,
    colour,
    hex_of,
    map_roles,
    style_error,
    style_role,
)

WIDGETS = Path(__file__).resolve().parents[2] / "widgets"
MAP_ROLES = [role for role in Role if role.value.startswith("map_")]
#: A colour in a string: #rgb, #rrggbb, #aarrggbb, or a colour named in a style sheet.
HEX = re.compile(r"#(?:[0-9a-fA-F]{8}|[0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b")
NAMED = re.compile(
    r"(?:color|background|border)\s*:[^;{}]*?\b(?!transparent\b|none\b|solid\b|dashed\b)"
    r"(?:white|black|red|green|blue|yellow|orange|grey|gray|amber)\b",
    re.IGNORECASE,
)


def colour_literals(root: Path, allowed: str = "palette.py") -> Iterator[str]:
    """``file:line: what`` for each colour written as a value rather than named by its role."""
    for path in sorted(root.rglob("*.py")):
        if path.name == allowed and path.parent == root:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        prose = _docstrings(tree)  # a docstring may quote a colour (plain_text's attack)
        for node in sorted(ast.walk(tree), key=lambda n: getattr(n, "lineno", 0)):
            if id(node) in prose:
                continue
            where = f"{path.relative_to(root.parent)}:{getattr(node, 'lineno', '?')}"
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                for pattern in (HEX, NAMED):
                    for found in pattern.finditer(node.value):
                        yield f"{where}: {found.group(0)!r}"
            elif isinstance(node, ast.Call) and _called(node) == "QColor":
                if node.args and all(isinstance(a, ast.Constant) for a in node.args):
                    yield f"{where}: QColor({', '.join(repr(a.value) for a in node.args)})"  # type: ignore[attr-defined]


def _docstrings(tree: ast.Module) -> set[int]:
    owners = [tree] + [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
    ]
    return {
        id(owner.body[0].value)
        for owner in owners
        if owner.body
        and isinstance(owner.body[0], ast.Expr)
        and isinstance(owner.body[0].value, ast.Constant)
    }


def _called(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def test_widgets_name_roles_never_colours():
    assert list(colour_literals(WIDGETS)) == []


def test_the_scan_finds_each_way_of_writing_a_colour(tmp_path):
    # The scan above passes only if it can fail: each form it must catch, caught.
    (tmp_path / "widgets").mkdir()
    (tmp_path / "widgets" / "panel.py").write_text(
        "from PySide6.QtGui import QColor\n"
        "# a comment may say #c0392b\n"
        'A = "QLabel { color: #c0392b; }"\n'
        'B = QColor("#fff")\n'
        "C = QColor(192, 57, 43, 40)\n"
        'D = "QLabel { background: white; }"\n'
        'E = f"QLabel {{ color: #1e8449; }} {A}"\n'
        "F = QColor(A)\n",
        encoding="utf-8",
    )
    found = list(colour_literals(tmp_path / "widgets"))
    assert [line.split(":")[1] for line in found] == ["3", "4", "4", "5", "6", "7"]


MAP_PAGE = WIDGETS.parent / "resources" / "map"
#: A colour in the page's style sheet or script: hex, rgb()/rgba()/hsl(), or a named colour
#: given to a property (CSS's ``border: 1px solid red``, the script's ``fillStyle = "red"``).
WEB_COLOUR = re.compile(
    r"#(?:[0-9a-fA-F]{8}|[0-9a-fA-F]{6}|[0-9a-fA-F]{3,4})\b|\b(?:rgba?|hsla?)\s*\("
    r"|(?:color|background|fill|stroke|outline|border|shadow)[\w-]*\s*[:=][^;{}]*?\b"
    r"(?:white|black|red|green|blue|yellow|orange|gr[ae]y|purple|silver|navy|maroon|lime|teal"
    r"|aqua|fuchsia|olive|gold|pink|cyan|magenta|brown)\b",
    re.IGNORECASE,
)


def web_colour_literals(folder: Path) -> list[str]:
    """``file:line: what`` for each colour the map page writes instead of naming a role."""
    found = []
    for path in sorted([*folder.glob("*.css"), *folder.glob("*.js")]):
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            found += [f"{path.name}:{number}: {m.group(0)}" for m in WEB_COLOUR.finditer(line)]
    return found


def test_the_map_page_names_roles_never_colours():
    assert web_colour_literals(MAP_PAGE) == []


def test_the_map_page_scan_finds_each_way_of_writing_a_colour(tmp_path):
    (tmp_path / "a.css").write_text(
        ".x { color: #fff; }\n.y { fill: rgba(1, 2, 3, 0.5); }\n.z { stroke: white; }\n"
        ".ok { fill: var(--vigie-map-fault); }\n",
        encoding="utf-8",
    )
    (tmp_path / "b.js").write_text(
        'const A = "#c0392b";\nconst B = colour("map-mark");\n'
        'ctx.fillStyle = "orange";\nline.setStyle({ color: "grey" });\n'
        'ctx.strokeStyle = colour("map-silent");\n',
        encoding="utf-8",
    )
    (tmp_path / "c.css").write_text(
        ".a { border: 1px solid red; }\n.b { border: 5px solid transparent; }\n", encoding="utf-8"
    )
    assert [f.split(":")[0] + ":" + f.split(":")[1] for f in web_colour_literals(tmp_path)] == [
        "a.css:1",
        "a.css:2",
        "a.css:3",
        "b.js:1",
        "b.js:3",
        "b.js:4",
        "c.css:1",
    ]


def test_every_role_the_map_page_names_is_one_the_page_declares():
    from widgets.palette import map_css_variables

    declared = set(re.findall(r"--vigie-([\w-]+):", map_css_variables()))
    css = (MAP_PAGE / "vigie_map.css").read_text("utf-8")
    script = (MAP_PAGE / "vigie_map.js").read_text("utf-8")
    named = set(re.findall(r"var\(--vigie-([\w-]+)\)", css))
    named |= set(re.findall(r'"(map-[\w-]+)"', script))
    assert named, "the scan found no role: it would pass on anything"
    assert named <= declared, named - declared
    # a tint in Qt's #aarrggbb is CSS's rgba(), its alpha last
    assert "--vigie-map-panel: rgba(20, 24, 29, 0.85);" in map_css_variables("dark")


def test_the_legend_names_the_pages_roles_never_colours():
    # The legend is drawn in the page: its symbols follow the theme with the rest of it.
    from widgets.map.legend import legend_rows
    from widgets.palette import map_css_variables

    declared = set(re.findall(r"--vigie-([\w-]+):", map_css_variables()))
    symbols = "".join(symbol for symbol, _words in legend_rows())
    assert HEX.findall(symbols) == []
    named = set(re.findall(r"var\(--vigie-([\w-]+)\)", symbols))
    assert {"map-fault", "map-unit-available", "map-silent"} <= named <= declared


def test_the_map_follows_the_theme_and_a_priority_keeps_its_colour():
    dark, light = map_roles("dark"), map_roles("light")
    assert dark.keys() == light.keys() == {r.value.replace("_", "-") for r in MAP_ROLES}
    assert dark["map-background"] != light["map-background"]
    for priority in ("map-alarm-p1", "map-alarm-p2", "map-alarm-p3", "map-alarm-p4"):
        assert dark[priority] == light[priority]  # ISA-101: an alarm's colour never changes


#: What the map draws with no outline of its own: its colour must stand out from the ground.
MAP_BARE = (
    *(Role.MAP_LIGHT, Role.MAP_SIGNAL, Role.MAP_CAMERA, Role.MAP_BOLLARD),
    *(Role.MAP_FAULT, Role.MAP_SILENT, Role.MAP_SELECTED, Role.MAP_COVERAGE_GAP),
    *(Role.MAP_TRAIL, Role.MAP_TRAIL_PATROL, Role.MAP_TRAIL_SNOW),
    *(Role.MAP_TREATED, Role.MAP_DUE, Role.MAP_UNTREATED, Role.MAP_NEVER_TREATED),
)
#: Filled and ringed in the outline: the fill or the ring stands out.
MAP_OUTLINED = (
    *(Role.MAP_ALARM_P1, Role.MAP_ALARM_P2, Role.MAP_ALARM_P3, Role.MAP_ALARM_P4),
    *(Role.MAP_UNIT_AVAILABLE, Role.MAP_UNIT_EN_ROUTE, Role.MAP_UNIT_ON_SCENE),
    *(Role.MAP_UNIT_UNAVAILABLE, Role.MAP_HEADING),
)


@pytest.mark.parametrize("theme", THEMES)
def test_what_the_map_draws_stands_out_from_its_ground(theme):
    ground = colour(Role.MAP_BACKGROUND, theme)
    assert _contrast(colour(Role.MAP_TEXT, theme), ground) >= 7  # units' names, the legend
    communes = _over(colour(Role.MAP_COMMUNE_FILL, theme), ground, 0.55)  # .vm-commune
    assert _contrast(colour(Role.MAP_COMMUNE_NAME, theme), communes) >= 4.5
    for role in MAP_BARE:  # WCAG's 3:1 for graphics
        assert _contrast(colour(role, theme), ground) >= 3, role
    outline = _contrast(colour(Role.MAP_OUTLINE, theme), ground)
    for role in MAP_OUTLINED:
        assert max(_contrast(colour(role, theme), ground), outline) >= 3, role
    for badge in (Role.MAP_ALARM_P1, Role.MAP_GAP_LABEL, Role.MAP_PLAN_UNUSUAL):
        assert _contrast(colour(Role.MAP_MARK, theme), colour(badge, theme)) >= 3, badge
    plan = colour(Role.MAP_PLAN_USUAL, theme)  # a tint over the ground
    assert _contrast(colour(Role.MAP_MARK, theme), _over(plan, ground, plan.alphaF())) >= 4.5


def _over(top: QColor, ground: QColor, alpha: float) -> QColor:
    """``top`` laid at ``alpha`` over ``ground``: what the eye sees."""
    pairs = zip(top.getRgbF()[:3], ground.getRgbF()[:3], strict=True)
    return QColor.fromRgbF(*(alpha * t + (1 - alpha) * g for t, g in pairs))


def test_every_role_has_a_colour_in_both_themes():
    assert set(roles._VALUES) == set(Role)
    for role in Role:
        for theme in THEMES:
            assert QColor(hex_of(role, theme)).isValid(), (role, theme)


def test_the_text_reads_on_its_ground_in_both_themes():
    # The greys' own contrast, and the red of an error on the panel's window: ISA-101 asks the
    # alarm colour to stand out, and WCAG's 3:1 is the least for bold text.
    for theme in THEMES:
        window = colour(Role.WINDOW, theme)
        assert _contrast(colour(Role.TEXT, theme), window) >= 7, theme
        assert _contrast(colour(Role.ERROR_TEXT, theme), window) >= 3, theme


def _contrast(a: QColor, b: QColor) -> float:
    def luminance(c: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return (
            0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())
        )

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.fixture
def themed(qapp: QApplication) -> Iterator:
    """Switch the application between the greys of each theme; the palette it had, back after."""
    before = QPalette(qapp.palette())

    def switch(theme: str) -> None:
        p = QPalette(qapp.palette())
        p.setColor(QPalette.ColorRole.Window, colour(Role.WINDOW, theme))
        qapp.setPalette(p)

    yield switch
    qapp.setPalette(before)


def test_a_styled_label_follows_the_theme(qtbot, themed):
    themed("dark")
    problem = QLabel()
    qtbot.addWidget(problem)
    style_error(problem)
    assert hex_of(Role.ERROR_TEXT, "dark") in problem.styleSheet()
    themed("light")  # the operator picks the light theme: the label restyles itself
    qtbot.waitUntil(lambda: hex_of(Role.ERROR_TEXT, "light") in problem.styleSheet())
    assert hex_of(Role.ERROR_TEXT, "dark") not in problem.styleSheet()
    style_role(problem, "")  # back to the theme's own text colour, and it stays so
    themed("dark")
    QApplication.processEvents()  # the palette's change is delivered by the event loop
    assert problem.styleSheet() == ""


def test_a_models_brush_follows_the_theme(themed):
    themed("dark")
    assert brush(Role.ALARM).color() == QColor(hex_of(Role.ALARM, "dark"))
    themed("light")
    assert brush(Role.ALARM).color() == QColor(hex_of(Role.ALARM, "light"))


def test_a_theme_already_in_effect_is_not_applied_again(qtbot):
    """Each application of a theme re-polishes every widget: a tenth of a console's start."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication, QWidget

    from console.shell.theme import apply_theme

    class Seen(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.events: list[QEvent.Type] = []

        def eventFilter(self, watched, event):  # noqa: N802, ANN001, ANN201 (Qt's name)
            if event.type() in (QEvent.Type.StyleChange, QEvent.Type.PaletteChange):
                self.events.append(event.type())
            return False

    app = QApplication.instance()
    widget, seen = QWidget(), Seen()
    qtbot.addWidget(widget)
    widget.show()
    apply_theme(app, "light")
    app.processEvents()
    widget.installEventFilter(seen)
    apply_theme(app, "light")
    app.processEvents()
    assert seen.events == []
    apply_theme(app, "dark")
    app.processEvents()
    assert QEvent.Type.PaletteChange in seen.events
