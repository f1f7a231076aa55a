"""What the daily report reads of two journals, and nothing more of them.

The report names who switched the city's modes and why, and counts camera views by purpose. On
PostgreSQL the roles that may run reports (``run_reports``) read these two views, not the tables
behind them: the audit journal holds every act (handover remarks, operators' management...) and
``camera_views`` who watched which camera and why, which the matrix gives only to
``read_audit`` and ``read_camera_journal``.

- ``report_mode_switches``: the audit journal's ``mode.switch`` and ``mode.rollback`` entries.
- ``report_camera_views``: each view's camera, opening time, whether it was opened from an
  incident, and its purpose's key (the listed purpose before the colon, or the incident
  purpose's words), never its viewer, workstation or the operator's text.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 10:30:00
"""

from __future__ import annotations

from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

MODE_SWITCHES = (
    "SELECT seq, ts, operator, action, target, details FROM audit_log "
    "WHERE action IN ('mode.switch', 'mode.rollback')"
)
#: A purpose is recorded as "key: the operator's words" or "incident N" (camera_views.py).
_KEY = {
    "postgresql": "CASE WHEN strpos(purpose, ':') > 0 "
    "THEN substr(purpose, 1, strpos(purpose, ':') - 1) ELSE purpose END",
    "sqlite": "CASE WHEN instr(purpose, ':') > 0 "
    "THEN substr(purpose, 1, instr(purpose, ':') - 1) ELSE purpose END",
}


def _camera_views(dialect: str) -> str:
    return (
        f"SELECT id, camera, opened_at, incident_id IS NOT NULL AS for_incident, "
        f"{_KEY[dialect]} AS purpose_key FROM camera_views"
    )


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.execute(f"CREATE VIEW report_mode_switches AS {MODE_SWITCHES}")
    op.execute(f"CREATE VIEW report_camera_views AS {_camera_views(dialect)}")


def downgrade() -> None:
    op.execute("DROP VIEW report_camera_views")
    op.execute("DROP VIEW report_mode_switches")
