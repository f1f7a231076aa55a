"""The command log read in the order commands were issued (the shell's ``vigie query``).

The consoles' log, newest first, is ``services.command_log.recent_commands``; each command's
answers are ``services.recorder.commands.stored_acks``.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.domain.commands import CommandRecord
from services.store.models import CommandRow


def _record(row: CommandRow) -> CommandRecord:
    return CommandRecord(
        request_id=row.request_id,
        target_type=row.target_type,
        target=row.target,
        command=row.command,
        status=row.status,
        issued_by=row.issued_by,
        issued_at=row.issued_at,
        finished_at=row.finished_at,
        params=dict(row.params or {}),
        late=bool(row.late),
    )


def list_commands(
    session: Session,
    *,
    statuses: Collection[str] | None = None,
    limit: int | None = None,
) -> list[CommandRecord]:
    """The commands (in these statuses when given), oldest first; ``limit`` keeps the first."""
    query = select(CommandRow).order_by(CommandRow.issued_at)
    if statuses:
        query = query.where(CommandRow.status.in_(list(statuses)))
    if limit:
        query = query.limit(limit)
    return [_record(r) for r in session.execute(query).scalars()]
