"""Units as the record last knows them: kind, status and last position."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.domain.units import Unit, UnitKind, UnitStatus
from services.store.models import UnitRow


def unit_from_row(row: UnitRow) -> Unit:
    """A unit's row as the domain's ``Unit``."""
    return Unit(
        id=row.id,
        kind=UnitKind(row.kind),
        status=UnitStatus(row.status),
        name=row.name,
        incident_id=row.incident_id,
        lat=row.lat,
        lon=row.lon,
        observed_at=row.observed_at,
    )


def list_units(
    session: Session,
    *,
    kind: str | None = None,
    status: str | None = None,
    limit: int | None = None,
) -> list[Unit]:
    """Every unit (of this kind, in this status when given), by id; ``limit`` keeps the first."""
    query = select(UnitRow).order_by(UnitRow.id)
    if kind:
        query = query.where(UnitRow.kind == kind)
    if status:
        query = query.where(UnitRow.status == status)
    if limit:
        query = query.limit(limit)
    return [unit_from_row(r) for r in session.execute(query).scalars()]
