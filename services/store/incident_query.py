"""Incidents found by what an operator filters on: status, source, commune, category, priority.

The open queue reads ``incidents.list_incidents``; this is the search of the whole record
(``vigie query incidents``), oldest first.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.domain.incidents import Incident, Priority
from services.store.incidents import incident_from_row
from services.store.models import IncidentRow


def find_incidents(
    session: Session,
    *,
    statuses: Collection[str] | None = None,
    source: str | None = None,
    commune: str | None = None,
    category: str | None = None,
    priority: Priority | None = None,
    limit: int | None = None,
) -> list[Incident]:
    """The incidents matching every filter given, by id; ``limit`` keeps the first ones."""
    query = select(IncidentRow).order_by(IncidentRow.id)
    if statuses:
        query = query.where(IncidentRow.status.in_(list(statuses)))
    for column, value in (
        (IncidentRow.source, source),
        (IncidentRow.commune, commune),
        (IncidentRow.category, category),
    ):
        if value:
            query = query.where(column == value)
    if priority is not None:
        query = query.where(IncidentRow.priority == int(priority))
    if limit:
        query = query.limit(limit)
    return [incident_from_row(r) for r in session.execute(query).scalars()]
