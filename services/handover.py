"""Shift handovers: what the outgoing operator hands to the next (issue 22).

The summary is generated when it is read, in the reader's own transaction and as the reader's
role may read the record: patrols only for roles that see patrols, open camera views only for
roles that read the camera journal. On PostgreSQL the reader's login reads it, so grants and
row-level security hide the same rows again; the matrix decides which sections are read at all
(a query on a table the login may not read would fail the whole transaction).
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from services.domain.approvals import ApprovalStatus
from services.domain.commands import CommandStatus
from services.domain.errors import NotFound, PermissionDenied
from services.domain.handover import (
    DRAFT_ID,
    DeviceFault,
    Handover,
    LastAct,
    ModeInForce,
    OpenIncident,
    OpenView,
    PendingCommand,
    Summary,
    UnitOut,
    Waiting,
    WaitingApproval,
    check_remarks,
    incident_order,
    shift_start,
)
from services.domain.incidents import OPEN_STATUSES
from services.domain.journal import JournalEntry
from services.domain.operators import Role
from services.domain.permissions import Act, Matrix
from services.domain.units import UnitStatus
from services.reference import communes
from services.store import approvals, authority, handovers
from services.store.database import Database
from services.store.models import (
    CameraViewRow,
    CityModeRow,
    CommandRow,
    EquipmentRow,
    IncidentChangeRow,
    IncidentRow,
    JournalRow,
    UnitRow,
)
from services.store.types import utcnow

#: Commands still waiting for their devices; a partial one only if it was issued in the shift.
WAITING_COMMANDS = (CommandStatus.PENDING.value, CommandStatus.ACCEPTED.value)
#: A command's ``target_type`` for a unit's dispatch (``services/commands/outbox.py``).
UNIT_TARGET = "unit"
OUT = (UnitStatus.EN_ROUTE.value, UnitStatus.ON_SCENE.value)


def _commune_names() -> dict[str, str]:
    return {c.insee: c.name for c in communes()}


def summary(
    session: Session, handover: Handover, matrix: Matrix, role: Role, *, reader: str = ""
) -> Summary:
    """What the next shift must know, as ``role`` may read it, now.

    A role that may not see operations (the admin) is refused: the summary is operations.
    """
    if not matrix.allows(role, Act.SEE_OPERATIONS):
        raise PermissionDenied(
            "permission.refused", operator=reader, role=role.value, act=Act.SEE_OPERATIONS.value
        )
    names = _commune_names()
    kinds = [k.value for k in matrix.unit_kinds(role)]
    units = _units(session, kinds)
    incidents = _open_incidents(session, names, units)
    return Summary(
        handover=handover,
        open_incidents=incidents,
        units_out=_units_out(units, incidents, session, names) if kinds else None,
        modes=_modes(session),
        faults=_faults(session, names),
        commands_pending=_commands(session, handover, names, units),
        approvals_waiting=_approvals(session),
        camera_views_open=(
            _views(session) if matrix.allows(role, Act.READ_CAMERA_JOURNAL) else None
        ),
        logbook=_logbook(session, handover),
    )


def _logbook(session: Session, handover: Handover) -> list[JournalEntry]:
    """The logbook's entries in [shift_from, started_at): read so, not a day's worth filtered."""
    rows = session.execute(
        select(JournalRow)
        .where(JournalRow.at >= handover.shift_from, JournalRow.at < handover.started_at)
        .order_by(JournalRow.at, JournalRow.id)
    ).scalars()
    return [JournalEntry(id=r.id, at=r.at, operator=r.operator, text=r.text) for r in rows]


def _units(session: Session, kinds: list[str]) -> dict[str, UnitRow]:
    """The units the role is shown, by id (on PostgreSQL row-level security hides the same)."""
    if not kinds:
        return {}
    rows = session.execute(select(UnitRow).where(UnitRow.kind.in_(kinds))).scalars()
    return {r.id: r for r in rows}


def _open_incidents(
    session: Session, names: dict[str, str], units: dict[str, UnitRow]
) -> list[OpenIncident]:
    open_ids = select(IncidentRow.id).where(
        IncidentRow.status.in_([s.value for s in OPEN_STATUSES])
    )
    rows = session.execute(select(IncidentRow).where(IncidentRow.id.in_(open_ids))).scalars()
    last = {i: _named(act, units) for i, act in _last_acts(session, open_ids).items()}
    incidents = [
        OpenIncident(
            id=r.id,
            priority=r.priority,
            category=r.category,
            commune=r.commune,
            commune_name=names.get(r.commune or ""),
            place=r.place,
            status=r.status,
            created_at=r.created_at,
            last_act=last.get(r.id),
            unit=_unit_name(units.get(r.assigned_unit or "")),
            unit_id=r.assigned_unit if r.assigned_unit in units else None,
        )
        for r in rows
    ]
    return sorted(incidents, key=incident_order)


def _last_acts(session: Session, incident_ids: Select[tuple[int]]) -> dict[int, LastAct]:
    """Each open incident's newest change (a subquery: a busy night has thousands open)."""
    newest = (
        select(func.max(IncidentChangeRow.id))
        .where(IncidentChangeRow.incident_id.in_(incident_ids))
        .group_by(IncidentChangeRow.incident_id)
    )
    rows = session.execute(select(IncidentChangeRow).where(IncidentChangeRow.id.in_(newest)))
    return {
        r.incident_id: LastAct(field=r.field, new=r.new, at=r.at, by=r.by) for r in rows.scalars()
    }


def _named(act: LastAct, units: dict[str, UnitRow]) -> LastAct:
    """A unit assigned, by its name; "-" when the reader is not shown that unit (a patrol)."""
    if act.field != "assigned_unit" or not act.new:
        return act
    return replace(act, new=_unit_name(units.get(act.new)) or "-")


def _unit_name(row: UnitRow | None) -> str | None:
    return None if row is None else (row.name or row.id)


def _units_out(
    units: dict[str, UnitRow],
    incidents: list[OpenIncident],
    session: Session,
    names: dict[str, str],
) -> list[UnitOut]:
    """Units on their way or on scene, and where they were sent (their incident's place)."""
    out = [u for u in units.values() if u.status in OUT or u.incident_id is not None]
    sent_to = {i.id: (i.commune_name, i.place) for i in incidents}
    missing = {u.incident_id for u in out if u.incident_id and u.incident_id not in sent_to}
    if missing:  # a unit still attached to an incident closed meanwhile
        for r in session.execute(
            select(IncidentRow.id, IncidentRow.commune, IncidentRow.place).where(
                IncidentRow.id.in_(missing)
            )
        ):
            sent_to[r.id] = (names.get(r.commune or ""), r.place)
    listed = [
        UnitOut(
            id=u.id,
            name=_unit_name(u) or u.id,
            kind=u.kind,
            status=u.status,
            incident_id=u.incident_id,
            commune_name=sent_to.get(u.incident_id or 0, (None, None))[0],
            place=sent_to.get(u.incident_id or 0, (None, None))[1],
        )
        for u in out
    ]
    return sorted(listed, key=lambda u: (u.kind, u.name, u.id))


def _modes(session: Session) -> list[ModeInForce]:
    """The snow plan's level and the traffic mode in force (a switch under way keeps its value)."""
    rows = session.execute(select(CityModeRow).order_by(CityModeRow.kind)).scalars()
    return [ModeInForce(kind=r.kind, value=r.value, since=r.since, by=r.by) for r in rows]


def _faults(session: Session, names: dict[str, str]) -> list[DeviceFault]:
    rows = session.execute(
        select(
            EquipmentRow.id,
            EquipmentRow.name,
            EquipmentRow.type,
            EquipmentRow.commune,
            EquipmentRow.status,
            EquipmentRow.fault_since,
        )
        .where(EquipmentRow.fault_since.is_not(None))
        .order_by(EquipmentRow.fault_since, EquipmentRow.id)
    )
    return [
        DeviceFault(
            id=r.id,
            name=r.name or r.id,
            type=r.type,
            commune_name=names.get(r.commune or ""),
            status=r.status or "",
            since=r.fault_since,
        )
        for r in rows
    ]


def _commands(
    session: Session, handover: Handover, names: dict[str, str], units: dict[str, UnitRow]
) -> list[PendingCommand]:
    """Commands waiting, and those that ended partial in the shift, as the reader may read them.

    A dispatch only to a unit the reader is shown: a technician is not told where a patrol went.
    """
    waiting = or_(
        CommandRow.status.in_(WAITING_COMMANDS),
        and_(
            CommandRow.status == CommandStatus.PARTIAL.value,
            CommandRow.issued_at >= handover.shift_from,
            CommandRow.issued_at < handover.started_at,
        ),
    )
    shown = or_(CommandRow.target_type != UNIT_TARGET, CommandRow.target.in_(list(units)))
    rows = session.execute(
        select(CommandRow, EquipmentRow.name)
        .outerjoin(
            EquipmentRow,
            (EquipmentRow.id == CommandRow.target) & (CommandRow.target_type != UNIT_TARGET),
        )
        .where(waiting, shown)
        .order_by(CommandRow.issued_at, CommandRow.request_id)
    ).all()
    return [
        PendingCommand(
            id=c.request_id,
            target=name or _target_name(c.target_type, c.target, names, units),
            target_id=c.target,
            command=c.command,
            issued_by=c.issued_by,
            issued_at=c.issued_at,
            status=c.status,
        )
        for c, name in rows
    ]


def _target_name(
    target_type: str, target: str, names: dict[str, str], units: dict[str, UnitRow]
) -> str:
    """A unit or a commune's group by its name; another group (``all:Streetlight``) as it is."""
    if target_type == UNIT_TARGET:
        return _unit_name(units.get(target)) or target
    kind, _, code = target.partition(":")
    return names.get(code, target) if kind == "commune" else target


def _approvals(session: Session) -> list[WaitingApproval]:
    """The requests awaiting a second operator, oldest first."""
    waiting = approvals.list_all(session, ApprovalStatus.AWAITING)
    return [
        WaitingApproval(
            id=a.id,
            kind=a.kind.value,
            act=a.act,
            reason=a.reason,
            requested_by=a.requested_by,
            requested_at=a.requested_at,
            expires_at=a.expires_at,
        )
        for a in sorted(waiting, key=lambda a: (a.requested_at, a.id))
    ]


def _views(session: Session) -> list[OpenView]:
    rows = session.execute(
        select(CameraViewRow, EquipmentRow.name)
        .outerjoin(EquipmentRow, EquipmentRow.id == CameraViewRow.camera)
        .where(CameraViewRow.closed_at.is_(None))
        .order_by(CameraViewRow.opened_at, CameraViewRow.id)
    ).all()
    return [
        OpenView(
            id=v.id,
            camera=name or v.camera,
            camera_id=v.camera,
            operator=v.viewer,
            purpose=v.purpose,
            opened_at=v.opened_at,
        )
        for v, name in rows
    ]


# --- one transaction each: the console's lanes and ``vigie handover`` ---
def start(db: Database, operator: str, role: Role, remarks: str) -> Handover:
    with db.write() as session:
        return handovers.start(session, operator, role, remarks)


def accept(db: Database, handover_id: int, operator: str) -> Handover:
    with db.write() as session:
        return handovers.accept(session, handover_id, operator)


def pending(db: Database) -> Waiting:
    """The newest handovers not accepted and how many there are (every console, every 30 s)."""
    with db.read() as session:
        return Waiting(handovers.pending(session), handovers.pending_count(session))


def read(
    db: Database, handover_id: int | None, matrix: Matrix, role: Role, *, reader: str = ""
) -> Summary:
    """A handover's summary (``None``: the newest pending one, else the newest), as ``role``."""
    with db.read() as session:
        handover = _which(session, handover_id)
        return summary(session, handover, matrix, role, reader=reader)


def preview(db: Database, operator: str, role: Role, matrix: Matrix, remarks: str = "") -> Summary:
    """The summary a handover started now would show its author, before it is recorded."""
    with db.read() as session:
        now = utcnow()
        previous = handovers.latest(session, author_role=role.value)
        draft = Handover(
            id=DRAFT_ID,
            author=operator,
            author_role=role.value,
            started_at=now,
            shift_from=shift_start(now, previous.started_at if previous else None),
            remarks=check_remarks(remarks),
            accepted_by=None,
            accepted_at=None,
        )
        return summary(session, draft, matrix, role, reader=operator)


def _which(session: Session, handover_id: int | None) -> Handover:
    if handover_id is not None:
        found = handovers.get(session, handover_id)
    else:
        waiting = handovers.pending(session, limit=1)
        found = waiting[0] if waiting else handovers.latest(session)
        if found is None:
            raise NotFound("handover.none")
    if found is None:
        raise NotFound("handover.not_found", id=handover_id)
    return found


def reader(db: Database, operator: str) -> tuple[Matrix, Role]:
    """The matrix in force and the reader's role, as the summary is read by (one read)."""
    with db.read() as session:
        return authority.matrix_in_force(session), authority.role_of(session, operator)
