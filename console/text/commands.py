"""What a command will do and what came of it, in the operator's words.

Shared by ``vigie command`` and the console's command dialog, so that the shell and the panel
say the same thing (the strings keep the ``cli`` context they were first translated in).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from console.text.i18n import fill, translate
from services.domain.room_time import moment
from services.reference import communes
from widgets.labels import COMMAND_STATUS, label

if TYPE_CHECKING:  # the command line imports this at start: no SQLAlchemy for its sake
    from services.commands.outcome import Outcome
    from services.commands.sender import Plan
    from services.domain.approvals import Approval

#: Devices named one by one in an outcome, before "…".
LISTED = 10


def describe_plan(plan: Plan) -> str:
    r = plan.request
    names = {c.insee: c.name for c in communes()}
    places = ", ".join(names.get(c, c) for c in sorted(plan.communes)) or "-"
    params = said_params(r.params)
    if plan.members is not None:
        return _fill_action(
            translate(
                "cli",
                "{command} {params} on {count} device(s) of {target} "
                "behind {gateways} gateway(s), in {places}",
            ),
            {
                "command": r.command,
                "params": params,
                "count": plan.members.count,
                "target": r.target,
                "gateways": len(plan.members.gateways),
                "places": places,
            },
        )
    return _fill_action(
        translate("cli", "{command} {params} on {type} {target}, in {places}"),
        {
            "command": r.command,
            "params": params,
            "type": r.target_type,
            "target": r.target,
            "places": places,
        },
    )


def describe_selection(plans: list[Plan]) -> str:
    """Several devices chosen one by one: one command each, said once."""
    first = plans[0].request
    names = {c.insee: c.name for c in communes()}
    found = {c for p in plans for c in p.communes}
    places = ", ".join(names.get(c, c) for c in sorted(found)) or "-"
    return _fill_action(
        translate(
            "console",
            "{command} {params} on the {count} selected {type} (one command each), in {places}",
        ),
        {
            "command": first.command,
            "params": said_params(first.params),
            "count": len(plans),
            "type": first.target_type,
            "places": places,
        },
    )


def _fill_action(template: str, params: Mapping[str, Any]) -> str:
    """``fill``, then one space where a command without parameters (``raise``) left two."""
    return re.sub(" {2,}", " ", fill(template, params))


def outcome_lines(request_id: str, outcome: Outcome, *, listed: int | None = LISTED) -> list[str]:
    """The outcome, line by line; ``listed``: silent devices named per gateway (None: all)."""
    lines = [
        fill(
            translate("cli", "{request_id}: {status}, {ok} succeeded"),
            {
                "request_id": request_id,
                "status": label(COMMAND_STATUS, outcome.status.value),
                "ok": outcome.succeeded,
            },
        )
    ]
    for device, reason in outcome.failed:
        lines.append(
            fill(
                translate("cli", "  failed: {device} ({reason})"),
                {"device": device, "reason": reason},
            )
        )
    for gateway, devices in outcome.silent_gateways.items():
        lines.append(
            fill(
                translate(
                    "cli", "  no answer from gateway {gateway} ({count} device(s): {devices})"
                ),
                {
                    "gateway": gateway,
                    "count": len(devices),
                    "devices": ", ".join(devices[:listed])
                    + (" …" if listed is not None and len(devices) > listed else ""),
                },
            )
        )
    if outcome.unconfirmed:
        lines.append(
            fill(
                translate("cli", "  unconfirmed (no known gateway): {devices}"),
                {"devices": ", ".join(outcome.unconfirmed)},
            )
        )
    return lines


def awaiting_line(approval: Approval) -> str:
    """What the console says of an act recorded as requested (the two-person rule)."""
    return fill(
        translate(
            "console",
            "Awaiting approval: nothing is sent until another operator allowed to approve "
            "approves it before {until} (request {id}).",
        ),
        {"until": room_time(approval.expires_at), "id": approval.id[:8]},
    )


def room_time(at: datetime) -> str:
    return moment(at)


def said_params(params: dict[str, Any]) -> str:
    """``powerState=off until=08:00 CET``: a command's parameters as a person reads them.

    ``until`` travels in UTC; read in UTC it seemed already past to a room an hour ahead.
    """
    return " ".join(f"{k}={_said(k, v)}" for k, v in params.items())


def _said(key: str, value: Any) -> str:
    if key == "until" and isinstance(value, str):
        try:
            return moment(datetime.fromisoformat(value.replace("Z", "+00:00")))
        except ValueError:
            return value
    return str(value)
