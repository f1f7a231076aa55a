"""The citizen hears back: each Open311 request's status, retained on the bus when it moves.

The citizen app's gateway subscribes to ``{root}/events/reports/#`` (field contract, "The
citizen's answer"). Consoles change incidents in the database, so the recorder looks, once a
sweep, for requests whose incident or public notes changed since its last look (indexed on
both), and publishes those whose public status differs from what it last published. On start
it looks a day back: a status that moved while no recorder ran is published then, and the
GeoReport service answers it at any time.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from services.domain.open311 import w3_time
from services.store import open311
from services.store.open311 import PublicRequest

#: Looks overlap by this: a change stamped by another clock (a console's workstation, the
#: database's), or committed long after it was stamped, is still seen. As much as the record
#: tolerates of a clock's drift, and more; a status told already is not told again.
OVERLAP = timedelta(minutes=6)
FIRST_LOOK_BACK = timedelta(days=1)
#: The statuses told are remembered for this many requests (then a repeat is only harmless).
REMEMBERED = 50_000


def status_payload(request: PublicRequest) -> dict[str, Any]:
    return {
        "service_request_id": request.service_request_id,
        "service_code": request.service_code,
        "status": request.status,
        "status_notes": request.status_notes,
        "updated_datetime": w3_time(request.updated_at),
        "expected_datetime": w3_time(request.expected_at) if request.expected_at else None,
    }


class CitizenStatuses:
    """What the recorder last told the bus of each request, and since when it looked."""

    def __init__(self, now: datetime) -> None:
        self.since = now - FIRST_LOOK_BACK
        self._told: dict[str, dict[str, Any]] = {}

    def moved(self, session, now: datetime) -> list[tuple[str, dict[str, Any]]]:  # noqa: ANN001
        """(service_request_id, payload) of each status to publish; remembered as told."""
        changed = open311.changed_since(session, self.since - OVERLAP)
        out = []
        for request in changed:
            payload = status_payload(request)
            if self._told.get(request.service_request_id) != payload:
                out.append((request.service_request_id, payload))
        self.since = now  # only once all is read: a failed look is looked at again
        for ident, payload in out:
            self._told[ident] = payload
        if len(self._told) > REMEMBERED:
            for ident in list(self._told)[: len(self._told) - REMEMBERED]:
                del self._told[ident]
        return out
