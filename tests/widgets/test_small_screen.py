"""At 1366×768 a panel's controls wrap onto another line; none is squeezed below its text.

In the dispatcher's layout at that size the queue and the equipment panel get about 550 pixels
of width: their filters read "S…", "All commun", "Sea…" when a row squeezed them.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QLabel,
    QLineEdit,
    QWidget,
)

from services.domain.equipment import EquipmentView
from services.reference import communes
from widgets.equipment.model import Column, EquipmentTableModel
from widgets.equipment.panel import EquipmentPanel
from widgets.incident_queue.model import IncidentTableModel
from widgets.incident_queue.panel import IncidentQueuePanel

NAMES = {c.insee: c.name for c in communes()}
NOW = datetime(2026, 12, 5, 18, 0, tzinfo=UTC)
#: Widths a panel gets beside others at 1366×768, and narrower still.
WIDTHS = (550, 420)


def squeezed(panel: QWidget) -> list[str]:
    """The controls shown narrower than their text asks, or past the panel's edge."""
    found = []
    for control in panel.findChildren(QWidget):
        if not control.isVisible() or control.parent() is None:
            continue
        if isinstance(control, QLabel) and control.wordWrap():
            continue  # it wraps: a narrower one is taller
        if not isinstance(control, QComboBox | QLineEdit | QAbstractButton | QLabel):
            continue
        if control.parentWidget() is not panel:
            continue  # the table's own parts (its header, its scroll bars) scroll
        right = control.geometry().right()
        if control.width() < control.sizeHint().width() or right > panel.width():
            name = control.objectName() or type(control).__name__
            text = getattr(control, "currentText", getattr(control, "text", lambda: ""))()
            found.append(f"{name} {text!r}: {control.width()} < {control.sizeHint().width()}")
    return found


@pytest.mark.parametrize("width", WIDTHS)
def test_the_queues_filters_wrap_rather_than_squeeze(qtbot, width):
    panel = IncidentQueuePanel(IncidentTableModel(NAMES), NAMES, tick_ms=60_000)
    qtbot.addWidget(panel)
    panel.resize(width, 500)
    panel.show()
    qtbot.waitExposed(panel)
    assert squeezed(panel) == []
    assert panel.search.width() >= panel.search.sizeHint().width()  # the search box reads whole


@pytest.mark.parametrize("width", WIDTHS)
def test_the_equipment_filters_and_counts_wrap_rather_than_squeeze(qtbot, width):
    panel = EquipmentPanel(EquipmentTableModel(NAMES, clock=lambda: NOW), NAMES)
    qtbot.addWidget(panel)
    panel.resize(width, 500)
    panel.show()
    qtbot.waitExposed(panel)
    assert squeezed(panel) == []


def test_the_equipment_panel_names_types_in_words(qtbot):
    model = EquipmentTableModel(NAMES, clock=lambda: NOW)
    panel = EquipmentPanel(model, NAMES)
    qtbot.addWidget(panel)
    cabinet = EquipmentView(
        id="cabinet:21231-007",
        type="StreetlightControlCabinet",
        state="ok",
        status="ok",
        commune="21231",
        gateway=None,
        lat=47.32,
        lon=5.04,
        received_at=NOW,
        updated_at=NOW,
        fault_since=None,
        attributes={},
    )
    model.upsert([cabinet])
    assert model.data(model.index(0, Column.TYPE)) == "lighting cabinet"
    types = [panel.type_filter.itemText(i) for i in range(panel.type_filter.count())]
    assert "lighting cabinet" in types and "StreetlightControlCabinet" not in types


@pytest.mark.parametrize("width", WIDTHS)
def test_the_telemetry_choices_wrap_and_its_plots_stand_in_one_column(qtbot, width):
    from widgets.telemetry.panel import TelemetryPanel

    panel = TelemetryPanel(NAMES)
    qtbot.addWidget(panel)
    panel.resize(width, 700)
    panel.show()
    qtbot.waitExposed(panel)
    for combo in panel.findChildren(QComboBox):
        assert combo.width() >= min(combo.sizeHint().width(), combo.maximumWidth())
        assert combo.mapTo(panel, combo.rect().topRight()).x() <= panel.width()
    for plot in panel.plots:  # whole, not cut by the dock's edge
        assert plot.mapTo(panel, plot.rect().topRight()).x() <= panel.width()
    lefts = {plot.mapTo(panel, plot.rect().topLeft()).x() for plot in panel.plots}
    assert len(lefts) == 1


def test_the_telemetry_plots_stand_two_abreast_on_a_wide_dock(qtbot):
    from widgets.telemetry.panel import TelemetryPanel

    panel = TelemetryPanel(NAMES)
    qtbot.addWidget(panel)
    panel.resize(1400, 900)
    panel.show()
    qtbot.waitExposed(panel)
    lefts = {plot.mapTo(panel, plot.rect().topLeft()).x() for plot in panel.plots}
    assert len(lefts) == 2


@pytest.fixture
def in_french(qapp):
    from console.text.i18n import translator, use_language

    use_language("fr")
    french = translator()
    qapp.installTranslator(french)
    yield
    qapp.removeTranslator(french)
    use_language(None)


def test_every_column_title_reads_whole_in_french(qtbot, in_french):
    queue = IncidentQueuePanel(IncidentTableModel(NAMES), NAMES, tick_ms=60_000)
    equipment = EquipmentPanel(EquipmentTableModel(NAMES, clock=lambda: NOW), NAMES)
    for panel in (queue, equipment):
        qtbot.addWidget(panel)
        header = panel.table.horizontalHeader()
        model = panel.table.model()
        assert model.headerData(1, header.orientation()) != "Time left"  # French indeed
        for column in range(header.count() - 1):  # the last one stretches
            title = model.headerData(column, header.orientation())
            assert header.sectionSize(column) >= header.sectionSizeHint(column), title


def test_the_command_logs_filters_wrap_rather_than_widen_the_dock(qtbot, in_french):
    from widgets.command_log.panel import CommandLogModel, CommandLogPanel

    panel = CommandLogPanel(CommandLogModel())
    qtbot.addWidget(panel)
    assert panel.minimumSizeHint().width() <= 320  # its widest control, not the three in a line
    panel.resize(300, 400)
    panel.show()
    qtbot.waitExposed(panel)
    assert squeezed(panel) == []
