"""Printing a report's document on A4 paper: pages, their foot, and headings kept with their tables.

Qt lays the document out on the ``QPdfWriter`` itself (at its resolution), so points are points on
paper; each page's foot names the report and says "Page n of N".
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QCoreApplication,
    QIODevice,
    QMarginsF,
    QRectF,
    QSizeF,
    Qt,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)

from console.reports.markup import FAINT
from console.text import report as words
from console.text.i18n import fill

MARGINS_MM = QMarginsF(18, 15, 18, 14)
#: A section's heading needs this many lines of its table below it on its page, or moves on.
KEEP_LINES = 6
HEADINGS_KEPT = (2, 3)


def headless_application() -> QCoreApplication:
    """The application Qt draws a report in: offscreen when there is no display (cron, a server).

    Before the first ``QApplication`` only: the platform is chosen when it is made.
    """
    if not any(os.environ.get(v) for v in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication(["vigie"])


def print_pdf(doc: QTextDocument, device: QIODevice, footer: str) -> int:
    """Print ``doc`` on A4 pages into ``device``, each with ``footer`` and "page n of N".

    Laid out on the writer itself (its resolution), so points are points on paper. Returns
    the number of pages.
    """
    writer = QPdfWriter(device)
    writer.setCreator("Vigie")
    writer.setTitle(doc.metaInformation(QTextDocument.MetaInformation.DocumentTitle))
    writer.setResolution(300)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            MARGINS_MM,
            QPageLayout.Unit.Millimeter,
        )
    )
    area = writer.pageLayout().paintRectPixels(writer.resolution())
    doc.documentLayout().setPaintDevice(writer)
    foot_font = QFont(doc.defaultFont())
    foot_font.setPointSizeF(7.5)
    foot_h = 2.2 * QFontMetricsF(foot_font, writer).height()
    page = QSizeF(area.width(), area.height() - foot_h)
    doc.setPageSize(page)
    _keep_headings_with_what_follows(
        doc, KEEP_LINES * QFontMetricsF(doc.defaultFont(), writer).height()
    )
    pages = doc.pageCount()
    painter = QPainter(writer)
    try:
        for index in range(pages):
            if index:
                writer.newPage()
            top = index * page.height()
            painter.save()
            painter.translate(0, -top)
            doc.drawContents(painter, QRectF(0, top, page.width(), page.height()))
            painter.restore()
            _foot(
                painter,
                QRectF(0, page.height(), page.width(), foot_h),
                foot_font,
                footer,
                fill(words.word("page"), {"page": index + 1, "pages": pages}),
            )
    finally:
        painter.end()
    return pages


def _keep_headings_with_what_follows(doc: QTextDocument, room: float) -> None:
    """A heading too close to the foot of its page starts the next one (Qt has no keep-with-next).

    Headings are visited in order, each after the breaks before it moved it.
    """
    layout = doc.documentLayout()
    height = doc.pageSize().height()
    block = doc.begin()
    while block.isValid():
        if block.blockFormat().headingLevel() in HEADINGS_KEPT:
            top = layout.blockBoundingRect(block).top() % height
            if top > 0 and height - top < room:
                keep = QTextBlockFormat()
                keep.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
                QTextCursor(block).mergeBlockFormat(keep)
        block = block.next()


def _foot(painter: QPainter, rect: QRectF, font: QFont, left: str, right: str) -> None:
    painter.setFont(font)
    painter.setPen(QColor(FAINT))
    bottom = Qt.AlignmentFlag.AlignBottom
    painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeft | bottom), left)
    painter.drawText(rect, int(Qt.AlignmentFlag.AlignRight | bottom), right)


@dataclass(frozen=True)
class Printed:
    data: bytes  # the PDF
    pages: int


def printed(doc: QTextDocument, footer: str) -> Printed:
    """``doc`` as a PDF in memory (no disk: the console writes it off the GUI thread)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    pages = print_pdf(doc, buffer, footer)
    buffer.close()
    return Printed(bytes(data.data()), pages)
