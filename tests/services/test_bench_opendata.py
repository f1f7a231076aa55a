"""``vigie bench opendata``: a short real run, as a script runs it, and the report's arithmetic.

The run is real (``vigie opendata serve`` in its own process, a reader process, a scratch SQLite
file) but short: 3 s with 20 readers and 10 posts a second. Speed is what ``vigie bench`` reports,
not what a test asserts (these machines are noisy): the tests check the report's shape, that the
posts were accepted, and that the record holds (every accepted post exactly one incident).
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from services.bench.opendata import Integrity, Timings

TIMINGS = {"answered", "errors", "p50_ms", "p99_ms", "per_second"}
ROUTES = {"all", "requests", "request", "services"}
INTEGRITY = {
    "accepted_posts",
    "distinct_request_ids",
    "api_requests_recorded",
    "incidents_mapped",
    "distinct_incidents",
    "incidents_on_record",
    "held",
}


def _clean_env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VIGIE_")}
    env.update(VIGIE_CONFIG=str(tmp / "absent-config.toml"), LC_ALL="C")
    return env


@pytest.fixture(scope="module")
def bench(tmp_path_factory) -> tuple[int, dict, str]:
    """(exit status, JSON document, standard error) of one short run."""
    tmp = tmp_path_factory.mktemp("opendata")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "console",
            "bench",
            "opendata",
            "--json",
            "--seconds",
            "3",
            "--readers",
            "20",
            "--posts-per-second",
            "10",
        ],
        capture_output=True,
        text=True,
        env=_clean_env(tmp),
        stdin=subprocess.DEVNULL,
        timeout=180,
    )
    assert proc.stdout.strip(), proc.stderr
    return proc.returncode, json.loads(proc.stdout), proc.stderr


def test_the_report_has_every_figure(bench):
    status, report, _ = bench
    assert report["backend"] == "sqlite"
    assert (report["seconds"], report["readers"], report["posts_per_second"]) == (3, 20, 10)
    assert report["baseline_seconds"] > 0 and report["reader_processes"] == 1
    assert report["seeded"] > 0
    for timings in (report["static"], report["static_under_load"], *report["reads"].values()):
        assert set(timings) == TIMINGS
    assert set(report["reads"]) == ROUTES
    assert set(report["posts"]) == TIMINGS | {"offered"}
    assert report["static"]["answered"] > 0 and report["reads"]["all"]["answered"] > 0
    for name in ("requests", "request", "services"):
        assert report["reads"][name]["answered"] > 0, name
    assert set(report["ratios"]) == {"read_p50_to_static", "read_p99_to_static"}
    assert report["goals"]["read_p99_ms"]["at_most"] == 250
    assert report["goals"]["post_p99_ms"]["at_most"] == 500
    assert set(report["cpu_percent"]) == {"baseline", "load"}
    assert set(report["cpu_percent"]["load"]) == {"server", "poster", "readers"}
    # Speed decides the goals, not this test; the exit status follows the report.
    assert report["passed"] == (status == 0) and status in (0, 1)


def test_every_accepted_post_is_exactly_one_incident(bench):
    _, report, _ = bench
    posts, record = report["posts"], report["integrity"]
    assert posts["offered"] == 30
    assert posts["answered"] > 0
    assert set(record) == INTEGRITY
    assert record["held"] is True
    # The seeds are posts too: all of them, and nothing else, are on the record.
    accepted = report["seeded"] + posts["answered"]
    assert record["accepted_posts"] == accepted
    for key in INTEGRITY - {"held"}:
        assert record[key] == accepted, key


def test_the_server_stopped_on_sigterm(bench):
    _, report, _ = bench
    assert report["server_exit_status"] == 0


def test_the_percentiles_and_rates():
    t = Timings([float(n) for n in range(1, 101)], {"503": 2}, seconds=10.0)
    assert t.answered == 100 and t.failed == 2 and t.rate == 10.0
    assert t.p50_ms == pytest.approx(50.5) and t.p99_ms == pytest.approx(99.01)
    merged = Timings.merged([t, Timings([1.0], {"503": 1, "ReadTimeout": 1})], seconds=10.0)
    assert merged.answered == 101 and merged.errors == {"503": 3, "ReadTimeout": 1}
    assert math.isnan(Timings([]).p99_ms)


@pytest.mark.parametrize(
    "counts, held",
    [
        ((5, 5, 5, 5, 5, 5), True),
        ((0, 0, 0, 0, 0, 0), False),  # nothing accepted proves nothing
        ((5, 4, 5, 5, 5, 5), False),  # an id answered twice
        ((5, 5, 6, 5, 5, 6), False),  # a request recorded that nobody was told of
        ((5, 5, 5, 5, 4, 5), False),  # two requests on one incident
        ((5, 5, 5, 5, 5, 7), False),  # incidents from nowhere
    ],
)
def test_the_record_holds_only_when_every_count_agrees(counts, held):
    assert Integrity(*counts).held is held
