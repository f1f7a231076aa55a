"""File > Daily report…: only for the roles that run reports; it writes the PDF and audits it."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QDateEdit
from sqlalchemy import text

from console.bridge import Bridge
from console.desks.report import ReportDesk
from console.desks.seat import Seat
from console.reports import daily
from console.shell.main_window import MainWindow
from console.text import report as words
from services.backfill import backfill
from services.domain.operators import Role
from services.permissions import load_matrix
from services.reference import communes
from services.store.database import Database
from services.store.schema import upgrade
from tests.cli.test_report_cli import DAY, HISTORY
from tests.conftest import seed_room

NAMES = {c.insee: c.name for c in communes()}


@pytest.fixture(scope="module")
def room(tmp_path_factory) -> Iterator[Database]:
    db = Database(f"sqlite:///{tmp_path_factory.mktemp('room') / 'vigie.db'}")
    upgrade(db)
    seed_room(db)
    backfill(db, **HISTORY)
    yield db
    db.dispose()


@pytest.fixture
def bridge() -> Iterator[Bridge]:
    bridge = Bridge()
    yield bridge
    bridge.shutdown()


def _desk(qtbot, db: Database, bridge: Bridge, operator: str, role: Role) -> ReportDesk:
    window = MainWindow(operator)
    qtbot.addWidget(window)
    seat = Seat(operator, role, db, bridge, None, window, NAMES, load_matrix())  # type: ignore[arg-type]
    return ReportDesk(seat)


def test_a_dispatcher_has_no_daily_report_in_the_file_menu(qtbot, room, bridge):
    desk = _desk(qtbot, room, bridge, "c.bernard", Role.DISPATCHER)
    assert desk.action is None
    assert all("report" not in a.text().lower() for a in desk.seat.window.file_menu.actions())


def test_a_supervisor_saves_the_days_report_and_the_act_is_audited(qtbot, room, bridge, tmp_path):
    desk = _desk(qtbot, room, bridge, "s.petit", Role.SUPERVISOR)
    menu = desk.seat.window.file_menu.actions()
    assert desk.action in menu and menu.index(desk.action) < menu.index(
        desk.seat.window.quit_action
    )
    dialog = desk.ask_day()
    assert dialog.isVisible()
    dialog.reject()
    out = tmp_path / "daily.pdf"
    desk.produce(DAY, out)
    qtbot.waitUntil(
        lambda: "written to" in desk.seat.window.statusBar().currentMessage(), timeout=30_000
    )
    told = desk.seat.window.statusBar().currentMessage()
    assert told.startswith("Daily report of Saturday 5 December 2026 written to")  # not ISO
    said = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Daily report of the control room" in said and "Saturday 5 December 2026" in said
    with room.read() as session:
        audited = session.execute(
            text("SELECT operator, target FROM audit_log WHERE action = 'report.daily'")
        ).all()
    assert audited == [("s.petit", f"report:{DAY.isoformat()}")]


def test_the_day_is_written_as_the_reports_language_writes_it(qtbot, room, bridge):
    """Not the system's short format (``12/4/26`` on an American system): the operator's."""
    system = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    try:
        desk = _desk(qtbot, room, bridge, "s.petit", Role.SUPERVISOR)
        dialog = desk.ask_day()
        chooser = dialog.findChild(QDateEdit, "daily_report_date")
        assert chooser.displayFormat() == "dd/MM/yyyy"  # British English: day first, year in full
        day = chooser.date()
        assert chooser.text() == f"{day.day():02d}/{day.month():02d}/{day.year()}"
        dialog.reject()
    finally:
        QLocale.setDefault(system)


def test_the_reports_chart_writes_figures_in_the_reports_language(
    qtbot, room, bridge, tmp_path, monkeypatch
):
    asked: list[dict] = []
    drawing = daily.render_bars

    def seen(*args, **kwargs):
        asked.append(kwargs)
        return drawing(*args, **kwargs)

    monkeypatch.setattr(daily, "render_bars", seen)
    desk = _desk(qtbot, room, bridge, "s.petit", Role.SUPERVISOR)
    desk.produce(DAY, tmp_path / "daily.pdf")
    qtbot.waitUntil(lambda: bool(asked), timeout=30_000)
    assert asked[0]["locale"] == words.locale()
    qtbot.waitUntil(
        lambda: "written to" in desk.seat.window.statusBar().currentMessage(), timeout=30_000
    )
