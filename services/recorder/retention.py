"""What is kept and for how long: positions thinned then purged; quarantine, personal data purged.

Positions: every point for 48 hours, then one a minute per unit, all gone after 60 days (CNIL's
rule for vehicle geolocation); a point dated in the future is purged at once, whatever its date.
Quarantine: 30 days. Personal data: a configurable time after the incident closes. Thinning is
done in Python over the rows past 48 hours, so it is the same on every database.
Lighting cabinets' meter readings: 400 days, their nightly sums kept (``services.store.energy``).
Salt depots' readings: 400 days; the other open-data aggregates are kept (``Retention``).
Camera snapshots: 30 days (the CNIL's month for images). Each file is deleted from the
snapshots folder and its row's ``purged_at`` set (the row stays: the journal of a recording
that existed); a file of that folder older than that, or a snapshot half-written and left an
hour, is deleted too, recorded or not (``sweep_snapshot_files``).

On PostgreSQL positions, quarantine, meter and salt readings are partitioned by time
(``services.store.partitions``): the purge first makes the partitions due ahead of time, then
drops whole partitions past their period, then deletes the rows left past it (those of the
partition straddling the limit, and of the DEFAULT partition) as on SQLite.
"""

from __future__ import annotations

import logging
import os
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from services.config import load_settings
from services.domain.errors import InvalidInput
from services.domain.incidents import OPEN_STATUSES
from services.domain.retention import Retention
from services.domain.snapshots import (
    MADE_NAME,
    TEMPORARY_PREFIX,
    TEMPORARY_SUFFIX,
    check_file_name,
)
from services.store import partitions, salt
from services.store.energy import purge_readings
from services.store.models import (
    CameraSnapshotRow,
    IncidentRow,
    PersonalDataRow,
    QuarantineRow,
    UnitPositionRow,
)

log = logging.getLogger(__name__)

#: A snapshot being written is renamed within seconds: one left this long was abandoned.
ABANDONED_AFTER = timedelta(hours=1)


def thin_positions(session: Session, now: datetime, rules: Retention, limit: int = 50_000) -> int:
    """Keep one point a minute per unit among the points older than 48 h; returns deleted."""
    cutoff = now - rules.positions_full
    rows = session.execute(
        select(UnitPositionRow.id, UnitPositionRow.unit_id, UnitPositionRow.observed_at)
        .where(UnitPositionRow.observed_at < cutoff)
        .order_by(UnitPositionRow.unit_id, UnitPositionRow.observed_at)
        .limit(limit)
    ).all()
    step = rules.position_step.total_seconds()
    doomed, kept_bucket = [], None
    for ident, unit, at in rows:
        bucket = (unit, int(at.timestamp() // step))
        if bucket == kept_bucket:
            doomed.append((ident, at))
        else:
            kept_bucket = bucket
    doomed.sort(key=lambda point: point[1])  # by time: each chunk spans few days
    for start in range(0, len(doomed), 5000):
        chunk = doomed[start : start + 5000]
        # Bounded by the points' times too: PostgreSQL reads only their days' partitions.
        session.execute(
            delete(UnitPositionRow).where(
                UnitPositionRow.id.in_([ident for ident, _at in chunk]),
                UnitPositionRow.observed_at >= min(at for _ident, at in chunk),
                UnitPositionRow.observed_at <= max(at for _ident, at in chunk),
            )
        )
    return len(doomed)


def purge(
    session: Session, now: datetime, rules: Retention, snapshots_folder: Path | None = None
) -> dict[str, int]:
    """Purge what is past its time; how many of each went (``snapshot_files``: swept files).

    ``snapshots_folder``: where the snapshots are; by default the ``snapshots_folder`` setting,
    read now (the consoles that write there read the same configuration).
    """
    dropped = _partitions(session, now, rules)
    positions = (
        dropped.get("unit_positions", 0)
        + session.execute(
            delete(UnitPositionRow).where(
                (UnitPositionRow.observed_at < now - rules.positions_kept)
                | (UnitPositionRow.observed_at > now + rules.future_tolerance)
            )
        ).rowcount
    )
    quarantine = (
        dropped.get("quarantine", 0)
        + session.execute(
            delete(QuarantineRow).where(QuarantineRow.received_at < now - rules.quarantine)
        ).rowcount
    )
    closed = select(IncidentRow.id).where(
        IncidentRow.status.not_in([s.value for s in OPEN_STATUSES]),
        IncidentRow.updated_at < now - rules.personal_data_after_close,
    )
    personal = session.execute(
        delete(PersonalDataRow).where(PersonalDataRow.incident_id.in_(closed))
    ).rowcount
    energy = dropped.get("energy_readings", 0) + purge_readings(
        session, now - rules.energy_readings
    )
    salt_readings = dropped.get("salt_readings", 0) + salt.purge_readings(
        session, now - rules.salt_readings
    )
    folder = _snapshots_folder() if snapshots_folder is None else snapshots_folder
    snapshots = purge_snapshots(session, now, rules, folder)
    files = sweep_snapshot_files(folder, now, rules)
    return {
        "positions": positions,
        "quarantine": quarantine,
        "personal_data": personal,
        "energy_readings": energy,
        "salt_readings": salt_readings,
        "snapshots": snapshots,
        "snapshot_files": files,
    }


def _partitions(session: Session, now: datetime, rules: Retention) -> dict[str, int]:
    """On PostgreSQL: make the partitions due, drop the expired ones; rows dropped by table.

    In a savepoint: a partition's lock not had in time (``lock_timeout``, a long reader) leaves
    the purge to delete rows as on SQLite, and the partitions to the next pass.
    """
    if not partitions.partitioned(session):
        return {}
    try:
        with session.begin_nested():
            partitions.ensure_partitions(session, now, rules=rules)
    except DBAPIError as exc:  # a lock not had in time, a row moved meanwhile (23514)
        log.warning("partitions to make left for the next pass: %s", str(exc.orig).strip())
    try:
        with session.begin_nested():
            return partitions.drop_expired_partitions(session, now, rules)
    except DBAPIError as exc:
        log.warning("partitions to drop left for the next pass: %s", str(exc.orig).strip())
        return {}


def purge_snapshots(
    session: Session, now: datetime, rules: Retention, folder: Path, limit: int = 1000
) -> int:
    """Delete the files of snapshots older than ``rules.snapshots``; mark each row purged.

    A file already gone counts as deleted; one that cannot be deleted leaves its row unpurged,
    to be tried again at the next pass (and says so in the log). At most ``limit`` at a time.
    """
    rows = (
        session.execute(
            select(CameraSnapshotRow)
            .where(
                CameraSnapshotRow.purged_at.is_(None),
                CameraSnapshotRow.taken_at < now - rules.snapshots,
            )
            .order_by(CameraSnapshotRow.taken_at)
            .limit(limit)
            # Two recorders never purge one row at once (on PostgreSQL; SQLite has one writer).
            .with_for_update(skip_locked=True)
        )
        .scalars()
        .all()
    )
    purged = 0
    for row in rows:
        try:
            (folder / check_file_name(row.file_name)).unlink(missing_ok=True)
        except InvalidInput:  # not a name of the folder: there is no file of it to delete
            log.warning(
                "snapshot %s: %r names no file of the snapshots folder", row.id, row.file_name
            )
        except OSError as exc:
            log.warning("snapshot %s: cannot delete %s: %s", row.id, row.file_name, exc)
            continue
        row.purged_at = now
        purged += 1
    session.flush()
    return purged


def sweep_snapshot_files(folder: Path, now: datetime, rules: Retention) -> int:
    """Delete the snapshot files in ``folder`` older than ``rules.snapshots``, recorded or not.

    Only names Vigie gives snapshots (``MADE_NAME``) and its half-written ones (deleted after
    ``ABANDONED_AFTER``): other files of the folder are not Vigie's. A snapshot taken but never
    recorded (its caller died before ``discard``) goes so, at the latest. By the file's time,
    not the record's: no database's record is needed to know a file is past its month (two
    databases, a training one and a live one, may share the folder).
    """
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return 0
    except OSError as exc:
        log.warning("cannot read the snapshots folder %s: %s", folder, exc)
        return 0
    old, abandoned = (now - rules.snapshots).timestamp(), (now - ABANDONED_AFTER).timestamp()
    deleted = 0
    for entry in entries:
        name = entry.name
        if MADE_NAME.fullmatch(name):
            before = old
        elif name.startswith(TEMPORARY_PREFIX) and name.endswith(TEMPORARY_SUFFIX):
            before = abandoned
        else:
            continue
        try:
            if (
                not entry.is_file(follow_symlinks=False)
                or entry.stat(follow_symlinks=False).st_mtime >= before
            ):
                continue
            os.unlink(entry.path)
            deleted += 1
        except FileNotFoundError:
            continue
        except OSError as exc:
            log.warning("cannot delete the snapshot %s: %s", entry.path, exc)
    return deleted


def _snapshots_folder() -> Path:
    return load_settings().snapshots_path
