"""Migrations 0018 to 0020: handovers, the report's indexes and views, the new acts."""

from __future__ import annotations

from sqlalchemy import inspect, select, text

from services.domain.permissions import Act
from services.permissions import load_matrix
from services.store.models import PermissionRow
from services.store.schema import HEAD, current_revision, upgrade
from tests.migrations import downgrade

NEW = {Act.HAND_OVER, Act.ACCEPT_HANDOVER, Act.RUN_REPORTS, Act.SEE_STATISTICS}


def _indexes(database, table: str) -> set[str]:
    return {index["name"] for index in inspect(database.engine).get_indexes(table)}


def _matrix_rows(database) -> set[tuple[str, str]]:
    with database.engine.connect() as conn:
        rows = conn.execute(select(PermissionRow.act, PermissionRow.role))
        return {(r.act, r.role) for r in rows}


def test_the_migration_adds_the_table_and_indexes_and_goes_back(bare_db):
    assert "handovers" in inspect(bare_db.engine).get_table_names()
    assert "ix_incidents_created_at" in _indexes(bare_db, "incidents")
    assert "ix_audit_log_action_ts" in _indexes(bare_db, "audit_log")
    downgrade(bare_db, "0017")
    assert "handovers" not in inspect(bare_db.engine).get_table_names()
    assert "ix_incidents_created_at" not in _indexes(bare_db, "incidents")
    assert "ix_commands_issued_at" not in _indexes(bare_db, "commands")
    upgrade(bare_db)
    assert current_revision(bare_db) == HEAD
    assert "ix_equipment_changes_at" in _indexes(bare_db, "equipment_changes")


def test_a_loaded_matrix_gets_the_new_acts_as_bundled_and_loses_them_going_back(bare_db):
    downgrade(bare_db, "0017")
    bundled = load_matrix()
    older = [(act.value, role.value) for act, role in bundled.rows() if act not in NEW]
    with bare_db.engine.begin() as conn:
        for act, role in older:
            conn.execute(
                text("INSERT INTO permission_matrix (act, role) VALUES (:a, :r)"),
                {"a": act, "r": role},
            )
    upgrade(bare_db)
    assert _matrix_rows(bare_db) == {(a.value, r.value) for a, r in bundled.rows()}
    downgrade(bare_db, "0017")
    assert _matrix_rows(bare_db) == set(older)
    upgrade(bare_db)


def test_a_database_without_a_loaded_matrix_stays_on_the_bundled_file(bare_db):
    downgrade(bare_db, "0017")
    upgrade(bare_db)
    assert _matrix_rows(bare_db) == set()


def test_migration_0020_adds_the_report_views_and_goes_back(bare_db):
    views = {"report_mode_switches", "report_camera_views"}
    assert views <= set(inspect(bare_db.engine).get_view_names())
    downgrade(bare_db, "0019")
    assert not views & set(inspect(bare_db.engine).get_view_names())
    upgrade(bare_db)
    with bare_db.engine.connect() as conn:
        conn.execute(
            text(
                "INSERT INTO camera_views (camera, viewer, purpose, workstation, opened_at, "
                "expires_at) VALUES ('cam:1', 'v.lambert', 'traffic: bouchon rue X', 'ws', "
                "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )
        row = conn.execute(text("SELECT * FROM report_camera_views")).mappings().one()
    # the purpose's key, never the viewer, the workstation or the operator's words
    assert row["purpose_key"] == "traffic" and not row["for_incident"]
    assert set(row) == {"id", "camera", "opened_at", "for_incident", "purpose_key"}
