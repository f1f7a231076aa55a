"""Devices in fault, since when, and the incident each opened (its own or its gateway's).

The recorder opens one incident per device in fault, or one for a gateway most of whose devices
failed together (``incident_rules.sweep_faults``): the source reference says which.
"""

from __future__ import annotations

from sqlalchemy import select

from services.domain.equipment import GATEWAY_PREFIX, Fault
from services.domain.incidents import OPEN_STATUSES, IncidentSource
from services.store.database import Database
from services.store.models import EquipmentRow, IncidentRow


def list_faults(db: Database) -> list[Fault]:
    """Every device whose status says fault, the longest in fault first."""
    with db.read() as session:
        opened = dict(
            session.execute(
                select(IncidentRow.source_ref, IncidentRow.id).where(
                    IncidentRow.source == IncidentSource.FAULT.value,
                    IncidentRow.status.in_([s.value for s in OPEN_STATUSES]),
                    IncidentRow.source_ref.is_not(None),
                )
            ).all()
        )
        rows = session.execute(
            select(
                EquipmentRow.id,
                EquipmentRow.type,
                EquipmentRow.status,
                EquipmentRow.commune,
                EquipmentRow.gateway,
                EquipmentRow.fault_since,
                EquipmentRow.lat,
                EquipmentRow.lon,
            )
            .where(EquipmentRow.fault_since.is_not(None))
            .order_by(EquipmentRow.fault_since, EquipmentRow.id)
        ).all()
    faults = []
    for row in rows:
        gateway_incident = opened.get(GATEWAY_PREFIX + row.gateway) if row.gateway else None
        own = opened.get(row.id)
        faults.append(
            Fault(
                id=row.id,
                type=row.type,
                status=row.status,
                commune=row.commune,
                gateway=row.gateway,
                since=row.fault_since,
                incident_id=own if own is not None else gateway_incident,
                through_gateway=own is None and gateway_incident is not None,
                lat=row.lat,
                lon=row.lon,
            )
        )
    return faults
