"""Personal data kept out of the quarantine: a reporter's e-mail, names and phone.

A report that breaks the contract is kept for a technician to read, and exported by
``vigie query quarantine --json`` for 30 days: the values of its personal fields are replaced
by ``[redacted]`` there, and never appear in a reason. The recorder calls ``redact_personal``
on a report it quarantines itself (one it could not record).
"""

from __future__ import annotations

import json
import re
from typing import Any

#: An Open311 report's personal fields (stored apart, never exported).
PERSONAL = frozenset(("email", "first_name", "last_name", "phone"))
REDACTED = "[redacted]"

# For a payload that is not JSON: a personal member's string (closed or cut short) or token.
_MEMBER = re.compile(
    rb'("(?:email|first_name|last_name|phone)"\s*:\s*)(?:"(?:[^"\\]|\\.)*(?:"|\\?$)|[^,}\]\s]+)',
    re.DOTALL,
)


def is_report_topic(topic: str) -> bool:
    """Whether ``topic`` is ``{root}/reports`` (the root is not known here: its last level)."""
    return topic.rpartition("/")[2] == "reports"


def redact_personal(topic: str, payload: bytes) -> bytes:
    """``payload`` with the values of a report's personal fields replaced by ``[redacted]``.

    A payload on another topic is returned as it is. JSON is parsed and written again only when
    a personal field was found (at any depth); a payload that is not JSON is redacted by pattern.
    """
    if not is_report_topic(topic):
        return payload
    try:
        body = json.loads(payload)
    except (ValueError, RecursionError):
        return _MEMBER.sub(rb'\1"' + REDACTED.encode() + rb'"', payload)
    if not _redact(body):
        return payload
    try:
        return json.dumps(body, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: escaped, as JSON allows
        return json.dumps(body).encode("ascii")


def _redact(node: Any) -> bool:
    """Replace personal values in ``node`` in place; True when one was found."""
    found = False
    if isinstance(node, dict):
        for key, value in node.items():
            if key in PERSONAL:
                node[key] = REDACTED
                found = True
            else:
                found = _redact(value) or found
    elif isinstance(node, list):
        for item in node:
            found = _redact(item) or found
    return found


def personal_values(body: Any) -> list[str]:
    """The personal values a parsed report carries at its top level, as text."""
    if not isinstance(body, dict):
        return []
    return [str(v) for k, v in body.items() if k in PERSONAL and v is not None and v != ""]


def scrub(reason: str, body: Any) -> str:
    """``reason`` without any personal value of ``body`` (a safety net: none should be there)."""
    for value in personal_values(body):
        if len(value) >= 3:  # shorter ones would mangle the reason more than they reveal
            reason = reason.replace(value, REDACTED)
    return reason
