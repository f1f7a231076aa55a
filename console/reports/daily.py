"""The daily report (main courante): a day's figures as an A4 PDF a mayor's office reads.

Page 1 is the day at a glance: ten key figures and one chart, read in two minutes. The detail
follows from page 2: incidents by category, commune and priority, targets kept, times to
acknowledge and to resolve, the hotline's calls, the modes switched (who, when, why), commands and
their outcomes, lights in fault and their repair, snow operations and salt, camera views by purpose.

Qt prints it (``QTextDocument`` laid out on a ``QPdfWriter``, ``paper.py``): no dependency beyond
the console's. The document is HTML built here (page 1) and in ``detail.py``; every text that comes
from the record (an operator's name, a reason, a category the city added) is escaped
(``markup.e``), so the record cannot write markup into the report. Times are the room's
(``services.domain.room_time``), communes by name. Building needs a ``QApplication`` (the chart is
drawn by the Statistics panel's code, ``widgets/charts``) but no display.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from PySide6.QtCore import QSize, QUrl
from PySide6.QtGui import QFont, QTextDocument

from console.reports.detail import detail, overall, time_of_day
from console.reports.markup import STYLE, change, e
from console.reports.paper import Printed, printed
from console.text import report as words
from console.text.i18n import fill
from services.domain.figures import Figures, Spread
from services.domain.room_time import in_room, stamp
from widgets.charts.bars import Bar, render_bars

#: The one chart of page 1, in pixels of the document (96 to the inch): the text's width.
CHART_SIZE = QSize(640, 310)
#: Categories named on page 1's chart; the rest are one bar.
CHART_ROWS = 10
#: Mode switches told on page 1 (all of them in the detail).
SWITCHES_ON_FIRST_PAGE = 4
CHART_URL = QUrl("vigie-chart:categories")
#: Points of the body text; headings and key figures scale from it.
BODY_PT = 9.5


@dataclass(frozen=True)
class Report:
    """What the report is of and by whom; ``names``: commune names by INSEE code."""

    figures: Figures
    day: date
    operator: str
    made_at: datetime
    names: Mapping[str, str]

    @property
    def zone_name(self) -> str:
        """``CET``; ``CEST, then CET`` on the day the clocks change."""
        period = self.figures.period
        first = in_room(period.start).tzname() or ""
        last = in_room(period.end - timedelta(microseconds=1)).tzname() or ""
        return (
            first
            if first == last
            else fill(words.word("zone_change"), {"first": first, "last": last})
        )

    @property
    def footer(self) -> str:
        return f"{words.word('title')} — {words.long_date(self.day)}"


# --- page 1, the day at a glance ------------------------------------------------------------------


def document(report: Report) -> QTextDocument:
    """The report laid out as one HTML document, its chart an image resource of it."""
    doc = QTextDocument()
    font = QFont("DejaVu Sans")  # Debian's default sans (fonts-dejavu-core); Qt falls back without
    font.setPointSizeF(BODY_PT)
    doc.setDefaultFont(font)
    doc.setDocumentMargin(0)
    doc.setDefaultStyleSheet(STYLE)
    doc.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, report.footer)
    image = render_bars(
        _category_bars(report.figures),
        words.word("chart_categories"),
        CHART_SIZE,
        locale=words.locale(),
    )
    doc.addResource(QTextDocument.ResourceType.ImageResource, CHART_URL, image)
    doc.setHtml(_first_page(report) + detail(report.figures, report.names))
    return doc


def _first_page(report: Report) -> str:
    parts = [
        f'<p class="room">{e(words.word("room"))}</p>',
        f"<h1>{e(words.word('title'))}</h1>",
        f'<p class="date">{e(words.long_date(report.day))}</p>',
        '<p class="small">'
        + e(fill(words.word("day_span"), {"zone": report.zone_name}))
        + " "
        + e(
            fill(
                words.word("made_by"),
                {"at": stamp(report.made_at), "operator": report.operator},
            )
        )
        + "</p>",
        f"<h2>{e(words.word('at_a_glance'))}</h2>",
        _glance(report),
        _chart(report.figures),
        _switches_told(report.figures),
    ]
    return "".join(parts)


def _chart(f: Figures) -> str:
    """Incidents by category, drawn; none on a day without incidents (a blank frame says less)."""
    if not f.by_category:
        return ""
    return (
        f'<p align="center"><img src="{CHART_URL.toString()}" '
        f'width="{CHART_SIZE.width()}" height="{CHART_SIZE.height()}"></p>'
    )


def _switches_told(f: Figures) -> str:
    """The city's modes switched, one line each: what a mayor's office asks about first."""
    if not f.modes:
        return ""
    switches = sorted(f.modes, key=lambda m: m.at)
    lines = [
        fill(
            words.word("switch_line"),
            {
                "time": time_of_day(m.at, f.period),
                "kind": words.mode_kind(m.kind),
                "change": change(m),
                "operator": m.operator,
                "why": m.reason or m.motive or "–",
            },
        )
        for m in switches[:SWITCHES_ON_FIRST_PAGE]
    ]
    more = len(switches) - SWITCHES_ON_FIRST_PAGE
    if more > 0:
        lines.append(fill(words.word("more_switches"), {"count": more}))
    said = "<br>".join(e(line) for line in lines)
    return f'<p><span class="label">{e(words.word("switched"))}</span><br>{said}</p>'


def _glance(report: Report) -> str:
    """Ten key figures, two to a row: the figure large, what it is, and a short note."""
    cells = [_cell(*figure) for figure in _key_figures(report)]
    rows = [cells[i : i + 2] for i in range(0, len(cells), 2)]
    body = "".join(
        "<tr>" + "".join(f'<td width="50%">{c}</td>' for c in row) + "</tr>" for row in rows
    )
    return f'<table width="100%" cellspacing="0" cellpadding="7">{body}</table>'


def _cell(figure: str, label: str, note: str, late: bool = False) -> str:
    css = "big late" if late else "big"
    return (
        f'<span class="{css}">{e(figure)}</span><br>'
        f'<span class="label">{e(label)}</span><br>'
        f'<span class="note">{e(note)}</span>'
    )


def _key_figures(report: Report) -> list[tuple[str, str, str, bool]]:
    f = report.figures
    n = words.number
    kept = overall(f)
    done = f.commands.get("done", 0)
    sent = sum(f.commands.values())
    lights = f.lights_in_fault_by_day.get(report.day)
    figures = [
        (
            n(f.incidents),
            words.word("incidents"),
            fill(
                words.word("incidents_note"),
                {"urgent": n(f.by_priority.get(1, 0)), "high": n(f.by_priority.get(2, 0))},
            ),
            False,
        ),
        (n(f.calls), words.word("calls"), words.word("calls_note"), False),
        (
            words.share(kept.kept_share),
            words.word("kept"),
            fill(words.word("kept_note"), {"within": n(kept.within), "missed": n(kept.missed)})
            if kept.settled
            else words.word("kept_none"),
            False,
        ),
        (
            n(kept.open_overdue),
            words.word("overdue"),
            words.word("overdue_note"),
            kept.open_overdue > 0,
        ),
        _median(f.acknowledge, "acknowledge"),
        _median(f.resolve, "resolve"),
        (
            n(sent),
            words.word("commands"),
            fill(words.word("commands_note"), {"done": n(done), "not_done": n(sent - done)}),
            False,
        ),
        (
            n(len(f.modes)) if f.modes is not None else "–",
            words.word("modes"),
            words.word("modes_note") if f.modes is not None else words.word("not_shown"),
            False,
        ),
        (
            n(lights) if lights is not None else "–",
            words.word("lights"),
            words.word("lights_note"),
            False,
        ),
        _snow_figure(f),
    ]
    return figures


def _median(spread: Spread, key: str) -> tuple[str, str, str, bool]:
    note = (
        fill(words.word("median_note"), {"p90": words.duration(spread.p90_s)})
        if spread.count
        else ""
    )
    return words.duration(spread.median_s), words.word(key), note, False


def _snow_figure(f: Figures) -> tuple[str, str, str, bool]:
    if f.snow is None or f.snow.episodes == 0:
        return words.word("snow_none"), words.word("snow"), "", False
    s = f.snow
    note = fill(
        words.word("snow_note"),
        {"within": words.number(s.within_target), "segments": words.number(s.segments)},
    )
    return words.number(s.passes), words.word("snow_passes"), note, False


def _category_bars(f: Figures) -> list[Bar]:
    ranked = sorted(f.by_category.items(), key=lambda kv: (-kv[1], kv[0]))
    bars = [Bar(code, words.category(code), count) for code, count in ranked[:CHART_ROWS]]
    rest = ranked[CHART_ROWS:]
    if rest:
        label = fill(words.word("other"), {"count": len(rest)})
        bars.append(Bar("", label, sum(count for _code, count in rest)))
    return bars


def pdf_bytes(report: Report) -> Printed:
    """The report as a PDF in memory (no disk: the console writes it off the GUI thread)."""
    return printed(document(report), report.footer)
