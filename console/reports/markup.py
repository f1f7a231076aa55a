"""The printed reports' markup: their style sheet, their tables, and text from the record as text.

Reports are HTML laid out by Qt's ``QTextDocument``; everything from the record (an operator's
name, a reason, a category a city added) goes through ``e`` so that it cannot become markup.
Colours are the light theme's palette roles (ink on white paper; red only for what was late).
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from console.text import report as words
from services.domain.figures import ModeSwitch
from widgets.palette import Role, hex_of

NBSP = "\u00a0"
INK, FAINT, SHADE, LATE = (
    hex_of(role, "light")
    for role in (Role.TEXT, Role.DISABLED_TEXT, Role.ALTERNATE_BASE, Role.ALARM)
)

STYLE = f"""
body {{ color: {INK}; }}
h1 {{ font-size: 20pt; font-weight: bold; margin-bottom: 2px; }}
h2 {{ font-size: 13pt; font-weight: bold; margin-top: 14px; margin-bottom: 5px; }}
h3 {{ font-size: 11pt; font-weight: bold; margin-top: 16px; margin-bottom: 4px; }}
.room {{ color: {FAINT}; font-size: 9pt; }}
.date {{ font-size: 14pt; margin-top: 0px; }}
.small {{ color: {FAINT}; font-size: 8.5pt; }}
.big {{ font-size: 19pt; font-weight: bold; }}
.late {{ color: {LATE}; font-weight: bold; }}
.label {{ font-weight: bold; }}
.note {{ color: {FAINT}; font-size: 8.5pt; }}
th {{ background-color: {SHADE}; font-weight: bold; text-align: left; }}
td.n, th.n {{ text-align: right; }}
tr.total td {{ font-weight: bold; }}
"""


def e(text: object) -> str:
    """Text from the record, written as text."""
    return html.escape(str(text), quote=True)


def table(
    headings: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    numeric_from: int = 1,
    total: Sequence[str] | None = None,
    widths: Sequence[int] | None = None,
) -> str:
    """A table: its first ``numeric_from`` columns text, the others figures (right-aligned)."""

    def cells(values: Sequence[str], tag: str) -> str:
        out = []
        for i, value in enumerate(values):
            css = ' class="n"' if i >= numeric_from else ""
            width = f' width="{widths[i]}%"' if widths else ""
            # "90 %" and "12 %" never broken before their sign
            out.append(f"<{tag}{css}{width}>{e(value).replace(' %', NBSP + '%')}</{tag}>")
        return "".join(out)

    # A header row (thead) is printed again on top of a page the table runs on to.
    body = [f"<thead><tr>{cells(headings, 'th')}</tr></thead>"]
    body += [f"<tr>{cells(row, 'td')}</tr>" for row in rows]
    if total is not None:
        body.append(f'<tr class="total">{cells(total, "td")}</tr>')
    return (
        '<table width="100%" border="1" cellspacing="0" cellpadding="3" '
        f'style="border-collapse: collapse; border-color: {FAINT}; border-style: solid">'
        f"{''.join(body)}</table>"
    )


def heading(key: str) -> str:
    return f"<h3>{e(words.word(key))}</h3>"


def none() -> str:
    return f"<p>{e(words.word('none'))}</p>"


def change(m: ModeSwitch) -> str:
    return f"{words.mode_value(m.kind, m.previous)} → {words.mode_value(m.kind, m.value)}"
