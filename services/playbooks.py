"""The city's playbook: the bundled one, or the file the ``playbook`` setting names.

Read at every preview; on PostgreSQL its commands are also held by the database
(``services/store/playbook_steps.py``), which records a mode switch's commands only if the
playbook has them.
"""

from __future__ import annotations

import tomllib

from services.domain.playbooks import Playbook, PlaybookError, read_playbook
from services.reference import city_or_bundled, communes

BUNDLED = "dijon.toml"


def load_playbook(path: str = "") -> Playbook:
    """The playbook at ``path`` (the bundled one when empty), checked whole."""
    try:
        name, text = city_or_bundled(path, "playbooks", BUNDLED)
    except OSError as error:
        raise PlaybookError("playbook.unreadable", source=path, reason=error.strerror) from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PlaybookError("playbook.not_toml", source=name, reason=str(error)) from None
    return read_playbook(raw, name, [c.insee for c in communes()])
