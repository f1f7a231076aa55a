"""Consoles that died: the recorder closes the camera views they left open (issue 18).

A console says on ``{root}/consoles/{workstation}/status`` that it is online, with its
instance's session; its Last Will, or its clean stop, says offline with the same session
(``services/bus/presence.py``). The recorder remembers, per workstation, the last word it
recorded. An offline closes every view still open on that workstation as ``console_gone``
(``camera_views.close_console_views``, journaled in ``system:recorder``'s name), unless another
session was last seen online there: the late offline of the console an operator handed the desk
over from does not end the views of the one that took it. A workstation never heard of (a
recorder's start, when the broker hands it the retained offline) is closed too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from services.bus.presence import ConsoleStatusMessage
from services.store import camera_views


@dataclass(frozen=True, slots=True)
class Heard:
    """The last word recorded from a workstation's console."""

    online: bool
    session: str | None


def follow_consoles(
    session: Session,
    statuses: Sequence[ConsoleStatusMessage],
    heard: Mapping[str, Heard],
    now: datetime,
) -> tuple[dict[str, Heard], dict[str, list[int]]]:
    """Close the views of the consoles gone, in the order the statuses came.

    Returns what is heard after them (the caller keeps it once the transaction is committed)
    and, per workstation, the views closed.
    """
    after = dict(heard)
    closed: dict[str, list[int]] = {}
    for status in statuses:
        last = after.get(status.workstation)
        if not status.online and last is not None and last.online:
            if last.session != status.session:
                continue  # an older console's word: the newer one is there
        after[status.workstation] = Heard(status.online, status.session)
        if not status.online:
            views = camera_views.close_console_views(session, status.workstation, now)
            if views:
                closed.setdefault(status.workstation, []).extend(views)
    return after, closed
