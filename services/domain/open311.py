"""Open311 GeoReport v2: the city's services, a citizen's request, and what the citizen reads.

Plain rules, no I/O: the city's service list (``resources/open311-services.csv`` and
``open311-attributes.csv``) becomes ``Service`` values; a posted request's ``attribute[...]``
are checked against its service's definition; an incident's status becomes the request's
``open`` or ``closed``. Errors carry the specification's codes through ``RequestRefused``,
whose ``key`` the service answers with (``services/opendata``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from services.domain.errors import VigieError
from services.domain.incidents import IncidentStatus

#: A request posted to the service is the incident of this number: the citizen quotes the
#: number a dispatcher sees (#1234 is V-1234), and it cannot collide with another app's ids.
REQUEST_ID_PREFIX = "V-"
#: Who records a citizen's request and writes its audit entry (``system:``, as the recorder).
OPENDATA = "system:opendata"

#: The specification's datatypes of a service definition's attributes.
DATATYPES = frozenset({"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"})
#: A citizen's photo: stored with the request, at most what the field contract allows.
MAX_PHOTO_BYTES = 2 * 1024 * 1024
PHOTO_TYPES = frozenset({"image/jpeg", "image/png"})
#: A request's own texts: enough for a citizen's paragraph, not a document.
MAX_DESCRIPTION = 4000
MAX_ADDRESS = 500
MAX_ATTRIBUTE = 1000
_NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")
_API_KEY_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")


class RequestRefused(VigieError):
    """A request the specification's error answer describes: HTTP status and description key."""

    def __init__(self, status: int, key: str, /, **params: object) -> None:
        super().__init__(key, **params)
        self.status = status


@dataclass(frozen=True, slots=True)
class AttributeValue:
    key: str
    name: str


@dataclass(frozen=True, slots=True)
class Attribute:
    """One question of a service definition (GeoReport v2, GET Service Definition)."""

    code: str
    order: int
    datatype: str
    required: bool
    description: str
    datatype_description: str = ""
    variable: bool = True  # false: an informational line the citizen does not answer
    values: tuple[AttributeValue, ...] = ()


@dataclass(frozen=True, slots=True)
class Service:
    """One entry of the city's service list, and the incident category its requests become."""

    code: str
    category: str
    name: str
    description: str
    group: str
    keywords: tuple[str, ...]
    agency: str
    type: str = "realtime"
    attributes: tuple[Attribute, ...] = field(default=())

    @property
    def metadata(self) -> bool:
        """The specification's ``metadata``: true when a definition (attributes) exists."""
        return bool(self.attributes)


def w3_time(at: datetime) -> str:
    """A time as the specification writes them: W3C (ISO 8601), UTC, to the second, with Z."""
    return at.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def request_id(incident_id: int) -> str:
    return f"{REQUEST_ID_PREFIX}{incident_id}"


def public_status(status: IncidentStatus | str) -> str:
    """Open311 knows two statuses: the incident's open ones are ``open``, the rest ``closed``."""
    return "open" if IncidentStatus(status).is_open else "closed"


def check_key_name(name: str) -> str:
    """An API key's name: lower-case letters, digits and ``. _ -`` (it is said in audits)."""
    if not _API_KEY_NAME.fullmatch(name):
        raise RequestRefused(400, "open311.key_name", name=name)
    return name


def check_attributes(
    service: Service, given: Mapping[str, Sequence[str]]
) -> dict[str, str | list[str]]:
    """The ``attribute[code]`` answers, checked against the service's definition.

    Returns what is recorded: each answered code to its value (a list for a multivaluelist).
    A code the definition does not have, a required one missing, a value not among a list's
    keys, a number or date that is not one: refused with the specification's 400.
    """
    known = {a.code: a for a in service.attributes}
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise RequestRefused(400, "open311.attribute_unknown", code=unknown[0])
    answers: dict[str, str | list[str]] = {}
    for attribute in sorted(service.attributes, key=lambda a: a.order):
        values = [v.strip() for v in given.get(attribute.code, ()) if v.strip()]
        if not attribute.variable:
            continue
        if not values:
            if attribute.required:
                raise RequestRefused(400, "open311.attribute_required", code=attribute.code)
            continue
        answers[attribute.code] = _checked(attribute, values)
    return answers


def _checked(attribute: Attribute, values: list[str]) -> str | list[str]:
    if any(len(v) > MAX_ATTRIBUTE for v in values):
        raise RequestRefused(400, "open311.attribute_too_long", code=attribute.code)
    keys = {v.key for v in attribute.values}
    if attribute.datatype == "multivaluelist":
        wrong = [v for v in values if v not in keys]
        if wrong:
            code = attribute.code
            raise RequestRefused(400, "open311.attribute_value", code=code, value=wrong[0])
        return list(dict.fromkeys(values))
    if len(values) > 1:
        raise RequestRefused(400, "open311.attribute_single", code=attribute.code)
    value = values[0]
    if attribute.datatype == "singlevaluelist" and value not in keys:
        raise RequestRefused(400, "open311.attribute_value", code=attribute.code, value=value)
    if attribute.datatype == "number" and not _NUMBER.fullmatch(value):
        raise RequestRefused(400, "open311.attribute_value", code=attribute.code, value=value)
    if attribute.datatype == "datetime":
        try:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise RequestRefused(
                400, "open311.attribute_value", code=attribute.code, value=value
            ) from None
    return value
