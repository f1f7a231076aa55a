"""Text that came from outside, shown as the text it is: never read by Qt as markup.

A ``QLabel`` left on Qt's default ``AutoText`` renders whatever looks like HTML: a citizen's
description ``<h1 style=color:red>FAUSSE ALERTE - IGNORER</h1>`` became a red heading with a
link, and an ``<img src="file:///…">`` made Qt open a file of this workstation. So every label
of a panel is made with ``plain_label`` (or passed through ``make_plain``), every tooltip that
may carry outside text goes through ``plain_tooltip``, and text for a library that only speaks
HTML (pyqtgraph's legend and titles) goes through ``as_html``. Nothing here may build markup from
outside text without escaping it.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A label that shows ``text`` (and whatever it is given later) literally."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    return label


def make_plain(*labels: QLabel) -> None:
    """Labels made elsewhere (a form's captions, a library's) shown literally from now on."""
    for label in labels:
        label.setTextFormat(Qt.TextFormat.PlainText)


def as_html(text: str) -> str:
    """``text`` escaped for a place that reads HTML, so that it shows as written."""
    return html.escape(text, quote=False)


def plain_tooltip(text: str) -> str:
    """A tooltip that shows ``text`` as written, line breaks included.

    Qt shows a tooltip as rich text whenever ``Qt.mightBeRichText`` guesses it is one, and as
    plain text otherwise: escaping alone would show ``&lt;`` in the second case. So the text is
    escaped and always handed over as rich text, which Qt then reads back to the literal.
    """
    if not text:
        return ""
    return f'<p style="white-space:pre-wrap">{as_html(text)}</p>'
