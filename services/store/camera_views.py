"""Camera views on the record: opened for a purpose, renewed, closed, each an audited act.

A view is opened by its viewer for a purpose (``open_view``), which mints the token its stream
opens with (``services/domain/stream_tokens.py``, signed with the secret of the camera's
gateway), and writes the view and its ``camera.view_opened`` entry in the caller's transaction.
Its viewer renews it (``renew_view``: a new token) or closes it (``close_view``); the recorder's
sweep closes those that ran out (``close_overdue``) and those of a console that is gone
(``close_console_views``). An auditor reads them (``list_views``); an admin loads the gateways'
secrets (``load_secrets``).

Where PostgreSQL is the authority (``pg_authority``), an operator's login and the recorder's do
none of this in Python: the database's functions do (``pg_views``: ``vigie_open_view``...), which
check the matrix and whose view it is, mint the token in SQL and audit, so that ``psql`` can do
no more than Vigie. The checks below still run first, for the same refusals in the same words.
The installer's login (outside the guarantees) writes as on SQLite.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple

from sqlalchemy import or_, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from services.domain import stream_tokens
from services.domain.camera_views import (
    BY_RECORDER,
    BY_VIEWER,
    CLOSED,
    DEFAULT_MINUTES,
    OPENED,
    RENEWED,
    SECRETS_LOADED,
    ClosedBecause,
    check_minutes,
    check_purpose,
    check_workstation,
    expiry,
    parse_because,
)
from services.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from services.domain.operators import RECORDER, is_system_name
from services.domain.permissions import Act
from services.store import audit, authority, pg_authority, pg_requests
from services.store.models import CameraViewRow, EquipmentRow, IncidentRow, StreamSecretRow
from services.store.types import utcnow
from services.store.upsert import upsert

CAMERA_TYPE = "Camera"
_GATEWAY = re.compile(r"[A-Za-z0-9:._-]{1,128}")


class OpenedView(NamedTuple):
    view_id: int
    token: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class CameraView:
    id: int
    camera: str
    viewer: str
    purpose: str
    incident_id: int | None
    workstation: str
    opened_at: datetime
    expires_at: datetime
    closed_at: datetime | None
    closed_because: str | None


def iso_second(at: datetime) -> str:
    """A whole-second UTC time, as the audit entries of views write an expiry."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- opening, renewing, closing ----------------------------------------------------------------
def open_view(
    session: Session,
    camera: str,
    viewer: str,
    purpose: str,
    incident_id: int | None = None,
    workstation: str = "",
    minutes: int = DEFAULT_MINUTES,
    *,
    now: datetime | None = None,
) -> OpenedView:
    """Open ``camera`` for ``viewer``: the view's id, its stream token and when both expire.

    Refused (``PermissionDenied``) to a role that may not view cameras; refused
    (``InvalidInput``) without a purpose. ``now`` dates it on SQLite; PostgreSQL uses its clock.
    """
    authority.require(session, viewer, Act.VIEW_CAMERAS)
    purpose = check_purpose(purpose)
    workstation = check_workstation(workstation)
    check_minutes(minutes)
    if _through_functions(session):
        _same_login(session, viewer)
        row = _call(
            session,
            "SELECT * FROM vigie_open_view(:camera, :purpose, CAST(:incident AS bigint), "
            ":workstation, CAST(:minutes AS integer))",
            camera=camera,
            purpose=purpose,
            incident=incident_id,
            workstation=workstation,
            minutes=minutes,
        )
        return OpenedView(row.view_id, row.token, row.expires_at.astimezone(UTC))
    if incident_id is not None and session.get(IncidentRow, incident_id) is None:
        raise NotFound("incident.unknown", id=incident_id)
    secret = _secret_for(session, camera)
    at = now or utcnow()
    expires = expiry(at, minutes)
    row = CameraViewRow(
        camera=camera,
        viewer=viewer,
        purpose=purpose,
        incident_id=incident_id,
        workstation=workstation,
        opened_at=at,
        expires_at=expires,
    )
    session.add(row)
    session.flush()  # the id goes into the audit entry
    details = {
        "view": row.id,
        "camera": camera,
        "purpose": purpose,
        "incident": incident_id,
        "workstation": workstation,
        "expires_at": iso_second(expires),
    }
    audit.append(session, viewer, OPENED, camera, details, at=at)
    return OpenedView(row.id, stream_tokens.mint(secret, camera, viewer, expires), expires)


def renew_view(
    session: Session,
    view_id: int,
    viewer: str,
    minutes: int = DEFAULT_MINUTES,
    *,
    now: datetime | None = None,
) -> tuple[str, datetime]:
    """A new token and expiry for the viewer's own view, still open and not run out."""
    authority.require(session, viewer, Act.VIEW_CAMERAS)
    check_minutes(minutes)
    if _through_functions(session):
        _same_login(session, viewer)
        row = _call(
            session,
            "SELECT * FROM vigie_renew_view(CAST(:view_id AS bigint), CAST(:minutes AS integer))",
            view_id=view_id,
            minutes=minutes,
        )
        return row.token, row.expires_at.astimezone(UTC)
    at = now or utcnow()
    row = _view_for_update(session, view_id)
    if row.viewer != viewer:
        raise PermissionDenied("camera.not_your_view", operator=viewer, id=view_id)
    if row.closed_at is not None or row.expires_at <= at:
        raise Conflict("camera.view_over", id=view_id)
    secret = _secret_for(session, row.camera)
    row.expires_at = expiry(at, minutes)
    audit.append(
        session,
        viewer,
        RENEWED,
        row.camera,
        {"view": row.id, "expires_at": iso_second(row.expires_at)},
        at=at,
    )
    return stream_tokens.mint(secret, row.camera, viewer, row.expires_at), row.expires_at


def close_view(
    session: Session,
    view_id: int,
    because: ClosedBecause | str,
    by: str,
    *,
    now: datetime | None = None,
) -> datetime:
    """Close a view and say why; ``Conflict`` if it was closed already.

    Its viewer closes it (``closed``, or ``timed_out`` at its limit), the recorder
    (``RECORDER``) times it out or says its console is gone (``console_gone``).
    """
    closed = _close(session, view_id, parse_because(str(because)), by, now or utcnow())
    if closed is None:
        raise Conflict("camera.view_closed_already", id=view_id)
    return closed


def close_overdue(session: Session, now: datetime) -> list[int]:
    """The recorder's sweep: every open view whose time ran out is closed as timed out."""
    overdue = select(CameraViewRow.id).where(
        CameraViewRow.closed_at.is_(None), CameraViewRow.expires_at <= now
    )
    return _close_all(session, overdue, ClosedBecause.TIMED_OUT, now)


def close_console_views(session: Session, workstation: str, now: datetime) -> list[int]:
    """The recorder's: every view still open on a workstation whose console is gone."""
    left = select(CameraViewRow.id).where(
        CameraViewRow.closed_at.is_(None), CameraViewRow.workstation == workstation
    )
    return _close_all(session, left, ClosedBecause.CONSOLE_GONE, now)


def _close_all(session: Session, query: Any, because: ClosedBecause, now: datetime) -> list[int]:
    closed = []
    for view_id in session.execute(query.order_by(CameraViewRow.id)).scalars().all():
        # A viewer may have closed it meanwhile: then it is left as it is, and not counted.
        if _close(session, view_id, because, RECORDER, now) is not None:
            closed.append(view_id)
    return closed


def _close(
    session: Session, view_id: int, because: ClosedBecause, by: str, now: datetime
) -> datetime | None:
    """Close the view; None when it was closed already (nothing written)."""
    if is_system_name(by):
        if by != RECORDER or because not in BY_RECORDER:
            raise PermissionDenied("camera.close_refused", operator=by, because=because.value)
    elif because not in BY_VIEWER:
        raise PermissionDenied("camera.close_refused", operator=by, because=because.value)
    if _through_functions(session):
        if not is_system_name(by):
            _same_login(session, by)
        at = _call(
            session,
            "SELECT vigie_close_view(CAST(:view_id AS bigint), :because) AS closed_at",
            view_id=view_id,
            because=because.value,
        ).closed_at
        return None if at is None else at.astimezone(UTC)
    row = _view_for_update(session, view_id)
    if not is_system_name(by) and row.viewer != by:
        raise PermissionDenied("camera.not_your_view", operator=by, id=view_id)
    if row.closed_at is not None:
        return None
    if not is_system_name(by) and because is ClosedBecause.TIMED_OUT and row.expires_at > now:
        # Its console says so at the limit, not before: the journal would say it ran out.
        raise PermissionDenied("camera.close_refused", operator=by, because=because.value)
    row.closed_at, row.closed_because = now, because.value
    details = {"view": row.id, "viewer": row.viewer, "because": because.value}
    audit.append(session, by, CLOSED, row.camera, details, at=now)
    return now


# --- reading -----------------------------------------------------------------------------------
def list_views(
    session: Session,
    reader: str,
    *,
    camera: str | None = None,
    viewer: str | None = None,
    since: datetime | None = None,
    limit: int | None = None,
) -> list[CameraView]:
    """Who watched which camera, when and why, oldest first; for who may read it.

    ``since``: the views that were open at or after it (closed since, or still open).
    """
    authority.require(session, reader, Act.READ_CAMERA_JOURNAL)
    query = select(CameraViewRow)
    if camera is not None:
        query = query.where(CameraViewRow.camera == camera)
    if viewer is not None:
        query = query.where(CameraViewRow.viewer == viewer)
    if since is not None:
        query = query.where(
            or_(CameraViewRow.closed_at.is_(None), CameraViewRow.closed_at >= since)
        )
    query = query.order_by(CameraViewRow.opened_at, CameraViewRow.id)
    if limit is not None:
        query = query.limit(limit)
    return [_view(r) for r in session.execute(query).scalars()]


def _view(row: CameraViewRow) -> CameraView:
    return CameraView(
        id=row.id,
        camera=row.camera,
        viewer=row.viewer,
        purpose=row.purpose,
        incident_id=row.incident_id,
        workstation=row.workstation,
        opened_at=row.opened_at,
        expires_at=row.expires_at,
        closed_at=row.closed_at,
        closed_because=row.closed_because,
    )


# --- the gateways' secrets ---------------------------------------------------------------------
def load_secrets(session: Session, secrets: Mapping[str, bytes], source: str, by: str) -> int:
    """Put the gateways' stream secrets in force (each replaces the gateway's one before).

    An admin's act (``manage_operators``), or a superuser's; audited with the gateways loaded,
    never a secret. Gateways the file does not name keep theirs.
    """
    authority.require(session, by, Act.MANAGE_OPERATORS)
    for gateway, secret in secrets.items():
        if (
            not _GATEWAY.fullmatch(gateway)
            or not 1 <= len(secret) <= stream_tokens.MAX_SECRET_BYTES
        ):
            raise InvalidInput("video.bad_secret", source=source, gateway=gateway)
    if _through_functions(session):
        import base64
        import json

        encoded = {g: base64.b64encode(s).decode("ascii") for g, s in secrets.items()}
        return _call(
            session,
            "SELECT vigie_load_stream_secrets(:source, CAST(:secrets AS jsonb)) AS count",
            source=source,
            secrets=json.dumps(encoded),
        ).count
    rows = [{"gateway": g, "secret": s} for g, s in secrets.items()]
    upsert(session, StreamSecretRow.__table__, rows, keys=("gateway",), update=("secret",))
    audit.append(session, by, SECRETS_LOADED, source, {"gateways": sorted(secrets)})
    return len(rows)


# --- helpers -----------------------------------------------------------------------------------
def _secret_for(session: Session, camera: str) -> bytes:
    row = session.get(EquipmentRow, camera)
    if row is None or row.type != CAMERA_TYPE:
        raise NotFound("camera.unknown", id=camera)
    secret = session.get(StreamSecretRow, row.gateway) if row.gateway else None
    if secret is None:
        raise Conflict("camera.no_secret", id=camera, gateway=row.gateway or "-")
    return secret.secret


def _view_for_update(session: Session, view_id: int) -> CameraViewRow:
    row = session.get(CameraViewRow, view_id, with_for_update=True)
    if row is None:
        raise NotFound("camera.unknown_view", id=view_id)
    return row


def _through_functions(session: Session) -> bool:
    """Whether this session's login acts on views through the database's functions only.

    An operator's login and the recorder's, where PostgreSQL is the authority; not the
    installer's (a superuser, the schema's owner: outside the guarantees).
    """
    prefix = pg_authority.installed_prefix(session)
    if prefix is None:
        return False
    if pg_requests.operator_login(session):
        return True
    return authority.session_login(session) == pg_authority.recorder_role(prefix)


def _same_login(session: Session, name: str) -> None:
    """The database acts in its login's name: a view is never opened in someone else's."""
    login = authority.session_login(session)
    if login != name:
        raise PermissionDenied(
            "permission.database_refused", reason=f"{login} may not act in the name of {name}"
        )


#: The database's refusals, by SQLSTATE, as Vigie's errors (``pg_views`` raises these).
_REFUSALS: dict[str, type[Exception]] = {
    "42501": PermissionDenied,  # insufficient_privilege: the matrix, or not their view
    "22023": InvalidInput,  # invalid_parameter_value: no purpose, a bad limit
    "P0002": NotFound,  # no_data_found: no such camera, view or incident
    "55000": Conflict,  # object_not_in_prerequisite_state: no secret loaded, a view over
}


def _call(session: Session, sql: str, **params: Any) -> Any:
    try:
        return session.execute(text(sql), params).one()
    except DBAPIError as exc:
        kind = _REFUSALS.get(getattr(exc.orig, "sqlstate", None) or "")
        if kind is None:
            raise
        lines = str(exc.orig).strip().splitlines()
        reason = (lines[0] if lines else "").removeprefix("vigie: ")
        key = "permission.database_refused" if kind is PermissionDenied else "camera.database"
        raise kind(key, reason=reason) from exc
