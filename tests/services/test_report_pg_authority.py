"""PostgreSQL lets each role read the figures and the daily report the matrix allows it (issue 22).

A private cluster that checks passwords (``tests/pg_scram.py``). The installer writes a history
(``test_report_figures``' rows written by hand, plus a police patrol's incident and command), then
each operator logs in with its own password and reads the figures through Vigie's services, under
its own login's grants and row-level security: what the Statistics panel reads (no modes, no
camera views) for every role that may see statistics, the whole daily report for those that may
run reports, each equal to the installer's reading. The database itself refuses the rest: the
journal and the camera views to a dispatcher, the winter service's records to a video operator.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import psycopg
import pytest
from sqlalchemy.exc import ProgrammingError

from services.domain.errors import PermissionDenied
from services.domain.figures import Figures, Period
from services.domain.operators import Role
from services.domain.permissions import Act
from services.permissions import load_matrix
from services.reports.figures import daily, figures
from services.store.models import CommandRow, IncidentChangeRow, IncidentRow, UnitRow
from services.store.types import utcnow
from tests.conftest import ROOM
from tests.pg_scram import Room, available, install_room, scram_cluster
from tests.services.test_report_figures import DAY, NETWORK, PARIS, T0, _hand_made

pytestmark = pytest.mark.skipif(not available(), reason="no PostgreSQL server installed here")

PREFIX = "vigie_"
RECORDER_PASSWORD = "enregistreur"
MATRIX = load_matrix()
#: One operator of the room per role that may see the statistics, and per role that may run reports.
STATISTICS = ["c.bernard", "c.morel", "t.roux", "s.petit", "n.faure"]
REPORTS = ["s.petit", "n.faure"]
#: Roles that see the statistics without running reports: the journal and the views are not theirs.
STATISTICS_ONLY = [n for n in STATISTICS if n not in REPORTS]
PATROL_INCIDENT = 9
INSUFFICIENT_PRIVILEGE = "42501"


@dataclass(frozen=True)
class History:
    room: Room
    period: Period  # from the hand-made day to after the seeding (the database dates the journal)
    now: datetime  # when every reading judges open incidents, the same for all
    today: date  # the room's day the mode switch was journaled


@pytest.fixture(scope="module")
def history() -> Iterator[History]:
    with scram_cluster() as cluster:
        db, name = install_room(cluster, PREFIX, RECORDER_PASSWORD)
        # Incidents and their moves, commands, a light's faults, camera views, a snow episode's
        # periods and passes, salt readings and a switch of the snow plan (journaled by the
        # database's clock, hence today: the period reaches from the rows' day to now).
        _hand_made(db)
        with db.write() as session:
            _patrol_incident(session)
        db.dispose()
        now = utcnow() + timedelta(minutes=5)
        yield History(
            room=Room(cluster, name),
            period=Period(DAY.start, now),
            now=now,
            today=now.astimezone(PARIS).date(),
        )


def _patrol_incident(session) -> None:
    """An incident a police patrol was sent to, and the patrol's command: rows whose unit some
    roles may not see (row-level security on ``units``)."""
    session.add_all(
        [
            UnitRow(id="pm-1", kind="patrol", name="Police 1", status="en_route",
                    incident_id=PATROL_INCIDENT),
            UnitRow(id="vo-2", kind="road_crew", name="Voirie 2", status="available"),
        ]
    )  # fmt: skip
    created = T0 + timedelta(minutes=20)
    session.add(
        IncidentRow(
            id=PATROL_INCIDENT, source="call", category="fight", priority=1, status="dispatched",
            commune="21231", assigned_unit="pm-1", created_at=created, updated_at=created,
            updated_by="c.bernard",
        )
    )  # fmt: skip
    session.flush()
    session.add(
        IncidentChangeRow(incident_id=PATROL_INCIDENT, at=created + timedelta(minutes=3),
                          by="c.bernard", field="status", old="new", new="dispatched")
    )  # fmt: skip
    session.add(
        CommandRow(
            request_id="req-patrol", target_type="unit", target="pm-1", command="dispatch",
            params={"incident": PATROL_INCIDENT}, status="done", issued_by="c.bernard",
            issued_at=created + timedelta(minutes=3), expires_at=created + timedelta(minutes=8),
        )
    )  # fmt: skip


def _read(db, h: History, *, whole: bool) -> Figures:
    with db.read() as session:
        return figures(
            session, h.period, modes=whole, camera_views=whole, zone=PARIS, now=h.now,
            network=NETWORK,
        )  # fmt: skip


def _installer(h: History, *, whole: bool) -> Figures:
    db = h.room.owner()
    try:
        return _read(db, h, whole=whole)
    finally:
        db.dispose()


def _refusal(refused: pytest.ExceptionInfo[PermissionDenied]) -> str:
    """The database's own refusal behind Vigie's: a grant missing, not a check of Vigie's."""
    assert refused.value.key == "permission.database_refused"
    cause = refused.value.__cause__
    assert isinstance(cause, ProgrammingError), cause
    assert isinstance(cause.orig, psycopg.errors.InsufficientPrivilege), cause.orig
    assert cause.orig.sqlstate == INSUFFICIENT_PRIVILEGE
    return str(cause.orig)


def test_the_operators_chosen_are_those_the_matrix_allows():
    """The roles tried below are the matrix's, so a change of the matrix shows here."""
    allowed = {r for r in Role if MATRIX.allows(r, Act.SEE_STATISTICS)}
    assert {ROOM[n] for n in STATISTICS} == allowed
    assert {ROOM[n] for n in REPORTS} == {r for r in Role if MATRIX.allows(r, Act.RUN_REPORTS)}
    assert not MATRIX.allows(Role.VIDEO_OPERATOR, Act.SEE_STATISTICS)


def test_the_installer_reads_every_section_of_the_history(history):
    """What the roles' readings are compared with holds something in each section."""
    f = _installer(history, whole=True)
    # 1..5 of the hand-made day, 8 of the next one and the patrol's; not the duplicate 6 nor 7
    # of the day before
    assert f.incidents == 7
    assert f.by_category == {"noise": 6, "fight": 1}
    assert f.commands_by_type["unit"] == {"done": 2}  # one of them the patrol's
    assert f.modes is not None and [(m.kind, m.value, m.operator) for m in f.modes] == [
        ("snow", "1", "c.morel")
    ]
    assert f.camera_views == {"traffic": 2, "incident": 1, "other": 1}
    assert f.snow is not None and (f.snow.episodes, f.snow.passes) == (1, 4)
    assert f.snow.salt_used_t == 130.0  # 10 + 2.5 on the day, 117.5 by the next one
    assert sum(f.lights_in_fault_by_day.values()) > 0 and f.repair.count == 1


@pytest.mark.parametrize("name", STATISTICS)
def test_each_role_that_sees_statistics_reads_the_installers_figures(history, name):
    expected = _installer(history, whole=False)
    with history.room.vigie(name) as db:
        mine = _read(db, history, whole=False)
    assert mine.modes is None and mine.camera_views is None
    assert mine == expected
    assert mine.snow is not None  # the winter service's records, through its own grants


@pytest.mark.parametrize("name", REPORTS)
def test_who_runs_reports_reads_the_whole_report_as_the_installer(history, name):
    expected = _installer(history, whole=True)
    with history.room.vigie(name) as db:
        mine = _read(db, history, whole=True)
        today = daily(db, history.today, PARIS, modes=True, camera_views=True)
    assert mine == expected
    assert mine.modes and mine.camera_views
    owner = history.room.owner()
    try:
        assert today == daily(owner, history.today, PARIS, modes=True, camera_views=True)
    finally:
        owner.dispose()
    assert today.modes is not None and [m.operator for m in today.modes] == ["c.morel"]


@pytest.mark.parametrize("name", STATISTICS_ONLY)
@pytest.mark.parametrize(
    ("section", "view"),
    [("modes", "report_mode_switches"), ("camera_views", "report_camera_views")],
)
def test_the_report_sections_are_refused_by_the_database_to_the_others(
    history, name, section, view
):
    asked = {"modes": False, "camera_views": False, section: True}
    with history.room.vigie(name) as db, pytest.raises(PermissionDenied) as refused:
        with db.read() as session:
            figures(session, history.period, zone=PARIS, now=history.now, network=NETWORK, **asked)
    assert f"permission denied for view {view}" in _refusal(refused)


def test_who_runs_reports_reads_the_report_views_not_the_journals_behind_them():
    """A role given run_reports alone must not read every act nor who watched what and why."""
    from services.domain.permissions import Act
    from services.store.pg_authority import ACT_PRIVILEGES

    granted = set(ACT_PRIVILEGES[Act.RUN_REPORTS])
    assert {"report_mode_switches", "report_camera_views"} <= granted
    assert not granted & {"audit_log", "audit_chain", "camera_views", "camera_snapshots"}


def test_a_dispatcher_may_not_run_the_daily_report(history):
    with history.room.vigie("c.bernard") as db, pytest.raises(PermissionDenied) as refused:
        daily(db, history.today, PARIS, modes=True, camera_views=True)
    assert "permission denied for view" in _refusal(refused)


def test_a_video_operator_does_not_read_the_winter_services_records(history):
    with history.room.vigie("v.lambert") as db, pytest.raises(PermissionDenied) as refused:
        _read(db, history, whole=False)
    assert "permission denied for table mode_periods" in _refusal(refused)
    with history.room.login("v.lambert") as video:
        for table in ("snow_passes", "salt_readings", "mode_periods"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege), video.transaction():
                video.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - our own names
        # It still sees the operations: only the statistics are not its.
        assert video.execute("SELECT count(*) FROM incidents").fetchone()[0] == 9


def test_a_police_patrols_row_security_leaves_the_counts_alone(history):
    """A technician does not see the patrol (``units``' policies) yet counts its incident."""
    with history.room.login("t.roux") as technician:
        units = [u for (u,) in technician.execute("SELECT id FROM units ORDER BY id")]
    assert units == ["vo-2"]
    with history.room.login("c.bernard") as dispatcher:
        units = [u for (u,) in dispatcher.execute("SELECT id FROM units ORDER BY id")]
    assert units == ["pm-1", "vo-2"]
    expected = _installer(history, whole=False)
    for name in ("t.roux", "c.morel", "n.faure", "c.bernard"):
        with history.room.vigie(name) as db:
            mine = _read(db, history, whole=False)
        assert (mine.incidents, mine.by_priority, mine.calls) == (
            expected.incidents,
            expected.by_priority,
            expected.calls,
        ), name
        assert mine.by_category["fight"] == 1, name
        assert mine.commands_by_type == expected.commands_by_type, name
        assert mine.sla == expected.sla, name
