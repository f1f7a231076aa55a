"""The command log read by issue time, filtered by status (the shell's ``vigie query``).

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
    newest_first: bool = False,
) -> list[CommandRecord]:
    """The commands (in these statuses when given), oldest first unless ``newest_first``.

    ``limit`` keeps the first in that order: with ``newest_first``, the latest commands, which
    are the ones a person asking for a few wants.
    """
    issued = CommandRow.issued_at.desc() if newest_first else CommandRow.issued_at
    query = select(CommandRow).order_by(issued)
    if statuses:
        query = query.where(CommandRow.status.in_(list(statuses)))
    if limit:
        query = query.limit(limit)
    return [_record(r) for r in session.execute(query).scalars()]
