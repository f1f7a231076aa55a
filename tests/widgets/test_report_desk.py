"""File > Daily report…: only for the roles that run reports; it writes the PDF and audits it."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from console.bridge import Bridge
from console.desks.report import ReportDesk
from console.desks.seat import Seat
from console.shell.main_window import MainWindow
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
