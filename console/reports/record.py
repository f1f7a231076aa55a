"""The daily report as an act: refused before anything is read, audited once its file is written.

Shared by ``vigie report daily`` and the console's File menu, so that both refuse and record the
same way. Neither function touches Qt: the console runs them on its acts lane, off the GUI thread.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from datetime import date, tzinfo
from pathlib import Path

from services.domain.figures import Figures
from services.domain.permissions import Act
from services.reports.figures import daily
from services.store import audit, authority
from services.store.database import Database

ACTION = "report.daily"


def read_figures(db: Database, operator: str, day: date, zone: tzinfo) -> Figures:
    """The day's figures, for an operator who may run reports (``PermissionDenied`` otherwise).

    The report names who switched the city's modes and counts the camera views: both sections
    are read, as ``run_reports`` (and on PostgreSQL its grants) lets.
    """
    with db.read() as session:
        authority.require(session, operator, Act.RUN_REPORTS)
    return daily(db, day, zone, modes=True, camera_views=True)


def deliver(db: Database, operator: str, day: date, data: bytes, out: Path) -> int:
    """Write the PDF beside ``out``, audit the act, then put the file in place.

    The file is complete on disk (under a temporary name in ``out``'s folder) before the entry
    is appended, and takes its name only once the entry has committed: a failed commit leaves a
    previous report at ``out`` as it was, and no report appears without its entry. (The rename
    within one folder that was just written in does not fail short of the disk going away.)
    Returns the entry's sequence number.
    """
    handle, temporary = tempfile.mkstemp(prefix=".vigie-report-", suffix=".pdf", dir=out.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        with db.write() as session:
            seq = audit.append(
                session, operator, ACTION, f"report:{day.isoformat()}", {"date": day.isoformat()}
            ).seq
        os.replace(temporary, out)
        return seq
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
