"""``vigie opendata serve``'s daily export: the files written each night, then served.

At ``HOUR`` in the room's time zone (and once at start when the folder holds no export of
today), the export runs in a thread of its own, beside the HTTP service: a day just over and a
week just over become files. A failure (the database away) is logged and tried again
``RETRY`` later; the files already published stay as they were.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from services.opendata.export.run import CATALOGUE, ExportOptions, ExportReport, export
from services.store.database import Database

log = logging.getLogger(__name__)

#: The room's hour the export runs at: after midnight's day and the recorder's last hour are in.
HOUR = 4
RETRY = timedelta(hours=1)


def next_run(now: datetime, zone: ZoneInfo, hour: int = HOUR) -> datetime:
    """The next ``hour`` o'clock in ``zone`` strictly after ``now`` (UTC)."""
    local = now.astimezone(zone)
    at = datetime.combine(local.date(), time(hour), zone)
    if at <= local:
        at = datetime.combine(local.date() + timedelta(days=1), time(hour), zone)
    return at.astimezone(UTC)


def exported_today(folder: Path, now: datetime, zone: ZoneInfo, hour: int = HOUR) -> bool:
    """Whether the catalogue in ``folder`` was written since today's run time."""
    try:
        written = datetime.fromtimestamp((folder / CATALOGUE).stat().st_mtime, UTC)
    except OSError:
        return False
    return written >= next_run(now, zone, hour) - timedelta(days=1)


class DailyExport:
    def __init__(
        self,
        db: Database,
        folder: Path,
        options: ExportOptions,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.db, self.folder, self.options, self.clock = db, folder, options, clock
        self.stopping = threading.Event()
        self.last: ExportReport | None = None
        self.failures = 0
        self.thread = threading.Thread(target=self._run, name="opendata-export", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=30)

    def run_once(self) -> bool:
        try:
            self.last = export(self.db, self.folder, self.options, now=self.clock())
        except Exception:  # noqa: BLE001 - the service goes on serving; the next try may do
            self.failures += 1
            log.exception("open data export failed; tried again in %s", RETRY)
            return False
        log.info("open data exported into %s in %.1f s", self.folder, self.last.seconds)
        return True

    def _run(self) -> None:
        zone = self.options.zone
        if not exported_today(self.folder, self.clock(), zone):
            due = self.clock()
        else:
            due = next_run(self.clock(), zone)
        while not self.stopping.wait(max(0.0, (due - self.clock()).total_seconds())):
            done = self.run_once()
            due = next_run(self.clock(), zone) if done else self.clock() + RETRY
