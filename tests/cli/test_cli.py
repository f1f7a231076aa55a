import json
import re

import pytest
from sqlalchemy import make_url

from console.cli.context import CliFailure, Context, ExitStatus, confirm
from tests.conftest import ROOM_PASSWORD


def one_line_error(result, status):
    assert result.status == status, (result.out, result.err)
    assert "Traceback" not in result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("vigie")
    return lines[0]


def test_version_and_help(vigie_process):
    result = vigie_process("--version")
    assert result.status == 0 and re.fullmatch(r"vigie \d+\.\d+\.\d+\S*\n", result.out)
    for argv in (
        ["--help"],
        ["db", "upgrade", "--help"],
        ["operator", "add", "--help"],
        ["journal", "list", "--help"],
        ["audit", "verify", "--help"],
        ["config", "show", "--help"],
        ["bench", "audit", "--help"],
    ):
        result = vigie_process(*argv)
        assert result.status == 0, argv
        assert "--operator" in result.out and "--db" in result.out  # global options everywhere


def test_db_upgrade_creates_the_os_user_as_admin(vigie, ready, me):
    listed = vigie("operator", "list", "--json")
    assert listed.status == 0, listed.err
    rows = json.loads(listed.out)
    # On PostgreSQL the database's own function writes the row: by the login that installed it.
    installer = "system:db" if ready.startswith("sqlite") else make_url(ready).username
    assert [(r["name"], r["role"], r["created_by"]) for r in rows] == [(me, "admin", installer)]
    assert set(rows[0]) == {"name", "role", "enabled", "created_at", "created_by"}
    assert rows[0]["created_at"].endswith("Z")
    again = vigie("db", "upgrade")  # already at head: nothing asked, nobody added
    assert again.status == 0 and "created operator" not in again.out


def test_operator_journal_and_audit_flow(vigie, ready, me):
    added = vigie(
        "operator",
        "add",
        "c.bernard",
        "--role",
        "dispatcher",
        "--password-stdin",
        stdin=ROOM_PASSWORD + "\n",
    )
    assert added.status == 0, added.err
    written = vigie("--operator", "c.bernard", "journal", "add", "Prise", "de", "poste")
    assert written.status == 0, written.err
    entries = json.loads(vigie("journal", "list", "--json").out)
    assert [(e["operator"], e["text"]) for e in entries] == [("c.bernard", "Prise de poste")]
    assert set(entries[0]) == {"id", "at", "operator", "text"}
    head = vigie("audit", "head")
    assert head.status == 0
    assert re.fullmatch(r"3:[0-9a-f]{64}\n", head.out)  # bootstrap, add, journal
    as_json = json.loads(vigie("audit", "head", "--json").out)
    assert f"{as_json['seq']}:{as_json['hash']}\n" == head.out
    verified = vigie("audit", "verify", "--anchor", head.out.strip())
    assert verified.status == 0 and "3" in verified.out


def test_global_options_before_or_after_the_subcommand(vigie, ready, cli_env, tmp_path):
    cli_env.delenv("VIGIE_DB_URL")
    before = vigie("--db", ready, "journal", "list", "--json")
    after = vigie("journal", "list", "--json", "--db", ready)
    between = vigie("journal", "--db", ready, "list", "--json")
    assert before.status == after.status == between.status == 0
    assert before.out == after.out == between.out == "[]\n"
    # a flag beats the environment
    cli_env.setenv("VIGIE_DB_URL", f"sqlite:///{tmp_path}/elsewhere.db")
    assert vigie("journal", "list", "--db", ready).status == 0
    shown = json.loads(vigie("config", "show", "--json", "--root", "dijon").out)["settings"]
    assert shown["root"] == {"value": "dijon", "origin": "flag", "variable": "VIGIE_MQTT_ROOT"}
    assert shown["db"]["origin"] == "environment"


def test_wrong_flag_explains_itself(vigie):
    line = one_line_error(vigie("operator", "list", "--jsn"), 2)
    assert "--jsn" in line and "did you mean --json?" in line and "vigie operator list" in line
    line = one_line_error(vigie("journal", "ajout"), 2)
    assert "'ajout'" in line
    one_line_error(vigie(), 2)
    one_line_error(vigie("operator", "add", "x", "--role", "mayor"), 2)
    one_line_error(vigie("journal", "list", "--limit", "0"), 2)


def test_unreachable_database_is_status_4(vigie):
    line = one_line_error(
        vigie("--db", "postgresql+psycopg://nobody@127.0.0.1:9/none", "journal", "list"), 4
    )
    assert "cannot reach the database" in line
    line = one_line_error(vigie("--db", "mysql+nodriver://x/y", "journal", "list"), 4)
    line = one_line_error(vigie("--db", "not a url", "journal", "list"), 4)


def test_missing_tables_say_what_to_do(vigie, tmp_path):
    line = one_line_error(vigie("--db", f"sqlite:///{tmp_path}/empty.db", "audit", "verify"), 4)
    assert "vigie db upgrade" in line


def test_the_operator_in_effect_must_exist(vigie, ready):
    line = one_line_error(vigie("--operator", "ghost", "journal", "add", "hello"), 5)
    assert "ghost" in line and "not accepted" in line
    line = one_line_error(vigie("--operator", "system:recorder", "journal", "add", "x"), 2)
    assert "reserved" in line
    assert json.loads(vigie("journal", "list", "--json").out) == []  # nothing was written


def test_refusals_are_one_line_each_with_its_status(vigie, staffed):
    one_line_error(  # exists
        vigie("operator", "add", "c.bernard", "--role", "admin", "--password-stdin", stdin="x" * 9),
        1,
    )
    line = one_line_error(  # not permitted: 5 (issue 16)
        vigie("--operator", "c.bernard", "operator", "add", "x.y", "--role", "admin"), 5
    )
    assert "c.bernard (dispatcher) may not manage operators" in line
    one_line_error(
        vigie("operator", "add", "two words", "--role", "admin", "--password-stdin", stdin="x" * 9),
        2,
    )
    one_line_error(vigie("operator", "add", "x.z", "--role", "admin"), 2)  # no terminal to ask
    one_line_error(vigie("--operator", "c.bernard", "journal", "add", "   "), 2)
    line = one_line_error(vigie("journal", "add", "consigne"), 5)  # the admin runs no act
    assert "may not write in the logbook" in line


def test_a_tampered_journal_fails_verification_naming_the_entry(vigie, staffed):
    from services.store.database import Database

    for i in range(4):
        assert vigie("--operator", "c.bernard", "journal", "add", f"entrée {i}").status == 0
    assert vigie("audit", "verify").status == 0
    anchor = vigie("audit", "head").out.strip()
    db = Database(staffed)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE journal SET text = 'x' WHERE id = 1")  # not the audit: fine
    assert vigie("audit", "verify").status == 0
    with db.engine.begin() as conn:
        original = conn.exec_driver_sql("SELECT target FROM audit_log WHERE seq = 3").scalar()
        conn.exec_driver_sql("UPDATE audit_log SET target = 'journal:99' WHERE seq = 3")
    line = one_line_error(vigie("audit", "verify"), 1)
    assert "entry 3" in line
    report = json.loads(vigie("audit", "verify", "--json").out)
    assert (report["ok"], report["problem"], report["bad_seq"]) == (False, "audit.changed", 3)
    with db.engine.begin() as conn:
        conn.exec_driver_sql(f"UPDATE audit_log SET target = '{original}' WHERE seq = 3")
        conn.exec_driver_sql("DELETE FROM audit_log WHERE seq = 5")
    line = one_line_error(vigie("audit", "verify"), 1)
    assert "tail was cut" in line
    one_line_error(vigie("audit", "verify", "--anchor", "5:nothex"), 2)
    line = one_line_error(vigie("audit", "verify", "--anchor", anchor), 1)
    db.dispose()


def test_bad_config_file_is_a_usage_error(vigie, cli_env, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('database = "sqlite:///x.db"\n')
    cli_env.setenv("VIGIE_CONFIG", str(config))
    line = one_line_error(vigie("config", "show"), 2)
    assert "database" in line and str(config) in line


def test_internal_errors_are_one_line(vigie, monkeypatch):
    from console.cli.commands import config_cmd

    def boom(ctx):
        raise ZeroDivisionError("division by zero\nsecond line")

    monkeypatch.setattr(config_cmd, "show_settings", boom)
    line = one_line_error(vigie("config", "show"), 1)
    assert "ZeroDivisionError" in line and "VIGIE_DEBUG" in line


class _Stdin:
    def __init__(self, tty: bool, answer: str = "") -> None:
        self.tty, self.answer = tty, answer

    def isatty(self) -> bool:
        return self.tty

    def readline(self) -> str:
        return self.answer


def _ctx(yes: bool) -> Context:
    import argparse

    from services.config import load_settings

    return Context(settings=load_settings({}, {}), args=argparse.Namespace(yes=yes))


def test_confirmations():
    confirm(_ctx(yes=True), "switch off Dijon?", _Stdin(tty=False))  # --yes: no question
    with pytest.raises(CliFailure) as err:
        confirm(_ctx(yes=False), "switch off Dijon?", _Stdin(tty=False))
    assert err.value.status is ExitStatus.USAGE and "--yes" in str(err.value)
    confirm(_ctx(yes=False), "switch off Dijon?", _Stdin(tty=True, answer="y\n"))
    with pytest.raises(CliFailure) as err:
        confirm(_ctx(yes=False), "switch off Dijon?", _Stdin(tty=True, answer="\n"))
    assert err.value.status is ExitStatus.FAILED


def test_scripts_get_no_traceback_and_french_when_asked(vigie_process, tmp_path):
    url = f"sqlite:///{tmp_path}/v.db"
    assert (
        vigie_process("db", "upgrade", "--db", url, "--password-stdin", stdin="s3cret-pw\n").status
        == 0
    )
    result = vigie_process(
        "--db", url, "--operator", "ghost", "journal", "add", "x", env={"LC_ALL": "fr_FR.UTF-8"}
    )
    line = one_line_error(result, 5)
    assert "refusé" in line
    result = vigie_process("journal", "ajout", env={"LC_ALL": "fr_FR.UTF-8"})
    assert "choix invalide" in one_line_error(result, 2)
    result = vigie_process("--db", "postgresql+psycopg://x@127.0.0.1:9/y", "journal", "list")
    assert "cannot reach" in one_line_error(result, 4)


def test_demo_prepares_the_database_once(vigie, cli_env, tmp_path, me):
    from console.cli.commands.demo_cmd import DEMO_PASSWORD

    cli_env.setenv("VIGIE_DB_URL", f"sqlite:///{tmp_path}/demo.db")
    first = vigie("demo", "--scale", "small", "--seconds", "0", "--no-console")
    assert first.status == 0, first.err
    assert f"with the password {DEMO_PASSWORD}" in first.out
    cli_env.setenv("VIGIE_PASSWORD", DEMO_PASSWORD)  # every demo operator's, as it printed
    names = {r["name"]: r["role"] for r in json.loads(vigie("operator", "list", "--json").out)}
    assert names[me] == "admin"
    assert {"c.bernard", "l.moreau", "t.garnier", "s.petit"} <= set(names)
    assert len(set(names.values())) >= 5  # one per role at least
    second = vigie("demo", "--scale", "small", "--seconds", "0", "--no-console")
    assert second.status == 0 and "operators added" not in second.out
    assert vigie("audit", "verify").status == 0


def test_demo_runs_the_field_and_stops_cleanly(vigie_process, tmp_path):
    """The whole system on embedded defaults: amqtt, recorder, simulator; then stopped."""
    url = f"sqlite:///{tmp_path}/demo.db"
    # the console too, offscreen: it must come up and stop with the rest
    result = vigie_process(
        "demo",
        "--scale",
        "small",
        "--seconds",
        "12",
        env={"VIGIE_DB_URL": url, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.status == 0, result.err
    assert "Traceback" not in result.err
    assert "embedded broker started on mqtt://127.0.0.1:" in result.out
    assert "demo stopped" in result.out
    assert "console stopped" in result.out
    counts = json.loads(vigie_process("query", "stats", "--json", env={"VIGIE_DB_URL": url}).out)
    assert counts["messages_received"] > 200  # the small city's state, recorded
    equipment = json.loads(
        vigie_process("query", "equipment", "--json", env={"VIGIE_DB_URL": url}).out
    )
    assert {e["commune"] for e in equipment} >= {"21231", "21166"}


def test_upgrading_an_existing_database_asks_first(vigie_process, tmp_path):
    from services.store.database import Database
    from services.store.schema import upgrade

    url = f"sqlite:///{tmp_path}/old.db"
    old = Database(url)
    upgrade(old, "0001")  # a database left by the previous version of Vigie
    old.dispose()
    refused = vigie_process("db", "upgrade", "--db", url)
    line = one_line_error(refused, 2)
    assert "--yes" in line and "0001" in line
    done = vigie_process("db", "upgrade", "--db", url, "--yes")
    assert done.status == 0 and "was 0001" in done.out


def test_bench_map_counts_one_bridge_call_per_frame(vigie_process):
    import json

    result = vigie_process(
        "bench", "map", "--lights", "500", "--units", "20", "--frames", "3", "--json"
    )
    assert result.status == 0, result.err
    figures = json.loads(result.out)
    assert (figures["lights"], figures["units"], figures["frames"]) == (500, 20, 3)
    for page in ("loaded", "baseline"):
        assert figures[page]["bridge_calls"] == 3  # 3 frames, however many updates
        assert figures[page]["updates"] == 3 * (20 + 50)
        assert figures[page]["frame_median_ms"] > 0
    assert figures["frame_ratio"] > 0


def test_query_says_when_a_device_answered_late_and_which_entity_was_quarantined(vigie, staffed):
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import update

    from services.commands import outbox
    from services.store.database import Database
    from services.store.models import CommandRow, QuarantineRow

    db = Database(staffed)
    now = datetime.now(UTC)
    sent = [
        outbox.prepare(
            "Streetlight",
            f"light:{n}",
            "switch",
            {"powerState": "off"},
            issued_by="t.roux",
            reply_to="vigie/ack/x",
            now=now + timedelta(seconds=n),
        )
        for n in (1, 2)
    ]
    with db.write() as s:
        for request in sent:
            outbox.record(s, request)
        s.execute(  # the first timed out, then its device's "done" came: followed, late
            update(CommandRow)
            .where(CommandRow.request_id == sent[0].request_id)
            .values(status="done", late=True)
        )
        s.add(
            QuarantineRow(
                topic="vigie/reports",
                reason="service_code: missing",
                received_at=now,
                size=12,
                payload=b"{}",
                entity_id="req-7",
            )
        )
    db.dispose()
    rows = json.loads(vigie("query", "commands", "--json").out)
    assert [(r["target"], r["status"], r["late"]) for r in rows] == [  # newest first
        ("light:2", "pending", False),
        ("light:1", "done", True),
    ]
    human = vigie("query", "commands").out.splitlines()
    assert "done (late)" in human[2] and "late" not in human[1]
    quarantined = json.loads(vigie("query", "quarantine", "--json").out)
    assert [q["entity_id"] for q in quarantined] == ["req-7"]
