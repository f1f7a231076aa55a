"""The city's modes on every console: the snow plan's level and the traffic mode in force.

Each shows its level or mode (the snow level in a colour that grows with it, and its name beside
the colour), its state, who switched it, when and why; a coordinator picks a new one and asks for
the preview, or rolls the last switch back. The console owns the switching; this panel only shows
and asks.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from services.domain.modes import ModeRecord
from services.domain.room_time import in_room
from services.domain.snow import SnowSituation
from widgets.labels import (
    MODE_STATE,
    ROAD_STATE,
    SNOW_LEVEL,
    TRAFFIC_MODE,
    age_text,
    label,
    mode_value_label,
)
from widgets.palette import Role, style_error, style_plain, style_role, style_text
from widgets.plain_text import plain_label
from widgets.refusal import set_permitted

#: The snow level's badge: grey at watch, then yellow, orange, red (with the name beside it).
SNOW_COLOURS = {
    "0": Role.MODE_NORMAL,
    "1": Role.MODE_ALERT,
    "2": Role.MODE_INTERVENTION,
    "3": Role.MODE_CRISIS,
}
TRAFFIC_COLOURS = {"normal": Role.MODE_NORMAL, "incident": Role.MODE_CRISIS, "snow": Role.MODE_SNOW}


class ModeBox(QGroupBox):
    """One kind of mode: what is in force, and the controls to change it."""

    def __init__(self, kind: str, title: str, values: Mapping[str, str], parent: Any = None):
        super().__init__(title, parent)
        self.kind = kind
        self.badge = plain_label("—")
        self.badge.setObjectName(f"{kind}_badge")
        self.badge.setMinimumWidth(230)  # "2 intervention" whole, in the badge's large type
        self.details = plain_label()
        self.details.setWordWrap(True)
        self.choice = QComboBox()
        for value in values:
            self.choice.addItem(label(values, value), value)
        self.switch_button = QPushButton(self.tr("Preview the switch…"))
        self.rollback_button = QPushButton(self.tr("Roll back…"))
        self.rollback_button.setEnabled(False)
        self.refusal = ""  # why this operator may not switch this kind, if they may not
        self._previous: str | None = None
        self._switching = False
        grid = QGridLayout(self)
        grid.addWidget(self.badge, 0, 0)
        grid.addWidget(self.details, 0, 1, 1, 3)
        grid.addWidget(self.choice, 1, 0)
        grid.addWidget(self.switch_button, 1, 1)
        grid.addWidget(self.rollback_button, 1, 2)
        grid.setColumnStretch(3, 1)

    def show_record(self, record: ModeRecord) -> None:
        value = record.value
        switching = record.switching_by
        colours = SNOW_COLOURS if self.kind == "snow" else TRAFFIC_COLOURS
        self.badge.setText(mode_value_label(self.kind, value))
        style_role(
            self.badge,
            "QLabel {{ background: {bg}; color: {fg}; font-weight: bold;"
            " font-size: 15pt; padding: 6px 10px; border-radius: 4px; }}",
            bg=colours.get(value or "", Role.MODE_OTHER),
            fg=Role.BANNER_TEXT,
        )
        if switching:
            text = (
                self.tr("%1 is switching to %2…")
                .replace("%1", str(switching))
                .replace("%2", mode_value_label(self.kind, record.target))
            )
        else:
            text = (
                self.tr("%1 since %2 by %3")
                .replace("%1", label(MODE_STATE, record.state))
                .replace("%2", in_room(record.since).strftime("%d/%m %H:%M"))
                .replace("%3", record.by)
            )
            if record.reason:
                text += "\n" + self.tr("Reason: %1").replace("%1", record.reason)
            if record.motive:
                text += " — " + record.motive
        if record.bus_priority is not None:
            on = record.bus_priority
            text += "\n" + (self.tr("Bus priority: on") if on else self.tr("Bus priority: off"))
        self.details.setText(text)
        index = self.choice.findData(value)
        if index >= 0 and not switching:
            self.choice.setCurrentIndex(index)
        self._previous, self._switching = record.previous, bool(switching)
        self._enable()

    def refuse(self, refusal: str) -> None:
        """The operator may not switch this kind of mode: they still see it."""
        self.refusal = refusal
        self._enable()

    def _enable(self) -> None:
        previous = self._previous
        set_permitted(self.switch_button, True, self.refusal)
        set_permitted(self.choice, True, self.refusal)
        set_permitted(
            self.rollback_button,
            previous is not None and not self._switching,
            self.refusal,
            self.tr("Back to %1").replace("%1", mode_value_label(self.kind, previous))
            if previous is not None
            else "",
        )


class ModesPanel(QWidget):
    sig_preview_requested = Signal(str, str)
    """(snow or traffic, the level or mode chosen)."""
    sig_rollback_requested = Signal(str)
    """(snow or traffic): back to the level or mode before the last switch."""

    def __init__(self, commune_names: Mapping[str, str], parent: Any = None) -> None:
        super().__init__(parent)
        self.snow = ModeBox("snow", self.tr("Snow plan"), SNOW_LEVEL)
        self.operations = SnowOperationsBox(commune_names)
        self.traffic = ModeBox("traffic", self.tr("Traffic mode"), TRAFFIC_MODE)
        self.boxes = {"snow": self.snow, "traffic": self.traffic}
        for kind, box in self.boxes.items():
            box.switch_button.clicked.connect(
                lambda _=False, k=kind, b=box: self.sig_preview_requested.emit(
                    k, b.choice.currentData()
                )
            )
            box.rollback_button.clicked.connect(
                lambda _=False, k=kind: self.sig_rollback_requested.emit(k)
            )
        self.problem = plain_label()
        self.problem.setWordWrap(True)
        style_error(self.problem)
        self.problem.hide()
        self.bus_requests = plain_label()
        self.bus_requests.setObjectName("bus_requests")
        self.traffic.layout().addWidget(self.bus_requests, 2, 0, 1, 4)
        content = QWidget()
        inner = QVBoxLayout(content)  # one above the other: a dock beside the queue is narrow
        inner.addWidget(self.snow)
        inner.addWidget(self.traffic)
        inner.addWidget(self.operations)
        inner.addWidget(self.problem)
        inner.addStretch(1)
        # scrolled rather than imposing its width on the window when its dock is narrow
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    def show_record(self, record: ModeRecord) -> None:
        """A mode as the database records it."""
        if record.kind in self.boxes:
            self.boxes[record.kind].show_record(record)

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    def show_bus_requests(self, asked: int, served: int, in_force: bool | None = None) -> None:
        """Buses' priority requests in the last hour and how many the signals served.

        With priority off, it says so first: the hour's counts are then history.
        """
        if in_force is False:
            text = self.tr("Bus priority is off (in the last hour: %1 requests, %2 served)")
        else:
            text = self.tr("Bus priority requests in the last hour: %1, served: %2")
        self.bus_requests.setText(text.replace("%1", str(asked)).replace("%2", str(served)))

    def show_snow(self, snow: SnowSituation) -> None:
        self.operations.show_situation(snow)


class SnowOperationsBox(QGroupBox):
    """Ploughs and spreaders at work, the principal network's gaps, freeze risk, salt left."""

    def __init__(self, commune_names: Mapping[str, str], parent: Any = None) -> None:
        super().__init__(self.tr("Snow operations"), parent)
        self.names = dict(commune_names)
        self.vehicles = plain_label("—")
        self.network = plain_label("—")
        self.freeze = plain_label("—")
        self.salt = plain_label("—")
        for label_ in (self.vehicles, self.network, self.freeze, self.salt):
            label_.setWordWrap(True)
        grid = QGridLayout(self)
        for row, (title, value) in enumerate(
            (
                (self.tr("Vehicles"), self.vehicles),
                (self.tr("Principal network"), self.network),
                (self.tr("Freeze risk"), self.freeze),
                (self.tr("Salt and brine"), self.salt),
            )
        ):
            heading = plain_label(title)
            bold = heading.font()
            bold.setBold(True)
            heading.setFont(bold)
            grid.addWidget(heading, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(value, row, 1)
        grid.setColumnStretch(1, 1)

    def show_situation(self, snow: SnowSituation) -> None:
        self.vehicles.setText(
            self.tr("%1 treating (blade down or spreading) of %2 heard from")
            .replace("%1", str(snow.treating))
            .replace("%2", str(snow.heard))
        )
        if snow.gaps:
            late = ", ".join(
                f"{g.segment.name} {age_text(g.untreated_for.total_seconds())}" for g in snow.gaps
            )
            self.network.setText(
                self.tr("⚠ %1 of %2 segments untreated past their target: %3")
                .replace("%1", str(len(snow.gaps)))
                .replace("%2", str(snow.principal))
                .replace("%3", late)
            )
            style_text(self.network, Role.ALARM)
        else:
            self.network.setText(
                self.tr("All %1 segments within their target").replace("%1", str(snow.principal))
            )
            style_plain(self.network)
        risky = snow.at_risk
        if risky:
            self.freeze.setText(
                "⚠ "
                + "; ".join(
                    f"{self._place(s.commune, s.id)} {_celsius(s.road_temperature)} °C "
                    f"{label(ROAD_STATE, s.road_state)}"
                    for s in risky
                )
            )
            style_text(self.freeze, Role.ALARM, bold=True)
        else:
            self.freeze.setText(
                self.tr("None among %1 stations").replace("%1", str(len(snow.stations)))
            )
            style_plain(self.freeze)
        lines = []
        for depot, salt_days, brine_days in snow.depots:
            lines.append(
                self.tr("%1: %2 t of salt (%3), %4 m³ of brine (%5)")
                .replace("%1", self._place(depot.commune, depot.id))
                .replace("%2", _amount(depot.salt_tonnes))
                .replace("%3", self._days(salt_days))
                .replace("%4", _amount(depot.brine_m3))
                .replace("%5", self._days(brine_days))
            )
        self.salt.setText("\n".join(lines) or "—")

    def _days(self, days: float | None) -> str:
        """Days left at the rate of use (unknown without half an hour of use to measure)."""
        if days is None:
            return self.tr("no rate of use yet")
        return self.tr("%1 days left").replace("%1", f"{days:.1f}")

    def _place(self, commune: str | None, ident: str) -> str:
        short = ident.rsplit(":", 1)[-1]
        return f"{self.names.get(commune or '', commune or '?')} ({short})"


def _amount(value: float | None) -> str:
    return "?" if value is None else f"{value:.0f}"


def _celsius(value: float) -> str:
    """Signed to a tenth (``+1.5``, ``-0.8``); a road at ``0.0`` reads neither frozen nor thawed.

    ``-0.04`` rounds to a negative zero, which Python writes ``-0.0``.
    """
    rounded = round(value, 1)
    return "0.0" if rounded == 0 else f"{rounded:+.1f}"
