"""Units as the record last knows them: kind, status and last position."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from services.domain.units import Unit, UnitKind, UnitStatus
from services.store.models import UnitRow

#: What ``unit_from_row`` reads of a unit, to select alone where a console reads the units every
#: second: whole rows (ORM objects) cost it a third more, for nothing it uses.
UNIT_COLUMNS = (
    UnitRow.id,
    UnitRow.kind,
    UnitRow.status,
    UnitRow.name,
    UnitRow.incident_id,
    UnitRow.lat,
    UnitRow.lon,
    UnitRow.observed_at,
    UnitRow.work,
)


def unit_from_row(row: UnitRow | Row[Any], bearing: float | None = None) -> Unit:
    """A unit's row (or its ``UNIT_COLUMNS``) as the domain's ``Unit``."""
    return Unit(
        id=row.id,
        kind=UnitKind(row.kind),
        status=UnitStatus(row.status),
        name=row.name,
        incident_id=row.incident_id,
        lat=row.lat,
        lon=row.lon,
        observed_at=row.observed_at,
        bearing=bearing,
        work=row.work or "",
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
