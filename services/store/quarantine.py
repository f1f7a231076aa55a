"""Messages the recorders rejected, as the shell lists them (never their payloads)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.store.models import QuarantineRow


def list_messages(session: Session, *, limit: int | None = None) -> list[dict[str, Any]]:
    """Each rejected message, oldest first, as a dict.

    Keys, in this order: ``topic``, ``reason``, ``received_at``, ``size``, ``entity_id`` (the id
    the payload named, when it named one). ``limit`` keeps the first ones.
    """
    query = select(
        QuarantineRow.topic,
        QuarantineRow.reason,
        QuarantineRow.received_at,
        QuarantineRow.size,
        QuarantineRow.entity_id,
    ).order_by(QuarantineRow.id)
    if limit:
        query = query.limit(limit)
    return [dict(r._mapping) for r in session.execute(query)]
