"""The console's colours, by role: one place, a dark and a light value for each (ISA-101).

High Performance HMI: greys everywhere, colour only for what needs action, and never alone (a
mark or a word beside it). Widgets name a :class:`Role`, never a colour; ``console/shell/theme.py``
builds Qt's palette from the greys. Which value a role takes follows the theme in effect: the
application palette's window is light or dark.

Colours a widget shows for a state are looked up when they are painted (``colour``, ``brush``,
``ThemedColours``); colours in a style sheet are kept up to date by ``style_role``, which
restyles its widget when the theme changes. The map is an HTML page: it names its colours as
CSS custom properties (``css_var``), which ``MapPanel`` sends again when the theme changes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from enum import StrEnum
from typing import TypeVar

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QWidget

THEMES = ("dark", "light")
Key = TypeVar("Key")


class Role(StrEnum):
    # --- the theme's greys (QPalette's roles) ------------------------------------------------
    WINDOW = "window"
    BASE = "base"
    ALTERNATE_BASE = "alternate_base"
    TEXT = "text"
    BUTTON = "button"
    HIGHLIGHT = "highlight"
    """What is selected."""
    DISABLED_TEXT = "disabled_text"
    # --- what needs action --------------------------------------------------------------------
    ALARM = "alarm"
    """Text of what is late or did not happen: an SLA breached, a command not done, a gap."""
    ERROR_TEXT = "error_text"
    """An operator's action that could not be done (the panels' problem labels)."""
    FAULT = "fault"
    """Equipment in fault."""
    WARNING = "warning"
    """Amber: soon late (an SLA's warning)."""
    ATTENTION = "attention"
    """Amber of a curve that needs watching (telemetry)."""
    FLAGS = "flags"
    """The line saying which of a message's values the recorder doubted."""
    STALE = "stale"
    """Equipment whose last state is too old."""
    COMM_LOST = "comm_lost"
    """Equipment whose link to its gateway is lost."""
    OK = "ok"
    """Done as asked (a mode switch's outcome)."""
    ALARM_P1_ROW = "alarm_p1_row"
    """The tint behind an open P1 incident's row."""
    ALARM_BANNER = "alarm_banner"
    """Behind "P1 awaiting acknowledgement"."""
    WARNING_BANNER = "warning_banner"
    """Behind "no unit can reach it in time"."""
    BANNER_TEXT = "banner_text"
    """Text on a banner or a badge."""
    # --- the snow plan's and traffic mode's badges --------------------------------------------
    MODE_NORMAL = "mode_normal"
    MODE_ALERT = "mode_alert"
    MODE_INTERVENTION = "mode_intervention"
    MODE_CRISIS = "mode_crisis"
    MODE_SNOW = "mode_snow"
    MODE_OTHER = "mode_other"
    # --- the map (resources/map: the page names these as --vigie-map-…, in the theme in effect)
    MAP_ALARM_P1 = "map_alarm_p1"
    MAP_ALARM_P2 = "map_alarm_p2"
    MAP_ALARM_P3 = "map_alarm_p3"
    MAP_ALARM_P4 = "map_alarm_p4"
    MAP_COMMUNE_EDGE = "map_commune_edge"
    MAP_COMMUNE_FILL = "map_commune_fill"
    MAP_OUTLINE = "map_outline"
    MAP_MARK = "map_mark"
    """The ring of a fault; words on an alarm's or a plan's badge."""
    MAP_SELECTED = "map_selected"
    """The selected unit's or incident's ring, and its trail."""
    MAP_UNIT_AVAILABLE = "map_unit_available"
    MAP_UNIT_EN_ROUTE = "map_unit_en_route"
    MAP_UNIT_ON_SCENE = "map_unit_on_scene"
    MAP_TREATING = "map_treating"
    MAP_TREATED = "map_treated"
    MAP_UNTREATED = "map_untreated"
    MAP_LIGHT = "map_light"
    """A street light on at full level; dimmer ones are drawn between it and ``MAP_LIGHT_OFF``."""
    MAP_LIGHT_OFF = "map_light_off"
    """A street light off (dark grey: calm, yet there)."""
    MAP_SIGNAL = "map_signal"
    MAP_CAMERA = "map_camera"
    MAP_BOLLARD = "map_bollard"
    MAP_FAULT = "map_fault"
    MAP_SILENT = "map_silent"
    MAP_BACKGROUND = "map_background"
    MAP_TEXT = "map_text"
    """Words on the map: units' names, the legend, labels on a badge."""
    MAP_COMMUNE_NAME = "map_commune_name"
    """The communes' names: the base, dimmer than what is on it."""
    MAP_SHADOW = "map_shadow"
    """The halo that keeps words readable over any symbol."""
    MAP_PANEL = "map_panel"
    """Behind the legend (a tint: the map shows through)."""
    MAP_UNIT_UNAVAILABLE = "map_unit_unavailable"
    MAP_HEADING = "map_heading"
    MAP_TRAIL = "map_trail"
    MAP_TRAIL_PATROL = "map_trail_patrol"
    MAP_TRAIL_SNOW = "map_trail_snow"
    MAP_DUE = "map_due"
    """A segment treated, within its target still."""
    MAP_NEVER_TREATED = "map_never_treated"
    MAP_COVERAGE_GAP = "map_coverage_gap"
    """A commune without an available patrol for too long."""
    MAP_GAP_LABEL = "map_gap_label"
    """Behind a coverage gap's words."""
    MAP_PLAN_USUAL = "map_plan_usual"
    """Behind a signal's time-of-day plan (a tint)."""
    MAP_PLAN_UNUSUAL = "map_plan_unusual"
    """Behind a signal's plan out of the ordinary (snow, flashing, a diversion)."""
    # --- the video wall: drawn over a picture, which is black whatever the theme ------------
    VIDEO_MASK_OUTLINE = "video_mask_outline"
    """The outline of a privacy mask the city expects (to check, not an alarm)."""
    VIDEO_TEXT = "video_text"
    """What a tile says over its black picture (hidden, lost, connecting)."""
    VIDEO_BAND = "video_band"
    """Behind those words, so that no outline runs through them."""


#: (dark, light) for each role. Where a value is the same in both, the colour reads on either.
_VALUES: dict[Role, tuple[str, str]] = {
    Role.WINDOW: ("#2b2d30", "#e6e6e6"),
    Role.BASE: ("#232427", "#f4f4f4"),
    Role.ALTERNATE_BASE: ("#2a2c2f", "#ececec"),
    Role.TEXT: ("#d8d8d8", "#202020"),
    Role.BUTTON: ("#3a3c40", "#dcdcdc"),
    Role.HIGHLIGHT: ("#4a5a6a", "#9fb1c3"),
    Role.DISABLED_TEXT: ("#7a7a7a", "#8a8a8a"),
    # The darker red is too dark to read on the dark greys: the lighter one there.
    Role.ALARM: ("#d64541", "#c0392b"),
    Role.ERROR_TEXT: ("#d64541", "#c0392b"),
    Role.FAULT: ("#d64541", "#c0392b"),
    Role.WARNING: ("#b7791f", "#b7791f"),
    Role.ATTENTION: ("#d08c00", "#8c5e00"),
    Role.FLAGS: ("#d08c00", "#8c5e00"),
    Role.STALE: ("#8a8f94", "#8a8f94"),
    Role.COMM_LOST: ("#8a8f94", "#8a8f94"),
    Role.OK: ("#27ae60", "#1e8449"),
    Role.ALARM_P1_ROW: ("#28c0392b", "#28c0392b"),  # #AARRGGBB: a tint, the text stays readable
    Role.ALARM_BANNER: ("#7b241c", "#7b241c"),
    Role.WARNING_BANNER: ("#7e5109", "#7e5109"),
    Role.BANNER_TEXT: ("#ffffff", "#ffffff"),
    Role.MODE_NORMAL: ("#7f8c8d", "#7f8c8d"),
    Role.MODE_ALERT: ("#d4ac0d", "#d4ac0d"),
    Role.MODE_INTERVENTION: ("#e67e22", "#e67e22"),
    Role.MODE_CRISIS: ("#c0392b", "#c0392b"),
    Role.MODE_SNOW: ("#2e86c1", "#2e86c1"),
    Role.MODE_OTHER: ("#27ae60", "#27ae60"),
    # The map: a priority keeps its colour in both themes. On the light base, what is drawn
    # without an outline (equipment, lines) is darker, to keep 3:1 on the ground.
    Role.MAP_ALARM_P1: ("#e74c3c", "#e74c3c"),
    Role.MAP_ALARM_P2: ("#e67e22", "#e67e22"),
    Role.MAP_ALARM_P3: ("#f1c40f", "#f1c40f"),
    Role.MAP_ALARM_P4: ("#5dade2", "#5dade2"),
    Role.MAP_COMMUNE_EDGE: ("#55616e", "#8a949e"),
    Role.MAP_COMMUNE_FILL: ("#2c3540", "#b7bfc7"),
    Role.MAP_OUTLINE: ("#10151a", "#10151a"),
    Role.MAP_MARK: ("#ffffff", "#ffffff"),
    Role.MAP_SELECTED: ("#ffffff", "#10151a"),  # the brightest or the darkest: seen first
    Role.MAP_UNIT_AVAILABLE: ("#2ecc71", "#2ecc71"),
    Role.MAP_UNIT_EN_ROUTE: ("#f39c12", "#f39c12"),
    Role.MAP_UNIT_ON_SCENE: ("#3498db", "#3498db"),
    Role.MAP_TREATING: ("#e5e8e8", "#3d4650"),
    Role.MAP_TREATED: ("#1e8449", "#1e8449"),
    Role.MAP_UNTREATED: ("#c0392b", "#c0392b"),
    Role.MAP_LIGHT: ("#c9a227", "#8a6d0b"),
    Role.MAP_LIGHT_OFF: ("#4d5660", "#6f767d"),
    Role.MAP_SIGNAL: ("#48c9b0", "#17806d"),
    Role.MAP_CAMERA: ("#85c1e9", "#2f6f9f"),
    Role.MAP_BOLLARD: ("#bb8fce", "#7d4f94"),
    Role.MAP_FAULT: ("#ff4d3a", "#d62c1a"),
    Role.MAP_SILENT: ("#9aa3ab", "#5f6870"),
    Role.MAP_BACKGROUND: ("#1b2026", "#d5d9dd"),
    Role.MAP_TEXT: ("#dfe3e7", "#1d2227"),
    Role.MAP_COMMUNE_NAME: ("#c8d0d8", "#3d4650"),
    Role.MAP_SHADOW: ("#000000", "#ffffff"),
    Role.MAP_PANEL: ("#d914181d", "#e6f2f3f4"),
    Role.MAP_UNIT_UNAVAILABLE: ("#7f8c8d", "#7f8c8d"),
    Role.MAP_HEADING: ("#f4f6f7", "#2b3138"),
    Role.MAP_TRAIL: ("#8fb3d9", "#3f6486"),
    Role.MAP_TRAIL_PATROL: ("#7fb3ff", "#2a5caa"),
    Role.MAP_TRAIL_SNOW: ("#d6eaf8", "#4a7391"),
    Role.MAP_DUE: ("#d68910", "#a86400"),
    Role.MAP_NEVER_TREATED: ("#7f8c8d", "#5f6b6c"),
    Role.MAP_COVERAGE_GAP: ("#ff4d3a", "#d62c1a"),
    Role.MAP_GAP_LABEL: ("#7b241c", "#7b241c"),
    Role.MAP_PLAN_USUAL: ("#8c10151a", "#b310151a"),
    Role.MAP_PLAN_UNUSUAL: ("#1f4e79", "#1f4e79"),
    Role.VIDEO_MASK_OUTLINE: ("#ffbf00", "#ffbf00"),
    Role.VIDEO_TEXT: ("#ebebeb", "#ebebeb"),
    Role.VIDEO_BAND: ("#282828", "#282828"),
}


def theme_in_effect(palette: QPalette | None = None) -> str:
    """``"light"`` or ``"dark"``: what the application's (or this) palette's window is."""
    palette = palette if palette is not None else QGuiApplication.palette()
    return "light" if palette.color(QPalette.ColorRole.Window).lightness() > 128 else "dark"


def hex_of(role: Role, theme: str | None = None) -> str:
    """``#rrggbb`` (``#aarrggbb`` for a tint) of a role, in ``theme`` or the one in effect."""
    dark, light = _VALUES[role]
    return light if (theme or theme_in_effect()) == "light" else dark


def map_roles(theme: str | None = None) -> dict[str, str]:
    """The map page's colours by the name its script knows them by (``"map-fault"``).

    A tint (``#aarrggbb``, Qt's order) becomes CSS's ``rgba()``.
    """
    theme = theme or theme_in_effect()
    return {
        role.value.replace("_", "-"): _css_colour(hex_of(role, theme))
        for role in Role
        if role.value.startswith("map_")
    }


def css_var(role: Role) -> str:
    """How the map page names a role's colour: ``var(--vigie-map-fault)``."""
    return f"var(--vigie-{role.value.replace('_', '-')})"


def map_css_variables(theme: str | None = None) -> str:
    """The map page's colours as CSS custom properties (``--vigie-map-fault: #ff4d3a;``).

    The page's style sheet and script name a role (``var(--vigie-map-fault)``) and never a
    colour; the panel sends ``map_roles`` again when the theme changes.
    """
    lines = [f"  --vigie-{name}: {value};" for name, value in map_roles(theme).items()]
    return ":root {\n" + "\n".join(lines) + "\n}"


def _css_colour(value: str) -> str:
    if len(value) == 9:  # #aarrggbb
        alpha, red, green, blue = (int(value[i : i + 2], 16) for i in (1, 3, 5, 7))
        return f"rgba({red}, {green}, {blue}, {alpha / 255:.2f})"
    return value


_brushes: dict[tuple[Role, str], QBrush] = {}


def colour(role: Role, theme: str | None = None) -> QColor:
    return QColor(hex_of(role, theme))


def brush(role: Role) -> QBrush:
    """A brush for a model's ``ForegroundRole``/``BackgroundRole``, in the theme in effect.

    Built once per theme: views ask for it for every cell they paint.
    """
    key = (role, theme_in_effect())
    found = _brushes.get(key)
    if found is None:
        found = _brushes[key] = QBrush(colour(*key))
    return found


class ThemedColours(Mapping[Key, QColor]):
    """A table of roles read as colours of the theme in effect (``SLA_COLOURS[state]``)."""

    def __init__(self, roles: Mapping[Key, Role]) -> None:
        self.roles = dict(roles)

    def __getitem__(self, key: Key) -> QColor:
        return colour(self.roles[key])

    def __iter__(self) -> Iterator[Key]:
        return iter(self.roles)

    def __len__(self) -> int:
        return len(self.roles)


class _Restyler(QObject):
    """Keeps its widget's style sheet in the theme in effect: rebuilt when the palette changes."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.template = ""
        self.roles: dict[str, Role] = {}

    def sheet(self) -> str:
        theme = theme_in_effect()
        return self.template.format(**{k: hex_of(r, theme) for k, r in self.roles.items()})

    def apply(self, widget: QWidget) -> None:
        sheet = self.sheet()
        if widget.styleSheet() != sheet:  # setting it sends PaletteChange: only when it differs
            widget.setStyleSheet(sheet)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        changes = (QEvent.Type.ApplicationPaletteChange, QEvent.Type.PaletteChange)
        if event.type() in changes and self.template and isinstance(watched, QWidget):
            self.apply(watched)
        return False


def style_role(widget: QWidget, template: str, **roles: Role) -> None:
    """Style ``widget`` with ``template``, its ``{names}`` filled with these roles' colours.

    ``style_role(label, "QLabel {{ color: {fg}; }}", fg=Role.ALARM)``; an empty template
    clears the style. The colours follow the theme when it changes.
    """
    restyler = widget.findChild(_Restyler)
    if restyler is None:
        restyler = _Restyler(widget)
        widget.installEventFilter(restyler)
    restyler.template, restyler.roles = template, dict(roles)
    restyler.apply(widget)


def style_error(label: QWidget) -> None:
    """The problem label's look, the same in every panel and dialog: bold, in the error red."""
    style_role(label, "QLabel {{ color: {fg}; font-weight: bold; }}", fg=Role.ERROR_TEXT)


def style_text(label: QWidget, role: Role, *, bold: bool = False) -> None:
    """Text in a role's colour (``bold`` for what must be read first)."""
    weight = " font-weight: bold;" if bold else ""
    style_role(label, "QLabel {{ color: {fg};" + weight + " }}", fg=role)


def style_plain(label: QWidget) -> None:
    """Back to the theme's own text colour."""
    style_role(label, "")


def style_banner(label: QWidget, background: Role) -> None:
    """A bold banner on a role's background (a P1 waiting, coverage lost)."""
    style_role(
        label,
        "QLabel {{ background: {bg}; color: {fg}; font-weight: bold; padding: 4px; }}",
        bg=background,
        fg=Role.BANNER_TEXT,
    )
