"""``vigie recorder``'s head start: only a command line the full parser surely accepts gets it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from console.cli import recorder_early
from console.cli.recorder_early import plain_recorder_options


@pytest.mark.parametrize(
    ("argv", "options"),
    [
        (["recorder"], {}),
        (["recorder", "--id", "rec-1"], {"recorder_id": "rec-1"}),
        (
            ["--db", "sqlite:///x.db", "recorder", "--id=rec-1"],
            {"db": "sqlite:///x.db", "recorder_id": "rec-1"},
        ),
        (
            ["recorder", "--broker=mqtt://h:1883", "--root", "r", "--yes"],
            {"broker": "mqtt://h:1883", "root": "r"},
        ),
        (["--db", "a", "recorder", "--db", "b"], {"db": "b"}),  # argparse too: the last wins
    ],
)
def test_a_plain_recorder_command_line_starts_early(argv, options):
    assert plain_recorder_options(argv) == options


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["query"],
        ["recorder", "--help"],
        ["recorder", "-h"],
        ["--version", "recorder"],
        ["recorder", "--idd", "x"],  # a typo: the full parser suggests --id
        ["recorder", "--i", "x"],  # no abbreviations
        ["--id", "x", "recorder"],  # --id belongs to the subcommand
        ["recorder", "--id"],  # a value missing
        ["recorder", "--db", "--id", "x"],
        ["recorder", "--db="],
        ["recorder", "extra"],
        ["recorder", "recorder"],
    ],
)
def test_anything_doubtful_is_left_to_the_full_parser(argv):
    assert plain_recorder_options(argv) is None


def test_the_entry_point_imports_no_qt_before_the_recorder_starts():
    """The head start is worth having only if Qt and the other subcommands wait."""
    code = (
        "import sys, console.cli.launch\n"
        "heavy = [m for m in ('PySide6', 'console.cli.main', 'sqlalchemy') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(
    "argv",
    [
        ["recorder", "--operator", "system:recorder"],  # never early
        [
            "recorder",
            "--broker",
            "ftp://nowhere",
        ],  # refused by the receiver: the usual path says why
    ],
)
def test_a_writer_started_early_is_stopped_when_the_early_path_declines(
    argv, monkeypatch, tmp_path
):
    """The writer starts first, before the settings are read: a decline must not leave it."""
    started = _count_writers(monkeypatch, tmp_path)
    recorder_early.start(argv)
    assert recorder_early._early is None
    assert len(started) == 1 and started[0].poll() is not None
    assert started[0].stdin.closed and started[0].stdout.closed


def test_a_writer_started_early_is_stopped_when_the_receiver_fails(monkeypatch, tmp_path):
    from services.recorder import receiver

    def fails(self):
        raise RuntimeError("no start")

    monkeypatch.setattr(receiver.Receiver, "start", fails)
    started = _count_writers(monkeypatch, tmp_path)
    with pytest.raises(RuntimeError):
        recorder_early.start(["recorder", "--broker", "mqtt://127.0.0.1:9"])
    assert recorder_early._early is None
    assert len(started) == 1 and started[0].poll() is not None


def _count_writers(monkeypatch, tmp_path) -> list:
    started = []
    real_start = recorder_early.start_writer

    def start_writer():
        started.append(real_start())
        return started[-1]

    monkeypatch.setattr(recorder_early, "start_writer", start_writer)
    monkeypatch.setenv("VIGIE_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("VIGIE_DB_URL", f"sqlite:///{tmp_path}/early.db")
    return started
