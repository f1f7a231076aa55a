"""The shared command log: the newest commands from the outbox, as every console shows them."""

from __future__ import annotations

from sqlalchemy import select

from services.domain.commands import CommandRecord
from services.store.database import Database
from services.store.models import CommandRow

#: How many of the newest commands a console keeps in its log.
LOG_SIZE = 500


def recent_commands(db: Database, limit: int = LOG_SIZE) -> list[CommandRecord]:
    """The newest ``limit`` commands, newest first."""
    with db.read() as session:
        rows = session.execute(
            select(CommandRow).order_by(CommandRow.issued_at.desc()).limit(limit)
        ).scalars()
        return [
            CommandRecord(
                request_id=r.request_id,
                target_type=r.target_type,
                target=r.target,
                command=r.command,
                status=r.status,
                issued_by=r.issued_by,
                issued_at=r.issued_at,
                finished_at=r.finished_at,
                params=dict(r.params or {}),
                late=bool(r.late),
            )
            for r in rows
        ]
