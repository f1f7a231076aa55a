"""``--broker-password-file`` and ``vigie simulate --credentials`` from the shell.

The settings part needs no broker; the rest runs on a real Mosquitto started on the
configuration ``vigie broker config`` writes (``tests/services/test_broker_logins.py``).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from services.bus.connection import parse_broker_url
from services.config import Origin, load_settings
from services.domain.bus_acl import identity_name
from services.domain.errors import InvalidInput
from services.simulator import build_world
from services.store.models import EquipmentRow
from tests.services.test_broker_logins import SEED, AclBroker, Observer, start_acl_broker

PASSWORD = "s3cr#t/p@ss:word"  # every character a URL would take for something else


def secret_file(folder: Path, name: str, text: str = PASSWORD + "\n", mode: int = 0o600) -> Path:
    path = folder / name
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(descriptor, "w") as file:
        file.write(text)
    path.chmod(mode)  # whatever the umask made of it
    return path


def settings(tmp_path: Path, **environ: str):
    return load_settings({}, {"VIGIE_CONFIG": str(tmp_path / "absent.toml"), **environ})


# --- settings ------------------------------------------------------------------------------------
def test_the_user_is_the_files_name_unless_the_url_names_one(tmp_path):
    secret = secret_file(tmp_path, "recorder.main")
    by_name = settings(tmp_path, VIGIE_BROKER_PASSWORD_FILE=str(secret))
    address = parse_broker_url(by_name.broker)
    assert (address.username, address.password) == ("recorder.main", PASSWORD)
    assert (address.host, address.port) == ("127.0.0.1", 1883)
    assert by_name.origins["broker_password_file"] is Origin.ENVIRONMENT
    by_url = settings(
        tmp_path,
        VIGIE_BROKER_URL="mqtts://console.pc3@broker.room:8883",
        VIGIE_BROKER_PASSWORD_FILE=str(secret),
    )
    address = parse_broker_url(by_url.broker)
    assert (address.username, address.password) == ("console.pc3", PASSWORD)
    assert (address.host, address.port, address.tls) == ("broker.room", 8883, True)


def test_the_flag_wins_over_the_environment_and_the_file_over_nothing(tmp_path):
    flagged = secret_file(tmp_path, "recorder.flag")
    (tmp_path / "config.toml").write_text(
        f'broker_password_file = "{secret_file(tmp_path, "recorder.file")}"\n'
    )
    environ = {"VIGIE_CONFIG": str(tmp_path / "config.toml")}
    from_file = load_settings({}, environ)
    assert parse_broker_url(from_file.broker).username == "recorder.file"
    assert from_file.origins["broker_password_file"] is Origin.FILE
    from_flag = load_settings({"broker_password_file": str(flagged)}, environ)
    assert parse_broker_url(from_flag.broker).username == "recorder.flag"
    assert from_flag.origins["broker_password_file"] is Origin.FLAG


@pytest.mark.parametrize(
    ("mode", "key"),
    [(0o644, "config.password_file_open"), (0o640, "config.password_file_open")],
)
def test_a_file_others_may_read_is_refused(tmp_path, mode, key):
    secret = secret_file(tmp_path, "recorder.main", mode=mode)
    with pytest.raises(InvalidInput) as refused:
        settings(tmp_path, VIGIE_BROKER_PASSWORD_FILE=str(secret))
    assert refused.value.key == key
    assert refused.value.params == {"path": str(secret), "mode": f"{mode:04o}"}


def test_an_empty_or_absent_file_and_a_second_password_are_refused(tmp_path):
    empty = secret_file(tmp_path, "recorder.main", text="\n")
    cases = [
        ({"VIGIE_BROKER_PASSWORD_FILE": str(empty)}, "config.password_file_empty"),
        (
            {"VIGIE_BROKER_PASSWORD_FILE": str(tmp_path / "nowhere")},
            "config.password_file_unreadable",
        ),
        (
            {
                "VIGIE_BROKER_URL": "mqtt://recorder.main:other@127.0.0.1:1883",
                "VIGIE_BROKER_PASSWORD_FILE": str(secret_file(tmp_path, "x")),
            },
            "config.broker_password_twice",
        ),
    ]
    for environ, key in cases:
        with pytest.raises(InvalidInput) as refused:
            settings(tmp_path, **environ)
        assert refused.value.key == key
        assert "other" not in json.dumps(refused.value.params)  # no password in a message


def test_config_show_names_the_login_and_hides_the_password(vigie, cli_env, tmp_path):
    secret = secret_file(tmp_path, "recorder.main")
    cli_env.setenv("VIGIE_BROKER_PASSWORD_FILE", str(secret))
    shown = vigie("config", "show", "--json")
    assert shown.status == 0, shown.err
    broker = json.loads(shown.out)["settings"]["broker"]["value"]
    assert broker == "mqtt://recorder.main:***@127.0.0.1:1883"
    assert PASSWORD not in shown.out and quote(PASSWORD, safe="") not in shown.out


def test_a_world_readable_file_is_a_usage_error_naming_it(vigie, cli_env, tmp_path):
    secret = secret_file(tmp_path, "recorder.main", mode=0o644)
    cli_env.setenv("VIGIE_BROKER_PASSWORD_FILE", str(secret))
    refused = vigie("config", "show")
    assert refused.status == 2
    assert str(secret) in refused.err and "0644" in refused.err
    assert PASSWORD not in refused.err


def test_the_global_option_is_accepted_before_or_after_the_subcommand(vigie, tmp_path):
    secret = secret_file(tmp_path, "recorder.main")
    for argv in (
        ("--broker-password-file", str(secret), "config", "show", "--json"),
        ("config", "show", "--json", "--broker-password-file", str(secret)),
    ):
        shown = vigie(*argv)
        assert shown.status == 0, shown.err
        broker = json.loads(shown.out)["settings"]["broker"]["value"]
        assert broker == "mqtt://recorder.main:***@127.0.0.1:1883", argv


# --- on the generated broker ---------------------------------------------------------------------
@pytest.fixture
def acl_broker(db) -> Iterator[AclBroker]:
    yield from start_acl_broker(db, build_world(SEED, "small"), f"pf{uuid.uuid4().hex[:8]}")


@pytest.fixture
def recorder_process(db, acl_broker, tmp_path):
    """``vigie recorder --id main`` on the generated broker, as a script would start it."""
    procs: list[subprocess.Popen[str]] = []

    def start(*argv: str, **environ: str) -> subprocess.Popen[str]:
        env = {
            **os.environ,
            "VIGIE_DB_URL": db.url,
            "VIGIE_BROKER_URL": acl_broker.url,
            "VIGIE_MQTT_ROOT": acl_broker.root,
            "VIGIE_CONFIG": str(tmp_path / "none.toml"),
            "LC_ALL": "C",
            **environ,
        }
        proc = subprocess.Popen(
            [sys.executable, "-m", "console", "recorder", "--id", "main", *argv],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        procs.append(proc)
        return proc

    yield start
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _a_gateway_says(acl_broker: AclBroker) -> str:
    """A device's retained state, published by its gateway; its id."""
    light = next(e for e in acl_broker.world.entities.values() if e.type.value == "Streetlight")
    gateway = Observer(acl_broker, identity_name("gw", str(light.gateway)))
    topic = f"{acl_broker.root}/state/Streetlight/{light.id}"
    body = {
        "status": "ok",
        "powerState": "on",
        "refGateway": light.gateway,
        "location": {"type": "Point", "coordinates": [light.lon, light.lat]},
    }
    gateway.client.publish(topic, json.dumps(body), qos=1, retain=True).wait_for_publish(5)
    gateway.close()
    return light.id


def _recorded(db, device: str, timeout: float = 30.0) -> str | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with db.read() as session:
            status = session.get(EquipmentRow, device).status
        if status is not None:
            return status
        time.sleep(0.2)
    return None


@pytest.mark.parametrize("how", ["flag", "environment"])
def test_the_recorder_logs_in_with_its_password_file_and_records_a_gateways_state(
    recorder_process, acl_broker, db, how
):
    device = _a_gateway_says(acl_broker)
    secret = str(acl_broker.credentials / "recorder.main")
    if how == "flag":
        proc = recorder_process("--broker-password-file", secret)
    else:
        proc = recorder_process(VIGIE_BROKER_PASSWORD_FILE=secret)
    assert _recorded(db, device) == "ok", proc.poll()
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "running on mqtt://recorder.main:***@" in out
    assert acl_broker.password("recorder.main") not in out + err


def test_a_wrong_password_stops_the_recorder_saying_it_was_refused(
    recorder_process, acl_broker, tmp_path
):
    wrong = secret_file(tmp_path, "recorder.main", text="not-the-password\n")
    proc = recorder_process(VIGIE_BROKER_PASSWORD_FILE=str(wrong))
    try:
        out, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        pytest.fail(f"the recorder kept trying: {err[-300:]}")
    assert proc.returncode == 5, err
    (line,) = err.strip().splitlines()[-1:]
    assert line.startswith("vigie: refused: ") and "bad username or password" in line, err
    assert "recorder.main" in line and "unreachable" not in line
    assert "Traceback" not in err and "not-the-password" not in err


def _simulate_with_credentials(vigie, cli_env, acl_broker):
    cli_env.setenv("VIGIE_BROKER_URL", acl_broker.url)
    cli_env.setenv("VIGIE_MQTT_ROOT", acl_broker.root)
    return vigie(
        "simulate",
        "--scale",
        "small",
        "--seed",
        str(SEED),
        "--credentials",
        str(acl_broker.credentials),
        "--no-video",  # refusals before anything is served: the streams have nothing to do here
    )


def test_simulate_names_a_missing_credential_and_publishes_nothing(
    vigie, cli_env, acl_broker, observe_all
):
    unit = identity_name("unit", min(acl_broker.world.units))
    (acl_broker.credentials / unit).unlink()
    refused = _simulate_with_credentials(vigie, cli_env, acl_broker)
    assert refused.status == 2
    assert unit in refused.err and str(acl_broker.credentials) in refused.err
    time.sleep(0.3)
    assert observe_all.heard == []


def test_simulate_with_a_wrong_password_exits_5_naming_the_identity(vigie, cli_env, acl_broker):
    alarms = acl_broker.credentials / "alarms"
    alarms.write_text("not-the-password\n")
    refused = _simulate_with_credentials(vigie, cli_env, acl_broker)
    assert refused.status == 5, refused.err
    assert refused.err.startswith("vigie: refused: ")
    assert "alarms" in refused.err and "bad username or password" in refused.err


def test_simulate_without_credentials_on_a_broker_that_wants_them_says_so(
    vigie, cli_env, acl_broker
):
    cli_env.setenv("VIGIE_BROKER_URL", acl_broker.url)
    refused = vigie("simulate", "--scale", "small", "--no-video")
    assert refused.status == 5, refused.err
    assert "--credentials" in refused.err


def test_simulate_with_credentials_logs_each_identity_in_and_stops_cleanly(acl_broker, tmp_path):
    env = {
        **os.environ,
        "VIGIE_BROKER_URL": acl_broker.url,
        "VIGIE_MQTT_ROOT": acl_broker.root,
        "VIGIE_CONFIG": str(tmp_path / "none.toml"),
        "LC_ALL": "C",
        "XDG_DATA_HOME": str(tmp_path / "data"),  # where the stream secrets go by default
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "console", "simulate", "--scale", "small", "--seed", str(SEED)]
        + ["--credentials", str(acl_broker.credentials)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []
    assert proc.stdout is not None
    while not any(line.startswith("initial state published") for line in lines):
        line = proc.stdout.readline()
        assert line, proc.stderr.read() if proc.stderr else ""
        lines.append(line)
    world = acl_broker.world
    logged = next(line for line in lines if line.startswith("logged in as"))
    assert f"{len(world.gateways) + len(world.units) + 2} identities" in logged
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "no gateway" in err  # the stations, depots and loops it cannot publish, said once


@pytest.fixture
def observe_all(acl_broker) -> Iterator[Observer]:
    observer = Observer(acl_broker, "recorder.obs", f"{acl_broker.root}/#")
    yield observer
    observer.close()
