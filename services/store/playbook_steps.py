"""The playbook in force, as the database holds it (PostgreSQL checks each switch's commands).

``vigie db upgrade`` writes the city's playbook once (``pg_authority.install``); an admin
replaces it with ``vigie playbook load`` (audited; on PostgreSQL through the database's own
function, which audits it: no login writes the table). On SQLite Vigie reads the file alone.
"""

from __future__ import annotations

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from services.domain.permissions import Act
from services.domain.playbooks import Playbook, commands_in_force
from services.store import audit, authority, pg_admin, pg_authority, pg_requests
from services.store.models import PlaybookStepRow


def put_in_force(session: Session, playbook: Playbook, *, by: str | None) -> int:
    """Replace the playbook the database holds (PostgreSQL compares each switch's commands with it).

    ``by``: the admin who loads it (audited); None when the installer writes the first one. On
    PostgreSQL an operator's login writes no row of it: the database's function (``pg_admin``)
    replaces it and audits the load in the login's name.
    """
    rows = commands_in_force(playbook)
    if by is not None:
        authority.require(session, by, Act.MANAGE_OPERATORS)
        if pg_authority.database_checks(session) and pg_requests.operator_login(session):
            return pg_admin.load_playbook(session, playbook.source, rows)
    session.execute(delete(PlaybookStepRow))
    if rows:
        session.execute(insert(PlaybookStepRow), rows)
    if by is not None:
        # The commands themselves, as the database's function journals them.
        details = {"steps": len(rows), "commands": rows}
        audit.append(session, by, "playbook.load", playbook.source, details)
    return len(rows)


def held(session: Session) -> int:
    """How many commands the playbook in force in the database holds (0: none loaded)."""
    return session.execute(select(func.count()).select_from(PlaybookStepRow)).scalar_one()
