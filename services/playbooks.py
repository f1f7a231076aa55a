"""Reading the city's playbook: the bundled one, or the file the ``playbook`` setting names."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

from services.domain.playbooks import Playbook, PlaybookError, read_playbook
from services.reference import communes

BUNDLED = "dijon.toml"


def load_playbook(path: str = "") -> Playbook:
    """The playbook at ``path`` (the bundled one when empty), checked whole."""
    if path:
        source, name = Path(path).expanduser(), Path(path).name
        try:
            text = source.read_text(encoding="utf-8")
        except OSError as error:
            raise PlaybookError(
                "playbook.unreadable", source=str(source), reason=error.strerror
            ) from None
    else:
        name = BUNDLED
        text = resources.files("resources").joinpath("playbooks", BUNDLED).read_text("utf-8")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PlaybookError("playbook.not_toml", source=name, reason=str(error)) from None
    return read_playbook(raw, name, [c.insee for c in communes()])
