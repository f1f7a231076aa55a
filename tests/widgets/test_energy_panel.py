"""The Energy panel: its figures are the sums of the nights it is given, read off the GUI thread.

Every figure is checked against sums made here with plain loops over the ``EnergyNight`` values,
not with the functions the panel uses: the per-commune table, the nights of one commune, the
totals, the euros and CO₂ at the city's tariff, the policy's projected night. Communes are named,
never coded; a night without a record is a gap, not a zero.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow

from console.bridge import Bridge
from console.desks.energy import EnergyDesk, EnergyReader, EnergyReading
from console.shell.docks import perspectives, tab_pairs
from services.domain.energy import EnergyNight, Tariff
from services.reference import communes
from services.store import energy as energy_store
from services.store.database import Database
from services.store.schema import upgrade
from tests.widgets.energy_nights import LAST, NIGHTS, SILENT, SILENT_NIGHTS, month, policy
from widgets.energy.figures import PolicyNight, window
from widgets.energy.model import Column
from widgets.energy.panel import EnergyPanel, co2_text, euros_text

NAMES = {c.insee: c.name for c in communes()}
TARIFF = Tariff(eur_per_kwh=0.21, co2_kg_per_kwh=0.064)
FIRST, _ = window(LAST, NIGHTS)


def make_panel(qtbot, nights=None, tariff=TARIFF, projected=None) -> EnergyPanel:
    panel = EnergyPanel(NAMES)
    qtbot.addWidget(panel)
    panel.resize(1000, 760)
    panel.show_energy(
        month() if nights is None else nights,
        first=FIRST,
        last=LAST,
        tariff=tariff,
        policy=policy() if projected is None else projected,
        in_progress=LAST,
        read_at=datetime(2026, 12, 4, 21, 30, tzinfo=UTC),
    )
    return panel


def table(panel: EnergyPanel) -> dict[str, dict[Column, str]]:
    """What the table shows, row by row, keyed by the commune's name as shown."""
    shown = {}
    for row in range(panel.proxy.rowCount()):
        cells = {c: panel.proxy.index(row, c).data() for c in Column}
        shown[cells[Column.COMMUNE]] = cells
    return shown


def test_each_communes_figures_are_the_sums_of_its_nights(qtbot):
    nights = month()
    panel = make_panel(qtbot, nights)
    for insee, name in NAMES.items():
        kwh = sum(n.kwh for n in nights if n.commune == insee)
        baseline = sum(n.baseline_kwh for n in nights if n.commune == insee)
        row = panel.model.item(panel.model.row_of(insee))
        assert row.kwh == pytest.approx(kwh)
        assert row.baseline_kwh == pytest.approx(baseline)
        assert row.saving_kwh == pytest.approx(baseline - kwh)
        shown = table(panel)[name]
        assert shown[Column.KWH] == f"{round(kwh)}"  # the test's locale writes no separator
        assert shown[Column.BASELINE] == f"{round(baseline)}"
        assert shown[Column.SAVING] == f"{round(baseline - kwh)}"
        assert shown[Column.SHARE] == f"{round((baseline - kwh) / baseline * 100)}%"


def test_the_totals_and_the_saving_in_euros_and_co2_come_from_the_nights_and_the_tariff(qtbot):
    nights = month()
    panel = make_panel(qtbot, nights)
    used = sum(n.kwh for n in nights)
    baseline = sum(n.baseline_kwh for n in nights)
    saved = baseline - used
    figures = panel.figures_of(None)
    assert figures.totals.kwh == pytest.approx(used)
    assert figures.totals.baseline_kwh == pytest.approx(baseline)
    assert figures.saving.euros == pytest.approx(saved * 0.21)
    assert figures.saving.co2_kg == pytest.approx(saved * 0.064)
    assert panel.used.value.text() == f"{round(used)} kWh"
    assert panel.baseline.value.text() == f"{round(baseline)} kWh"
    assert panel.saved.value.text() == f"{round(saved)} kWh"
    assert panel.euros.value.text() == euros_text(saved * 0.21) == f"{round(saved * 0.21)} €"
    assert panel.co2.value.text() == co2_text(saved * 0.064)
    assert panel.co2.value.text() == f"{saved * 0.064 / 1000:.1f} t"  # over a tonne: in tonnes
    assert "0.21 €/kWh" in panel.euros.note.text()
    assert "0.064 kg CO₂/kWh" in panel.co2.note.text()


def test_a_commune_chosen_shows_its_own_nights_and_figures(qtbot):
    nights = month()
    panel = make_panel(qtbot, nights)
    dijon = "21231"
    panel.choose_commune(dijon)
    drawn = panel.chart.series
    for day, kwh, baseline in zip(drawn.days, drawn.kwh, drawn.baseline_kwh, strict=True):
        (night,) = [n for n in nights if n.commune == dijon and n.night == day]
        assert (kwh, baseline) == (pytest.approx(night.kwh), pytest.approx(night.baseline_kwh))
    own = [n for n in nights if n.commune == dijon]
    assert panel.used.value.text() == f"{round(sum(n.kwh for n in own))} kWh"
    assert "Dijon" in panel.heading.text()
    # the table's row follows the choice, and a row chosen chooses its commune
    chosen = panel.table.selectionModel().selectedRows()
    assert [panel.proxy.data(i) for i in chosen] == ["Dijon"]
    panel.table.selectRow(0)
    first_row = panel.proxy.mapToSource(panel.proxy.index(0, 0)).row()
    assert panel.commune == panel.model.item(first_row).commune != dijon
    assert panel.commune_choice.currentText() == panel.proxy.index(0, 0).data()


def test_every_night_of_all_communes_is_the_sum_of_the_communes_nights(qtbot):
    nights = month()
    panel = make_panel(qtbot, nights)
    drawn = panel.chart.series
    assert drawn.days[0] == FIRST and drawn.days[-1] == LAST and len(drawn.days) == NIGHTS
    for day, kwh, baseline in zip(drawn.days, drawn.kwh, drawn.baseline_kwh, strict=True):
        assert kwh == pytest.approx(sum(n.kwh for n in nights if n.night == day))
        assert baseline == pytest.approx(sum(n.baseline_kwh for n in nights if n.night == day))
    # the night a commune said nothing says so when pointed at
    said = panel.chart.hover_at(SILENT_NIGHTS[0].toordinal())
    assert f"(22 of {len(NAMES)} communes recorded)" in said
    assert panel.readout.text() == said


def test_a_night_without_a_record_is_a_gap_not_a_zero(qtbot):
    panel = make_panel(qtbot)
    panel.choose_commune(SILENT)
    drawn = panel.chart.series
    for day, kwh in zip(drawn.days, drawn.kwh, strict=True):
        assert math.isnan(kwh) == (day in SILENT_NIGHTS)
    assert "nothing recorded" in panel.chart.hover_at(SILENT_NIGHTS[1].toordinal())
    assert panel.used.note.text() == f"over {NIGHTS - 2} night(s)"


def test_communes_are_named_never_coded(qtbot):
    panel = make_panel(qtbot)
    shown = [panel.proxy.index(r, Column.COMMUNE).data() for r in range(panel.proxy.rowCount())]
    assert sorted(shown) == sorted(NAMES.values())
    everything = " ".join(
        str(panel.proxy.index(r, c).data()) for r in range(panel.proxy.rowCount()) for c in Column
    )
    assert not any(code in everything for code in NAMES)
    assert [panel.commune_choice.itemText(i) for i in range(1, 24)] == sorted(NAMES.values())


def test_the_policy_as_written_is_its_projected_night(qtbot):
    projected = policy()
    panel = make_panel(qtbot, projected=projected)
    lights = sum(v[0] for v in projected.per_commune.values())
    kwh = sum(v[1] for v in projected.per_commune.values())
    baseline = sum(v[2] for v in projected.per_commune.values())
    line = panel.policy_line.text()
    assert f"{round(kwh)} kWh a night against {round(baseline)} at full power" in line
    assert f"for {lights} lights, saving {round(baseline - kwh)} kWh" in line
    assert f"{round((baseline - kwh) * 0.21)} € a night" in line
    assert "04/12" in line
    # and per commune, as a share, beside what was saved
    rows = table(panel)
    for insee, (_n, commune_kwh, commune_baseline) in projected.per_commune.items():
        share = round((commune_baseline - commune_kwh) / commune_baseline * 100)
        assert rows[NAMES[insee]][Column.POLICY] == f"{share}%"


def test_without_the_policy_file_the_kwh_are_shown_and_the_euros_are_not(qtbot):
    panel = make_panel(qtbot, tariff=None, projected=PolicyNight(LAST, {}))
    panel.policy = None
    panel.show_energy(month(), first=FIRST, last=LAST, tariff=None, policy=None)
    assert panel.used.value.text().endswith("kWh")
    assert panel.euros.value.text() == "—"
    assert "not projected" in panel.policy_line.text()


def test_the_night_in_progress_is_said_to_be(qtbot):
    panel = make_panel(qtbot)
    assert "(in progress: counted so far)" in panel.chart.hover_at(LAST.toordinal())
    assert "in progress" not in panel.chart.hover_at(LAST.toordinal() - 1)


def test_the_dock_is_the_technicians_and_the_supervisors_behind_the_telemetry():
    from tests.widgets.test_docks import DECLARED

    declared = [*DECLARED, *EnergyDesk.DOCKS]
    shown = perspectives(declared)
    assert "energy" in shown["technician"] and "energy" in shown["supervisor"]
    assert "energy" not in shown["dispatcher"]
    assert ("telemetry", "energy") in tab_pairs(declared)


# --- the desk: read on a lane of its own ------------------------------------------------------
@pytest.fixture
def bridge() -> Iterator[Bridge]:
    bridge = Bridge()
    yield bridge
    bridge.shutdown()


def seat(qtbot, bridge: Bridge, db: Database | None = None) -> SimpleNamespace:
    window = QMainWindow()
    qtbot.addWidget(window)
    return SimpleNamespace(names=NAMES, bridge=bridge, window=window, db=db)


def test_the_desk_reads_the_nights_off_the_gui_thread(qtbot, bridge):
    where: list[threading.Thread] = []

    def read() -> EnergyReading:
        where.append(threading.current_thread())
        return EnergyReading(month(), FIRST, LAST, TARIFF, policy(), None, datetime.now(UTC))

    desk = EnergyDesk(seat(qtbot, bridge), read=read)
    qtbot.addWidget(desk.panel)
    desk.refresh()
    assert desk.panel.read_at.text() == "Reading…"  # the GUI thread goes on meanwhile
    qtbot.waitUntil(lambda: desk.panel.model.rowCount() == len(NAMES), timeout=5_000)
    assert where and where[0] is not threading.main_thread()
    assert desk.panel.refresh.isEnabled()
    assert desk.panel.read_at.text().startswith("Read at ")


def test_a_policy_that_cannot_be_read_is_said_and_the_kwh_stay(qtbot, bridge):
    from services.domain.lighting import LightingPolicyError

    problem = LightingPolicyError("lighting.unreadable", source="ville.toml", reason="absent")
    desk = EnergyDesk(
        seat(qtbot, bridge),
        read=lambda: EnergyReading(month(), FIRST, LAST, None, None, problem, datetime.now(UTC)),
    )
    qtbot.addWidget(desk.panel)
    desk.refresh()
    qtbot.waitUntil(lambda: desk.panel.problem.isVisibleTo(desk.panel), timeout=5_000)
    assert "ville.toml" in desk.panel.problem.text()
    assert desk.panel.used.value.text().endswith("kWh")


def test_the_desk_reads_what_the_recorder_summed(qtbot, bridge, tmp_path):
    """On a real database: meter readings recorded, the panel shows their nights' sums."""
    db = Database(f"sqlite:///{tmp_path}/energy.db")
    upgrade(db)
    now = datetime.now(UTC)
    last = energy_store.night_of(now)
    readings, used = [], {"21231": 0.0, "21617": 0.0}
    for commune, lat, lon, per_hour in (("21231", 47.32, 5.04, 20.0), ("21617", 47.36, 4.99, 3.0)):
        meter = 1000.0
        start = now - timedelta(days=3)
        for hour in range(0, 72, 3):
            at = start + timedelta(hours=hour)
            if hour:
                meter += per_hour * 3
                used[commune] += per_hour * 3
            readings.append(
                energy_store.MeterReading(
                    f"streetlightcontrolcabinet:{commune}-001",
                    at,
                    meter,
                    commune,
                    lat,
                    lon,
                    rated_power_w=per_hour * 1500,
                )
            )
    with db.write() as session:
        energy_store.record_readings(session, readings)
    reader = EnergyReader(db)
    desk = EnergyDesk(seat(qtbot, bridge, db), read=lambda: reader(now))
    qtbot.addWidget(desk.panel)
    desk.refresh()
    qtbot.waitUntil(lambda: desk.panel.model.rowCount() >= 2, timeout=15_000)
    with db.read() as session:
        recorded = energy_store.nights(session, since=last - timedelta(days=NIGHTS - 1))
    for commune in used:
        row = desk.panel.model.item(desk.panel.model.row_of(commune))
        assert row.kwh == pytest.approx(used[commune])  # every delta, whatever its night
        assert row.baseline_kwh == pytest.approx(
            sum(n.baseline_kwh for n in recorded if n.commune == commune)
        )
    assert desk.panel.euros.value.text() != "—"  # the bundled policy's tariff
    db.dispose()


def test_a_night_recorded_before_the_window_is_not_counted(qtbot):
    old = EnergyNight("21231", FIRST - timedelta(days=1), 10_000.0, 20_000.0)
    panel = make_panel(qtbot, [old, EnergyNight("21231", FIRST, 5.0, 9.0)])
    row = panel.model.item(panel.model.row_of("21231"))
    assert (row.kwh, row.baseline_kwh, row.nights) == (5.0, 9.0, 1)


def test_the_figures_read_in_french(qtbot):
    """Numbers as a French workstation writes them: grouped thousands, a decimal comma."""
    from PySide6.QtCore import QLocale

    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.French, QLocale.Country.France))
    try:
        panel = make_panel(qtbot, [EnergyNight("21231", LAST, 12_345.4, 20_000.0)])
        assert panel.used.value.text().replace("\u202f", " ").replace("\xa0", " ") == ("12 345 kWh")
        assert "0,21" in panel.euros.note.text()
    finally:
        QLocale.setDefault(before)


def test_dates_are_the_rooms_day_and_month(qtbot):
    panel = make_panel(qtbot)
    assert panel.heading.text() == (
        f"Last {NIGHTS} nights, {FIRST:%d/%m} to {LAST:%d/%m}, all communes"
    )
    axis = panel.chart.getPlotItem().getAxis("bottom")
    assert axis.tickStrings([float(date(2026, 12, 4).toordinal())], 1, 1) == ["04/12"]


def test_the_table_sorts_by_the_numbers_not_their_text(qtbot):
    panel = make_panel(qtbot)
    panel.table.sortByColumn(Column.KWH, Qt.SortOrder.DescendingOrder)
    assert panel.proxy.index(0, Column.COMMUNE).data() == "Dijon"  # the most lights


def test_a_technicians_console_reads_the_energy_when_its_dock_is_shown(db, broker, qtbot, tmp_path):
    from console.app import Console
    from services.domain.operators import Role

    with db.write() as session:
        energy_store.record_readings(
            session,
            [
                energy_store.MeterReading(
                    "streetlightcontrolcabinet:21231-001", at, kwh, "21231", 47.32, 5.04,
                    rated_power_w=30_000.0,
                )
                for at, kwh in (
                    (datetime.now(UTC) - timedelta(hours=9), 100.0),
                    (datetime.now(UTC) - timedelta(hours=1), 250.0),
                )
            ],
        )  # fmt: skip
    console = Console(db, broker.url, "energy", "t.roux", Role.TECHNICIAN, config_folder=tmp_path)
    qtbot.addWidget(console.window)
    console.start()
    try:
        dock = console.window.docks["energy"]
        assert "energy" in console.view.perspectives["technician"]
        assert dock.toggleViewAction() in console.window.panels_menu.actions()
        dock.show()
        dock.raise_()
        panel = console.desks.energy.panel
        qtbot.waitUntil(lambda: panel.read_at.text().startswith("Read at"), timeout=20_000)
        row = panel.model.item(panel.model.row_of("21231"))
        assert row.kwh == pytest.approx(150.0)
        assert panel.table.model().index(0, Column.COMMUNE).data() == "Dijon"
    finally:
        console.stop()


def test_the_panel_paints_before_anything_is_read(qtbot):
    """Shown before its first reading (a dock opened at once): an empty plot, drawn."""
    panel = EnergyPanel(NAMES)
    qtbot.addWidget(panel)
    panel.resize(700, 500)
    panel.show()
    qtbot.waitExposed(panel)
    assert not panel.grab().isNull()
    assert panel.used.value.text() == "—"
    axis = panel.chart.getPlotItem().getAxis("bottom")
    assert axis.tickStrings([0.0, 1.0], 1, 1) == ["", "01/01"]
