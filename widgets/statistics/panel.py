"""The Statistics panel: how the room did over a period, for the whole city or one commune.

A period (today, yesterday, this week, this month, last month, or two dates) and a commune (all,
or one: a single click in the list on the left) choose the figures; the console reads them off
the GUI thread (``sig_figures_wanted``) and hands them back as plain values (``show_figures``).
Charts: the SLA kept per priority (in time, and late: resolved late or still open past the
target, in the alarm's red with its words), incidents by priority, by category, by commune (for
the whole city), the hotline's calls by category; the time to acknowledge and to resolve,
median and 90th percentile, as words, overall and per priority.

A click on a bar asks for those incidents in the queue (``sig_selection``, with the words that
say what they are: "P2 in Chenôve, this month"). So "how did we do on P2 incidents in Chenôve
this month" is two clicks: Chenôve in the list (this month is the period shown first), then the
SLA chart's P2 bar.

It never reads the database and starts no thread. Names, not codes: communes by name, categories
in the operator's words; dates in the room's calendar, written as the operator's language
writes them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime

from PySide6.QtCore import (
    QCoreApplication,
    QDate,
    QEvent,
    QLocale,
    QObject,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from services.domain.figures import PRIORITIES, Figures, Period, Selection, Spread
from services.domain.room_time import clock, in_room, room_zone
from widgets.charts.bars import Bar, BarChart, value_text
from widgets.flow_layout import FlowLayout
from widgets.labels import CATEGORY, label
from widgets.palette import Role, style_error, style_plain, style_role, style_text
from widgets.plain_text import plain_label
from widgets.statistics.periods import CHOICES, last_day, period_of

#: The period shown first: "how did we do this month" is the question a panel of figures answers.
FIRST_CHOICE = "this_month"
#: A chart's height: its title and margins, then so many pixels a row.
CHART_TOP_PX = 44
ROW_PX = 26
#: Below this width, the charts go one under the other.
TWO_COLUMNS_PX = 760
#: Two dates chosen by hand are read this long after the last change (not at every keystroke).
CUSTOM_PAUSE_MS = 500


def duration_text(seconds: float | None) -> str:
    """``45 s``, ``12 min``, ``3 h 05``, ``2 d 04 h``; ``—`` when there is nothing to measure."""
    if seconds is None:
        return "—"
    whole = round(seconds)
    if whole < 60:  # noqa: PLR2004
        return QCoreApplication.translate("StatisticsPanel", "%1 s").replace("%1", str(whole))
    minutes = round(whole / 60)
    if minutes < 60:  # noqa: PLR2004
        return QCoreApplication.translate("StatisticsPanel", "%1 min").replace("%1", str(minutes))
    hours, minutes = divmod(minutes, 60)
    if hours < 24:  # noqa: PLR2004
        return (
            QCoreApplication.translate("StatisticsPanel", "%1 h %2")
            .replace("%1", str(hours))
            .replace("%2", f"{minutes:02d}")
        )
    days, hours = divmod(hours, 24)
    return (
        QCoreApplication.translate("StatisticsPanel", "%1 d %2 h")
        .replace("%1", str(days))
        .replace("%2", f"{hours:02d}")
    )


def spread_text(spread: Spread, locale: QLocale | None = None) -> str:
    """``median 4 min · 90 % within 12 min, over 37 incidents``."""
    if spread.count == 0:
        return QCoreApplication.translate("StatisticsPanel", "no incident yet")
    return (
        QCoreApplication.translate(
            "StatisticsPanel", "median %1 · 90 % within %2, over %3 incidents"
        )
        .replace("%1", duration_text(spread.median_s))
        .replace("%2", duration_text(spread.p90_s))
        .replace("%3", value_text(spread.count, locale))
    )


def date_format(locale: QLocale) -> str:
    """The language's short date, its year in full (``dd/MM/yyyy``, ``M/d/yyyy``)."""
    written = locale.dateFormat(QLocale.FormatType.ShortFormat)
    return written if "yyyy" in written else written.replace("yy", "yyyy")


def day_text(day: date, locale: QLocale) -> str:
    """A day as the operator's language writes it (``05/12/2026``, ``12/5/2026``)."""
    return locale.toString(QDate(day.year, day.month, day.day), date_format(locale))


def share_text(share: float | None) -> str:
    """``83 %`` of a share from 0 to 1; ``—`` when there is none (nothing to divide)."""
    return "—" if share is None else f"{round(100 * share)} %"


class StatisticsPanel(QWidget):
    sig_figures_wanted = Signal(object, object)
    """Read the figures of (``Period``, commune's INSEE code or ``None`` for the whole city)."""
    sig_selection = Signal(object, str)
    """A bar was clicked: (``Selection``, the words saying which incidents these are)."""

    def __init__(
        self,
        commune_names: Mapping[str, str],
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] | None = None,
        locale: QLocale | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("statistics_panel")
        # The operator's language's conventions (the console passes its translator's): dates
        # in the panel read as the rest of the console writes them.
        self._locale = locale or QLocale()
        self._names = dict(commune_names)
        self._today = today or (lambda: in_room(datetime.now(UTC)).date())
        self.figures: Figures | None = None
        """The figures drawn: a click on a bar means their period and commune."""
        self.figures_choice = FIRST_CHOICE
        """The period choice the figures drawn were read for ("this month", "custom"...)."""
        self.asked: tuple[Period, str | None] | None = None
        self._asked_choice = FIRST_CHOICE

        # --- the period ---------------------------------------------------------------------
        self.period_buttons: dict[str, QPushButton] = {}
        self._period_group = QButtonGroup(self)
        self._period_group.setExclusive(True)
        titles = {
            "today": self.tr("Today"),
            "yesterday": self.tr("Yesterday"),
            "this_week": self.tr("This week"),
            "this_month": self.tr("This month"),
            "last_month": self.tr("Last month"),
            "custom": self.tr("Dates…"),
        }
        periods = FlowLayout(spacing=4)
        for choice in CHOICES:
            button = QPushButton(titles[choice])
            button.setCheckable(True)
            button.setObjectName(f"statistics_{choice}")
            style_role(  # the period in force reads at a glance, not only as a pressed look
                button,
                "QPushButton:checked {{ background: {bg}; font-weight: bold; }}",
                bg=Role.HIGHLIGHT,
            )
            self._period_group.addButton(button)
            self.period_buttons[choice] = button
            button.clicked.connect(lambda _checked=False, c=choice: self.choose_period(c))
            periods.add_widget(button)
        self.period_buttons[FIRST_CHOICE].setChecked(True)
        self.choice = FIRST_CHOICE
        # Their days are set when "Dates…" is chosen (``_default_days``): a console runs for days.
        self.first_day = QDateEdit()
        self.last_day = QDateEdit()
        self._days_chosen = False  # the operator changed a date: theirs stay
        for edit, tip in ((self.first_day, self.tr("From")), (self.last_day, self.tr("To"))):
            edit.setCalendarPopup(True)
            edit.setLocale(self._locale)
            edit.setDisplayFormat(date_format(self._locale))
            edit.setToolTip(tip)
            edit.dateChanged.connect(self._custom_changed)
            edit.setVisible(False)
            periods.add_widget(edit)
        self._custom_pause = QTimer(self)
        self._custom_pause.setSingleShot(True)
        self._custom_pause.setInterval(CUSTOM_PAUSE_MS)
        self._custom_pause.timeout.connect(self.ask)
        self.read_at = plain_label()
        self.read_at.setObjectName("statistics_read_at")
        style_text(self.read_at, Role.DISABLED_TEXT)
        self.refresh = QPushButton(self.tr("Read again"))
        self.refresh.clicked.connect(self.ask)
        periods.add_widget(self.read_at)
        periods.add_widget(self.refresh)

        # --- the commune: one click ---------------------------------------------------------
        self.communes = QListWidget()
        self.communes.setObjectName("statistics_communes")
        everywhere = QListWidgetItem(self.tr("All communes"))
        everywhere.setData(Qt.ItemDataRole.UserRole, None)
        self.communes.addItem(everywhere)
        for insee, name in sorted(self._names.items(), key=lambda item: item[1]):
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, insee)
            self.communes.addItem(item)
        self.communes.setCurrentRow(0)
        self.communes.setMaximumWidth(190)
        self.communes.currentItemChanged.connect(lambda *_: self.ask())

        # --- what was read --------------------------------------------------------------------
        self.heading = plain_label()
        self.heading.setObjectName("statistics_heading")
        self.heading.setWordWrap(True)
        bold = QFont(self.heading.font())
        bold.setBold(True)
        bold.setPointSizeF(bold.pointSizeF() * 1.15)
        self.heading.setFont(bold)
        self.problem = plain_label()
        self.problem.setObjectName("statistics_problem")
        self.problem.setWordWrap(True)
        style_error(self.problem)
        self.problem.hide()
        self.acknowledge = plain_label()
        self.acknowledge.setObjectName("statistics_acknowledge")
        self.resolve = plain_label()
        self.resolve.setObjectName("statistics_resolve")
        for text in (self.acknowledge, self.resolve):
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.priority_table = _PriorityTable(self._locale)

        self.charts = {
            "sla": BarChart(self.tr("SLA kept, by priority"), locale=self._locale),
            "priority": BarChart(self.tr("Incidents by priority"), locale=self._locale),
            "category": BarChart(self.tr("Incidents by category"), locale=self._locale),
            "commune": BarChart(self.tr("Incidents by commune"), locale=self._locale),
            "calls": BarChart(self.tr("Hotline calls by category"), locale=self._locale),
        }
        for name, chart in self.charts.items():
            chart.setObjectName(f"statistics_chart_{name}")
            chart.sig_bar_clicked.connect(self._bar_clicked)
        hint = plain_label(self.tr("Click a bar to list those incidents in the queue."))
        style_text(hint, Role.DISABLED_TEXT)

        # Two columns stacked on their own (a long list of communes leaves no hole beside it),
        # one when the dock is narrow.
        self.chart_columns = (QVBoxLayout(), QVBoxLayout())
        charts = QHBoxLayout()
        charts.setContentsMargins(0, 0, 0, 0)
        for column in self.chart_columns:
            charts.addLayout(column, 1)
        self._charts_row = charts
        self._columns = 0
        self._place_charts(2)
        times = QVBoxLayout()
        times.setSpacing(2)
        times.addWidget(self.acknowledge)
        times.addWidget(self.resolve)
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(6, 0, 0, 0)
        body_layout.addWidget(self.heading)
        body_layout.addWidget(self.problem)
        body_layout.addLayout(times)
        body_layout.addWidget(self.priority_table)
        body_layout.addWidget(hint)
        body_layout.addLayout(charts)
        body_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        # Narrow dock: the words wrap and the charts narrow, nothing hides to the right.
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        scroll.viewport().installEventFilter(self)
        self.scroll = scroll

        columns = QHBoxLayout()
        columns.setContentsMargins(0, 0, 0, 0)
        columns.addWidget(self.communes)
        columns.addWidget(scroll, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(periods)
        layout.addLayout(columns, 1)
        self.heading.setText(self.tr("Not read yet"))

    def _place_charts(self, columns: int) -> None:
        if columns == self._columns:
            return
        self._columns = columns
        for column in self.chart_columns:
            while column.count():
                column.takeAt(0)
        placed = (
            (("sla", "category"), ("priority", "commune", "calls"))
            if columns == 2  # noqa: PLR2004
            else (("sla", "priority", "category", "commune", "calls"), ())
        )
        for column, names in zip(self.chart_columns, placed, strict=True):
            for name in names:
                column.addWidget(self.charts[name])
            column.addStretch(1)
        self._charts_row.setStretch(1, 1 if columns == 2 else 0)  # noqa: PLR2004

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if watched is self.scroll.viewport() and event.type() == QEvent.Type.Resize:
            self._place_charts(2 if self.scroll.viewport().width() >= TWO_COLUMNS_PX else 1)
        return False

    # --- choosing ---------------------------------------------------------------------------------
    @property
    def commune(self) -> str | None:
        item = self.communes.currentItem()
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    def choose_commune(self, insee: str | None) -> None:
        """The commune chosen as a click in the list would (``None``: all)."""
        for row in range(self.communes.count()):
            if self.communes.item(row).data(Qt.ItemDataRole.UserRole) == insee:
                self.communes.setCurrentRow(row)
                return
        raise KeyError(insee)

    def choose_period(self, choice: str) -> None:
        if choice not in CHOICES:
            raise ValueError(choice)
        self.choice = choice
        self.period_buttons[choice].setChecked(True)
        custom = choice == "custom"
        if custom and not self._days_chosen:
            self._default_days()
        self.first_day.setVisible(custom)
        self.last_day.setVisible(custom)
        self.ask()

    def _default_days(self) -> None:
        """The last seven days up to today, today as of now (not the console's first day)."""
        today = QDate(self._today())
        for edit, day in ((self.first_day, today.addDays(-6)), (self.last_day, today)):
            edit.blockSignals(True)  # not the operator's choice: ``_days_chosen`` stays False
            edit.setDate(day)
            edit.blockSignals(False)

    def period(self) -> Period:
        """The period chosen, as of now on the room's calendar."""
        custom = (self.first_day.date().toPython(), self.last_day.date().toPython())
        return period_of(self.choice, self._today(), room_zone(), custom)

    def _custom_changed(self, *_: object) -> None:
        self._days_chosen = True
        if self.choice == "custom":
            self._custom_pause.start()

    def ask(self) -> None:
        """Ask for the figures of what is chosen now."""
        self.sig_figures_wanted.emit(*self.asking())

    def asking(self) -> tuple[Period, str | None]:
        """What is chosen now, as about to be read: only figures read for it will be drawn."""
        self.asked = (self.period(), self.commune)
        self._asked_choice = self.choice
        self.read_at.setText(self.tr("Reading…"))
        return self.asked

    # --- showing ---------------------------------------------------------------------------------
    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))
        if text:
            self.read_at.setText("")

    def show_figures(self, figures: Figures, read_at: datetime | None = None) -> bool:
        """Show figures read for what is chosen; an answer to an older choice is dropped."""
        if self.asked is not None and (figures.period, figures.commune) != self.asked:
            return False
        self.figures = figures
        self.figures_choice = self._asked_choice
        self.show_problem("")
        self.read_at.setText(
            self.tr("read at %1").replace("%1", clock(read_at or datetime.now(UTC)))
        )
        self.heading.setText(self._heading(figures))
        locale = self._locale
        self.acknowledge.setText(
            self.tr("Acknowledged: %1").replace("%1", spread_text(figures.acknowledge, locale))
        )
        self.resolve.setText(
            self.tr("Resolved: %1").replace("%1", spread_text(figures.resolve, locale))
        )
        self.priority_table.show_figures(figures)
        self._show(self.charts["sla"], self._sla_bars(figures))
        self._show(self.charts["priority"], self._priority_bars(figures))
        self._show(self.charts["category"], self._category_bars(figures.by_category, "category"))
        self._show(self.charts["commune"], self._commune_bars(figures))
        self.charts["commune"].setVisible(figures.commune is None)  # one commune: one bar
        self._show(self.charts["calls"], self._category_bars(figures.calls_by_category, "calls"))
        return True

    def _show(self, chart: BarChart, bars: Sequence[Bar]) -> None:
        rows = sum(1 for bar in bars if not bar.stacked)
        chart.setFixedHeight(CHART_TOP_PX + ROW_PX * max(rows, 3))
        chart.show_bars(bars)

    def _heading(self, figures: Figures) -> str:
        where = self._commune_name(figures.commune) if figures.commune else self.tr("All communes")
        zone = room_zone()
        first = figures.period.start.astimezone(zone).date()
        last = min(last_day(figures.period, zone), max(first, self._today()))  # not yet: not said
        days = (
            self._day_text(first)
            if first == last
            else f"{self._day_text(first)} – {self._day_text(last)}"
        )
        return (
            self.tr("%1, %2 (%3): %4 incidents, %5 hotline calls")
            .replace("%1", where)
            .replace("%2", self._period_words(self.figures_choice, figures.period))
            .replace("%3", days)
            .replace("%4", self._value(figures.incidents))
            .replace("%5", self._value(figures.calls))
        )

    def period_words(self) -> str:
        """The period chosen as a sentence says it: "this month", "from 01/12/2026 to …"."""
        return self._period_words(self.choice, self.period())

    def _period_words(self, choice: str, period: Period) -> str:
        words = {
            "today": self.tr("today"),
            "yesterday": self.tr("yesterday"),
            "this_week": self.tr("this week"),
            "this_month": self.tr("this month"),
            "last_month": self.tr("last month"),
        }
        if choice in words:
            return words[choice]
        zone = room_zone()
        return (
            self.tr("from %1 to %2")
            .replace("%1", self._day_text(period.start.astimezone(zone).date()))
            .replace("%2", self._day_text(last_day(period, zone)))
        )

    def _day_text(self, day: date) -> str:
        return day_text(day, self._locale)

    def _value(self, value: float) -> str:
        return value_text(value, self._locale)

    def _commune_name(self, insee: str) -> str:
        return self._names.get(insee, insee) if insee else self.tr("no commune")

    # --- the bars ---------------------------------------------------------------------------------
    def _sla_bars(self, figures: Figures) -> list[Bar]:
        bars = []
        for priority in PRIORITIES:
            kept = figures.sla.get(priority)
            if kept is None:
                continue
            late = kept.missed
            counted = kept.settled
            name = f"P{priority}"
            bars.append(
                Bar(
                    f"priority:{priority}",
                    name,
                    kept.within,
                    text=self.tr("%1 in time (%2)")
                    .replace("%1", self._value(kept.within))
                    .replace("%2", share_text(kept.kept_share))
                    if counted
                    else self.tr("none resolved nor late"),
                    tip=self.tr(
                        "%1: %2 resolved in time, %3 resolved late, %4 still open past their "
                        "target. Click: every %1 incident in the queue."
                    )
                    .replace("%1", name)
                    .replace("%2", self._value(kept.within))
                    .replace("%3", self._value(kept.late))
                    .replace("%4", self._value(kept.open_overdue)),
                )
            )
            bars.append(
                Bar(
                    f"sla_late:{priority}",
                    self.tr("%1 late").replace("%1", name),
                    late,
                    role=Role.ALARM if late else None,
                    text=self.tr("%1 late").replace("%1", self._value(late)) if counted else "",
                    stacked=True,
                    tip=self.tr(
                        "%1 late: %2 resolved late, %3 still open past their target. "
                        "Click: these incidents in the queue."
                    )
                    .replace("%1", name)
                    .replace("%2", self._value(kept.late))
                    .replace("%3", self._value(kept.open_overdue)),
                )
            )
        return bars

    def _priority_bars(self, figures: Figures) -> list[Bar]:
        return [Bar(f"priority:{p}", f"P{p}", figures.by_priority.get(p, 0)) for p in PRIORITIES]

    def _category_bars(self, counts: Mapping[str, int], dimension: str) -> list[Bar]:
        ordered = sorted(counts.items(), key=lambda item: (-item[1], label(CATEGORY, item[0])))
        return [Bar(f"{dimension}:{c}", label(CATEGORY, c), n) for c, n in ordered if n]

    def _commune_bars(self, figures: Figures) -> list[Bar]:
        named = [(self._commune_name(c), c, n) for c, n in figures.by_commune.items() if n]
        named.sort(key=lambda item: (-item[2], item[0]))
        return [Bar(f"commune:{c}", name, n) for name, c, n in named]

    # --- a bar clicked ----------------------------------------------------------------------------
    def _bar_clicked(self, key: str) -> None:
        if self.figures is None:  # nothing drawn yet: no bar to click
            return
        dimension, _, value = key.partition(":")
        selection = Selection(dimension, value)
        self.sig_selection.emit(selection, self.describe(selection))

    def describe(self, selection: Selection) -> str:
        """Which incidents a bar stands for: "P2 in Chenôve, this month".

        The bar's: the period and commune of the figures drawn, not of a choice still being read
        (or whose reading failed), which the charts do not show yet.
        """
        if self.figures is None:
            raise LookupError("no figures drawn")
        key = selection.key
        what = {
            "priority": lambda: f"P{key}",
            "sla_late": lambda: self.tr("P%1 late").replace("%1", key),
            "category": lambda: label(CATEGORY, key),
            "commune": lambda: self._commune_name(key),
            "calls": lambda: (
                self.tr("hotline calls: %1").replace("%1", label(CATEGORY, key))
                if key
                else self.tr("hotline calls")
            ),
        }[selection.dimension]()
        commune = self.figures.commune
        if commune and selection.dimension != "commune":
            what = (
                self.tr("%1 in %2").replace("%1", what).replace("%2", self._commune_name(commune))
            )
        period = self._period_words(self.figures_choice, self.figures.period)
        return self.tr("%1, %2").replace("%1", what).replace("%2", period)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(900, 700)


class _PriorityTable(QWidget):
    """Per priority, in words: incidents, SLA kept, time to acknowledge and to resolve.

    Only the late count is red (and says "late" in its header), never the whole line.
    """

    INCIDENTS, IN_TIME, LATE, KEPT, ACKNOWLEDGED, RESOLVED = range(1, 7)

    def __init__(self, locale: QLocale) -> None:
        super().__init__()
        self.setObjectName("statistics_priorities")
        self._locale = locale
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 4, 0, 4)
        self.grid.setHorizontalSpacing(18)
        self.grid.setVerticalSpacing(1)
        headers = (
            "",
            QCoreApplication.translate("StatisticsPanel", "Incidents"),
            QCoreApplication.translate("StatisticsPanel", "In time"),
            QCoreApplication.translate("StatisticsPanel", "Late"),
            QCoreApplication.translate("StatisticsPanel", "SLA kept"),
            QCoreApplication.translate("StatisticsPanel", "Acknowledged\nmedian · 90 %"),
            QCoreApplication.translate("StatisticsPanel", "Resolved\nmedian · 90 %"),
        )
        for column, text in enumerate(headers):
            header = plain_label(text)
            style_text(header, Role.DISABLED_TEXT)
            self.grid.addWidget(header, 0, column)
            header.setAlignment(Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignLeft)
            if column == self.IN_TIME:
                header.setToolTip(
                    QCoreApplication.translate("StatisticsPanel", "Resolved within their target")
                )
            if column == self.KEPT:  # the daily report's "Target kept": the same share
                header.setToolTip(
                    QCoreApplication.translate(
                        "StatisticsPanel",
                        "In time, out of those in time and late: an incident still open past "
                        "its target has missed it",
                    )
                )
            if column == self.LATE:
                header.setToolTip(
                    QCoreApplication.translate(
                        "StatisticsPanel", "Resolved late, or still open past their target"
                    )
                )
        self.cells: dict[tuple[int, int], QLabel] = {}
        for row, priority in enumerate(PRIORITIES, start=1):
            for column in range(len(headers)):
                cell = plain_label(f"P{priority}" if column == 0 else "")
                if column == 0:
                    style_text(cell, Role.TEXT, bold=True)
                elif column < self.ACKNOWLEDGED:
                    cell.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.grid.addWidget(cell, row, column)
                self.cells[priority, column] = cell
        self.grid.setColumnStretch(len(headers), 1)

    def show_figures(self, figures: Figures) -> None:
        for priority in PRIORITIES:
            kept = figures.sla.get(priority)
            late = kept.missed if kept else 0
            within = kept.within if kept else 0
            cells = self.cells
            cells[priority, self.INCIDENTS].setText(
                value_text(figures.by_priority.get(priority, 0), self._locale)
            )
            cells[priority, self.IN_TIME].setText(value_text(within, self._locale))
            cells[priority, self.LATE].setText(value_text(late, self._locale))
            if late:
                style_text(cells[priority, self.LATE], Role.ALARM, bold=True)
            else:
                style_plain(cells[priority, self.LATE])
            cells[priority, self.KEPT].setText(share_text(kept.kept_share if kept else None))
            for column, spreads in (
                (self.ACKNOWLEDGED, figures.acknowledge_by_priority),
                (self.RESOLVED, figures.resolve_by_priority),
            ):
                spread = spreads.get(priority)
                cells[priority, column].setText(
                    "—"
                    if spread is None or spread.count == 0
                    else f"{duration_text(spread.median_s)} · {duration_text(spread.p90_s)}"
                )
