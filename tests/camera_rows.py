"""Cameras on the record for the video tests: equipment rows on one gateway, and its secret."""

from __future__ import annotations

from services.store.database import Database
from services.store.models import EquipmentRow, StreamSecretRow
from services.store.types import utcnow

SECRET = b"vigie-demo-gateway-secret"
GATEWAY = "gw-21231-01"


def add_cameras(
    db: Database, *cameras: str, gateway: str = GATEWAY, secret: bytes = SECRET
) -> None:
    """``cameras`` in Dijon, working, on ``gateway``, whose stream secret is ``secret``."""
    now = utcnow()
    with db.write() as session:
        for ident in cameras:
            session.add(
                EquipmentRow(
                    id=ident,
                    type="Camera",
                    gateway=gateway,
                    status="ok",
                    commune="21231",
                    attributes={},
                    received_at=now,
                    updated_at=now,
                )
            )
        session.add(StreamSecretRow(gateway=gateway, secret=secret))
