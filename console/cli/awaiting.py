"""An act that waits for a second operator's approval (the two-person rule), said.

``vigie command``, ``mode`` and ``operator set-role`` exit 3 with the request to approve.
"""

from __future__ import annotations

from console.cli.context import Context, ExitStatus, local_time
from console.text.i18n import fill, translate
from services.domain.approvals import Approval


def awaiting_reply(ctx: Context, approval: Approval) -> ExitStatus:
    """Say the request and how to approve it; exit 3 (the outcome is not known yet)."""
    if ctx.json:
        ctx.emit_json(
            {
                "status": "awaiting_approval",
                "approval_id": approval.id,
                "expires_at": approval.expires_at,
            }
        )
    else:
        ctx.say(
            fill(
                translate(
                    "cli",
                    "awaiting approval {id}: nothing is sent until another operator runs "
                    "'vigie approvals approve {id}' before {until}",
                ),
                {"id": approval.id, "until": local_time(approval.expires_at)},
            )
        )
    return ExitStatus.UNKNOWN
