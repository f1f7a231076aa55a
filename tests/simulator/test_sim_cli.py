"""``vigie simulate`` from the shell: options, an unreachable broker, a clean stop on SIGTERM."""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest

from console.cli import main as cli
from console.cli.commands import simulate_cmd
from tests.broker import free_port

#: Runs ``vigie`` with ``simulate`` registered, whether or not main.py lists it yet.
HARNESS = (
    "import sys; from console.cli import main; from console.cli.commands import simulate_cmd; "
    "main.SUBCOMMANDS = tuple(dict.fromkeys((*main.SUBCOMMANDS, simulate_cmd))); "
    "sys.exit(main.run(sys.argv[1:]))"
)


@pytest.fixture
def clean_env(tmp_path, monkeypatch):
    for name in list(os.environ):
        if name.startswith("VIGIE_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("VIGIE_CONFIG", str(tmp_path / "absent-config.toml"))
    monkeypatch.setenv("LC_ALL", "C")
    # The default stream secrets go to the user's data folder: this test's own, not the tester's.
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setattr(cli, "SUBCOMMANDS", tuple(dict.fromkeys((*cli.SUBCOMMANDS, simulate_cmd))))


def parse(*argv):
    return cli.build_parser().parse_args(["simulate", *argv])


def test_options_come_from_the_mix_then_the_explicit_flags(clean_env):
    default = simulate_cmd.options_from(parse())
    assert (default.scale, default.seed, default.speed, default.latency_ms) == (
        "dijon",
        1,
        1.0,
        (50.0, 300.0),
    )
    assert (default.failure_rate, default.fault_rate, default.lost_ack) == (0.0, 0.0, 0.0)
    assert not default.gateway_offline and default.first_attempt_ignored == 0.0
    mild = simulate_cmd.options_from(parse("--mix", "mild", "--failure-rate", "0.2"))
    assert mild.failure_rate == 0.2 and mild.gateway_offline and mild.fault_rate > 0
    custom = simulate_cmd.options_from(
        parse(
            "--scale", "small", "--seed", "4", "--speed", "30", "--latency", "10-20",
            "--gateway-offline", "--lost-ack", "0.1", "--first-attempt-ignored",
        )
    )  # fmt: skip
    assert (custom.scale, custom.seed, custom.speed, custom.latency_ms) == (
        "small",
        4,
        30.0,
        (10.0, 20.0),
    )
    assert custom.gateway_offline and custom.lost_ack == 0.1
    assert custom.first_attempt_ignored == 1.0
    assert simulate_cmd.options_from(parse("--latency", "100")).latency_ms == (100.0, 100.0)


@pytest.mark.parametrize(
    "argv",
    [
        ["--failure-rate", "2"],
        ["--speed", "0"],
        ["--latency", "300-50"],
        ["--scale", "paris"],
        ["--mix", "wild"],
        ["--video-port", "70000"],
        ["--video-port", "-1"],
    ],
)
def test_bad_options_are_usage_errors(clean_env, capsys, argv):
    assert cli.run(["simulate", *argv]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("vigie")


def test_video_options(clean_env, tmp_path):
    default = parse()
    assert (default.video_port, default.no_video, default.video_secrets) == (0, False, None)
    given = parse("--video-port", "8554", "--no-video", "--video-secrets", str(tmp_path / "s"))
    assert (given.video_port, given.no_video, given.video_secrets) == (8554, True, tmp_path / "s")


def test_a_malformed_secrets_file_is_a_usage_error_naming_it(clean_env, capsys, tmp_path):
    secrets = tmp_path / "secrets.json"
    secrets.write_text("[]")
    url = f"mqtt://127.0.0.1:{free_port()}"
    argv = ["simulate", "--scale", "small", "--broker", url, "--video-secrets", str(secrets)]
    assert cli.run(argv) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert "--video-secrets" in line and str(secrets) in line


def test_a_taken_video_port_is_a_usage_error(clean_env, capsys, broker):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        argv = ["simulate", "--scale", "small", "--broker", broker.url, "--video-port", str(port)]
        assert cli.run(argv) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert f"port {port}" in line and "nothing was simulated" in line


def test_an_unreachable_broker_is_one_line_and_exit_4(clean_env, capsys):
    url = f"mqtt://127.0.0.1:{free_port()}"
    assert cli.run(["simulate", "--scale", "small", "--broker", url]) == 4
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and url in err[0] and "Traceback" not in err[0]


def test_sigterm_stops_it_cleanly_saying_so(clean_env, broker, tmp_path):
    proc = subprocess.Popen(
        [sys.executable, "-c", HARNESS, "simulate", "--scale", "small", "--broker", broker.url,
         "--root", "clitest", "--mix", "mild"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )  # fmt: skip
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(x) for x in proc.stdout], daemon=True)
    reader.start()
    try:
        seen = []
        deadline = time.monotonic() + 60
        while not any("initial state published" in x for x in seen):
            seen.append(lines.get(timeout=max(0.1, deadline - time.monotonic())))
        assert "simulating Dijon" in seen[0] and "clitest" in seen[0]
        assert any("failure modes" in x and "gateway-offline" in x for x in seen)
        secrets = tmp_path / "data" / "vigie" / "video-secrets.json"
        assert any("serving the cameras' streams on http://127.0.0.1:" in x for x in seen)
        assert any(str(secrets) in x for x in seen) and secrets.is_file()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    reader.join(10)  # it has read everything up to the end of the output
    out = "".join(seen) + "".join(lines.queue)
    assert "stopped on SIGTERM" in out
    assert proc.stderr.read() == ""


def test_start_takes_a_time_or_a_span_back_and_defaults_to_the_wall_clock(clean_env):
    assert simulate_cmd.options_from(parse()).start_at is None
    at = simulate_cmd.options_from(parse("--start", "2026-01-15T17:00:00Z", "--speed", "60"))
    assert at.start_at == datetime(2026, 1, 15, 17, tzinfo=UTC).timestamp() and at.speed == 60
    # Without a zone, the room's time (Europe/Paris: UTC+1 in January).
    local = simulate_cmd.options_from(parse("--start", "2026-01-15T18:00"))
    assert local.start_at == at.start_at
    for argv in (["--start", "2d"], ["--start=-2d"]):  # argparse reads "-2d" alone as an option
        back = simulate_cmd.options_from(parse(*argv)).start_at
        assert back == pytest.approx(time.time() - 2 * 86_400, abs=60)
    assert simulate_cmd.options_from(parse("--start", "12h")).start_at == pytest.approx(
        time.time() - 12 * 3_600, abs=60
    )


@pytest.mark.parametrize("when", ["+2h", "yesterday", "2026-13-01"])
def test_a_start_that_is_no_time_is_a_usage_error(clean_env, capsys, when):
    assert cli.run(["simulate", "--start", when]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--start" in err[0]


def test_a_start_in_the_future_is_refused_before_anything_is_simulated(clean_env, capsys):
    url = f"mqtt://127.0.0.1:{free_port()}"  # nothing listens: a refusal must come first
    future = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
    assert cli.run(["simulate", "--scale", "small", "--broker", url, "--start", future]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert "--start" in line and "future" in line and "nothing was simulated" in line
