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
    """Write the PDF beside ``out``, then audit the act and put the file in place together.

    The file is complete on disk before the entry is appended; it takes its name inside the
    entry's transaction, and goes again if that transaction fails: no report without its entry,
    no entry without its report. Returns the entry's sequence number.
    """
    handle, temporary = tempfile.mkstemp(prefix=".vigie-report-", suffix=".pdf", dir=out.parent)
    placed = False
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        with db.write() as session:
            entry = audit.append(
                session, operator, ACTION, f"report:{day.isoformat()}", {"date": day.isoformat()}
            )
            os.replace(temporary, out)
            placed = True
        return entry.seq
    except BaseException:
        if placed:  # the entry did not commit
            out.unlink(missing_ok=True)
        raise
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
