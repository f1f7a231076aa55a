"""A shift handover's summary in the operator's words: for ``vigie handover`` and the dialog.

One builder for both, so the shell and the console say the same thing. Times are the room's
(with its zone: a handover is read hours later), people and places by name. A section the
reader's role may not read says so, rather than "none": the next shift must not take a hidden
patrol for no patrol out.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from console.text.i18n import fill, translate
from console.text.messages import act_name
from console.text.modes import kind_name, value_name
from services.domain.equipment import EquipmentType
from services.domain.handover import (
    DeviceFault,
    Handover,
    LastAct,
    OpenIncident,
    OpenView,
    PendingCommand,
    Summary,
    UnitOut,
    WaitingApproval,
)
from services.domain.room_time import moment, stamp
from services.reference import communes
from widgets.labels import (
    CATEGORY,
    COMMAND_STATUS,
    EQUIPMENT_TYPE,
    FIELD,
    ROLE,
    STATUS,
    UNIT_KIND,
    UNIT_STATUS,
    label,
    status_label,
)

STREETLIGHT = EquipmentType.STREETLIGHT.value
#: Up to this many street lights in fault are listed one by one; more are counted per commune.
LIGHTS_LISTED = 5
CONTEXT = "handover"  # the translation context of these words (Qt Linguist groups them)


@dataclass(frozen=True, slots=True)
class Section:
    """A titled part of the summary; ``lines`` is never empty (it says "none" or "not shown")."""

    key: str  # open_incidents, units_out, modes, faults, commands, approvals, views, logbook
    title: str
    lines: list[str]
    hidden: bool = False  # the reader's role may not read it


def _t(translated: str, /, **params: object) -> str:
    """A translated template filled (lupdate finds each ``translate("handover", ...)`` call)."""
    return fill(translated, params)


def header_lines(handover: Handover, now: datetime | None = None) -> list[str]:
    """Who handed over, as what, when, the shift it covers, and whether it was accepted."""
    if handover.draft:  # what its author reads before confirming
        return [
            _t(
                translate("handover", "Handing over as {author} ({role}), not recorded yet"),
                author=handover.author,
                role=label(ROLE, handover.author_role),
            ),
            _t(
                translate("handover", "Shift from {start} to {end}"),
                start=stamp(handover.shift_from),
                end=stamp(handover.started_at),
            ),
        ]
    lines = [
        _t(
            translate("handover", "Handover {id} by {author} ({role}) at {at}"),
            id=handover.id,
            author=handover.author,
            role=label(ROLE, handover.author_role),
            at=stamp(handover.started_at),
        ),
        _t(
            translate("handover", "Shift from {start} to {end}"),
            start=stamp(handover.shift_from),
            end=stamp(handover.started_at),
        ),
    ]
    if handover.accepted_by is not None and handover.accepted_at is not None:
        lines.append(
            _t(
                translate("handover", "Accepted by {by} at {at}"),
                by=handover.accepted_by,
                at=moment(handover.accepted_at, now),
            )
        )
    else:
        lines.append(translate("handover", "Not accepted yet"))
    return lines


def remarks_lines(handover: Handover) -> list[str]:
    return handover.remarks.splitlines() or [translate("handover", "no remarks")]


def summary_sections(summary: Summary, now: datetime | None = None) -> list[Section]:
    """The summary as titled sections of lines, in the order the next shift reads them."""
    return [
        Section("remarks", translate("handover", "Remarks"), remarks_lines(summary.handover)),
        _section(
            "open_incidents",
            translate("handover", "Open incidents"),
            [_incident(i, now) for i in summary.open_incidents],
        ),
        _section(
            "units_out",
            translate("handover", "Units out"),
            None if summary.units_out is None else [_unit(u) for u in summary.units_out],
        ),
        _section(
            "modes",
            translate("handover", "Modes in force"),
            [
                _t(
                    translate("handover", "{kind}: {value} since {since} by {by}"),
                    kind=kind_name(m.kind),
                    value=value_name(m.kind, m.value),
                    since=moment(m.since, now),
                    by=m.by,
                )
                for m in summary.modes
            ],
        ),
        _section(
            "faults",
            translate("handover", "Devices in fault"),
            _faults(summary.faults, now),
        ),
        _section(
            "commands",
            translate("handover", "Commands pending or partial"),
            [_command(c, now) for c in summary.commands_pending],
        ),
        _section(
            "approvals",
            translate("handover", "Approvals waiting"),
            [_approval(a, now) for a in summary.approvals_waiting],
        ),
        _section(
            "views",
            translate("handover", "Camera views open"),
            None
            if summary.camera_views_open is None
            else [_view(v, now) for v in summary.camera_views_open],
        ),
        _section(
            "logbook",
            translate("handover", "Logbook of the shift"),
            [
                _t(
                    translate("handover", "{at} {operator}: {text}"),
                    at=moment(e.at, now),
                    operator=e.operator,
                    text=e.text,
                )
                for e in summary.logbook
            ],
        ),
    ]


def summary_text(summary: Summary, now: datetime | None = None) -> str:
    """The whole summary as plain text: the header, then each section under its title."""
    parts = header_lines(summary.handover, now)
    for section in summary_sections(summary, now):
        parts.append("")
        parts.append(section.title)
        parts.extend(f"  {line}" for line in section.lines)
    return "\n".join(parts)


def _section(key: str, title: str, lines: list[str] | None) -> Section:
    if lines is None:
        return Section(key, title, [translate("handover", "not shown to your role")], hidden=True)
    return Section(key, title, lines or [translate("handover", "none")])


def _where(commune: str | None, place: str | None) -> str:
    """The commune, then the place, unless the place names the commune already."""
    if commune and place and commune.casefold() in place.casefold():
        return place
    return ", ".join(p for p in (commune, place) if p) or "-"


def _last_act(act: LastAct | None, now: datetime | None) -> str:
    if act is None:
        return translate("handover", "no act since it was created")
    said = _said_without_value(act.field)
    if said is not None:
        return _t(
            translate("handover", "{what}, {at} by {by}"),
            what=said,
            at=moment(act.at, now),
            by=act.by,
        )
    return _t(
        translate("handover", "{field} {new}, {at} by {by}"),
        field=label(FIELD, act.field),
        new=_new_value(act),
        at=moment(act.at, now),
        by=act.by,
    )


def _said_without_value(field: str) -> str | None:
    """A change told without what it became (None: with it).

    Coordinates read as nothing to a person, and a description (free text, often long) would
    bury the line; the incident's own view has them.
    """
    if field == "location":
        return translate("handover", "location moved")
    if field == "description":
        return translate("handover", "description edited")
    if field == "priority_reason":
        return translate("handover", "priority's reason edited")
    return None


def _new_value(act: LastAct) -> str:
    """What the field became, in words: a status's or category's label, a commune's name."""
    if act.field == "status":
        return label(STATUS, act.new)
    if act.field == "category":
        return label(CATEGORY, act.new)
    if act.field == "commune" and act.new:
        return next((c.name for c in communes() if c.insee == act.new), act.new)
    return act.new or "-"


def _incident(incident: OpenIncident, now: datetime | None) -> str:
    """One open incident, with its last act and its unit only when it has some.

    A busy night lists hundreds: lines repeating "no act" or "no unit" bury those that say more.
    """
    line = _t(
        translate("handover", "P{priority} #{id} {category}, {where}: {status}"),
        priority=incident.priority,
        id=incident.id,
        category=label(CATEGORY, incident.category),
        where=_where(incident.commune_name, incident.place),
        status=label(STATUS, incident.status),
    )
    act = incident.last_act
    if act is not None and act.field != "created":
        line += _t(translate("handover", "; last: {last}"), last=_last_act(act, now))
    if incident.unit:
        line += _t(translate("handover", "; unit: {unit}"), unit=incident.unit)
    return line


def _unit(unit: UnitOut) -> str:
    if unit.incident_id is None:
        return _t(
            translate("handover", "{name} ({kind}): {status}"),
            name=unit.name,
            kind=label(UNIT_KIND, unit.kind),
            status=label(UNIT_STATUS, unit.status),
        )
    return _t(
        translate("handover", "{name} ({kind}): {status}, incident #{incident} at {where}"),
        name=unit.name,
        kind=label(UNIT_KIND, unit.kind),
        status=label(UNIT_STATUS, unit.status),
        incident=unit.incident_id,
        where=_where(unit.commune_name, unit.place),
    )


def _faults(faults: list[DeviceFault], now: datetime | None) -> list[str]:
    """Each device in fault, but street lights counted per commune on one line.

    A city has tens of thousands of lights and a hundred may be out at once: the next shift
    needs how many and where (each one is in the equipment panel), not a hundred lines burying
    the camera or the traffic signal that is down. A few are listed one by one.
    """
    lights = Counter(f.commune_name or "-" for f in faults if f.type == STREETLIGHT)
    if lights.total() <= LIGHTS_LISTED:
        return [_fault(f, now) for f in faults]
    lines = [_fault(f, now) for f in faults if f.type != STREETLIGHT]
    if lights:
        where = ", ".join(f"{name} {count}" for name, count in lights.most_common())
        lines.append(
            _t(
                translate("handover", "street lights: {count} in fault ({communes})"),
                count=lights.total(),
                communes=where,
            )
        )
    return lines


def _fault(fault: DeviceFault, now: datetime | None) -> str:
    return _t(
        translate("handover", "{name} ({type}, {commune}): {status} since {since}"),
        name=fault.name,
        type=label(EQUIPMENT_TYPE, fault.type),
        commune=fault.commune_name or "-",
        status=status_label(fault.status),
        since=moment(fault.since, now) if fault.since else "-",
    )


def _command(command: PendingCommand, now: datetime | None) -> str:
    return _t(
        translate("handover", "{command} to {target}: {status}, issued {at} by {by}"),
        command=command.command,
        target=command.target,
        status=label(COMMAND_STATUS, command.status),
        at=moment(command.issued_at, now),
        by=command.issued_by,
    )


def _approval(approval: WaitingApproval, now: datetime | None) -> str:
    return _t(
        translate("handover", "{act} asked {at} by {by} ({reason}), until {until}"),
        act=act_name(approval.act),
        at=moment(approval.requested_at, now),
        by=approval.requested_by,
        reason=approval.reason,
        until=moment(approval.expires_at, now),
    )


def _view(view: OpenView, now: datetime | None) -> str:
    return _t(
        translate("handover", "{camera} watched by {operator} since {at}: {purpose}"),
        camera=view.camera,
        operator=view.operator,
        at=moment(view.opened_at, now),
        purpose=view.purpose,
    )
