"""Why a payload was refused, in words a technician understands: every error, and where.

pydantic's messages are written for programmers ("Input tag 'geo:json' found using 'type' does
not match any of the expected tags…"); ``describe`` says each one in the contract's terms, with
the field's path, and never quotes a value the payload sent (a reporter's e-mail or phone could
be one): only the geometry type a location named. ``joined`` bounds the whole reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from pydantic_core import ValidationError

MAX_REASON = 2000  # characters: room for a few dozen errors, not for a payload's worth
GEOMETRIES = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon")

#: The contract's patterns, by what they mean.
_PATTERNS = {
    r"^[A-Za-z0-9:._-]{1,128}$": "not an identifier (1 to 128 of A-Z a-z 0-9 : . _ -)",
    r"^\d[0-9AB]\d{3}$": "not an INSEE commune code (5 characters, such as 21231 or 2A004)",
}

_SAME_WORDS = {
    "missing": "required, missing",
    "string_type": "must be text",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "finite_number": "not a finite number",
    "list_type": "must be a list",
    "tuple_type": "must be a list",
    "dict_type": "must be an object",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
    "union_tag_not_found": "has no 'type' saying which GeoJSON geometry it is "
    "(" + ", ".join(GEOMETRIES) + ")",
}


def describe(error: ValidationError) -> list[str]:
    """Each error of ``error``: ``"where: what"``, in the contract's words."""
    return [
        f"{where(e['loc'])}: {_words(e)}"
        for e in error.errors(include_url=False, include_input=False)
    ]


def where(loc: Sequence[Any]) -> str:
    """A field's path (``location.coordinates.0``), without pydantic's own markers.

    A discriminated union puts the tag it chose (``Point``) in the path, a union the member it
    tried (``function-after[...]``); neither is a field of the payload.
    """
    parts = [
        str(p) for p in loc if not isinstance(p, str) or (p not in GEOMETRIES and "[" not in p)
    ]
    return ".".join(parts) or "payload"


def _words(error: Any) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind in _SAME_WORDS:
        return _SAME_WORDS[kind]
    match kind:
        case "union_tag_invalid":
            tag = ctx.get("tag", "")
            if isinstance(tag, str) and len(tag) > 40:
                tag = tag[:40] + "…"
            return f"{tag!r} is not a GeoJSON geometry type ({', '.join(GEOMETRIES)})"
        case "literal_error":
            expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
            return f"must be one of {expected}"
        case "string_pattern_mismatch":
            return _PATTERNS.get(ctx.get("pattern", ""), "not of the form the contract gives")
        case "string_too_long":
            limit = ctx.get("max_length")
            return f"longer than {limit} characters (the record keeps at most {limit})"
        case "too_long":
            return f"more than {ctx.get('max_length')} items"
        case "too_short":
            return f"fewer than {ctx.get('min_length')} items"
        case "greater_than_equal":
            return f"must be at least {ctx.get('ge')}"
        case "less_than_equal":
            return f"must be at most {ctx.get('le')}"
        case "greater_than":
            return f"must be more than {ctx.get('gt')}"
        case "less_than":
            return f"must be less than {ctx.get('lt')}"
        case "value_error":
            return str(error["msg"]).removeprefix("Value error, ")
        case "assertion_error":
            return str(error["msg"]).removeprefix("Assertion failed, ")
    return str(error["msg"])


def joined(problems: Iterable[str]) -> str:
    """The problems, each once, separated by ``; ``, within ``MAX_REASON`` characters."""
    unique = list(dict.fromkeys(problems))
    text = "; ".join(unique)
    if len(text) <= MAX_REASON:
        return text
    kept: list[str] = []
    size = 0
    for problem in unique:
        if size + len(problem) + 2 > MAX_REASON - 40:
            break
        kept.append(problem)
        size += len(problem) + 2
    if not kept:  # one problem longer than the whole reason
        return unique[0][: MAX_REASON - 40] + f"… (and {len(unique) - 1} more)"
    return "; ".join(kept) + f"; … (and {len(unique) - len(kept)} more)"


def non_finite(value: Any, path: str = "") -> list[str]:
    """Where ``value`` (parsed JSON) holds an infinite number: ``"where: not a finite number"``.

    JSON has no infinity, but a number such as 1e400 parses as one; pydantic checks the
    attributes it knows, this the others (stored as they came, which PostgreSQL's JSON refuses
    while SQLite writes ``Infinity``).
    """
    found: list[str] = []
    _walk(value, path, found)
    return found


def _walk(value: Any, path: str, found: list[str]) -> None:
    kind = type(value)
    if kind is float:
        if value != value or value in (float("inf"), float("-inf")):
            found.append(f"{path or 'payload'}: not a finite number")
    elif kind is dict:
        for key, item in value.items():
            _walk(item, f"{path}.{key}" if path else str(key), found)
    elif kind is list:
        for index, item in enumerate(value):
            _walk(item, f"{path}.{index}" if path else str(index), found)
