"""Phone calls to the hotline ("Allo mairie"): what a call must say to become an incident.

The caller's contact is personal data: it is kept apart from the incident and purged after it
closes; only what the task needs is asked (a name and a way to call back, both optional).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from services.domain.errors import InvalidInput
from services.domain.geography import valid_coordinates

_PHONE = re.compile(r"^\+?[0-9 .-]{6,20}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class CallDraft:
    category: str
    description: str
    place: str = ""  # address or landmark, as the caller says it
    commune: str | None = None  # INSEE code
    lat: float | None = None
    lon: float | None = None
    caller_name: str = ""
    caller_phone: str = ""
    caller_email: str = ""


def check_call(draft: CallDraft, known_communes: set[str]) -> CallDraft:
    """The draft cleaned, or ``InvalidInput`` naming the field that is wrong."""
    if not draft.category:
        raise InvalidInput("call.category_required", field="category")
    if not draft.description.strip():
        raise InvalidInput("call.description_required", field="description")
    if draft.commune is not None and draft.commune not in known_communes:
        raise InvalidInput("call.unknown_commune", field="commune", value=draft.commune)
    has_point = draft.lat is not None and draft.lon is not None
    if (draft.lat is None) != (draft.lon is None):
        raise InvalidInput("call.half_coordinates", field="lat")
    if has_point and not valid_coordinates(draft.lat, draft.lon):  # type: ignore[arg-type]
        raise InvalidInput("call.bad_coordinates", field="lat")
    if not (draft.place.strip() or draft.commune or has_point):
        raise InvalidInput("call.place_required", field="place")
    if draft.caller_phone and not _PHONE.match(draft.caller_phone.strip()):
        raise InvalidInput("call.bad_phone", field="caller_phone", value=draft.caller_phone)
    if draft.caller_email and not _EMAIL.match(draft.caller_email.strip()):
        raise InvalidInput("call.bad_email", field="caller_email", value=draft.caller_email)
    return CallDraft(
        category=draft.category,
        description=draft.description.strip(),
        place=draft.place.strip(),
        commune=draft.commune,
        lat=draft.lat,
        lon=draft.lon,
        caller_name=draft.caller_name.strip(),
        caller_phone=draft.caller_phone.strip(),
        caller_email=draft.caller_email.strip(),
    )
