"""Trust at the desk, on the command line: the demo's hints, the command log's order, its words."""

from __future__ import annotations

import json
import re
import subprocess
from datetime import UTC, datetime, timedelta

from console.text.commands import describe_plan
from services import demo
from services.commands.outbox import CommandRequest
from services.commands.sender import Plan
from services.config import load_settings
from services.store.database import Database
from services.store.models import CommandRow
from tests.conftest import ROOM_PASSWORD

T0 = datetime(2026, 12, 5, 8, 0, tzinfo=UTC)

# --- (11) the demo's hints point at the demo's broker ----------------------------------------


def exported(out: str) -> dict[str, str]:
    return dict(re.findall(r"^  export (VIGIE_\w+)=(\S+)$", out, flags=re.MULTILINE))


def test_the_demo_prints_the_exports_that_reach_its_own_broker(vigie, cli_env, tmp_path):
    url = f"sqlite:///{tmp_path}/demo.db"
    cli_env.setenv("VIGIE_DB_URL", url)
    cli_env.setenv("VIGIE_MQTT_ROOT", "essai")
    result = vigie("demo", "--scale", "small", "--seconds", "0", "--no-console")
    assert result.status == 0, result.err
    (broker,) = re.findall(r"embedded broker started on (mqtt://127\.0\.0\.1:\d+)", result.out)
    exports = exported(result.out)
    assert exports["VIGIE_BROKER_URL"] == broker  # its random port, not 127.0.0.1:1883
    assert exports["VIGIE_DB_URL"] == url
    assert exports["VIGIE_MQTT_ROOT"] == "essai"
    assert "in another terminal, paste these lines there first" in result.out
    assert ROOM_PASSWORD not in result.out  # VIGIE_PASSWORD is never handed on


def test_the_exports_carry_no_password(tmp_path):
    secret = tmp_path / "recorder.main"
    secret.write_text("s3cret-broker\n")
    secret.chmod(0o600)
    environ = {
        "VIGIE_CONFIG": str(tmp_path / "absent.toml"),
        "VIGIE_DB_URL": "postgresql+psycopg://vigie:s3cret-db@db.example/vigie",
        "VIGIE_BROKER_URL": "mqtts://broker.example:8883",
        "VIGIE_BROKER_PASSWORD_FILE": str(secret),
        "VIGIE_TIMEZONE": "Europe/Paris",
        "VIGIE_PASSWORD": "s3cret-operator",
    }
    settings = load_settings(environ=environ)
    exports = demo.shell_exports(settings, environ["VIGIE_DB_URL"], settings.broker, environ)
    assert "s3cret" not in " ".join(exports.values())
    assert exports["VIGIE_DB_URL"] == "postgresql+psycopg://vigie@db.example/vigie"
    assert exports["VIGIE_BROKER_URL"] == "mqtts://recorder.main@broker.example:8883"
    assert exports["VIGIE_BROKER_PASSWORD_FILE"] == str(secret)  # a path: the password stays
    assert exports["VIGIE_TIMEZONE"] == "Europe/Paris"  # the demo's processes had it too
    assert exports["VIGIE_CONFIG"] == environ["VIGIE_CONFIG"]
    assert "VIGIE_PASSWORD" not in exports


class _Broker:
    """The embedded broker, without its process."""

    def start(self) -> str:
        return "mqtt://127.0.0.1:41883"

    def stop(self) -> None:
        pass


def spawned_environments(
    monkeypatch, broker_url: str | None, scale: str = "dijon"
) -> dict[str, dict[str, str]]:
    """The environment each part of a demo is started with, by the part's name."""
    started: list[tuple[list[str], dict[str, str]]] = []

    class _Process:
        def __init__(self, argv: list[str], env: dict[str, str]) -> None:
            started.append((argv, env))

    monkeypatch.setattr("services.demo.EmbeddedBroker", _Broker)
    monkeypatch.setattr(subprocess, "Popen", _Process)
    options = demo.DemoOptions(scale=scale, console=False)
    demo.Demo("sqlite:///x.db", "vigie", broker_url, options).start()
    return {argv[argv.index("--root") + 2]: env for argv, env in started}


def test_the_recorder_knows_the_demos_own_broker_starts_empty(monkeypatch):
    own = spawned_environments(monkeypatch, None)
    assert own["recorder"]["VIGIE_BROKER_STARTS_EMPTY"] == "1"
    assert "VIGIE_BROKER_STARTS_EMPTY" not in own["simulate"]
    configured = spawned_environments(monkeypatch, "mqtt://broker.example:1883")
    assert (
        "VIGIE_BROKER_STARTS_EMPTY" not in configured["recorder"]
    )  # a broker that keeps its states


def test_a_demo_at_ten_times_dijon_tells_every_part_of_the_synthetic_communes(monkeypatch):
    monkeypatch.delenv("VIGIE_SYNTHETIC_COMMUNES", raising=False)
    x10 = spawned_environments(monkeypatch, None, scale="x10")
    assert {x10[part]["VIGIE_SYNTHETIC_COMMUNES"] for part in ("recorder", "simulate")} == {"1"}
    dijon = spawned_environments(monkeypatch, None)
    assert not any("VIGIE_SYNTHETIC_COMMUNES" in env for env in dijon.values())


# --- (13) the command log, newest first; a command's words ------------------------------------


def add_commands(url: str, count: int) -> None:
    database = Database(url)
    with database.write() as session:
        for n in range(count):
            at = T0 + timedelta(minutes=n)
            session.add(
                CommandRow(
                    request_id=f"req-{n}",
                    target_type="Bollard",
                    target=f"bollard:21231-0{n}",
                    command="raise",
                    params={},
                    status="done",
                    issued_by="t.roux",
                    issued_at=at,
                    expires_at=at + timedelta(minutes=1),
                )
            )
    database.dispose()


def test_query_commands_limit_keeps_the_newest_first(vigie, ready):
    add_commands(ready, 4)
    as_json = vigie("query", "commands", "--limit", "2", "--json")
    assert as_json.status == 0, as_json.err
    assert [c["request_id"] for c in json.loads(as_json.out)] == ["req-3", "req-2"]
    as_text = vigie("query", "commands", "--limit", "2")
    assert re.findall(r"req-\d", as_text.out) == ["req-3", "req-2"]


def test_query_commands_help_says_the_order(vigie_process):
    result = vigie_process("query", "commands", "--help")
    assert result.status == 0, result.err
    assert "newest first" in result.out and "the N newest commands only" in result.out


def test_a_command_without_parameters_reads_with_single_spaces():
    request = CommandRequest(
        "req-1", "Bollard", "bollard:21231-01", "raise", {}, "t.roux", T0, T0, "reply"
    )
    said = describe_plan(Plan(request, None, True, frozenset({"21231"})))
    assert said == "raise on Bollard bollard:21231-01, in Dijon"
