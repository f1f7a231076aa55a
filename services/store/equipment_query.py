"""Equipment as operators see it: the current state judged ok, fault, stale or comm_lost.

A camera's ``streamURL`` is left out unless ``streams`` is asked, by a caller that checked that
the reader may view cameras (``vigie query equipment --streams``): the database does not hide
one key of the attributes from a role (docs/security.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.domain.camera_views import STREAM_URL, without_stream
from services.domain.equipment import EquipmentType, EquipmentView, assess_state
from services.store.models import EquipmentRow, GatewayRow


def list_equipment(
    session: Session,
    now: datetime,
    *,
    types: Sequence[str] | None = None,
    commune: str | None = None,
    gateway: str | None = None,
    states: Sequence[str] | None = None,
    stale_after: dict[EquipmentType, timedelta | None] | None = None,
    limit: int | None = None,
    streams: bool = False,
    ids: Sequence[str] | None = None,
) -> list[EquipmentView]:
    online = dict(session.execute(select(GatewayRow.id, GatewayRow.online)).all())
    query = select(EquipmentRow).order_by(EquipmentRow.id)
    if ids is not None:
        query = query.where(EquipmentRow.id.in_(list(ids)))
    if types:
        query = query.where(EquipmentRow.type.in_(list(types)))
    if commune:
        query = query.where(EquipmentRow.commune == commune)
    if gateway:
        query = query.where(EquipmentRow.gateway == gateway)
    out = []
    for row in session.execute(query.execution_options(yield_per=5000)).scalars():
        try:
            kind = EquipmentType(row.type)
        except ValueError:
            continue
        state = assess_state(
            kind,
            row.status,
            row.received_at,
            now,
            gateway_online=online.get(row.gateway) if row.gateway else None,
            stale_after=stale_after,
        )
        if states and state.value not in states:
            continue
        attributes = dict(row.attributes or {})
        if not streams and STREAM_URL in attributes:
            attributes = without_stream(attributes)
        out.append(
            EquipmentView(
                id=row.id,
                type=row.type,
                state=state.value,
                status=row.status,
                commune=row.commune,
                gateway=row.gateway,
                lat=row.lat,
                lon=row.lon,
                received_at=row.received_at,
                updated_at=row.updated_at,
                fault_since=row.fault_since,
                attributes=attributes,
            )
        )
        if limit is not None and len(out) >= limit:
            break
    return out


def register(session: Session) -> list[tuple[str, str, str]]:
    """(type, id, gateway) of every device a gateway serves: the broker's ACL is made from it."""
    query = (
        select(EquipmentRow.type, EquipmentRow.id, EquipmentRow.gateway)
        .where(EquipmentRow.gateway.is_not(None))
        .order_by(EquipmentRow.id)
    )
    return [(t, i, g) for t, i, g in session.execute(query)]
