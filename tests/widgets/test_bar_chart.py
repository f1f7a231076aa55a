"""The bar chart the Statistics panel and the daily report share: words on bars, clicks, paper.

A click is a real mouse press on the chart's view at a bar's place (its centre, or the space
after a short bar on its row), not the signal emitted by hand; the offscreen image is looked at
pixel by pixel for the bars' greys and the alarm's red.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale, QPointF, QSize, Qt
from PySide6.QtGui import QColor, QImage

from widgets.charts.bars import Bar, BarChart, render_bars, value_text
from widgets.palette import Role, colour

BRITISH = QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)
BARS = [
    Bar("category:noise", "noise", 120),
    Bar("category:graffiti", "graffiti", 3),
    Bar("category:fire", "fire", 0),
]
SLA = [
    Bar("priority:2", "P2", 43, text="43 in time"),
    Bar("sla_late:2", "P2 late", 7, role=Role.ALARM, text="7 late", stacked=True),
    Bar("priority:3", "P3", 10, text="10 in time"),
    Bar("sla_late:3", "P3 late", 0, text="0 late", stacked=True),
]


@pytest.fixture
def chart(qtbot):
    made = BarChart("Incidents by category")
    qtbot.addWidget(made)
    made.resize(600, 240)
    made.show()
    qtbot.waitExposed(made)
    return made


def click(qtbot, chart: BarChart, scene_point: QPointF) -> None:
    view_point = chart.mapFromScene(scene_point)
    qtbot.mouseClick(chart.viewport(), Qt.MouseButton.LeftButton, pos=view_point)


def clicked_keys(qtbot, chart: BarChart, points: list[QPointF]) -> list[str]:
    keys: list[str] = []
    chart.sig_bar_clicked.connect(keys.append)
    for point in points:
        click(qtbot, chart, point)
    return keys


def test_each_row_says_its_name_and_its_figure(chart):
    chart.show_bars(BARS)
    assert chart.row_axis.labels == ["noise", "graffiti", "fire"]
    assert [t.textItem.toPlainText() for t in chart._texts] == ["120", "3", "0"]
    # the longest bar leaves room for its figure inside the view
    view = chart.getPlotItem().getViewBox()
    (x_low, x_high), _ = view.viewRange()
    assert x_low == 0 and x_high > 120


def test_a_click_on_a_bar_says_its_key(qtbot, chart):
    chart.show_bars(BARS)
    keys = clicked_keys(qtbot, chart, [chart.bar_centre("category:noise")])
    assert keys == ["category:noise"]


def test_a_short_bar_is_clicked_anywhere_on_its_row(qtbot, chart):
    """3 beside 120 is a sliver: the space after it on its row answers for it."""
    chart.show_bars(BARS)
    centre = chart.bar_centre("category:graffiti")
    beyond = chart.bar_centre("category:noise")  # the middle of the long bar, one row up
    keys = clicked_keys(qtbot, chart, [QPointF(beyond.x(), centre.y())])
    assert keys == ["category:graffiti"]


def test_a_bar_of_nothing_and_the_space_outside_the_rows_say_nothing(qtbot, chart):
    chart.show_bars(BARS)
    fire = chart.bar_centre("category:fire")
    title = chart.getPlotItem().titleLabel.sceneBoundingRect().center()
    keys = clicked_keys(qtbot, chart, [fire, title])
    assert keys == []


def test_the_parts_of_a_stacked_row_are_clicked_each(qtbot, chart):
    chart.show_bars(SLA)
    assert chart.row_axis.labels == ["P2", "P3"]
    assert [t.textItem.toPlainText() for t in chart._texts] == [
        "43 in time · 7 late",
        "10 in time · 0 late",
    ]
    late, kept = chart.bar_centre("sla_late:2"), chart.bar_centre("priority:2")
    assert late.x() > kept.x() and late.y() == pytest.approx(kept.y())
    keys = clicked_keys(qtbot, chart, [late, kept])
    assert keys == ["sla_late:2", "priority:2"]


def test_names_from_outside_are_written_as_they_are(chart):
    odd = "<b>Rue & Cie</b>"
    chart.show_bars([Bar("category:x", odd, 2, text=odd)])
    assert chart.row_axis.tickStrings([0.0], 1, 1) == [odd]
    assert chart._texts[0].textItem.toPlainText() == odd


def test_pointing_at_a_bar_tells_what_it_is(qtbot, chart):
    chart.show_bars([Bar("priority:2", "P2", 5, tip="P2: 5 incidents. Click: list them.")])
    chart._on_moved((chart.bar_centre("priority:2"),))
    assert "P2: 5 incidents" in chart.toolTip()
    chart._on_moved((QPointF(-50, -50),))
    assert chart.toolTip() == ""


def test_vertical_bars_go_up_from_their_names(qtbot):
    chart = BarChart("Lights in fault", horizontal=False)
    qtbot.addWidget(chart)
    chart.resize(500, 260)
    chart.show()
    chart.show_bars([Bar(str(d), f"0{d}/12", d * 2) for d in range(1, 6)])
    low, high = chart.bar_centre("1"), chart.bar_centre("5")
    assert high.x() > low.x()  # left to right
    assert high.y() < low.y()  # taller: its middle is higher on the screen
    keys = clicked_keys(qtbot, chart, [high])
    assert keys == ["5"]


def _pixels(image: QImage) -> set[tuple[int, int, int]]:
    return {
        image.pixelColor(x, y).getRgb()[:3]
        for x in range(0, image.width(), 2)
        for y in range(0, image.height(), 2)
        if image.pixelColor(x, y).alpha() == 255
    }


def test_render_bars_draws_offscreen_for_paper(qapp):
    image = render_bars(SLA, "SLA kept, by priority", QSize(640, 220))
    assert image.size() == QSize(640, 220)
    assert image.pixelColor(2, 2).alpha() == 0  # no ground of its own: white paper shows
    seen = _pixels(image)
    alarm = colour(Role.ALARM, "light")
    assert alarm.getRgb()[:3] in seen  # the late part, in the light theme's red
    grey = QColor(colour(Role.TEXT, "light"))
    assert any(abs(r - g) < 4 and abs(g - b) < 4 and 100 < r < 200 for r, g, b in seen), grey


def test_render_bars_of_nothing_says_so(qapp):
    image = render_bars([], "Calls", QSize(300, 140))
    assert not image.isNull()
    chart = BarChart("Calls")
    chart.show_bars([Bar("calls:noise", "noise", 0)])
    assert chart.empty.isVisible()
    assert chart.empty.textItem.toPlainText() == "Nothing in this period"
    chart.show_bars([Bar("calls:noise", "noise", 1)])
    assert not chart.empty.isVisible()


def test_figures_are_written_as_the_locale_writes_them():
    assert value_text(1234.0) in {"1234", "1,234", "1 234", "1\u202f234", "1\xa0234"}
    assert value_text(12.5).replace(",", ".") == "12.5"


@pytest.fixture
def german_system():
    """A system whose own conventions are not the operator's: 1.234 and 12,5."""
    system = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    yield
    QLocale.setDefault(system)


def test_figures_are_written_as_the_operators_locale_writes_them(qtbot, german_system):
    assert value_text(1234.0, BRITISH) == "1,234"
    assert value_text(12.5, BRITISH) == "12.5"
    assert value_text(1234.0) == "1.234"  # none given: the system's
    chart = BarChart("Calls", locale=BRITISH)
    qtbot.addWidget(chart)
    chart.show_bars([Bar("calls:noise", "noise", 1234), Bar("calls:fire", "fire", 2.5)])
    assert [t.textItem.toPlainText() for t in chart._texts] == ["1,234", "2.5"]


def test_paper_charts_write_figures_in_the_reports_language(qapp, monkeypatch, german_system):
    made: list[BarChart] = []

    class Seen(BarChart):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr("widgets.charts.bars.BarChart", Seen)
    render_bars(BARS, "Calls", QSize(300, 140), locale=BRITISH)
    render_bars(BARS, "Calls", QSize(300, 140))
    assert [chart.locale_of_figures.name() for chart in made] == ["en_GB", "de_DE"]


def test_the_chart_follows_the_theme(qtbot):
    chart = BarChart("x", theme="dark")
    qtbot.addWidget(chart)
    assert chart.backgroundBrush().color() == colour(Role.BASE, "dark")
    paper = BarChart("x", theme="light")
    qtbot.addWidget(paper)
    assert paper.backgroundBrush().color() == colour(Role.BASE, "light")
