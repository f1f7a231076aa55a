"""The Energy panel: what the street lights used, night by night, against full power.

Over the last nights (30 by default) it shows, for all communes or the one chosen: one bar per
night, the kWh used inside the kWh the same lights would have used at full power for the same
hours of night; the window's totals and what was saved, in kWh, in euros at the city's tariff and
in CO₂ at its factor; the saving the city's lighting policy would make over one night as it is
written, before it is applied; and a table of every commune's figures, by name.

The console gives it plain values (``show_energy``): the recorded nights (``EnergyNight``), the
tariff, the policy's projection. It never reads the database and starts no thread; it only asks
to be read again (``sig_refresh_requested``) or for the policy to be applied
(``sig_apply_requested``: the console previews it and asks for the reason), a button disabled,
saying why, for an operator who may not command groups (``refuse``). Everything it writes goes
through Qt's translation; numbers and dates are written as the operator's locale and the room
write them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QItemSelectionModel,
    QLocale,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from services.domain.energy import EnergyNight, Tariff
from services.domain.room_time import in_room
from widgets.energy import figures
from widgets.energy.chart import NightBars, day_text
from widgets.energy.figures import PolicyNight, Summary
from widgets.energy.model import (
    SORT_ROLE,
    Column,
    CommuneEnergyModel,
    kwh_text,
    number_text,
    share_text,
)
from widgets.flow_layout import FlowLayout
from widgets.palette import Role, style_error, style_text
from widgets.plain_text import plain_label
from widgets.refusal import set_permitted
from widgets.tables import set_starting_widths

#: The nights the panel shows by default.
NIGHTS = 30
#: Below this many euros, cents are worth writing.
CENTS_BELOW = 100


class _Figure(QWidget):
    """A caption above its value, and a note under it (the tariff the euros are counted at)."""

    def __init__(self, caption: str, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.caption = plain_label(caption)
        style_text(self.caption, Role.DISABLED_TEXT)
        self.value = plain_label("—")
        self.value.setObjectName(f"{name}_value")
        font = QFont(self.value.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.35)
        self.value.setFont(font)
        self.value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note = plain_label()
        style_text(self.note, Role.DISABLED_TEXT)
        # every figure as tall, noted or not: their values stay on one line across the row
        self.note.setMinimumHeight(self.note.fontMetrics().height())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 18, 0)
        layout.setSpacing(0)
        layout.addWidget(self.caption)
        layout.addWidget(self.value)
        layout.addWidget(self.note)

    def show(self, value: str, note: str = "") -> None:  # type: ignore[override]
        self.value.setText(value)
        self.note.setText(note)


class EnergyPanel(QWidget):
    sig_refresh_requested = Signal()
    """The operator asks for the nights to be read again."""
    sig_apply_requested = Signal()
    """The operator asks to preview, then apply, the city's lighting policy."""

    def __init__(self, commune_names: Mapping[str, str], parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("energy_panel")
        self._names = dict(commune_names)
        self._nights: list[EnergyNight] = []
        self._first: date | None = None
        self._last: date | None = None
        self._in_progress: date | None = None
        self.tariff: Tariff | None = None
        self.policy: PolicyNight | None = None

        self.commune_choice = QComboBox()
        self.commune_choice.addItem(self.tr("All communes"), None)
        for insee, name in sorted(self._names.items(), key=lambda item: item[1]):
            self.commune_choice.addItem(name, insee)
        self.commune_choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        caption = plain_label(self.tr("Commune"))
        caption.setBuddy(self.commune_choice)
        self.refresh = QPushButton(self.tr("Read again"))
        self.refresh.clicked.connect(self.sig_refresh_requested)
        self.read_at = plain_label()
        self.read_at.setObjectName("energy_read_at")
        style_text(self.read_at, Role.DISABLED_TEXT)
        controls = QHBoxLayout()
        controls.addWidget(caption)
        controls.addWidget(self.commune_choice)
        controls.addStretch(1)
        controls.addWidget(self.read_at)
        controls.addWidget(self.refresh)

        self.heading = plain_label()
        self.heading.setObjectName("energy_heading")
        self.heading.setWordWrap(True)
        heading_font = QFont(self.heading.font())
        heading_font.setBold(True)
        self.heading.setFont(heading_font)
        self.used = _Figure(self.tr("Used"), "energy_used")
        self.baseline = _Figure(self.tr("At full power, same hours"), "energy_baseline")
        self.saved = _Figure(self.tr("Saved"), "energy_saved")
        self.euros = _Figure(self.tr("Saved, in euros"), "energy_euros")
        self.co2 = _Figure(self.tr("Saved, in CO₂"), "energy_co2")
        self.figure_row = FlowLayout(spacing=4)
        for figure in (self.used, self.baseline, self.saved, self.euros, self.co2):
            self.figure_row.add_widget(figure)
        self.policy_line = plain_label()
        self.policy_line.setObjectName("energy_policy")
        self.policy_line.setWordWrap(True)
        self.apply_button = QPushButton(self.tr("Apply the policy…"))
        self.apply_button.setObjectName("energy_apply")
        self.refusal = ""  # why this operator may not apply the policy, if they may not
        self.apply_button.setToolTip(
            self.tr("Preview what applying the lighting policy sends to every group, then apply")
        )
        self.apply_button.clicked.connect(self.sig_apply_requested)
        policy_row = QHBoxLayout()
        policy_row.addWidget(self.policy_line, 1)
        policy_row.addWidget(self.apply_button)
        self.problem = plain_label()
        self.problem.setObjectName("energy_problem")
        self.problem.setWordWrap(True)
        style_error(self.problem)
        self.problem.hide()
        self.readout = plain_label(self.tr("Point at a night to read its figures."))
        self.readout.setObjectName("energy_readout")
        self.readout.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        self.chart = NightBars()
        self.chart.setMinimumHeight(170)
        self.chart.sig_hovered.connect(self._on_hovered)
        self.model = CommuneEnergyModel(self._names, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setObjectName("energy_table")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Column.COMMUNE, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        set_starting_widths(header, {Column.COMMUNE: 180, **{c: 80 for c in list(Column)[1:]}})
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._row_chosen())
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.chart)
        split.addWidget(self.table)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(controls)
        layout.addWidget(self.heading)
        layout.addLayout(self.figure_row)
        layout.addLayout(policy_row)
        layout.addWidget(self.problem)
        layout.addWidget(self.readout)
        layout.addWidget(split, 1)
        self.commune_choice.currentIndexChanged.connect(lambda _i: self._commune_chosen())
        self._redraw()

    # --- public ---------------------------------------------------------------------------------
    @property
    def commune(self) -> str | None:
        """The commune chosen (INSEE code), or None for all of them."""
        return self.commune_choice.currentData()

    def choose_commune(self, insee: str | None) -> None:
        index = self.commune_choice.findData(insee)
        if index >= 0:
            self.commune_choice.setCurrentIndex(index)

    def refuse(self, refusal: str) -> None:
        """The operator may not command groups: they read the policy; the button says why not."""
        self.refusal = refusal
        set_permitted(self.apply_button, True, refusal)

    def show_reading(self) -> None:
        """The nights are being read: said, and the button waits."""
        self.refresh.setEnabled(False)
        self.read_at.setText(self.tr("Reading…"))

    def show_problem(self, text: str) -> None:
        """What went wrong, in the operator's words; empty when all is well."""
        self.refresh.setEnabled(True)
        self.problem.setText(text)
        self.problem.setVisible(bool(text))
        if text and self._first is None:
            self.read_at.setText("")

    def show_energy(
        self,
        nights: Sequence[EnergyNight],
        *,
        first: date,
        last: date,
        tariff: Tariff | None,
        policy: PolicyNight | None,
        in_progress: date | None = None,
        read_at: datetime | None = None,
    ) -> None:
        """The recorded nights from ``first`` to ``last``, with the tariff and the policy's night.

        ``tariff`` or ``policy`` None: the city's policy file could not be read (the problem
        says why); the kWh are shown all the same.
        """
        self._nights = figures.in_window(nights, first, last)
        self._first, self._last, self._in_progress = first, last, in_progress
        self.tariff, self.policy = tariff, policy
        self.refresh.setEnabled(True)
        when = in_room(read_at).strftime("%H:%M") if read_at is not None else ""
        self.read_at.setText(self.tr("Read at %1").replace("%1", when) if when else "")
        self.model.replace(figures.communes(self._nights, policy))
        self._redraw()

    def figures_of(self, commune: str | None) -> Summary:
        """The headline figures of one commune, or of all (what the panel shows for them)."""
        return figures.summary(self._nights, commune, self.tariff)

    # --- drawing --------------------------------------------------------------------------------
    def _commune_chosen(self) -> None:
        self._select_row(self.commune)
        self._redraw()

    def _row_chosen(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            insee = self.model.item(self.proxy.mapToSource(rows[0]).row()).commune
            if insee != self.commune:
                self.choose_commune(insee)

    def _select_row(self, insee: str | None) -> None:
        selection = self.table.selectionModel()
        row = self.model.row_of(insee) if insee is not None else None
        if row is None:
            selection.clearSelection()
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        selection.select(index, flags)
        self.table.scrollTo(index)

    def _redraw(self) -> None:
        commune = self.commune
        where = self._names.get(commune, commune) if commune else self.tr("all communes")
        if self._first is None or self._last is None:
            self.heading.setText(self.tr("Street lighting's energy, night by night"))
            for figure in (self.used, self.baseline, self.saved, self.euros, self.co2):
                figure.show("—")
            self.policy_line.setText("")
            return
        count = (self._last - self._first).days + 1
        self.heading.setText(
            self.tr("Last %1 nights, %2 to %3, %4")
            .replace("%1", str(count))
            .replace("%2", day_text(self._first))
            .replace("%3", day_text(self._last))
            .replace("%4", where)
        )
        self._show_figures(self.figures_of(commune))
        self._show_policy(commune)
        self.chart.show_series(
            figures.series(self._nights, commune, self._first, self._last), self._in_progress
        )

    def _show_figures(self, summary: Summary) -> None:
        if summary.nights == 0:
            for figure in (self.used, self.baseline, self.saved, self.euros, self.co2):
                figure.show("—")
            self.used.show("—", self.tr("Nothing recorded in these nights yet"))
            return
        sums = summary.totals
        nights = self.tr("over %1 night(s)").replace("%1", str(summary.nights))
        self.used.show(self._kwh(sums.kwh), nights)
        self.baseline.show(self._kwh(sums.baseline_kwh))
        self.saved.show(self._kwh(sums.saving_kwh), share_text(sums.saving_share))
        saving, tariff = summary.saving, self.tariff
        if saving is None or tariff is None:
            self.euros.show("—", self.tr("no tariff: the policy file is unreadable"))
            self.co2.show("—")
            return
        self.euros.show(
            euros_text(saving.euros),
            self.tr("at %1 €/kWh").replace("%1", _factor(tariff.eur_per_kwh)),
        )
        self.co2.show(
            co2_text(saving.co2_kg),
            self.tr("at %1 kg CO₂/kWh").replace("%1", _factor(tariff.co2_kg_per_kwh)),
        )

    def _kwh(self, value: float) -> str:
        return self.tr("%1 kWh").replace("%1", kwh_text(value))

    def _show_policy(self, commune: str | None) -> None:
        policy = self.policy
        if policy is None:
            self.policy_line.setText(self.tr("Policy as written: not projected"))
            return
        lights, projected, baseline = policy.of(commune)
        if lights == 0 or baseline <= 0:
            self.policy_line.setText(
                self.tr("Policy as written: no street light of a group here to project")
            )
            return
        saving = baseline - projected
        text = (
            self.tr(
                "Policy as written, night of %1: %2 kWh a night against %3 at full power"
                " for %4 lights, saving %5 kWh (%6)"
            )
            .replace("%1", day_text(policy.night))
            .replace("%2", kwh_text(projected))
            .replace("%3", kwh_text(baseline))
            .replace("%4", QLocale().toString(lights))
            .replace("%5", kwh_text(saving))
            .replace("%6", share_text(saving / baseline))
        )
        if self.tariff is not None:
            euros = self.tariff.saving(saving).euros
            text += self.tr(", %1 a night").replace("%1", euros_text(euros))
        self.policy_line.setText(text)

    def _on_hovered(self, text: str) -> None:
        self.readout.setText(text or self.tr("Point at a night to read its figures."))


def euros_text(euros: float) -> str:
    """``1 234 €``; cents below a hundred euros."""
    decimals = 2 if abs(euros) < CENTS_BELOW else 0
    return QCoreApplication.translate("energy", "%1 €").replace("%1", number_text(euros, decimals))


def co2_text(kg: float) -> str:
    """CO₂ in kg, or in tonnes from a tonne up (``7,1 t``)."""
    if abs(kg) >= 1000:
        return QCoreApplication.translate("energy", "%1 t").replace("%1", number_text(kg / 1000, 1))
    return QCoreApplication.translate("energy", "%1 kg").replace("%1", number_text(kg))


def _factor(value: float) -> str:
    """A tariff or a factor with its significant digits (``0,21``, ``0,064``)."""
    return QLocale().toString(float(value), "g", 4)
