"""A high-impact request's preview: what its requester reads, and what its approver reads.

One builder for both. The requester's console (and ``vigie command``, ``vigie mode``, ``vigie
operator set-role``) records these lines with the request; the approver's panel builds them again
from the request's own act, target and parameters, planned now (``services.approving.replan``),
in the approver's language. An honest request reads the same both ways, unless the field changed
in between; a request whose recorded text was written round Vigie does not, and the panel says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from console.text.commands import describe_plan, describe_selection
from console.text.i18n import fill, translate
from console.text.messages import describe
from console.text.modes import preview_lines
from services.domain.approvals import Approval, ApprovalKind, Rebuilt
from services.domain.errors import VigieError

if TYPE_CHECKING:
    from services.approving import Replanned
    from services.commands.sender import CommandSender, Plan
    from services.modes import SwitchPreview
    from services.store.database import Database


def command_preview(plans: list[Plan], rule: str) -> list[str]:
    """A command (or a selection, one command per device) and the rule that makes it wait."""
    said = describe_plan(plans[0]) if len(plans) == 1 else describe_selection(plans)
    return [said, describe(VigieError(rule))]


def mode_preview(preview: SwitchPreview, rule: str) -> list[str]:
    """A mode switch's whole preview and the rule that makes it wait."""
    return [*preview_lines(preview), describe(VigieError(rule))]


def role_preview(name: str, before: str, after: str) -> list[str]:
    """A role change: the operator, the role they hold, the role asked."""
    return [
        fill(
            translate("cli", "operator {name}: role {before} becomes {after}"),
            {"name": name, "before": before, "after": after},
        )
    ]


def rebuilt_preview(replanned: Replanned, rule: str) -> list[str]:
    """The preview of what approving the request carries out now."""
    if replanned.plans:
        return command_preview(replanned.plans, rule)
    if replanned.switch is not None:
        return mode_preview(replanned.switch, rule)
    if replanned.role_change is not None:
        return role_preview(*replanned.role_change)
    return []


def rebuild(db: Database, sender: CommandSender, playbook_path: str, approval: Approval) -> Rebuilt:
    """What approving the request does, in this operator's words; or why that cannot be said.

    Reads the database (never on the GUI thread); sends nothing.
    """
    from services import approving
    from services.modes import ModeSwitcher
    from services.playbooks import load_playbook

    try:
        modes = None
        if approval.kind is ApprovalKind.MODE:
            modes = ModeSwitcher(db, sender, load_playbook(playbook_path))
        replanned = approving.replan(db, sender, modes, approval)
        return Rebuilt(lines=rebuilt_preview(replanned, approval.rule))
    except VigieError as error:
        return Rebuilt(problem=describe(error))
    except (KeyError, TypeError, ValueError, AttributeError):
        # Written round Vigie: a payload no console or shell of ours would record.
        return Rebuilt(problem=translate("console", "its payload is not one Vigie records"))
