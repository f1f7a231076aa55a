"""A high-impact request's preview: what its requester reads, and what its approver reads.

One builder for both. The requester's console (and ``vigie command``, ``vigie mode``, ``vigie
lighting apply``, ``vigie operator set-role``) records these lines with the request; the
approver's panel builds them again from the request's own act, target and parameters, planned
now (``services.approving.replan``), in the approver's language. An honest request reads the
same both ways, unless the field changed in between; a request whose recorded text was written
round Vigie does not, and the panel says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from console.text import lighting as lighting_text
from console.text.commands import describe_plan, describe_selection
from console.text.i18n import fill, translate
from console.text.messages import describe
from console.text.modes import preview_lines
from services.domain.approvals import Approval, ApprovalKind, Rebuilt
from services.domain.errors import InvalidInput, VigieError

if TYPE_CHECKING:
    from services.approving import Replanned
    from services.commands.sender import CommandSender, Plan
    from services.lighting import LightingPreview
    from services.modes import SwitchPreview
    from services.store.database import Database


def command_preview(plans: list[Plan], rule: str) -> list[str]:
    """A command (or a selection, one command per device) and the rule that makes it wait."""
    said = describe_plan(plans[0]) if len(plans) == 1 else describe_selection(plans)
    return [said, describe(VigieError(rule))]


def mode_preview(preview: SwitchPreview, rule: str) -> list[str]:
    """A mode switch's whole preview and the rule that makes it wait."""
    return [*preview_lines(preview), describe(VigieError(rule))]


def lighting_preview(preview: LightingPreview, rule: str) -> list[str]:
    """A lighting policy's whole preview and the rule that makes it wait.

    The policy, its groups and lights per profile, the energy projected against full power.
    """
    return [*lighting_text.preview_lines(preview), describe(VigieError(rule))]


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
    if replanned.lighting is not None:
        return lighting_preview(replanned.lighting, rule)
    if replanned.role_change is not None:
        return role_preview(*replanned.role_change)
    return []


def rebuild(
    db: Database,
    sender: CommandSender,
    playbook_path: str,
    approval: Approval,
    lighting_path: str = "",
) -> Rebuilt:
    """What approving the request does, in this operator's words; or why that cannot be said.

    ``lighting_path``: the city's lighting policy (the ``lighting`` setting; the bundled one when
    empty), for a lighting request. Reads the database (never on the GUI thread); sends nothing.
    """
    from services import approving
    from services.lighting_policy import load_policy
    from services.modes import ModeSwitcher
    from services.playbooks import load_playbook

    try:
        modes, policy, playbook = None, None, None
        if approval.kind is ApprovalKind.MODE:
            modes = ModeSwitcher(db, sender, load_playbook(playbook_path))
        if approval.kind is ApprovalKind.LIGHTING:
            policy, playbook = load_policy(lighting_path), load_playbook(playbook_path)
        replanned = approving.replan(db, sender, modes, approval, policy=policy, playbook=playbook)
        lines = rebuilt_preview(replanned, approval.rule)
        if replanned.changed:  # approving it would send nothing: said first, with what is now
            changed = describe(InvalidInput("lighting.changed_since_request"))
            return Rebuilt(lines=lines, problem=changed)
        return Rebuilt(lines=lines)
    except VigieError as error:
        return Rebuilt(problem=describe(error))
    except (KeyError, TypeError, ValueError, AttributeError):
        # Written round Vigie: a payload no console or shell of ours would record.
        return Rebuilt(problem=translate("console", "its payload is not one Vigie records"))
