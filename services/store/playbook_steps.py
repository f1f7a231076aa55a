"""The playbook in force, as the database holds it (PostgreSQL checks each switch's commands).

``vigie db upgrade`` writes the city's playbook once (``pg_authority.install``); an admin
replaces it with ``vigie playbook load`` (audited). On SQLite Vigie reads the file alone.
"""

from __future__ import annotations

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from services.domain.permissions import Act
from services.domain.playbooks import Playbook, commands_in_force
from services.store import audit, authority
from services.store.models import PlaybookStepRow


def put_in_force(session: Session, playbook: Playbook, *, by: str | None) -> int:
    """Replace the playbook the database holds (PostgreSQL compares each switch's commands with it).

    ``by``: the admin who loads it (audited); None when the installer writes the first one.
    """
    rows = commands_in_force(playbook)
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
