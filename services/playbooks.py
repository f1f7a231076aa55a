"""The city's playbook: the bundled one, or the file the ``playbook`` setting names.

Read at every preview; on PostgreSQL its commands are also held by the database
(``playbook_steps``), which records a mode switch's commands only if the playbook has them.
"""

from __future__ import annotations

import tomllib
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from services.domain.commands import parse_group, spec_for, typed_params
from services.domain.permissions import Act
from services.domain.playbooks import Playbook, PlaybookError, read_playbook
from services.reference import city_or_bundled, communes
from services.store import audit, authority
from services.store.models import PlaybookStepRow

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


def steps_in_force(playbook: Playbook) -> list[dict[str, Any]]:
    """Each entry's commands as they are recorded when the mode switches, for the database.

    Targets and parameters as ``outbox.prepare`` writes them (a group's topic id, typed
    parameters); ``until`` is left out, for it is a time from the moment of the switch.
    """
    rows = []
    for (kind, value), entry in sorted(playbook.entries.items()):
        for step in entry.steps:
            target = step.target
            if step.target_type == "group":
                target = parse_group(target).topic_id
            params = typed_params(step.command, step.params)
            params.pop("until", None)
            rows.append(
                {
                    "kind": kind,
                    "value": value,
                    "target_type": step.target_type,
                    "target": target,
                    "command": spec_for(step.command).name.value,
                    "params": params,
                }
            )
    return rows


def put_in_force(session: Session, playbook: Playbook, *, by: str | None) -> int:
    """Replace the playbook the database holds (PostgreSQL compares each switch's commands with it).

    ``by``: the admin who loads it (audited); None when the installer writes the first one.
    """
    rows = steps_in_force(playbook)
    if by is not None:
        authority.require(session, by, Act.MANAGE_OPERATORS)
    session.execute(delete(PlaybookStepRow))
    if rows:
        session.execute(insert(PlaybookStepRow), rows)
    if by is not None:
        audit.append(session, by, "playbook.load", playbook.source, {"steps": len(rows)})
    return len(rows)


def held(session: Session) -> int:
    """How many commands the playbook in force in the database holds (0: none loaded)."""
    return session.execute(select(func.count()).select_from(PlaybookStepRow)).scalar_one()
