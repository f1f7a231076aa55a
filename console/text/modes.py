"""A mode switch in the operator's words: its preview, its progress, its result.

Shared by ``vigie mode`` and the modes panel, so that the shell and the panel say the same thing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from console.text.commands import LISTED, describe_plan, outcome_lines
from console.text.i18n import fill, translate
from services.domain.room_time import clock, stamp
from services.reference import communes
from widgets.labels import MODE_KIND, MODE_STATE, label, mode_value_label

if TYPE_CHECKING:
    from services.domain.modes import ModeRecord
    from services.modes import SwitchPreview, SwitchProgress


def value_name(kind: str, value: str | None) -> str:
    return mode_value_label(kind, value)


def kind_name(kind: str) -> str:
    return label(MODE_KIND, kind)


def state_name(state: str) -> str:
    return label(MODE_STATE, state)


def describe_record(record: ModeRecord) -> str:
    """``snow plan: 2 intervention (applied) since … by …``."""
    if record.switching_by:
        return fill(
            translate("modes", "{kind}: {value}, {who} is switching it to {target}"),
            {
                "kind": kind_name(record.kind),
                "value": value_name(record.kind, record.value),
                "who": record.switching_by,
                "target": value_name(record.kind, record.target),
            },
        )
    return fill(
        translate("modes", "{kind}: {value} ({state}) since {since} by {by}"),
        {
            "kind": kind_name(record.kind),
            "value": value_name(record.kind, record.value),
            "state": state_name(record.state),
            "since": stamp(record.since),
            "by": record.by,
        },
    )


def preview_lines(preview: SwitchPreview) -> list[str]:
    """Exactly what the switch changes: its commands, devices per commune, SLA, warnings."""
    names = {c.insee: c.name for c in communes()}
    heading = (
        translate("modes", "Roll the {kind} back from {current} to {target}: {title}")
        if preview.rollback
        else translate("modes", "Switch the {kind} from {current} to {target}: {title}")
    )
    lines = [
        fill(
            heading,
            {
                "kind": kind_name(preview.kind),
                "current": value_name(preview.kind, preview.current.value),
                "target": value_name(preview.kind, preview.value),
                "title": preview.entry.title,
            },
        )
    ]
    if not preview.plans:
        lines.append(translate("modes", "No command: the playbook changes nothing in the field."))
    for plan in preview.plans:
        lines.append("  • " + describe_plan(plan))
    if preview.devices_per_commune:
        lines.append(
            fill(
                translate("modes", "{count} device(s): {places}"),
                {
                    "count": preview.device_count,
                    "places": ", ".join(
                        f"{names.get(c, translate('modes', 'unknown'))} {n}"
                        for c, n in preview.devices_per_commune.items()
                    ),
                },
            )
        )
    for priority, before, after in preview.sla_changes:
        lines.append(
            fill(
                translate("modes", "SLA {priority}: {before} min → {after} min"),
                {
                    "priority": priority.name,
                    "before": int(before.total_seconds() // 60),
                    "after": int(after.total_seconds() // 60),
                },
            )
        )
    if preview.entry.bus_priority is not None:
        lines.append(
            translate("modes", "Bus priority: on")
            if preview.entry.bus_priority
            else translate("modes", "Bus priority: off")
        )
    for device in preview.unknown_devices:
        lines.append(
            fill(
                translate("modes", "warning: Vigie has never heard of {id}; sent all the same"),
                {"id": device},
            )
        )
    lines += not_undone_lines(preview)
    for group in preview.empty_groups:
        lines.append(
            fill(
                translate("modes", "warning: no known device in {target}; sent all the same"),
                {"target": group},
            )
        )
    return lines


def not_undone_lines(preview: SwitchPreview) -> list[str]:
    """A rollback says what it leaves as the switch it undoes left it."""
    lines = []
    for left in preview.not_undone:
        values = {
            "devices": left.devices,
            "target": left.target,
            "command": left.command,
            "until": clock(left.until) if left.until else "",
        }
        text = (
            translate(
                "modes",
                "not undone: the {command} command to {target} ({devices} device(s)) ends by "
                "itself at {until}",
            )
            if left.until
            else translate(
                "modes",
                "not undone: the {command} command to {target} ({devices} device(s)) stays: "
                "the previous entry says nothing of it",
            )
        )
        lines.append(fill(text, values))
    return lines


def progress_line(progress: SwitchProgress) -> str:
    return fill(
        translate("modes", "{finished} of {total} command(s) answered"),
        {"finished": progress.finished, "total": progress.total},
    )


def result_lines(
    record: ModeRecord, progress: SwitchProgress, *, listed: int | None = LISTED
) -> list[str]:
    """How the switch ended, then the devices that failed and the gateways that never answered."""
    outcome = progress.outcome
    lines = [
        fill(
            translate(
                "modes",
                "{kind} {value}: {state} ({ok} of {devices} device(s) done, {failed} failed, "
                "{silent} gateway(s) silent)",
            ),
            {
                "kind": kind_name(record.kind),
                "value": value_name(record.kind, record.value),
                "state": state_name(record.state),
                "ok": outcome.succeeded,
                "devices": progress.devices,
                "failed": len({device for device, _ in outcome.failed}),
                "silent": len(outcome.silent_gateways),
            },
        )
    ]
    lines += outcome_lines("", progress.outcome, listed=listed)[1:]
    if progress.unanswered:
        lines.append(
            fill(
                translate("modes", "  no answer from: {devices}"),
                {"devices": ", ".join(progress.unanswered)},
            )
        )
    return lines
