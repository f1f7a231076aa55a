"""Text from outside is shown as written, in every panel: never as markup, never loading a file.

A report once showed its description ``<h1 style=color:red>FAUSSE ALERTE - IGNORER</h1>`` as a
red heading with a link, and an ``<img src="file:///…">`` made Qt open a local file. Each panel
here is given the same hostile text as every value that comes from outside (a citizen's
description and place, a unit's or a device's name, a note, a reason, a station's id), drawn,
then walked: no label renders rich text, the labels that show outside text show it literally,
tooltips and item models give it back literally, item views draw with Qt's plain delegate, and
the probe image named in the markup was never opened (inotify, on Linux).
"""

from __future__ import annotations

import ctypes
import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PySide6 import QtGui
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor, QImage, QTextDocumentFragment
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QStyledItemDelegate,
    QWidget,
)

from services.domain.equipment import EquipmentView, Fault
from services.domain.geography import Commune
from services.domain.incidents import (
    Incident,
    IncidentChange,
    IncidentNote,
    IncidentSource,
    IncidentStatus,
    Location,
    Priority,
)
from services.domain.journal import JournalEntry
from services.domain.modes import ModeRecord
from services.domain.operators import Operator, Role
from services.domain.snow import (
    CoverageGap,
    DepotReading,
    Network,
    Segment,
    SnowSituation,
    StationReading,
)
from services.domain.telemetry import LightCounts, TelemetryHistory, TelemetrySample
from services.domain.units import Unit, UnitKind, UnitStatus

MARKUP = (
    '<h1 style=color:red>FAUSSE ALERTE - IGNORER</h1><a href="http://x">x</a>'
    '<img src="file:///etc/passwd">'
)
NOW = datetime(2026, 11, 25, 21, 0, tzinfo=UTC)
COMMUNES = {"21231": "Dijon"}

IN_OPEN = 0x20
IN_ACCESS = 0x01


class FileProbe:
    """An image of this machine, and whether anything opened it since it was made (inotify)."""

    def __init__(self, folder: Any) -> None:
        self.path = str(folder / "probe.png")
        image = QImage(300, 300, QImage.Format.Format_RGB32)
        image.fill(QColor("red"))
        assert image.save(self.path)
        self._fd = -1
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            fd = libc.inotify_init1(os.O_NONBLOCK)
            if fd >= 0 and libc.inotify_add_watch(fd, self.path.encode(), IN_OPEN | IN_ACCESS) >= 0:
                self._fd = fd
        except (AttributeError, OSError):  # not Linux: the plain-text checks still run
            pass

    @property
    def watching(self) -> bool:
        return self._fd >= 0

    def opened(self) -> bool:
        try:
            return bool(os.read(self._fd, 4096))
        except BlockingIOError:
            return False

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)


@pytest.fixture
def probe(tmp_path) -> Iterator[FileProbe]:
    watched = FileProbe(tmp_path)
    yield watched
    watched.close()


@pytest.fixture
def hostile(probe) -> str:
    """The brief's markup, and an image of this machine that nothing may open."""
    return MARKUP + f'<img src="file://{probe.path}">'


# --- the walk ---------------------------------------------------------------------------------


def renders_rich(label: QLabel) -> bool:
    text_format = label.textFormat()
    if text_format == Qt.TextFormat.RichText:
        return True
    return text_format == Qt.TextFormat.AutoText and QtGui.Qt.mightBeRichText(label.text())


def as_shown(tooltip: str) -> str:
    """What Qt shows for a tooltip: rich text when it guesses so, else the text itself."""
    if QtGui.Qt.mightBeRichText(tooltip):
        return QTextDocumentFragment.fromHtml(tooltip).toPlainText()
    return tooltip


def model_texts(view: QAbstractItemView) -> Iterator[tuple[str, Any]]:
    model = view.model()
    if model is None:
        return
    for row in range(min(model.rowCount(QModelIndex()), 50)):
        # a list widget's model keeps columnCount private: walk until the index is invalid
        columns = (model.index(row, c, QModelIndex()) for c in range(30))
        for index in columns:
            if not index.isValid():
                break
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = index.data(role)
                if isinstance(value, str):
                    yield ("tooltip" if role == Qt.ItemDataRole.ToolTipRole else "display"), value


def assert_shown_as_written(root: QWidget, hostile: str, probe: FileProbe) -> None:
    """Draw ``root`` whole, then check every label, tooltip, view and model under it."""
    root.grab()  # lays out and paints every child: a rich label would load its images here
    labels = root.findChildren(QLabel)
    if isinstance(root, QLabel):
        labels.append(root)
    rich = [f"{label.objectName() or label!r}: {label.text()!r}" for label in labels]
    rich = [shown for label, shown in zip(labels, rich, strict=True) if renders_rich(label)]
    if probe.watching:
        assert not probe.opened(), f"a file:// image was opened; rich labels: {rich}"
    assert not rich, f"labels rendering rich text: {rich}"
    widgets = [root, *root.findChildren(QWidget)]
    for widget in widgets:
        tooltip = widget.toolTip()
        if "FAUSSE" in tooltip:
            assert hostile in as_shown(tooltip), f"tooltip of {widget!r}: {tooltip!r}"
    # a combo box's list is drawn by Qt's private combo delegate, as plain text
    combo_lists = {combo.view() for combo in root.findChildren(QComboBox)}
    for view in root.findChildren(QAbstractItemView):
        if isinstance(view, QHeaderView) or view in combo_lists:
            continue  # headers draw the header data as plain text, the models' own words
        # Qt's own delegate draws the display role as plain text; one that paints HTML would not.
        assert type(view.itemDelegate()) is QStyledItemDelegate, view
        for role, text in model_texts(view):
            if "FAUSSE" in text:
                shown = as_shown(text) if role == "tooltip" else text
                assert hostile in shown, f"{role} of {view!r}: {text!r}"
    if probe.watching:  # the tooltips and views were read, not shown: still nothing opened
        assert not probe.opened(), "a file:// image was opened"


def showing(root: QWidget, hostile: str) -> list[QLabel]:
    """The labels that show the hostile text: each must show it literally."""
    found = [label for label in root.findChildren(QLabel) if hostile in label.text()]
    for label in found:
        assert label.textFormat() == Qt.TextFormat.PlainText, label.objectName()
    return found


# --- the panels -------------------------------------------------------------------------------


def incident(text: str, **more: Any) -> Incident:
    fields: dict[str, Any] = {
        "id": 7,
        "source": IncidentSource.REPORT,
        "category": text,  # a city's own service code is shown as it came
        "priority": Priority.P2,
        "status": IncidentStatus.NEW,
        "created_at": NOW - timedelta(minutes=5),
        "updated_at": NOW,
        "source_ref": text,
        "priority_reason": text,
        "commune": text,
        "location": Location(47.32, 5.04),
        "place": text,
        "description": text,
        "assigned_unit": text,
    }
    fields.update(more)
    return Incident(**fields)


def test_the_incident_detail_shows_a_hostile_report_as_written(qtbot, hostile, probe):
    from widgets.incident_detail.panel import IncidentDetailPanel

    panel = IncidentDetailPanel(COMMUNES)
    qtbot.addWidget(panel)
    panel.resize(700, 900)
    panel.show()
    shown = incident(hostile, flags=("time_in_future", hostile))
    history = [IncidentChange(NOW, hostile, "status", "new", "acknowledged", hostile)]
    notes = [IncidentNote(1, NOW, hostile, hostile)]
    panel.show_incident(shown, history, notes, [incident(hostile, id=8)])
    panel.show_photo(None, f"photo at {hostile} not fetched")
    panel.show_problem(hostile)
    assert_shown_as_written(panel, hostile, probe)
    for key in ("place", "description", "unit", "commune", "category"):
        assert panel.fields[key].text() == hostile, key
    assert panel.problem.text() == hostile
    assert panel.photo.text() == f"photo at {hostile} not fetched"
    assert hostile in panel.title.text()
    assert len(showing(panel, hostile)) >= 10
    # the flags: in words, an unknown one as its code; the codes again in the tooltip
    assert panel.flags.isVisible()
    assert "the sender's clock was ahead: received time shown" in panel.flags.text()
    assert hostile in panel.flags.text()
    assert hostile in as_shown(panel.flags.toolTip())
    # and every label of the detail is plain, whatever it shows
    assert all(
        label.textFormat() == Qt.TextFormat.PlainText for label in panel.findChildren(QLabel)
    )


def test_the_incident_detail_says_each_flag_in_words(qtbot):
    from widgets.incident_detail.panel import IncidentDetailPanel

    panel = IncidentDetailPanel(COMMUNES)
    qtbot.addWidget(panel)
    panel.show()
    flags = (
        "time_in_future",
        "time_in_past",
        "time_without_offset",
        "outside_metropole",
        "nul_removed",
        "id_differs_from_topic",
    )
    panel.show_incident(incident("Rue Monge", flags=flags), [], [])
    text = panel.flags.text()
    assert text.startswith("⚠")  # a mark, not the colour alone
    for words in (
        "the sender's clock was ahead: received time shown",
        "the sender's clock was not set (a date before 2000)",
        "no time zone",
        "outside the métropole",
        "invisible characters removed",
        "the id in the message differs from its topic's",
    ):
        assert words in text
    panel.show_incident(incident("Rue Monge"), [], [])  # the next one has none: the line goes
    assert not panel.flags.isVisible()


def test_the_queue_shows_hostile_places_as_written(qtbot, hostile, probe):
    from widgets.incident_queue.model import Column, IncidentTableModel
    from widgets.incident_queue.panel import IncidentQueuePanel

    model = IncidentTableModel(COMMUNES, clock=lambda: NOW)
    panel = IncidentQueuePanel(model, COMMUNES, tick_ms=3_600_000)
    qtbot.addWidget(panel)
    panel.show()
    model.upsert([incident(hostile, priority=Priority.P1)])
    panel.show_coverage([(hostile, 25)])
    assert_shown_as_written(panel, hostile, probe)
    assert model.index(0, Column.PLACE).data() == hostile
    assert showing(panel, hostile) == [panel.coverage]


def equipment(hostile: str) -> EquipmentView:
    return EquipmentView(
        id=hostile,
        type="Streetlight",
        state="stale",
        status=hostile,
        commune="21231",
        gateway=hostile,
        lat=47.3,
        lon=5.0,
        received_at=NOW - timedelta(minutes=30),
        updated_at=NOW,
        fault_since=None,
        attributes={"refStreetlightGroup": hostile},
    )


def test_the_equipment_and_its_command_dialog_show_hostile_names_as_written(qtbot, hostile, probe):
    from widgets.equipment.command_dialog import CommandDialog
    from widgets.equipment.model import Column, EquipmentTableModel
    from widgets.equipment.panel import EquipmentPanel

    model = EquipmentTableModel(COMMUNES, clock=lambda: NOW)
    panel = EquipmentPanel(model, COMMUNES, tick_ms=3_600_000)
    qtbot.addWidget(panel)
    panel.show()
    model.upsert([equipment(hostile)])
    assert_shown_as_written(panel, hostile, probe)
    assert model.index(0, Column.STATUS).data() == hostile

    dialog = CommandDialog([equipment(hostile)], {"21231": hostile})
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.show_problem(hostile)
    assert_shown_as_written(dialog, hostile, probe)
    assert dialog.problem.text() == hostile
    dialog.show_outcome([hostile], final=True)
    assert dialog.plan.toPlainText() == hostile


def test_the_faults_show_hostile_names_as_written(qtbot, hostile, probe):
    from widgets.faults.panel import Column, FaultsPanel, FaultTableModel

    model = FaultTableModel(COMMUNES, clock=lambda: NOW)
    panel = FaultsPanel(model)
    qtbot.addWidget(panel)
    panel.show()
    model.replace([Fault(hostile, "Streetlight", hostile, "21231", hostile, NOW, 3, True)])
    assert_shown_as_written(panel, hostile, probe)
    assert model.index(0, Column.DEVICE).data() == hostile


def test_the_telemetry_legend_and_readout_show_a_hostile_point_as_written(qtbot, hostile, probe):
    from widgets.telemetry.panel import TelemetryPanel

    history = TelemetryHistory()
    for minute in range(5):
        history.add_sample(
            TelemetrySample(
                at=NOW + timedelta(minutes=minute),
                lights={},
                lights_total=LightCounts(),
                energy_w=0.0,
                energy_reporting=0,
                traffic_intensity={hostile: 300.0 + minute},
                road_temperature={hostile: 1.0},
                air_temperature={hostile: 2.0},
            )
        )
    panel = TelemetryPanel(COMMUNES)
    qtbot.addWidget(panel)
    panel.resize(1000, 800)
    panel.show()
    panel.show_history(history)
    panel.point_choice.setCurrentIndex(panel.point_choice.findData(hostile))
    panel.station_choice.setCurrentIndex(panel.station_choice.findData(hostile))
    # pyqtgraph's legend is HTML: the point's id must come out of it as written
    legend = panel.traffic.legend.getLabel(panel.traffic.curve("intensity"))
    assert legend.item.toPlainText() == hostile
    panel.traffic.hover_at((NOW + timedelta(minutes=2)).timestamp())
    assert hostile in panel.readout.text()
    assert_shown_as_written(panel, hostile, probe)


def test_the_modes_show_hostile_reasons_and_names_as_written(qtbot, hostile, probe):
    from widgets.modes.dialog import ModeSwitchDialog
    from widgets.modes.panel import ModesPanel

    panel = ModesPanel(COMMUNES)
    qtbot.addWidget(panel)
    panel.show()
    record = ModeRecord(
        "traffic", hostile, hostile, None, "applied", NOW, hostile, hostile, hostile, (), True, None
    )
    panel.show_record(record)
    segment = Segment(
        hostile, hostile, Network.PRINCIPAL, ((47.3, 5.0), (47.31, 5.01)), timedelta(hours=1)
    )
    panel.show_snow(
        SnowSituation(
            treating=1,
            heard=2,
            principal=1,
            gaps=(CoverageGap(segment, timedelta(hours=2)),),
            stations=(StationReading(hostile, hostile, -1.0, hostile, True),),
            depots=((DepotReading(hostile, hostile, 10.0, 5.0, 100.0), None, None),),
        )
    )
    panel.show_problem(hostile)
    assert_shown_as_written(panel, hostile, probe)
    assert panel.traffic.badge.text() == hostile
    assert hostile in as_shown(panel.traffic.rollback_button.toolTip())
    assert len(showing(panel, hostile)) >= 6

    dialog = ModeSwitchDialog(hostile, hostile)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.show_preview([hostile])
    dialog.show_result([hostile, hostile], True, complete=False)
    dialog.show_problem(hostile)
    assert_shown_as_written(dialog, hostile, probe)
    assert dialog.headline.text() == hostile and dialog.problem.text() == hostile


def test_the_logbook_shows_hostile_entries_as_written(qtbot, hostile, probe):
    from widgets.logbook.panel import LogbookModel, LogbookPanel

    model = LogbookModel()
    panel = LogbookPanel(model)
    qtbot.addWidget(panel)
    panel.show()
    model.add_entries([JournalEntry(1, NOW, hostile, hostile)])
    assert_shown_as_written(panel, hostile, probe)
    assert panel.operators.findData(hostile) > 0


def test_the_call_form_and_the_login_dialog_show_hostile_text_as_written(qtbot, hostile, probe):
    from widgets.call_form.dialog import CallFormDialog
    from widgets.login_dialog import LoginDialog

    form = CallFormDialog({"21231": hostile})
    qtbot.addWidget(form)
    form.show()
    form.show_problem(hostile)
    assert_shown_as_written(form, hostile, probe)
    assert form.problem.text() == hostile

    login = LoginDialog(
        [Operator(hostile, Role.DISPATCHER, NOW, hostile)], hostile, lambda _n, _p: hostile
    )
    qtbot.addWidget(login)
    login.show()
    login.password.setText("un mot de passe")
    login.try_login()  # the refusal, in words the check chose, is shown as written too
    qtbot.waitUntil(lambda: login.status.text() == hostile)
    assert_shown_as_written(login, hostile, probe)


def test_the_map_says_a_hostile_unit_and_device_as_written(qtbot, hostile, probe):
    from widgets.map.legend import legend_rows
    from widgets.map.page import build_page
    from widgets.map.panel import MapPanel

    commune = Commune("21231", hostile, "21000", 150_000, 47.32, 5.04)
    page = build_page([commune], legend_rows(), None)
    assert MARKUP not in page  # the commune's name is escaped in the page

    panel = MapPanel(page, show_patrols=True)
    qtbot.addWidget(panel, before_close_func=lambda p: p.close_page())
    unit = Unit(
        "u-1",
        UnitKind.PATROL,
        lat=47.32,
        lon=5.04,
        status=UnitStatus.AVAILABLE,
        name=hostile,
        observed_at=NOW,
    )
    panel.update_units([unit])
    panel.bridge.clicked("unit", "u-1")
    assert panel.info.text().startswith(hostile)
    panel.update_devices([(hostile, "Streetlight", "fault", 47.32, 5.04)])
    panel.bridge.clicked("device", hostile)
    assert panel.info.text().startswith(hostile)
    assert showing(panel, hostile) == [panel.info]
    assert not renders_rich(panel.info)


def test_the_main_window_shows_outside_words_as_written(qtbot, hostile, probe):
    from console.shell.main_window import MainWindow

    window = MainWindow(hostile)
    qtbot.addWidget(window)
    window.show()
    window.set_link("database", False, hostile)  # a driver's error may quote the data
    window.modes_label.setText(hostile)  # a mode's value as its retained message said it
    assert_shown_as_written(window, hostile, probe)
    assert hostile in window.operator_label.text()
    assert window.modes_label.textFormat() == Qt.TextFormat.PlainText


def test_the_dispatch_dialog_and_command_log_show_hostile_names_as_written(qtbot, hostile, probe):
    """The other helper's two panels, checked without touching them."""
    from services.domain.commands import CommandRecord
    from widgets.command_log.panel import CommandLogModel, CommandLogPanel
    from widgets.dispatch.dialog import DispatchDialog

    dialog = DispatchDialog("Send a unit to incident #7:", [("u-1", hostile)])
    qtbot.addWidget(dialog)
    dialog.show()
    assert_shown_as_written(dialog, hostile, probe)
    assert dialog.units.item(0).text() == hostile

    model = CommandLogModel()
    panel = CommandLogPanel(model)
    qtbot.addWidget(panel)
    panel.show()
    model.upsert(
        [CommandRecord("req-1", "group", hostile, "switch", "done", hostile, NOW, params={})]
    )
    assert_shown_as_written(panel, hostile, probe)


def test_the_net_catches_a_label_left_on_auto_text(qtbot, hostile, probe):
    """The walk itself: a label left on AutoText renders the markup and opens the image."""
    label = QLabel(hostile)
    qtbot.addWidget(label)
    label.show()
    assert renders_rich(label)
    label.grab()
    if probe.watching:
        assert probe.opened()
