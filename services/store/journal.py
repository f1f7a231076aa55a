"""The room's logbook (main courante): each entry is an audited act of its operator."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.domain.journal import JournalEntry, check_entry_text
from services.store import audit
from services.store.database import Database
from services.store.models import JournalRow
from services.store.types import utcnow


def _entry(row: JournalRow) -> JournalEntry:
    return JournalEntry(id=row.id, at=row.at, operator=row.operator, text=row.text)


def add(session: Session, operator: str, text: str, *, at: datetime | None = None) -> JournalEntry:
    text = check_entry_text(text)
    row = JournalRow(at=at or utcnow(), operator=operator, text=text)
    session.add(row)
    session.flush()  # the id goes into the audit entry
    audit.append(session, operator, "journal.add", f"journal:{row.id}", {"text": text}, at=row.at)
    return _entry(row)


def write(db: Database, operator: str, text: str) -> JournalEntry:
    """One entry in a transaction of its own (the logbook panel, ``vigie journal add``)."""
    with db.write() as session:
        return add(session, operator, text)


def list_entries(
    session: Session,
    *,
    since: datetime | None = None,
    operator: str | None = None,
    limit: int | None = None,
    after_id: int | None = None,
) -> list[JournalEntry]:
    """Entries oldest first; with ``limit``, the newest ``limit`` of them."""
    query = select(JournalRow)
    if after_id is not None:
        query = query.where(JournalRow.id > after_id)
    if since is not None:
        query = query.where(JournalRow.at >= since)
    if operator is not None:
        query = query.where(JournalRow.operator == operator)
    if limit is not None:
        query = query.order_by(JournalRow.id.desc()).limit(limit)
        return [_entry(r) for r in reversed(session.execute(query).scalars().all())]
    return [_entry(r) for r in session.execute(query.order_by(JournalRow.id)).scalars()]
