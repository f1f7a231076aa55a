"""Shift handovers on SQLite and PostgreSQL: started, accepted by another, summarised per role.

The room's record is written as it stands (rows, not acts), so that what the summary lists can
be told from what it hides: a patrol sent to Chenôve, a road crew on scene in Dijon, a camera
watched, a command still pending, an approval waiting, the shift's logbook.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import event, select

from services import handover as service
from services.domain.errors import Conflict, NotFound, PermissionDenied
from services.domain.handover import DEFAULT_SHIFT, PENDING_LISTED
from services.domain.operators import Role
from services.permissions import load_matrix
from services.store import audit, handovers
from services.store.models import (
    ApprovalRow,
    CameraViewRow,
    CityModeRow,
    CommandRow,
    EquipmentRow,
    HandoverRow,
    IncidentChangeRow,
    IncidentRow,
    JournalRow,
    UnitRow,
)
from services.store.types import utcnow

DIJON, CHENOVE = "21231", "21166"


def _incident(id_: int, priority: int, status: str, commune: str, place: str, **kw) -> IncidentRow:
    at = kw.pop("at")
    return IncidentRow(
        id=id_,
        source="manual",
        category=kw.pop("category", "public_order"),
        priority=priority,
        status=status,
        commune=commune,
        place=place,
        description="",
        created_at=at,
        updated_at=at,
        updated_by="c.bernard",
        version=1,
        **kw,
    )


def seed_shift(session, now: datetime) -> None:
    """A night's record: what a handover at ``now`` must tell, and what it must not."""
    hour = timedelta(hours=1)
    session.add_all(
        [
            EquipmentRow(
                id="cam-darcy",
                type="Camera",
                name="Caméra place Darcy",
                status="ok",
                commune=DIJON,
                attributes={},
                received_at=now,
                updated_at=now,
            ),
            EquipmentRow(
                id="sl-0042",
                type="Streetlight",
                name="Lampadaire 42 rue de Longvic",
                status="defectiveLamp",
                commune=CHENOVE,
                fault_since=now - 3 * hour,
                attributes={},
                received_at=now,
                updated_at=now,
            ),
        ]
    )
    session.flush()
    session.add_all(
        [
            _incident(1, 2, "dispatched", CHENOVE, "place Coluche", at=now - 2 * hour),
            _incident(
                2,
                1,
                "on_scene",
                DIJON,
                "rue de la Liberté",
                category="road_accident",
                at=now - hour,
            ),
            _incident(3, 3, "resolved", DIJON, "rue Monge", at=now - 5 * hour),
            _incident(4, 1, "new", DIJON, "quai Nicolas Rolin", at=now - 4 * hour),
        ]
    )
    session.flush()
    session.add_all(
        [
            UnitRow(id="pm-1", kind="patrol", name="Police 1", status="en_route", incident_id=1),
            UnitRow(id="vo-2", kind="road_crew", name="Voirie 2", status="on_scene", incident_id=2),
            UnitRow(id="vo-3", kind="road_crew", name="Voirie 3", status="available"),
        ]
    )
    session.flush()
    session.execute(
        IncidentRow.__table__.update().where(IncidentRow.id == 1).values(assigned_unit="pm-1")
    )
    session.execute(
        IncidentRow.__table__.update().where(IncidentRow.id == 2).values(assigned_unit="vo-2")
    )
    session.execute(
        CityModeRow.__table__.update()
        .where(CityModeRow.kind == "snow")
        .values(value="2", state="applied", since=now - 6 * hour, by="c.morel")
    )
    session.add_all(
        [
            IncidentChangeRow(
                incident_id=1, at=now - 2 * hour, by="c.bernard", field="status", old="new",
                new="acknowledged",
            ),
            IncidentChangeRow(
                incident_id=1, at=now - 90 * timedelta(minutes=1), by="m.dupont", field="status",
                old="acknowledged", new="dispatched",
            ),
            IncidentChangeRow(
                incident_id=1, at=now - 89 * timedelta(minutes=1), by="m.dupont",
                field="assigned_unit", old=None, new="pm-1",
            ),
            CommandRow(
                request_id="req-pending", target_type="Streetlight", target="sl-0042",
                command="switch", params={}, status="pending", issued_by="t.roux",
                issued_at=now - hour, expires_at=now + hour,
            ),
            CommandRow(
                request_id="req-partial", target_type="group", target="commune:21166",
                command="dim", params={}, status="partial", issued_by="t.roux",
                issued_at=now - 2 * hour, expires_at=now, finished_at=now - hour,
            ),
            CommandRow(
                request_id="req-old-partial", target_type="group", target="commune:21231",
                command="dim", params={}, status="partial", issued_by="t.roux",
                issued_at=now - 40 * hour, expires_at=now - 39 * hour,
            ),
            CommandRow(
                request_id="req-done", target_type="Streetlight", target="sl-0042",
                command="switch", params={}, status="done", issued_by="t.roux",
                issued_at=now - hour, expires_at=now + hour,
            ),
            ApprovalRow(
                id="appr-1", kind="mode", act="switch_snow", payload={}, preview=["snow 3"],
                reason="neige annoncée", rule="approval.snow_level", requested_by="c.morel",
                requested_at=now - hour, expires_at=now + 9 * timedelta(minutes=1),
                status="awaiting",
            ),
            CameraViewRow(
                camera="cam-darcy", viewer="v.lambert", purpose="incident 2", incident_id=2,
                workstation="csu-1", opened_at=now - timedelta(minutes=20),
                expires_at=now + timedelta(minutes=10),
            ),
            CameraViewRow(
                camera="cam-darcy", viewer="v.lambert", purpose="traffic", workstation="csu-1",
                opened_at=now - 3 * hour, expires_at=now - 2 * hour, closed_at=now - 2 * hour,
                closed_because="closed",
            ),
            JournalRow(at=now - 2 * hour, operator="c.bernard", text="Rixe place Coluche"),
            JournalRow(at=now - 20 * hour, operator="c.bernard", text="the day before"),
        ]
    )  # fmt: skip


@pytest.fixture
def room(db):
    now = utcnow()
    with db.write() as session:
        seed_shift(session, now)
    return db


def _actions(db) -> list[tuple[str, str, str]]:
    with db.read() as session:
        return [(e.operator, e.action, e.target) for e in audit.entries(session)]


def test_a_handover_is_started_audited_and_its_shift_follows_the_previous_one(db):
    first = service.start(db, "c.bernard", Role.DISPATCHER, "  Rixe place Coluche à suivre ")
    assert first.remarks == "Rixe place Coluche à suivre" and not first.accepted
    assert first.author_role == "dispatcher"
    assert first.started_at - first.shift_from == timedelta(hours=12)
    second = service.start(db, "m.dupont", Role.DISPATCHER, "")
    assert second.shift_from == first.started_at
    assert [h.id for h in service.pending(db)] == [second.id, first.id]
    with db.read() as session:
        assert handovers.latest(session) == second
        assert handovers.get(session, first.id) == first
        assert handovers.get(session, 999) is None
    assert _actions(db) == [
        ("c.bernard", "handover.start", f"handover:{first.id}"),
        ("m.dupont", "handover.start", f"handover:{second.id}"),
    ]


def test_its_author_may_not_accept_it_another_operator_does_once(db):
    started = service.start(db, "c.bernard", Role.DISPATCHER, "")
    with pytest.raises(PermissionDenied) as own:
        service.accept(db, started.id, "c.bernard")
    assert own.value.key == "handover.own"
    assert [h.id for h in service.pending(db)] == [started.id]  # nothing recorded
    assert len(_actions(db)) == 1
    accepted = service.accept(db, started.id, "m.dupont")
    assert accepted.accepted_by == "m.dupont" and accepted.accepted_at is not None
    assert service.pending(db) == []
    assert _actions(db)[-1] == ("m.dupont", "handover.accept", f"handover:{started.id}")
    with pytest.raises(Conflict) as again:
        service.accept(db, started.id, "t.roux")
    assert again.value.key == "handover.already_accepted"
    with pytest.raises(NotFound):
        service.accept(db, started.id + 100, "t.roux")
    assert len(_actions(db)) == 2


def test_roles_the_matrix_does_not_let_hand_over_or_accept_record_nothing(db):
    with pytest.raises(PermissionDenied) as auditor:
        service.start(db, "n.faure", Role.AUDITOR, "")
    assert auditor.value.params["act"] == "hand_over"
    with db.read() as session:
        assert session.execute(select(HandoverRow)).first() is None
    started = service.start(db, "t.roux", Role.TECHNICIAN, "")
    with pytest.raises(PermissionDenied):
        service.accept(db, started.id, "n.faure")
    assert [h.id for h in service.pending(db)] == [started.id]


def test_a_dispatcher_reads_the_whole_shift_but_no_camera_view(room):
    started = service.start(room, "c.bernard", Role.DISPATCHER, "")
    summary = service.read(room, None, load_matrix(), Role.DISPATCHER)
    assert summary.handover == started
    assert [(i.id, i.priority) for i in summary.open_incidents] == [(4, 1), (2, 1), (1, 2)]
    chenove = summary.open_incidents[2]
    assert (chenove.commune_name, chenove.place, chenove.unit) == (
        "Chenôve",
        "place Coluche",
        "Police 1",
    )
    assert chenove.last_act is not None
    # the unit sent, by its name
    assert (chenove.last_act.field, chenove.last_act.new, chenove.last_act.by) == (
        "assigned_unit",
        "Police 1",
        "m.dupont",
    )
    assert summary.open_incidents[0].last_act is None
    assert summary.units_out is not None
    assert [(u.name, u.incident_id, u.commune_name) for u in summary.units_out] == [
        ("Police 1", 1, "Chenôve"),
        ("Voirie 2", 2, "Dijon"),
    ]
    assert ("snow", "2", "c.morel") in [(m.kind, m.value, m.by) for m in summary.modes]
    assert {m.kind for m in summary.modes} == {"snow", "traffic"}
    assert [(f.name, f.commune_name) for f in summary.faults] == [
        ("Lampadaire 42 rue de Longvic", "Chenôve")
    ]
    assert [(c.id, c.target) for c in summary.commands_pending] == [
        ("req-partial", "Chenôve"),
        ("req-pending", "Lampadaire 42 rue de Longvic"),
    ]
    assert [(a.id, a.act) for a in summary.approvals_waiting] == [("appr-1", "switch_snow")]
    assert summary.camera_views_open is None  # a dispatcher does not read the camera journal
    assert [e.text for e in summary.logbook] == ["Rixe place Coluche"]


def test_a_technician_is_not_shown_the_patrol_and_a_supervisor_sees_the_open_view(room):
    service.start(room, "c.bernard", Role.DISPATCHER, "")
    technician = service.read(room, None, load_matrix(), Role.TECHNICIAN)
    assert technician.units_out is not None
    assert [u.name for u in technician.units_out] == ["Voirie 2"]
    assert {i.id: i.unit for i in technician.open_incidents} == {4: None, 2: "Voirie 2", 1: None}
    patrolled = next(i for i in technician.open_incidents if i.id == 1)
    assert patrolled.last_act is not None and patrolled.last_act.new == "-"  # not the patrol's id
    assert technician.camera_views_open is None
    supervisor = service.read(room, None, load_matrix(), Role.SUPERVISOR)
    assert supervisor.camera_views_open is not None
    assert [(v.camera, v.operator, v.purpose) for v in supervisor.camera_views_open] == [
        ("Caméra place Darcy", "v.lambert", "incident 2")
    ]
    video = service.read(room, None, load_matrix(), Role.VIDEO_OPERATOR)
    assert video.units_out is None  # a video operator sees no unit at all
    with pytest.raises(PermissionDenied):
        service.read(room, None, load_matrix(), Role.ADMIN)


def test_show_picks_the_newest_pending_else_the_newest(db):
    first = service.start(db, "c.bernard", Role.DISPATCHER, "one")
    second = service.start(db, "m.dupont", Role.DISPATCHER, "two")
    matrix = load_matrix()
    assert service.read(db, None, matrix, Role.SUPERVISOR).handover.id == second.id
    service.accept(db, second.id, "c.bernard")
    assert service.read(db, None, matrix, Role.SUPERVISOR).handover.id == first.id
    service.accept(db, first.id, "m.dupont")
    assert service.read(db, None, matrix, Role.SUPERVISOR).handover.id == second.id
    assert service.read(db, first.id, matrix, Role.SUPERVISOR).handover.remarks == "one"
    with pytest.raises(NotFound):
        service.read(db, 999, matrix, Role.SUPERVISOR)


def _dispatch(request_id: str, unit: str, at: datetime) -> CommandRow:
    return CommandRow(
        request_id=request_id, target_type="unit", target=unit, command="dispatch", params={},
        status="pending", issued_by="m.dupont", issued_at=at, expires_at=at + timedelta(hours=1),
    )  # fmt: skip


def test_a_dispatch_is_listed_by_its_units_name_only_to_who_is_shown_the_unit(room):
    with room.write() as session:
        now = utcnow()
        session.add_all([_dispatch("req-patrol", "pm-1", now), _dispatch("req-crew", "vo-3", now)])
    service.start(room, "c.bernard", Role.DISPATCHER, "")

    def dispatches(role: Role) -> list[tuple[str, str, str]]:
        summary = service.read(room, None, load_matrix(), role)
        listed = [c for c in summary.commands_pending if c.command == "dispatch"]
        return [(c.id, c.target, c.target_id) for c in listed]

    assert dispatches(Role.DISPATCHER) == [
        ("req-crew", "Voirie 3", "vo-3"),
        ("req-patrol", "Police 1", "pm-1"),
    ]
    assert dispatches(Role.TECHNICIAN) == [("req-crew", "Voirie 3", "vo-3")]  # not the patrol
    assert dispatches(Role.VIDEO_OPERATOR) == []  # shown no unit at all


def test_the_json_ids_go_with_the_names(room):
    service.start(room, "c.bernard", Role.DISPATCHER, "")
    supervisor = service.read(room, None, load_matrix(), Role.SUPERVISOR)
    assert [(i.unit, i.unit_id) for i in supervisor.open_incidents] == [
        (None, None),
        ("Voirie 2", "vo-2"),
        ("Police 1", "pm-1"),
    ]
    assert [(c.target, c.target_id) for c in supervisor.commands_pending] == [
        ("Chenôve", "commune:21166"),
        ("Lampadaire 42 rue de Longvic", "sl-0042"),
    ]
    assert supervisor.camera_views_open is not None
    assert [(v.camera, v.camera_id) for v in supervisor.camera_views_open] == [
        ("Caméra place Darcy", "cam-darcy")
    ]
    technician = service.read(room, None, load_matrix(), Role.TECHNICIAN)
    assert [i.unit_id for i in technician.open_incidents] == [None, "vo-2", None]  # no patrol


def test_a_shift_starts_at_its_own_desks_previous_handover(db):
    """The snow coordinator hands over at 06:00: the night dispatcher's shift goes on to 07:00."""
    now = utcnow()
    hour = timedelta(hours=1)
    with db.write() as session:
        night = handovers.start(session, "m.dupont", Role.DISPATCHER, "", at=now - 11 * hour)
        snow = handovers.start(session, "c.morel", Role.SNOW_COORDINATOR, "", at=now - hour)
        session.add(JournalRow(at=now - 3 * hour, operator="m.dupont", text="Rixe rue Monge"))
    assert snow.shift_from == snow.started_at - DEFAULT_SHIFT  # no snow handover before it
    draft = service.preview(db, "c.bernard", Role.DISPATCHER, load_matrix())
    assert draft.handover.shift_from == night.started_at
    assert [e.text for e in draft.logbook] == ["Rixe rue Monge"]  # before the snow handover
    day = service.start(db, "c.bernard", Role.DISPATCHER, "")
    assert day.shift_from == night.started_at
    with db.write() as session:  # a desk's handover older than a day starts no shift
        late = handovers.start(session, "c.morel", Role.SNOW_COORDINATOR, "", at=now + 30 * hour)
    assert late.shift_from == late.started_at - DEFAULT_SHIFT


def test_the_shift_is_read_up_to_its_handover_not_after(room):
    started = service.start(room, "c.bernard", Role.DISPATCHER, "")
    later = started.started_at + timedelta(minutes=1)
    with room.write() as session:
        session.add_all(
            [
                CommandRow(
                    request_id="req-after", target_type="group", target="commune:21231",
                    command="dim", params={}, status="partial", issued_by="t.roux",
                    issued_at=later, expires_at=later, finished_at=later,
                ),
                JournalRow(at=later, operator="m.dupont", text="the next shift's"),
            ]
        )  # fmt: skip
    statements: list[str] = []

    def seen(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append(statement)

    event.listen(room.engine, "before_cursor_execute", seen)
    try:
        summary = service.read(room, started.id, load_matrix(), Role.DISPATCHER)
    finally:
        event.remove(room.engine, "before_cursor_execute", seen)
    assert "req-after" not in [c.id for c in summary.commands_pending]  # partial after it
    assert [e.text for e in summary.logbook] == ["Rixe place Coluche"]
    # the logbook is read between the shift's bounds, not from its start on and then filtered
    (read,) = [s for s in statements if "FROM journal" in s]
    assert "journal.at <" in read


def test_the_handovers_waiting_are_read_the_newest_ones_and_counted(db):
    start = utcnow() - timedelta(hours=2)
    with db.write() as session:
        made = [
            handovers.start(
                session, "c.bernard", Role.DISPATCHER, "", at=start + n * timedelta(minutes=1)
            )
            for n in range(PENDING_LISTED + 3)
        ]
    waiting = service.pending(db)
    assert [h.id for h in waiting] == [h.id for h in reversed(made)][:PENDING_LISTED]
    assert (waiting.total, waiting.older) == (PENDING_LISTED + 3, PENDING_LISTED + 2)
    service.accept(db, made[-1].id, "m.dupont")
    assert service.pending(db).total == PENDING_LISTED + 2
