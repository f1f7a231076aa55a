"""``vigie bench ui``: what it reports of the console's weight, as a script reads it.

The run is real and short (a small field, a few seconds of each measure); its figures depend on
the machine and are not asserted, only that they are there and sane.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from services.bench import mosquitto

pytestmark = pytest.mark.skipif(not mosquitto.available(), reason="needs the mosquitto binary")


def test_bench_ui_reports_the_consoles_memory_and_processor_share(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("VIGIE_")}
    env.update(
        VIGIE_CONFIG=str(tmp_path / "absent-config.toml"),
        LC_ALL="C",
        QT_QPA_PLATFORM="offscreen",
        QTWEBENGINE_DISABLE_SANDBOX="1",
    )
    argv = ["bench", "ui", "--incidents", "50", "--rate", "200", "--scale", "small"]
    proc = subprocess.run(
        [sys.executable, "-m", "console", *argv, "--seconds", "3", "--json"],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    figures = json.loads(proc.stdout)
    assert 50 < figures["rss_mb"] < 16_000  # the console's resident set, in MB
    assert 0 <= figures["cpu_percent"] <= 100 * (os.cpu_count() or 1)
    weight = figures["weight"]
    assert weight["rss"] == "peak" and weight["mix"] == "mild" and weight["scale"] == "small"
    assert 2.5 < weight["seconds"] < 30
    assert weight["devices"] > 0  # the simulated field reached the console's table
    console = weight["console"]
    assert (console["rss_mb"], console["cpu_percent"]) == (
        figures["rss_mb"],
        figures["cpu_percent"],
    )
    assert 0 < console["end_rss_mb"] <= console["rss_mb"]
    # The map's web engine is measured apart, never in the console's figures.
    renderer = weight["web_engine_renderer"]
    if renderer is not None:
        assert renderer["rss_mb"] > 0 and renderer["cpu_percent"] >= 0
        assert weight["web_engine_rss_mb"] >= renderer["end_rss_mb"]
        assert weight["web_engine_processes"] >= 1
    text = subprocess.run(
        [sys.executable, "-m", "console", *argv, "--seconds", "2"],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=300,
    )
    assert text.returncode == 0, text.stderr
    assert "MB resident at most" in text.stdout and "% of one core" in text.stdout
