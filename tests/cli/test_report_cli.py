"""``vigie report daily``: the day's PDF holds the record's figures, in the reader's language.

A small backfill (two days of the small city) fills the record; the PDF's text (``pdftotext``,
Debian's ``poppler-utils``) is compared with counts made here with plain SQL, on SQLite and on
PostgreSQL. A dispatcher is refused (exit 5) and nothing is written; from cron, with no display
and no ``QT_QPA_PLATFORM``, the command draws offscreen by itself, in French for a French locale.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import bindparam, text

from services.backfill import backfill
from services.store.database import Database
from services.store.types import UTCDateTime

END = datetime(2026, 12, 6, 3, 0, tzinfo=UTC)
HISTORY = {"days": 2, "scale": "small", "seed": 7, "end": END, "incidents_per_day": 80}
DAY = date(2026, 12, 5)  # wholly inside the history, in Paris


@dataclass(frozen=True)
class Span:
    start: datetime
    end: datetime


#: Paris's 5 December (CET, UTC+1), written out rather than computed by the code under test.
PERIOD = Span(datetime(2026, 12, 4, 23, 0, tzinfo=UTC), datetime(2026, 12, 5, 23, 0, tzinfo=UTC))


@pytest.fixture
def filled(staffed):
    database = Database(staffed)
    backfill(database, **HISTORY)
    yield database
    database.dispose()


def pdf_text(path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: apt-get install poppler-utils (.ci/run installs it)")
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return done.stdout


def section(whole: str, heading: str, following: str) -> str:
    """The text between two headings of the detail (the first page says some headings too)."""
    start = whole.index(heading, whole.index("Detail"))
    return whole[start : whole.index(following, start)]


def count(db: Database, sql: str) -> list:
    """Rows of ``sql`` over the day's period (``:start``, ``:end``), as the store binds times."""
    times = {"start": PERIOD.start, "end": PERIOD.end}
    used = {name: at for name, at in times.items() if f":{name}" in sql}
    query = text(sql).bindparams(*(bindparam(name, type_=UTCDateTime()) for name in used))
    with db.read() as session:
        return session.execute(query, used).all()


DAY_INCIDENTS = (
    "FROM incidents WHERE created_at >= :start AND created_at < :end "
    "AND duplicate_of IS NULL AND status <> 'duplicate'"
)


def test_the_pdf_holds_the_days_figures_and_the_act_is_audited(vigie, filled, tmp_path):
    out = tmp_path / "daily.pdf"
    done = vigie(
        "--operator", "s.petit", "report", "daily", "--date", DAY.isoformat(), "--out", str(out)
    )
    assert done.status == 0, done.err
    assert "written to" in done.out and out.is_file()
    said = pdf_text(out)

    (total,) = count(filled, f"SELECT count(*) {DAY_INCIDENTS}")[0]
    per_priority = dict(
        count(filled, f"SELECT priority, count(*) {DAY_INCIDENTS} GROUP BY priority")
    )
    (calls,) = count(filled, f"SELECT count(*) {DAY_INCIDENTS} AND source = 'call'")[0]
    commands = dict(
        count(
            filled,
            "SELECT status, count(*) FROM commands WHERE issued_at >= :start "
            "AND issued_at < :end GROUP BY status",
        )
    )
    assert total > 20 and calls > 0 and commands.get("done", 0) > 0  # a day worth reporting

    assert "Daily report of the control room" in said and "Saturday 5 December 2026" in said
    categories = section(said, "Incidents by category", "Incidents by commune")
    assert re.search(rf"^Total\s+{total}\s", categories, re.M)
    priorities = section(said, "Incidents by priority", "Time to acknowledge")
    printed = {
        int(p): int(n)
        for p, n in re.findall(
            r"^P(\d)\s+(?:\d+ ?min|\d+ ?h(?: ?\d\d)?|\d+ ?d(?: ?\d+ ?h)?)\s+(\d+)\s",
            priorities,
            re.M,
        )
    }
    assert printed == {p: per_priority.get(p, 0) for p in (1, 2, 3, 4)}
    hotline = section(said, "Hotline calls by category", "Modes switched")
    assert re.search(rf"^Total\s+{calls}\s*$", hotline, re.M)
    sent = sum(commands.values())
    assert f"{commands['done']} done, {sent - commands['done']} not done" in said
    assert "Dijon" in section(said, "Incidents by commune", "Incidents by priority")

    audited = count(
        filled,
        "SELECT operator, target FROM audit_log WHERE action = 'report.daily'",
    )
    assert audited == [("s.petit", f"report:{DAY.isoformat()}")]


def test_a_dispatcher_is_refused_and_nothing_is_written(vigie, filled, tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    out = folder / "daily.pdf"
    refused = vigie(
        "--operator", "c.bernard", "report", "daily", "--date", DAY.isoformat(), "--out", str(out)
    )
    assert refused.status == 5, refused.err
    assert "refused" in refused.err
    assert list(folder.iterdir()) == []  # neither the PDF nor a temporary file
    assert count(filled, "SELECT seq FROM audit_log WHERE action = 'report.daily'") == []


def test_from_cron_it_needs_no_display_and_speaks_the_locales_language(
    vigie_process, filled, cli_env, tmp_path
):
    for variable in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        cli_env.delenv(variable, raising=False)
    out = tmp_path / "rapport.pdf"
    done = vigie_process(
        "--operator",
        "n.faure",
        "report",
        "daily",
        "--date",
        DAY.isoformat(),
        "--out",
        str(out),
        "--json",
        env={"LC_ALL": "fr_FR.UTF-8"},
    )
    assert done.status == 0, done.err
    assert "QT_QPA_PLATFORM" not in os.environ
    (total,) = count(filled, f"SELECT count(*) {DAY_INCIDENTS}")[0]
    told = json.loads(done.out)
    assert (told["date"], told["incidents"], told["file"]) == (DAY.isoformat(), total, str(out))
    said = pdf_text(out)
    assert "samedi 5 décembre 2026" in said  # the language's date
    assert "Daily report of the control room" not in said  # its words are French
    assert "Saturday" not in said


def test_text_from_the_record_is_printed_as_text_never_as_markup(qapp):
    from console.reports.daily import Report, document
    from services.domain.figures import Figures, ModeSwitch, Period, Spread

    nothing = Spread(0, None, None)
    hostile = '<img src="file:///etc/passwd"><b>FAUSSE ALERTE</b>'
    switch = ModeSwitch(PERIOD.start, "traffic", "event", "normal", "<i>x</i>", hostile, "")
    figures = Figures(
        period=Period(PERIOD.start, PERIOD.end),
        commune=None,
        incidents=1,
        by_category={"<h1>mine</h1>": 1},
        by_commune={"": 1},
        by_priority={3: 1},
        sla={},
        acknowledge=nothing,
        resolve=nothing,
        acknowledge_by_priority={},
        resolve_by_priority={},
        calls=0,
        calls_by_category={},
        modes=[switch],
        commands={},
        commands_by_type={},
        lights_in_fault_by_day={DAY: 0},
        repair=nothing,
        snow=None,
        camera_views=None,
    )
    doc = document(Report(figures, DAY, "s.petit", END, {}))
    said = doc.toPlainText()
    assert hostile in said and "<h1>mine</h1>" in said and "<i>x</i>" in said
    assert "FAUSSE ALERTE</b>" in said  # not made bold: shown as written
    assert '<img src="file:' not in doc.toHtml()  # no image of this workstation's files


def quiet_figures(period: Span, **changed):
    """A day's figures with little in them: each test sets what it looks at."""
    from services.domain.figures import Figures, Period, Spread

    nothing = Spread(0, None, None)
    values = {
        "period": Period(period.start, period.end),
        "commune": None,
        "incidents": 8,
        "by_category": {"noise": 8},
        "by_commune": {"": 8},
        "by_priority": {2: 8},
        "sla": {},
        "acknowledge": nothing,
        "resolve": nothing,
        "acknowledge_by_priority": {},
        "resolve_by_priority": {},
        "calls": 0,
        "calls_by_category": {},
        "modes": [],
        "commands": {},
        "commands_by_type": {},
        "lights_in_fault_by_day": {},
        "repair": nothing,
        "snow": None,
        "camera_views": None,
    }
    return Figures(**(values | changed))


def test_targets_kept_is_one_figure_counting_open_past_target_as_missed(qapp):
    from console.reports.daily import Report, document
    from services.domain.figures import SlaKept

    # 4 resolved (3 in time, 1 late) and 4 still open past their target: 3 of 8 kept, not 3 of 4
    figures = quiet_figures(PERIOD, sla={2: SlaKept(2, 4, 3, 1, 4)})
    said = document(Report(figures, DAY, "s.petit", END, {})).toPlainText()
    assert "75 %" not in said
    glance = said[said.index("Targets kept") - 12 : said.index("Detail")]
    assert "38 %" in glance and "3 in time; 5 late" in glance
    detail = said[said.index("Incidents by priority and targets kept") :]
    assert re.search(r"P2\s+1 h 00\s+8\s+4\s+3\s+1\s+4\s+38 %", detail)
    assert re.search(r"Total\s+8\s+4\s+3\s+1\s+4\s+38 %", detail)


def test_switch_times_on_the_day_the_clocks_go_back_say_their_zone(qapp):
    from console.reports.daily import Report, document
    from services.domain.figures import ModeSwitch

    # 25 October 2026 in Paris: 02:30 happens at 00:30 UTC (CEST) and again at 01:30 UTC (CET)
    day = date(2026, 10, 25)
    period = Span(datetime(2026, 10, 24, 22, tzinfo=UTC), datetime(2026, 10, 25, 23, tzinfo=UTC))
    first = ModeSwitch(
        datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
        "traffic",
        "event",
        "normal",
        "s.petit",
        "match",
        "",
    )
    second = dataclasses.replace(
        first, at=datetime(2026, 10, 25, 1, 30, tzinfo=UTC), value="normal", previous="event"
    )
    figures = quiet_figures(period, modes=[first, second])
    said = document(Report(figures, day, "s.petit", END, {})).toPlainText()
    glance = said[said.index("Modes switched during the day") : said.index("Detail")]
    assert re.findall(r"\d\d:\d\d(?: C\w+)?", glance) == ["02:30 CEST", "02:30 CET"]
    detail = said[said.index("Modes switched", said.index("Detail")) :]
    assert re.findall(r"\d\d:\d\d(?: C\w+)?", detail) == ["02:30 CEST", "02:30 CET"]
    ordinary = quiet_figures(PERIOD, modes=[dataclasses.replace(first, at=PERIOD.start)])
    plain = document(Report(ordinary, DAY, "s.petit", END, {})).toPlainText()
    assert "00:00 " in plain and "00:00 CET" not in plain  # a day of one zone says it once


def test_out_naming_a_folder_is_a_usage_error(vigie, staffed, tmp_path):
    done = vigie(
        "--operator",
        "s.petit",
        "report",
        "daily",
        "--date",
        DAY.isoformat(),
        "--out",
        str(tmp_path),
    )
    assert done.status == 2, done.err
    assert "is a folder" in done.err and "internal error" not in done.err


def test_a_folder_it_may_not_write_in_is_said_and_nothing_recorded(
    vigie, staffed, tmp_path, monkeypatch
):
    def refused(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("console.reports.record.tempfile.mkstemp", refused)
    out = tmp_path / "daily.pdf"
    done = vigie(
        "--operator", "s.petit", "report", "daily", "--date", DAY.isoformat(), "--out", str(out)
    )
    assert done.status == 1, done.err
    assert "internal error" not in done.err
    assert f"could not be written to {out}: Permission denied" in done.err
    database = Database(staffed)
    try:
        with database.read() as session:
            audited = session.execute(
                text("SELECT seq FROM audit_log WHERE action = 'report.daily'")
            ).all()
    finally:
        database.dispose()
    assert audited == [] and not out.exists()


def test_a_failed_audit_leaves_the_previous_report_as_it_was(staffed, tmp_path):
    from console.reports.record import deliver

    class CommitFails:
        """The database, whose write transaction fails as it ends (as a lost connection)."""

        def __init__(self, db: Database) -> None:
            self.db = db

        @contextlib.contextmanager
        def write(self):
            with self.db.write() as session:
                yield session
                raise RuntimeError("the commit failed")

    folder = tmp_path / "reports"
    folder.mkdir()
    out = folder / "daily.pdf"
    out.write_bytes(b"yesterday's report")
    database = Database(staffed)
    try:
        with pytest.raises(RuntimeError):
            deliver(CommitFails(database), "s.petit", DAY, b"%PDF today's", out)  # type: ignore[arg-type]
        assert out.read_bytes() == b"yesterday's report"
        assert list(folder.iterdir()) == [out]  # no temporary file left beside it
        deliver(database, "s.petit", DAY, b"%PDF today's", out)
        assert out.read_bytes() == b"%PDF today's"
    finally:
        database.dispose()
