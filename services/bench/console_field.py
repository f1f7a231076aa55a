"""The field of ``vigie bench console``, put straight into a scratch database.

No simulator and no recorder: one bulk insert of 34,000 street lights behind their cabinets at
Dijon's scale, 340,000 at ``x10``, with the signals, cameras and bollards of the same mix, their
states as a mild evening has them (a few in fault, one in a hundred silent for an hour).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from services.reference import real_communes, synthetic_communes

#: The field of each scale: street lights, and the other devices the map draws.
SCALES = {
    "small": (2_000, 10, 20, 4),
    "dijon": (34_000, 113, 269, 26),
    "x10": (340_000, 1_130, 2_690, 260),
}
LIGHTS_PER_CABINET = 100


def places(scale: str) -> list[tuple[str, float, float, float]]:
    """(commune code, lat, lon, radius in degrees) of the field's communes.

    The 23 real ones; at ``x10`` the 207 synthetic ones too ("ZS001"…, around them), those
    ``vigie simulate --scale x10`` places its devices in.
    """
    chosen = real_communes() + (synthetic_communes() if scale == "x10" else ())
    return [(c.insee, c.lat, c.lon, 0.012) for c in chosen]


def seed_field(
    url: str,
    scale: str,
    *,
    now: datetime | None = None,
    seed: int = 23,
    operators_too: bool = True,
    offline: frozenset[str] = frozenset(),
) -> int:
    """Put a field of ``scale`` in the database at ``url`` (upgraded): the devices written."""
    from sqlalchemy import insert

    from services.domain.operators import Role
    from services.store import operators
    from services.store.database import Database
    from services.store.models import EquipmentRow, GatewayRow

    lights, signals, cameras, bollards = SCALES[scale]
    now = now or datetime.now(UTC)
    rng = random.Random(seed)
    where = places(scale)
    rows: list[dict[str, Any]] = []
    cabinets: list[dict[str, Any]] = []

    def device(ident: str, kind: str, commune: tuple, gateway: str | None, **attrs: Any) -> None:
        code, lat, lon, radius = commune
        status = "fault" if rng.random() < 0.004 else "ok"
        rows.append(
            {
                "id": ident,
                "type": kind,
                "name": None,
                "status": status,
                "commune": code,
                "gateway": gateway,
                "lat": lat + rng.gauss(0, radius * 0.7),
                "lon": lon + rng.gauss(0, radius),
                "outside_metropole": False,
                "group_ref": None,
                "fault_since": now if status == "fault" else None,
                "observed_at": now,
                "attributes": attrs,
                "flags": None,
                # one in a hundred silent for an hour: stale, as a real field has some
                "received_at": now
                - timedelta(seconds=3600 if rng.random() < 0.01 else rng.uniform(0, 60)),
                "updated_at": now,
            }
        )

    for n in range(lights):
        commune = where[n % len(where)]
        cabinet = f"cab-{commune[0]}-{n // LIGHTS_PER_CABINET:05d}"
        if n % LIGHTS_PER_CABINET == 0:
            online = cabinet not in offline
            cabinets.append({"id": cabinet, "online": online, "since": now, "updated_at": now})
        device(
            f"sl-{n:06d}",
            "Streetlight",
            commune,
            cabinet,
            powerState="on",
            refStreetlightGroup=cabinet,
        )
    for kind, count, prefix in (
        ("TrafficSignal", signals, "ts"),
        ("Camera", cameras, "cam"),
        ("Bollard", bollards, "bol"),
    ):
        for n in range(count):
            device(f"{prefix}-{n:05d}", kind, where[n % len(where)], None)
    db = Database(url)
    try:
        with db.write() as session:
            if operators_too:
                first = operators.bootstrap_admin(session, "admin", by="system:bench")
                operators.add(session, "bench", Role.SUPERVISOR, by=first or "admin")
            session.execute(insert(GatewayRow.__table__), cabinets)
            for start in range(0, len(rows), 20_000):
                session.execute(insert(EquipmentRow.__table__), rows[start : start + 20_000])
    finally:
        db.dispose()
    return len(rows)
