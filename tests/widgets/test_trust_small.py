"""Trust at the desk, the small things: examples that fit, no -0.0 °C, a menu bar a desk expects."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QKeySequence, QShortcut

from console.shell import main_window
from console.shell.main_window import MainWindow

# --- the switch dialog's example ------------------------------------------------------------


def test_the_traffic_switch_gives_an_event_not_the_weather_as_its_example(qtbot):
    from widgets.modes.dialog import ModeSwitchDialog

    traffic = ModeSwitchDialog("Switch the traffic mode", "Événement", kind="traffic")
    snow = ModeSwitchDialog("Switch the snow plan", "Niveau 2", kind="snow")
    for dialog in (traffic, snow):
        qtbot.addWidget(dialog)
    assert "Météo" not in traffic.motive.placeholderText()
    assert "match" in traffic.motive.placeholderText()
    assert "Météo-France" in snow.motive.placeholderText()


# --- temperatures that round to zero ----------------------------------------------------------


def test_a_road_at_minus_a_hundredth_reads_zero_in_the_snow_box(qtbot):
    from services.domain.snow import SnowSituation, StationReading
    from widgets.modes.panel import ModesPanel

    panel = ModesPanel({"21231": "Dijon", "21166": "Chenôve"})
    qtbot.addWidget(panel)
    stations = (
        StationReading("weather:1", "21166", -0.04, "wet", True),
        StationReading("weather:2", "21231", -1.26, "ice", True),
    )
    panel.show_snow(
        SnowSituation(treating=0, heard=0, principal=0, gaps=(), stations=stations, depots=())
    )
    assert panel.operations.freeze.text() == "⚠ Chenôve (1) 0.0 °C wet; Dijon (2) -1.3 °C icy"


def test_the_temperature_readout_never_says_minus_zero(qtbot):
    from widgets.telemetry.panel import TelemetryPanel

    panel = TelemetryPanel({"21231": "Dijon"})
    qtbot.addWidget(panel)
    x = np.array([1_764_000_000.0, 1_764_000_015.0])
    panel.temperatures.set_series("road", x, np.array([-0.04, -0.26]))
    assert "road surface 0.0" in panel.temperatures.hover_at(x[0])
    assert "-0.0" not in panel.temperatures.hover_at(x[0])
    assert "road surface -0.3" in panel.temperatures.hover_at(x[1])


# --- the menu bar: File, View, Help -----------------------------------------------------------


@pytest.fixture
def window(qtbot) -> MainWindow:
    window = MainWindow("c.bernard")
    qtbot.addWidget(window)
    return window


def menu_titles(window: MainWindow) -> list[str]:
    return [action.text() for action in window.menuBar().actions()]


def test_the_menu_bar_has_file_view_and_help(window):
    assert menu_titles(window) == ["&File", "&View", "&Help"]
    assert window.quit_action.shortcut() == QKeySequence("Ctrl+Q")


def test_quit_closes_the_desk(window, qtbot):
    window.show()
    qtbot.waitExposed(window)
    window.quit_action.trigger()
    assert not window.isVisible()


def test_about_names_the_version(window):
    box = window.show_about()
    assert main_window.version() in box.text() and "Vigie" in box.text()
    box.close()


def test_documentation_opens_a_local_file(window, monkeypatch):
    opened: list[QUrl] = []
    monkeypatch.setattr(main_window.QDesktopServices, "openUrl", opened.append)
    window.documentation_action.trigger()
    (url,) = opened
    assert url.isLocalFile() and url.toLocalFile().endswith("README.md")


def test_the_shortcuts_dialog_lists_what_the_window_defines(window):
    described = QShortcut(QKeySequence("F9"), window, lambda: None)
    described.setWhatsThis("Centre the map")
    QShortcut(QKeySequence("Ctrl+K"), window, lambda: None)
    dialog = window.show_shortcuts()
    rows = dict(dialog.rows)
    assert rows[native("F9")] == "Centre the map"
    assert rows[native("Ctrl+K")] == "—"  # listed, though nobody said what it does
    assert rows[native("Ctrl+Q")] == "Quit"
    assert dialog.table.rowCount() == len(dialog.rows) == 3
    dialog.close()


def native(key: str) -> str:
    return QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)


def test_a_dispatchers_console_lists_its_own_shortcuts(db, broker, qtbot, tmp_path):
    from console.app import Console

    console = Console(
        db,
        broker.url,
        "shortcuts",
        "c.bernard",
        config_folder=tmp_path / "c.bernard",
        lock_after=timedelta(minutes=15),
    )
    qtbot.addWidget(console.window)
    try:
        rows = dict(console.window.show_shortcuts().rows)
    finally:
        console.stop()
    keys = ["F2", "F3", "F4", "F5", "Ctrl+F", "Ctrl+L", "Ctrl+N", "Ctrl+Q"]
    assert [native(k) for k in keys] == list(rows)  # function keys first
    assert "—" not in rows.values()  # every one of them says what it does
