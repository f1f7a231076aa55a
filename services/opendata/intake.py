"""A posted request, checked whole before anything is recorded: the form to a ``NewRequest``.

The specification's fields (form-encoded, or multipart when a photo is uploaded as ``media``),
the service definition's ``attribute[code]`` (and ``attribute[code][]`` for a multivaluelist).
Every refusal is a ``RequestRefused`` with the specification's status; nothing is recorded
before all of it is accepted. ``device_id`` and ``account_id`` are not kept: the request does
not need them (personal data kept to what the task needs).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from functools import cache
from urllib.parse import urlsplit

from services import reference
from services.domain.geography import CommuneIndex
from services.domain.open311 import (
    MAX_ADDRESS,
    MAX_DESCRIPTION,
    MAX_PHOTO_BYTES,
    RequestRefused,
    Service,
    check_attributes,
)
from services.store.open311 import NewRequest

PERSONAL_LIMIT = 200
MAX_URL = 2000
_ATTRIBUTE = re.compile(r"attribute\[([^\[\]]{1,64})\](\[\])?")
#: A photo is what its first bytes say, not what its sender calls it.
_SIGNATURES = {b"\xff\xd8\xff": "image/jpeg", b"\x89PNG\r\n\x1a\n": "image/png"}


@cache
def _index() -> CommuneIndex:
    return CommuneIndex(reference.communes())


def services_by_code() -> dict[str, Service]:
    return {s.code: s for s in reference.open311_services()}


def photo_type(data: bytes) -> str:
    for signature, kind in _SIGNATURES.items():
        if data.startswith(signature):
            return kind
    raise RequestRefused(400, "open311.photo_not_image")


def new_request(
    form: Mapping[str, list[str]], key_name: str, photo: bytes | None = None
) -> NewRequest:
    """The request the form describes; refused (400, 404, 413) as a whole when it breaks a rule."""
    code = _one(form, "service_code")
    if not code:
        raise RequestRefused(400, "open311.service_code_missing")
    service = services_by_code().get(code)
    if service is None:
        raise RequestRefused(404, "open311.service_unknown", code=code)
    lat, lon = _position(form)
    address = _one(form, "address_string") or _one(form, "address_id")
    if lat is None and not address:
        raise RequestRefused(400, "open311.location_missing")
    if address and len(address) > MAX_ADDRESS:
        raise RequestRefused(400, "open311.too_long", field="address_string", limit=MAX_ADDRESS)
    description = _one(form, "description") or ""
    if len(description) > MAX_DESCRIPTION:
        raise RequestRefused(400, "open311.too_long", field="description", limit=MAX_DESCRIPTION)
    answers = check_attributes(service, _attributes(form))
    commune, flags = None, ()
    if lat is not None and lon is not None:
        nearest, outside = _index().commune_of(lat, lon)
        commune, flags = nearest.insee, (("outside_metropole",) if outside else ())
    kind = None
    if photo is not None:
        if len(photo) > MAX_PHOTO_BYTES:
            raise RequestRefused(413, "open311.photo_too_big", limit=MAX_PHOTO_BYTES)
        kind = photo_type(photo)
    return NewRequest(
        service=service,
        lat=lat,
        lon=lon,
        commune=commune,
        address=address,
        description=description.strip(),
        attributes=answers,
        api_key=key_name,
        media_url=_media_url(form),
        photo_type=kind,
        photo=photo,
        personal=_personal(form),
        flags=flags,
    )


def _one(form: Mapping[str, list[str]], name: str) -> str | None:
    values = form.get(name) or []
    value = values[-1].strip() if values else ""
    return value or None


def _position(form: Mapping[str, list[str]]) -> tuple[float | None, float | None]:
    lat, lon = _one(form, "lat"), _one(form, "long")
    if lat is None and lon is None:
        return None, None
    if lat is None or lon is None:
        raise RequestRefused(400, "open311.lat_long_pair")
    try:
        values = float(lat), float(lon)
    except ValueError:
        raise RequestRefused(400, "open311.lat_long_bad", lat=lat, long=lon) from None
    if not all(math.isfinite(v) for v in values) or abs(values[0]) > 90 or abs(values[1]) > 180:
        raise RequestRefused(400, "open311.lat_long_bad", lat=lat, long=lon)
    return values


def _attributes(form: Mapping[str, list[str]]) -> dict[str, list[str]]:
    given: dict[str, list[str]] = {}
    for name, values in form.items():
        match = _ATTRIBUTE.fullmatch(name)
        if match is not None:
            given.setdefault(match[1], []).extend(values)
        elif name.startswith("attribute"):
            raise RequestRefused(400, "open311.attribute_form", name=name[:80])
    return given


def _media_url(form: Mapping[str, list[str]]) -> str | None:
    url = _one(form, "media_url")
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > MAX_URL:
        raise RequestRefused(400, "open311.media_url_bad")
    return url


def _personal(form: Mapping[str, list[str]]) -> dict[str, str]:
    personal = {}
    for name in ("first_name", "last_name", "email", "phone"):
        value = _one(form, name)
        if value is not None:
            if len(value) > PERSONAL_LIMIT:
                raise RequestRefused(400, "open311.too_long", field=name, limit=PERSONAL_LIMIT)
            personal[name] = value
    return personal
