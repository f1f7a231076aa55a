"""A selection of devices commanded at once: one command per device, one outcome for them all.

The field contract knows commands to one device and to groups it defines (a StreetlightGroup, a
commune, a type); an operator's selection is none of these, so each device gets its own command
(its own request id, acked by its own gateway), and their outcomes add up as a group's do.
"""

from __future__ import annotations

from collections.abc import Sequence

from services.commands.outcome import Outcome
from services.domain.commands import CommandStatus, group_outcome


def selection_outcome(outcomes: Sequence[Outcome]) -> Outcome:
    """What the devices' outcomes add up to: pending while one is, then as a group's."""
    if any(not o.final for o in outcomes):
        return Outcome(
            CommandStatus.PENDING,
            succeeded=sum(o.status is CommandStatus.DONE for o in outcomes),
            failed=tuple(f for o in outcomes for f in o.failed),
        )
    succeeded = sum(o.status is CommandStatus.DONE for o in outcomes)
    silent = [o for o in outcomes if o.status is CommandStatus.TIMED_OUT]
    failed = tuple(f for o in outcomes for f in o.failed)
    answered = len(outcomes) - len(silent)
    return Outcome(
        group_outcome(succeeded, len(failed), len(silent), answered),
        succeeded=succeeded,
        failed=failed,
    )
