"""Migration 0022: the equipment's fault start and group indexed only where they are set."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import inspect, select

from services.store.models import EquipmentRow
from services.store.schema import HEAD, current_revision, upgrade
from tests.migrations import downgrade

PARTIAL = ("ix_equipment_fault_since", "ix_equipment_group_ref")


def _partial(database) -> dict[str, bool]:
    """Each of the two indexes: whether it is partial (False: every row has an entry)."""
    with database.engine.connect() as conn:
        if database.dialect == "sqlite":
            rows = conn.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE tbl_name = 'equipment'"
            ).all()
        else:
            rows = conn.exec_driver_sql(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'equipment'"
            ).all()
    return {name: "WHERE" in (sql or "").upper() for name, sql in rows if name in PARTIAL}


def test_the_indexes_hold_only_set_values_and_go_back_whole(bare_db):
    assert _partial(bare_db) == dict.fromkeys(PARTIAL, True)
    now = datetime.now(UTC)
    with bare_db.write() as session:
        for i, (since, group) in enumerate([(now, "grp:1"), (None, None)]):
            session.add(
                EquipmentRow(
                    id=f"sl:{i}",
                    type="Streetlight",
                    status="fault" if since else "ok",
                    group_ref=group,
                    fault_since=since,
                    received_at=now,
                    updated_at=now,
                )
            )
    with bare_db.read() as session:  # the queries the record asks still answer as before
        in_fault = session.scalars(
            select(EquipmentRow.id).where(EquipmentRow.fault_since.is_not(None))
        ).all()
        grouped = session.scalars(
            select(EquipmentRow.id).where(EquipmentRow.group_ref == "grp:1")
        ).all()
    assert in_fault == ["sl:0"] and grouped == ["sl:0"]
    downgrade(bare_db, "0021")
    assert _partial(bare_db) == dict.fromkeys(PARTIAL, False)
    assert {i["name"] for i in inspect(bare_db.engine).get_indexes("equipment")} >= set(PARTIAL)
    upgrade(bare_db)
    assert current_revision(bare_db) == HEAD
    assert _partial(bare_db) == dict.fromkeys(PARTIAL, True)
