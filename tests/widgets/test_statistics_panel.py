"""The Statistics panel: figures as charts over a period and a commune; a bar opens its incidents.

The periods are checked against the room's midnights (DST months included); the charts against
the plain ``Figures`` they are given (names, not codes); the two clicks of "how did we do on P2
incidents in Chenôve this month" are done in a running console, with mouse presses on the
commune list and on the SLA chart's P2 bar, and the queue then shows exactly the incidents a
plain SQL query in the test finds, closed ones included, until Clear takes them out again.
"""

from __future__ import annotations

import dataclasses
import threading
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QDate, QLocale, QPointF, Qt
from sqlalchemy import text

from console.app import Console
from console.desks.statistics import StatisticsReader
from services.domain.figures import (
    Figures,
    Period,
    Selection,
    SlaKept,
    Spread,
    day_period,
    month_period,
    spread,
)
from services.domain.incidents import (
    IncidentSource,
    IncidentStatus,
    Priority,
    new_incident,
    transition,
)
from services.domain.room_time import in_room, room_zone
from services.reference import communes
from services.store import incidents as incident_store
from services.store.types import utcnow
from tests.conftest import ROOM
from widgets.charts.bars import BarChart
from widgets.palette import Role, hex_of
from widgets.statistics.panel import StatisticsPanel, duration_text
from widgets.statistics.periods import last_day, period_of

NAMES = {c.insee: c.name for c in communes()}
CHENOVE = "21166"
DIJON = "21231"
PARIS = ZoneInfo("Europe/Paris")
TODAY = date(2026, 12, 6)  # a Sunday
BRITISH = QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)


def make_figures(period: Period, commune: str | None = None) -> Figures:
    none = Spread(0, None, None)
    return Figures(
        period=period,
        commune=commune,
        incidents=120,
        by_category={"road_damage": 70, "noise": 30, "graffiti": 20},
        by_commune={DIJON: 90, CHENOVE: 25, "": 5},
        by_priority={1: 2, 2: 50, 3: 40, 4: 28},
        sla={
            1: SlaKept(1, 2, 2, 0, 0),
            2: SlaKept(2, 45, 40, 5, 2),
            3: SlaKept(3, 30, 30, 0, 0),
            4: SlaKept(4, 0, 0, 0, 0),
        },
        acknowledge=spread([60, 120, 240, 600]),
        resolve=spread([3600, 7200]),
        acknowledge_by_priority={1: spread([30]), 2: spread([60, 120]), 3: none, 4: none},
        resolve_by_priority={1: none, 2: spread([3600, 5400]), 3: none, 4: none},
        calls=12,
        calls_by_category={"noise": 8, "road_damage": 4},
        modes=None,
        commands={},
        commands_by_type={},
        lights_in_fault_by_day={},
        repair=none,
        snow=None,
        camera_views=None,
    )


@pytest.fixture
def panel(qtbot):
    made = StatisticsPanel(NAMES, today=lambda: TODAY, locale=BRITISH)
    qtbot.addWidget(made)
    made.resize(1300, 900)
    made.show()
    return made


def shown(panel: StatisticsPanel, commune: str | None = None) -> StatisticsPanel:
    panel.choose_commune(commune)  # asks, as a click in the list does (when it changes)
    if panel.asked is None:
        panel.ask()
    assert panel.show_figures(make_figures(*panel.asked))
    return panel


def rows(chart: BarChart) -> dict[str, tuple[str, float]]:
    return {bar.key: (bar.label, bar.value) for bar in chart.bars}


# --- periods --------------------------------------------------------------------------------------


def test_the_periods_are_cut_at_the_rooms_midnights():
    assert period_of("today", TODAY, PARIS) == day_period(TODAY, PARIS)
    assert period_of("yesterday", TODAY, PARIS) == day_period(date(2026, 12, 5), PARIS)
    week = period_of("this_week", TODAY, PARIS)  # Monday 30 November to Sunday 6 December
    assert week.start == datetime(2026, 11, 29, 23, 0, tzinfo=UTC)
    assert week.end == datetime(2026, 12, 6, 23, 0, tzinfo=UTC)
    assert period_of("this_month", TODAY, PARIS) == month_period(2026, 12, PARIS)
    assert period_of("last_month", TODAY, PARIS) == month_period(2026, 11, PARIS)
    assert period_of("last_month", date(2027, 1, 3), PARIS) == month_period(2026, 12, PARIS)
    custom = period_of("custom", TODAY, PARIS, (date(2026, 12, 3), date(2026, 12, 1)))
    assert custom.start == datetime(2026, 11, 30, 23, 0, tzinfo=UTC)  # in either order
    assert custom.end == datetime(2026, 12, 3, 23, 0, tzinfo=UTC)
    assert last_day(custom, PARIS) == date(2026, 12, 3)


def test_a_month_with_a_change_of_time_is_a_month_of_the_room():
    march = period_of("last_month", date(2026, 4, 10), PARIS)
    assert march.seconds == (31 * 24 - 1) * 3600  # the night of summer time has 23 hours
    week = period_of("this_week", date(2026, 10, 28), PARIS)  # 26 Oct to 1 Nov: no change
    assert week.seconds == 7 * 24 * 3600
    changed = period_of("this_week", date(2026, 10, 21), PARIS)  # the week of 25 October
    assert changed.seconds == (7 * 24 + 1) * 3600


# --- what the panel shows -------------------------------------------------------------------------


def test_this_month_and_the_whole_city_first(panel):
    assert panel.choice == "this_month"
    assert panel.period_buttons["this_month"].isChecked()
    assert panel.commune is None
    wanted: list[tuple] = []
    panel.sig_figures_wanted.connect(lambda *asked: wanted.append(asked))
    panel.ask()
    assert wanted == [(month_period(2026, 12, room_zone()), None)]


def test_the_charts_show_the_figures_by_name(panel):
    shown(panel)
    assert rows(panel.charts["priority"]) == {
        "priority:1": ("P1", 2),
        "priority:2": ("P2", 50),
        "priority:3": ("P3", 40),
        "priority:4": ("P4", 28),
    }
    assert rows(panel.charts["category"]) == {
        "category:road_damage": ("road damage", 70),
        "category:noise": ("noise", 30),
        "category:graffiti": ("graffiti", 20),
    }
    communes_shown = rows(panel.charts["commune"])
    assert communes_shown[f"commune:{CHENOVE}"] == ("Chenôve", 25)
    assert communes_shown[f"commune:{DIJON}"] == ("Dijon", 90)
    assert communes_shown["commune:"] == ("no commune", 5)
    assert rows(panel.charts["calls"]) == {
        "calls:noise": ("noise", 8),
        "calls:road_damage": ("road damage", 4),
    }
    heading = panel.heading.text()
    assert "All communes, this month" in heading and "120 incidents, 12 hotline calls" in heading
    assert "01/12/2026 – 06/12/2026" in heading  # not the days still to come


def test_the_sla_chart_splits_each_priority_into_in_time_and_late(panel):
    shown(panel)
    bars = {bar.key: bar for bar in panel.charts["sla"].bars}
    assert bars["priority:2"].value == 40 and bars["priority:2"].role is None
    late = bars["sla_late:2"]
    assert late.value == 7 and late.stacked  # 5 resolved late + 2 open past their target
    assert late.role is Role.ALARM and late.text == "7 late"  # the red says it in words too
    assert bars["sla_late:3"].value == 0 and bars["sla_late:3"].role is None
    assert bars["priority:2"].text == "40 in time (85 %)"
    assert bars["priority:4"].text == "none resolved nor late"
    table = panel.priority_table
    assert table.cells[2, table.LATE].text() == "7"
    assert hex_of(Role.ALARM) in table.cells[2, table.LATE].styleSheet()
    assert hex_of(Role.ALARM) not in table.cells[3, table.LATE].styleSheet()
    assert table.cells[2, table.KEPT].text() == "85 %"
    assert table.cells[2, table.RESOLVED].text() == "1 h 15 · 1 h 27"  # 90 %: 3600 + 0.9 × 1800 s


def test_dates_are_written_as_the_operators_language_writes_them(qtbot):
    american = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    made = StatisticsPanel(NAMES, today=lambda: TODAY, locale=american)
    qtbot.addWidget(made)
    made.first_day.setDate(QDate(2026, 12, 1))
    made.last_day.setDate(QDate(2026, 12, 3))
    made.choose_period("custom")
    assert made.period_words() == "from 12/1/2026 to 12/3/2026"  # month first, year in full
    assert made.first_day.text() == "12/1/2026"
    assert (
        shown(made)
        .heading.text()
        .endswith("(12/1/2026 – 12/3/2026): 120 incidents, 12 hotline calls")
    )
    french = StatisticsPanel(NAMES, today=lambda: TODAY, locale=QLocale(QLocale.Language.French))
    qtbot.addWidget(french)
    assert shown(french).heading.text().count("/12/2026") == 2  # 01/12/2026 – 06/12/2026


def test_the_reader_reads_the_figures_in_one_snapshot(db, monkeypatch):
    """On PostgreSQL every query of the figures sees one moment (REPEATABLE READ), as daily()."""
    seen: list[str] = []

    def spy(session, period, commune, **sections):
        if db.dialect == "postgresql":
            seen.append(session.execute(text("SHOW transaction_isolation")).scalar_one())
        return make_figures(period, commune)

    monkeypatch.setattr("console.desks.statistics.figures", spy)
    period = day_period(TODAY, PARIS)
    assert StatisticsReader(db).figures(period, None).period == period
    if db.dialect == "postgresql":
        assert seen == ["repeatable read"]
    monkeypatch.undo()
    assert StatisticsReader(db).figures(period, CHENOVE).incidents == 0  # the real reading


def test_times_are_said_in_words(panel):
    shown(panel)
    assert panel.acknowledge.text() == (
        "Acknowledged: median 3 min · 90 % within 8 min, over 4 incidents"
    )
    assert duration_text(None) == "—"
    assert duration_text(42) == "42 s"
    assert duration_text(3 * 3600 + 5 * 60) == "3 h 05"
    assert duration_text(2 * 86400 + 4 * 3600) == "2 d 04 h"


def test_one_commune_hides_the_chart_by_commune(panel):
    shown(panel, CHENOVE)
    assert panel.charts["commune"].isHidden()
    assert panel.heading.text().startswith("Chenôve, this month")
    shown(panel, None)
    assert not panel.charts["commune"].isHidden()


def test_an_answer_to_an_older_choice_is_dropped(panel):
    panel.choose_commune(CHENOVE)
    older = panel.asked
    panel.choose_period("last_month")
    assert not panel.show_figures(make_figures(*older))
    assert panel.figures is None
    assert panel.show_figures(make_figures(*panel.asked))


def test_a_bar_says_which_incidents_it_stands_for(panel):
    shown(panel, CHENOVE)
    chosen: list[tuple[Selection, str]] = []
    panel.sig_selection.connect(lambda selection, words: chosen.append((selection, words)))
    panel.charts["sla"].sig_bar_clicked.emit("priority:2")
    panel.charts["sla"].sig_bar_clicked.emit("sla_late:2")
    panel.charts["category"].sig_bar_clicked.emit("category:road_damage")
    panel.charts["calls"].sig_bar_clicked.emit("calls:noise")
    assert chosen == [
        (Selection("priority", "2"), "P2 in Chenôve, this month"),
        (Selection("sla_late", "2"), "P2 late in Chenôve, this month"),
        (Selection("category", "road_damage"), "road damage in Chenôve, this month"),
        (Selection("calls", "noise"), "hotline calls: noise in Chenôve, this month"),
    ]
    shown(panel, None)
    panel.choose_period("custom")
    panel.first_day.setDate(date(2026, 12, 1))
    panel.last_day.setDate(date(2026, 12, 3))
    # not read yet: the charts still show this month, and so does a bar of theirs
    assert panel.describe(Selection("commune", CHENOVE)) == "Chenôve, this month"
    panel.ask()
    assert panel.show_figures(make_figures(*panel.asked))
    assert panel.describe(Selection("commune", CHENOVE)) == (
        "Chenôve, from 01/12/2026 to 03/12/2026"
    )


def test_a_bar_clicked_while_another_choice_is_read_stands_for_what_it_shows(panel):
    """The charts show the whole city this month until the figures of Chenôve last month come:
    a bar clicked meanwhile (the reading slow, or failed) is the city's, this month's."""
    shown(panel, None)
    chosen: list[tuple[Selection, str]] = []
    panel.sig_selection.connect(lambda selection, words: chosen.append((selection, words)))
    panel.choose_commune(CHENOVE)
    panel.choose_period("last_month")
    panel.charts["sla"].sig_bar_clicked.emit("priority:2")
    panel.show_problem("the figures could not be read")  # the reading failed
    panel.charts["category"].sig_bar_clicked.emit("category:noise")
    assert chosen == [
        (Selection("priority", "2"), "P2, this month"),
        (Selection("category", "noise"), "noise, this month"),
    ]
    assert panel.show_figures(make_figures(*panel.asked))  # read at last: now they are these
    panel.charts["sla"].sig_bar_clicked.emit("priority:2")
    assert chosen[-1] == (Selection("priority", "2"), "P2 in Chenôve, last month")


def test_the_dates_offered_are_the_last_seven_days_when_asked(qtbot):
    """Not those of the day the console started: it runs for days."""
    today = [TODAY]
    made = StatisticsPanel(NAMES, today=lambda: today[0], locale=BRITISH)
    qtbot.addWidget(made)
    today[0] = date(2026, 12, 20)  # two weeks later, the same console
    made.choose_period("custom")
    assert made.first_day.date().toPython() == date(2026, 12, 14)
    assert made.last_day.date().toPython() == date(2026, 12, 20)
    days = (date(2026, 12, 14), date(2026, 12, 20))
    assert made.asked[0] == period_of("custom", today[0], room_zone(), days)  # what is read
    made.first_day.setDate(QDate(2026, 12, 1))  # the operator's dates stay theirs
    made.choose_period("today")
    today[0] = date(2026, 12, 22)
    made.choose_period("custom")
    assert made.first_day.date().toPython() == date(2026, 12, 1)
    assert made.last_day.date().toPython() == date(2026, 12, 20)


def test_figures_are_written_as_the_operators_language_writes_them(qtbot):
    """The operator's locale, not the system's (a German system would write 1.234)."""
    system = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    try:
        made = StatisticsPanel(NAMES, today=lambda: TODAY, locale=BRITISH)
        qtbot.addWidget(made)
        made.ask()
        figures = dataclasses.replace(
            make_figures(*made.asked),
            incidents=1234,
            by_category={"road_damage": 1234},
            by_priority={1: 2, 2: 1234, 3: 40, 4: 28},
            acknowledge=spread([60.0] * 1500),
        )
        assert made.show_figures(figures)
        assert "1,234 incidents" in made.heading.text()
        assert "over 1,500 incidents" in made.acknowledge.text()
        chart = made.charts["category"]
        assert [t.textItem.toPlainText() for t in chart._texts] == ["1,234"]
        table = made.priority_table
        assert table.cells[2, table.INCIDENTS].text() == "1,234"
    finally:
        QLocale.setDefault(system)


def test_render_the_panel(panel, tmp_path):
    """Rendered offscreen for a look (docs/screenshots/statistics.png is made from a backfill)."""
    shown(panel, None)
    image = panel.grab()
    assert not image.isNull()
    image.save(str(tmp_path / "statistics.png"))


# --- in a running console: two clicks -------------------------------------------------------------


def _incident(session, *, commune: str, priority: Priority, category: str = "road_damage", to=()):
    made = dataclasses.replace(
        new_incident(
            source=IncidentSource.CALL, category=category, at=utcnow(), place="Rue Jean Moulin"
        ),
        commune=commune,
        priority=priority,
    )
    incident = incident_store.create(session, made, by="c.bernard")
    for status in to:
        incident = incident_store.save(
            session, incident, transition(incident, status, at=utcnow()), by="c.bernard"
        )
    return incident.id


@pytest.fixture
def console(db, broker, qtbot, request, tmp_path):
    root = f"stats{abs(hash(request.node.nodeid)) % 10**6}"
    made = Console(db, broker.url, root, "c.bernard", config_folder=tmp_path / "c.bernard")
    qtbot.addWidget(made.window)
    yield made
    made.stop()


def test_p2_incidents_in_chenove_this_month_in_two_clicks(console, db, qtbot):
    closed = (IncidentStatus.ACKNOWLEDGED, IncidentStatus.RESOLVED, IncidentStatus.CLOSED)
    with db.write() as s:
        open_p2 = _incident(s, commune=CHENOVE, priority=Priority.P2)
        resolved_p2 = _incident(s, commune=CHENOVE, priority=Priority.P2, to=closed[:2])
        closed_p2 = _incident(s, commune=CHENOVE, priority=Priority.P2, to=closed)
        _incident(s, commune=CHENOVE, priority=Priority.P3)  # another priority
        _incident(s, commune=DIJON, priority=Priority.P2, to=closed)  # another commune
    # The plain answer, counted here with SQL: this month's P2 incidents of Chenôve.
    month = in_room(datetime.now(UTC)).date()
    start = month_period(month.year, month.month, room_zone())
    with db.read() as s:
        expected = set(
            s.execute(
                text(
                    "SELECT id FROM incidents WHERE commune = :c AND priority = 2 "
                    "AND created_at >= :start AND created_at < :end"
                ),
                {"c": CHENOVE, "start": start.start, "end": start.end},
            ).scalars()
        )
    assert expected == {open_p2, resolved_p2, closed_p2}

    console.start()
    desk = console.desks.statistics
    panel = desk.panel
    queue = console.desks.incidents.queue
    model = console.desks.incidents.queue_model
    qtbot.waitUntil(lambda: model.row_of(open_p2) is not None, timeout=15_000)
    assert model.row_of(closed_p2) is None and model.row_of(resolved_p2) is None  # open only
    dock = console.window.docks["statistics"]
    dock.show()
    dock.raise_()
    qtbot.waitUntil(lambda: panel.figures is not None, timeout=15_000)

    # Click 1: Chenôve in the list (this month is already the period).
    item = panel.communes.findItems("Chenôve", Qt.MatchFlag.MatchExactly)[0]
    spot = panel.communes.visualItemRect(item).center()
    qtbot.mouseClick(panel.communes.viewport(), Qt.MouseButton.LeftButton, pos=spot)
    qtbot.waitUntil(
        lambda: panel.figures is not None and panel.figures.commune == CHENOVE, timeout=15_000
    )
    assert panel.figures.by_priority[2] == 3
    # Click 2: the SLA chart's P2 bar.
    chart = panel.charts["sla"]
    qtbot.waitUntil(lambda: chart.isVisible() and chart.width() > 100, timeout=5_000)
    panel.scroll.ensureWidgetVisible(chart)
    point = chart.mapFromScene(_on_bar(chart, "priority:2"))
    qtbot.mouseClick(chart.viewport(), Qt.MouseButton.LeftButton, pos=point)

    qtbot.waitUntil(lambda: queue.selected_ids is not None, timeout=15_000)
    qtbot.waitUntil(lambda: queue.proxy.rowCount() == 3, timeout=5_000)
    listed = {queue.proxy.incident_at(r).id for r in range(queue.proxy.rowCount())}
    assert listed == expected
    assert queue.selection_label.text() == "Statistics: P2 in Chenôve, this month (3)"
    assert queue.selection_bar.isVisibleTo(queue)
    assert queue.status_filter.currentData() == "all"  # closed ones are shown
    assert desk.brought == {resolved_p2, closed_p2}  # the queue held neither

    # Clear: the whole queue again, open incidents, the closed one brought in gone again.
    qtbot.mouseClick(queue.clear_selection_button, Qt.MouseButton.LeftButton)
    assert queue.selected_ids is None and not queue.selection_bar.isVisibleTo(queue)
    assert queue.status_filter.currentData() == "open"
    assert model.row_of(closed_p2) is None and model.row_of(resolved_p2) is None
    assert model.row_of(open_p2) is not None  # the feed's stays

    # One selection after another: what both share stays in the queue.
    panel.charts["sla"].sig_bar_clicked.emit("priority:2")
    qtbot.waitUntil(lambda: queue.selected_ids == expected, timeout=15_000)
    panel.charts["category"].sig_bar_clicked.emit("category:road_damage")
    qtbot.waitUntil(lambda: queue.selected_ids is not None and len(queue.selected_ids) == 4)
    assert queue.proxy.rowCount() == 4  # the three P2 and the P3, closed ones included
    assert model.row_of(closed_p2) is not None and desk.brought == {resolved_p2, closed_p2}
    assert queue.selection_label.text() == "Statistics: road damage in Chenôve, this month (4)"


def test_a_bar_clicked_while_a_reading_is_under_way_lists_what_the_chart_shows(console, db, qtbot):
    """The city is drawn; Chenôve is being read (slowly): a P2 bar clicked is the city's P2."""
    with db.write() as s:
        in_chenove = _incident(s, commune=CHENOVE, priority=Priority.P2)
        in_dijon = _incident(s, commune=DIJON, priority=Priority.P2)
    console.start()
    desk, queue = console.desks.statistics, console.desks.incidents.queue
    panel = desk.panel
    desk.refresh()
    qtbot.waitUntil(lambda: panel.figures is not None and not desk.reading, timeout=15_000)
    assert panel.figures.commune is None

    slow = threading.Event()
    reading = desk.reader.figures

    def slow_figures(period, commune):
        slow.wait(15)
        return reading(period, commune)

    desk.reader.figures = slow_figures  # type: ignore[method-assign]
    panel.choose_commune(CHENOVE)  # asked at once; the charts still show the city
    qtbot.waitUntil(lambda: desk.reading, timeout=5_000)
    panel.charts["sla"].sig_bar_clicked.emit("priority:2")
    slow.set()  # the figures of Chenôve come, then the list is read: the city's still
    qtbot.waitUntil(lambda: queue.selected_ids is not None, timeout=15_000)
    assert queue.selected_ids == {in_chenove, in_dijon}
    assert queue.selection_label.text() == "Statistics: P2, this month (2)"
    qtbot.waitUntil(lambda: panel.figures.commune == CHENOVE, timeout=15_000)


def _on_bar(chart: BarChart, key: str) -> QPointF:
    """A point on a bar, even a short one: its row, at its middle."""
    return chart.bar_centre(key)


def test_late_ones_from_the_late_part_of_the_bar(console, db, qtbot):
    with db.write() as s:
        _incident(s, commune=CHENOVE, priority=Priority.P2)
    console.start()
    desk = console.desks.statistics
    with db.write() as s:  # a P2 created two hours ago, still open: past its one-hour target
        made = dataclasses.replace(
            new_incident(
                source=IncidentSource.REPORT,
                category="road_damage",
                at=utcnow() - timedelta(hours=2),
            ),
            commune=CHENOVE,
            priority=Priority.P2,
        )
        overdue = incident_store.create(s, made, by="c.bernard").id
    selection_words: list[str] = []
    desk.panel.sig_selection.connect(lambda _s, words: selection_words.append(words))
    desk.panel.choose_commune(CHENOVE)
    qtbot.waitUntil(
        lambda: desk.panel.figures is not None and desk.panel.figures.commune == CHENOVE,
        timeout=15_000,
    )
    if desk.panel.figures.period.start > made.created_at:  # the first hours of a month
        pytest.skip("two hours ago was last month")
    desk.panel.charts["sla"].sig_bar_clicked.emit("sla_late:2")
    queue = console.desks.incidents.queue
    qtbot.waitUntil(lambda: queue.selected_ids is not None, timeout=15_000)
    assert queue.selected_ids == {overdue}
    assert selection_words == ["P2 late in Chenôve, this month"]


def test_only_the_roles_that_may_see_statistics_have_the_dock(db, broker, qtbot, tmp_path):
    for operator, has in (("v.lambert", False), ("n.faure", True), ("t.roux", True)):
        made = Console(
            db,
            broker.url,
            f"roles{operator}",
            operator,
            ROOM[operator],
            config_folder=tmp_path / operator,
        )
        qtbot.addWidget(made.window)
        try:
            assert ("statistics" in made.window.docks) is has, operator
            assert (made.desks.statistics.panel is not None) is has
        finally:
            made.stop()


def test_a_narrow_dock_puts_the_charts_one_under_the_other(panel, qtbot):
    shown(panel)
    assert panel._columns == 2
    panel.resize(700, 700)
    qtbot.waitUntil(lambda: panel._columns == 1, timeout=2_000)
    sla, priority = panel.charts["sla"], panel.charts["priority"]
    qtbot.waitUntil(lambda: priority.y() > sla.y(), timeout=2_000)
    assert priority.x() == sla.x()
    panel.resize(1300, 900)
    qtbot.waitUntil(lambda: panel._columns == 2, timeout=2_000)
