"""The faults view's reading: each device in fault with the incident it opened, or its gateway's."""

from __future__ import annotations

from datetime import timedelta

from services.domain.equipment import GATEWAY_PREFIX
from services.domain.incidents import IncidentSource, new_incident
from services.faults import list_faults
from services.store import incidents
from services.store.models import EquipmentRow
from services.store.types import utcnow


def test_faults_name_their_incident_or_their_gateways(db):
    now = utcnow()
    with db.write() as s:
        for ident, gateway, minutes in (
            ("light:alone", None, 50),
            ("light:cab-1", "gw:cab", 20),
            ("light:cab-2", "gw:cab", 10),
            ("light:new", None, 1),
        ):
            s.add(
                EquipmentRow(
                    id=ident,
                    type="Streetlight",
                    status="defectiveLamp",
                    gateway=gateway,
                    commune="21231",
                    fault_since=now - timedelta(minutes=minutes),
                    attributes={},
                    received_at=now,
                    updated_at=now,
                )
            )
        s.add(  # healthy: not a fault
            EquipmentRow(
                id="light:ok",
                type="Streetlight",
                status="ok",
                attributes={},
                received_at=now,
                updated_at=now,
            )
        )
        own = incidents.create(
            s,
            new_incident(
                source=IncidentSource.FAULT,
                category="lighting_fault",
                at=now,
                source_ref="light:alone",
            ),
            by="system:recorder",
        )
        cabinet = incidents.create(
            s,
            new_incident(
                source=IncidentSource.FAULT,
                category="gateway_fault",
                at=now,
                source_ref=GATEWAY_PREFIX + "gw:cab",
            ),
            by="system:recorder",
        )
    faults = list_faults(db)
    assert [f.id for f in faults] == ["light:alone", "light:cab-1", "light:cab-2", "light:new"]
    by_id = {f.id: f for f in faults}
    assert (by_id["light:alone"].incident_id, by_id["light:alone"].through_gateway) == (
        own.id,
        False,
    )
    assert (by_id["light:cab-2"].incident_id, by_id["light:cab-2"].through_gateway) == (
        cabinet.id,
        True,
    )
    assert by_id["light:new"].incident_id is None  # too recent for an incident yet
