"""The permission matrix: which Vigie role may do which act (docs/security.md).

Plain data a city edits (``resources/permissions/permissions.toml``), read whole and checked:
every act named, every role known, nothing left to a default. The database and the broker are
the authorities (issue 16); this model is what they are configured from, and what a single
workstation on SQLite applies in its services.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from services.domain.errors import InvalidInput, PermissionDenied
from services.domain.operators import Role
from services.domain.units import UnitKind, visible_kinds


class Act(StrEnum):
    SEE_OPERATIONS = "see_operations"  # the queue, incidents, equipment, modes, telemetry, logbook
    ACT_ON_INCIDENTS = "act_on_incidents"  # create, move, dispatch, merge, notes, priority
    SEE_PATROLS = "see_patrols"  # police patrols' positions and tracks
    SEE_VEHICLES = "see_vehicles"  # road crews' and snow vehicles' positions
    VIEW_CAMERAS = "view_cameras"
    READ_CAMERA_JOURNAL = "read_camera_journal"
    COMMAND_DEVICE = "command_device"
    COMMAND_GROUP = "command_group"  # a group, a commune, all of a type
    SWITCH_SNOW = "switch_snow"
    SWITCH_TRAFFIC = "switch_traffic"
    WRITE_LOGBOOK = "write_logbook"
    APPROVE = "approve"  # a high-impact act of someone else
    READ_AUDIT = "read_audit"
    MANAGE_OPERATORS = "manage_operators"  # add, disable, re-role; the matrix and the rules
    HAND_OVER = "hand_over"  # hand one's shift over to the next operator (issue 22)
    ACCEPT_HANDOVER = "accept_handover"  # accept another operator's handover
    RUN_REPORTS = "run_reports"  # the daily report (main courante), with who switched what
    SEE_STATISTICS = "see_statistics"  # the Statistics panel's figures over a period


#: The acts the admin role may hold: it runs no operational act (separation of duties,
#: docs/security.md), so that no act goes out on the word of the one who decides who may act.
ADMIN_ACTS = frozenset({Act.READ_AUDIT, Act.MANAGE_OPERATORS})


class MatrixError(InvalidInput):
    """A matrix that cannot be used; ``where`` names the file and the entry."""

    key = "permissions.invalid"


@dataclass(frozen=True)
class Matrix:
    allowed: Mapping[Act, frozenset[Role]]
    source: str = ""

    def allows(self, role: Role, act: Act) -> bool:
        return role in self.allowed[act]

    def check(self, operator: str, role: Role, act: Act) -> None:
        """Refuse, naming the act and the role, when the matrix does not allow it."""
        if not self.allows(role, act):
            raise PermissionDenied(
                "permission.refused", operator=operator, role=role.value, act=act.value
            )

    def acts_of(self, role: Role) -> list[Act]:
        return [act for act in Act if role in self.allowed[act]]

    def unit_kinds(self, role: Role) -> frozenset[UnitKind]:
        """The kinds of units whose positions ``role`` is shown."""
        return visible_kinds(
            patrols=self.allows(role, Act.SEE_PATROLS), vehicles=self.allows(role, Act.SEE_VEHICLES)
        )

    def rows(self) -> list[tuple[Act, Role]]:
        """(act, role) for every act a role may do: the matrix as a table stores it."""
        return [(act, role) for act in Act for role in Role if role in self.allowed[act]]


def from_rows(rows: Iterable[tuple[str, str]], source: str) -> Matrix:
    """The matrix a table stored; an act or role this Vigie does not know is ignored."""
    allowed: dict[Act, set[Role]] = {act: set() for act in Act}
    acts, roles = {a.value: a for a in Act}, {r.value: r for r in Role}
    for act, role in rows:
        if act in acts and role in roles:
            allowed[acts[act]].add(roles[role])
    return Matrix({act: frozenset(r) for act, r in allowed.items()}, source)


#: The act each audited action is, by the action's name; ``command.send`` and the mode actions
#: depend on their target too (see ``act_of``). An action not named here is Vigie's own.
_ACT_OF_ACTION = {
    "incident.create": Act.ACT_ON_INCIDENTS,
    "incident.update": Act.ACT_ON_INCIDENTS,
    "incident.note": Act.ACT_ON_INCIDENTS,
    # A note made the citizen's to read, or internal again (issue 19).
    "incident.note_public": Act.ACT_ON_INCIDENTS,
    "incident.note_internal": Act.ACT_ON_INCIDENTS,
    "journal.add": Act.WRITE_LOGBOOK,
    "operator.add": Act.MANAGE_OPERATORS,
    "operator.disable": Act.MANAGE_OPERATORS,
    "operator.enable": Act.MANAGE_OPERATORS,
    "operator.set_role": Act.MANAGE_OPERATORS,
    "operator.passwd": Act.MANAGE_OPERATORS,
    "permissions.load": Act.MANAGE_OPERATORS,
    "playbook.load": Act.MANAGE_OPERATORS,
    "approval.approve": Act.APPROVE,
    # an admin's role change, carried out by the supervisor who approved it
    "operator.set_role_approved": Act.APPROVE,
    "approval.refuse": Act.APPROVE,
    # A console session that shows police patrols' positions (security.md: each is journaled).
    "positions.open_patrols": Act.SEE_PATROLS,
    # A camera watched for a purpose, and watched longer (issue 18); its end is ``OWN_VIEW_CLOSED``.
    "camera.view_opened": Act.VIEW_CAMERAS,
    "camera.view_renewed": Act.VIEW_CAMERAS,
    # A snapshot taken in one's own open view: a recording, journaled (issue 18, item 6).
    "camera.snapshot": Act.VIEW_CAMERAS,
    # The gateways' stream secrets: whoever holds them can open every camera.
    "video.secrets_load": Act.MANAGE_OPERATORS,
    # The Open311 service's API keys: whoever holds one records citizens' requests.
    "opendata.key_add": Act.MANAGE_OPERATORS,
    "opendata.key_revoke": Act.MANAGE_OPERATORS,
    # A lighting policy pushed to the cabinets as profiles (group commands), and its outcome.
    "lighting.apply": Act.COMMAND_GROUP,
    "lighting.result": Act.COMMAND_GROUP,
    # A shift handed over, and accepted by the next operator (never its own author).
    "handover.start": Act.HAND_OVER,
    "handover.accept": Act.ACCEPT_HANDOVER,
    # A daily report produced: it names who switched the city's modes and why.
    "report.daily": Act.RUN_REPORTS,
}
#: An operator changing their own password: no role's act, anyone's right (see ``authority``).
OWN_PASSWORD = "operator.own_password"
#: A viewer closing their own camera view: never refused, even to one whose role lost the act
#: meanwhile (the store checks that the view is theirs).
OWN_VIEW_CLOSED = "camera.view_closed"
_MODE_ACTIONS = {"mode.switch", "mode.rollback", "mode.result"}
_MODE_ACTS = {"snow": Act.SWITCH_SNOW, "traffic": Act.SWITCH_TRAFFIC}


def act_of(action: str, target: str) -> Act | None:
    """The act an audited action is, or None for an action only Vigie itself records.

    A command to a unit is a dispatch (acting on an incident); to a group, a commune or all of a
    type, a group command; to anything else, a device command.
    """
    if action == "command.send":
        kind = target.partition(":")[0]
        if kind == "unit":
            return Act.ACT_ON_INCIDENTS
        return Act.COMMAND_GROUP if kind == "group" else Act.COMMAND_DEVICE
    if action == "approval.request":  # target "{act}:{approval id}": the act it asks for
        try:
            return Act(target.partition(":")[0])
        except ValueError:
            return None
    if action in _MODE_ACTIONS:
        return _MODE_ACTS.get(target.partition(":")[0])
    return _ACT_OF_ACTION.get(action)


def read_matrix(raw: Mapping[str, Any], source: str) -> Matrix:
    """The matrix in a parsed TOML document, checked whole: each act once, known roles only."""
    acts = raw.get("acts")
    if not isinstance(acts, Mapping):
        raise MatrixError("permissions.no_acts", source=source)
    unknown = sorted(set(acts) - {a.value for a in Act})
    if unknown:
        raise MatrixError("permissions.unknown_act", source=source, act=unknown[0])
    missing = [a.value for a in Act if a.value not in acts]
    if missing:
        raise MatrixError("permissions.missing_act", source=source, act=missing[0])
    roles = {r.value: r for r in Role}
    allowed: dict[Act, frozenset[Role]] = {}
    for act in Act:
        names = acts[act.value]
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise MatrixError("permissions.not_a_list", source=source, act=act.value)
        strangers = [n for n in names if n not in roles]
        if strangers:
            raise MatrixError(
                "permissions.unknown_role", source=source, act=act.value, role=strangers[0]
            )
        allowed[act] = frozenset(roles[n] for n in names)
    return Matrix(allowed, source)


def check_separation_of_duties(matrix: Matrix) -> None:
    """Refuse a matrix that gives the admin an operational act, or anyone else the admin's.

    The admin decides who holds which role: with an operational act too, a second operator's
    approval would be the admin's to arrange. ``vigie_load_permissions`` (``pg_admin``) refuses
    the same matrices with the same words.
    """
    for act in Act:
        if Role.ADMIN in matrix.allowed[act] and act not in ADMIN_ACTS:
            raise MatrixError("permissions.admin_operational", source=matrix.source, act=act.value)
    others = sorted(r.value for r in matrix.allowed[Act.MANAGE_OPERATORS] if r is not Role.ADMIN)
    if others:
        raise MatrixError("permissions.manager_not_admin", source=matrix.source, role=others[0])
