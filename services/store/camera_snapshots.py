"""Camera snapshots on the record: each a recording, taken in its viewer's open view, journaled.

A snapshot is taken (``services/snapshots.take_snapshot``: the PNG written in the snapshots
folder), then recorded here (``record_snapshot``): its row and its ``camera.snapshot`` entry in
the caller's transaction, with the view's camera and purpose. Only the view's own viewer
records one, only while the view is open (not closed, not run out), only in a role that may
``view_cameras``. An auditor reads them (``list_snapshots``); the recorder's retention deletes
each file after a month and sets ``purged_at`` (``services/recorder/retention.py``).

Where PostgreSQL is the authority, an operator's login records through the database's
function (``pg_snapshots``: ``vigie_record_snapshot``), which checks the same and audits; the
checks below still run first, for the same refusals in the same words. The installer's login
(outside the guarantees) writes as on SQLite.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.domain.errors import Conflict, PermissionDenied
from services.domain.permissions import Act
from services.domain.snapshots import SNAPSHOT, check_file_name, check_sha256, check_size
from services.store import audit, authority
from services.store.camera_views import _call, _same_login, _through_functions, _view_for_update
from services.store.models import CameraSnapshotRow, CameraViewRow
from services.store.types import utcnow


class RecordedSnapshot(NamedTuple):
    snapshot_id: int
    taken_at: datetime


@dataclass(frozen=True, slots=True)
class CameraSnapshot:
    id: int
    view_id: int
    camera: str
    taken_by: str
    taken_at: datetime
    purpose: str
    incident_id: int | None
    file_name: str
    sha256: str
    size: int
    purged_at: datetime | None


def record_snapshot(
    session: Session,
    view_id: int,
    viewer: str,
    file_name: str,
    sha256: str,
    size: int,
    now: datetime | None = None,
) -> RecordedSnapshot:
    """Record a snapshot taken in ``viewer``'s open view ``view_id``: its id and time.

    Refused (``PermissionDenied``) to a role that may not view cameras and in someone else's
    view; (``Conflict``) in a view closed or run out, or for a file recorded already;
    (``NotFound``) in no view; (``InvalidInput``) for a name, digest or size no snapshot has.
    ``now`` dates it on SQLite; PostgreSQL uses its clock.
    """
    authority.require(session, viewer, Act.VIEW_CAMERAS)
    check_file_name(file_name)
    check_sha256(sha256)
    check_size(size)
    if _through_functions(session):
        _same_login(session, viewer)
        row = _call(
            session,
            "SELECT * FROM vigie_record_snapshot(CAST(:view_id AS bigint), :file_name, "
            ":sha256, CAST(:size AS bigint))",
            view_id=view_id,
            file_name=file_name,
            sha256=sha256,
            size=size,
        )
        return RecordedSnapshot(row.snapshot_id, row.taken_at.astimezone(UTC))
    at = now or utcnow()
    view = _view_for_update(session, view_id)
    if view.viewer != viewer:
        raise PermissionDenied("camera.not_your_view", operator=viewer, id=view_id)
    if view.closed_at is not None or view.expires_at <= at:
        raise Conflict("camera.view_over", id=view_id)
    taken = select(CameraSnapshotRow.id).where(CameraSnapshotRow.file_name == file_name)
    if session.execute(taken).first() is not None:
        raise Conflict("snapshot.recorded_already", file=file_name)
    row = CameraSnapshotRow(
        view_id=view.id,
        camera=view.camera,
        taken_by=viewer,
        taken_at=at,
        file_name=file_name,
        sha256=sha256,
        size=size,
    )
    session.add(row)
    session.flush()  # the id goes into the audit entry
    details = {
        "snapshot": row.id,
        "view": view.id,
        "camera": view.camera,
        "file": file_name,
        "sha256": sha256,
    }
    audit.append(session, viewer, SNAPSHOT, view.camera, details, at=at)
    return RecordedSnapshot(row.id, at)


def list_snapshots(
    session: Session,
    reader: str,
    *,
    camera: str | None = None,
    taken_by: str | None = None,
    since: datetime | None = None,
    limit: int | None = None,
) -> list[CameraSnapshot]:
    """Every snapshot, oldest first, with its view's purpose; for who may read the views.

    ``since``: the snapshots taken at or after it. A purged one is listed with ``purged_at``.
    """
    authority.require(session, reader, Act.READ_CAMERA_JOURNAL)
    query = select(CameraSnapshotRow, CameraViewRow.purpose, CameraViewRow.incident_id).join(
        CameraViewRow, CameraViewRow.id == CameraSnapshotRow.view_id
    )
    if camera is not None:
        query = query.where(CameraSnapshotRow.camera == camera)
    if taken_by is not None:
        query = query.where(CameraSnapshotRow.taken_by == taken_by)
    if since is not None:
        query = query.where(CameraSnapshotRow.taken_at >= since)
    query = query.order_by(CameraSnapshotRow.taken_at, CameraSnapshotRow.id)
    if limit is not None:
        query = query.limit(limit)
    return [
        CameraSnapshot(
            id=row.id,
            view_id=row.view_id,
            camera=row.camera,
            taken_by=row.taken_by,
            taken_at=row.taken_at,
            purpose=purpose,
            incident_id=incident_id,
            file_name=row.file_name,
            sha256=row.sha256,
            size=row.size,
            purged_at=row.purged_at,
        )
        for row, purpose, incident_id in session.execute(query)
    ]
