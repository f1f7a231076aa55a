"""``vigie bench ingest``: its options, and the shape of its JSON document on a small run.

Speed is not asserted here (``vigie bench`` is where it is measured): a run of a few hundred
states checks that every figure is there and that the marked mix's checks hold (nothing lost,
nothing doubled, each recorder of a share group took its part).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from console.cli import main as cli
from console.cli.commands.bench_cmd import ingest_document
from services.bench import ingest, mosquitto
from services.bench.shared import Member, SharedRun
from tests.conftest import PG_URL

LIGHTS = 200

BACKEND_KEYS = {
    "backend",
    "scale",
    "lights",
    "cold_starts",
    "median_ratio",
    "loaded_starts",
    "median_loaded_ratio",
    "steady",
    "sharing",
}
COLD_KEYS = {"bare_seconds", "bare_received", "recorder_seconds", "recorder_recorded", "ratio"}
STEADY_KEYS = {"rate", "sent", "bare_received", "recorded", "sustained"}
SHARING_KEYS = {
    "recorders",
    "group",
    "rate",
    "sent",
    "sent_states",
    "sent_positions",
    "sent_alerts",
    "received",
    "recorded_positions",
    "recorded_alerts",
    "devices",
    "devices_behind",
    "quarantined",
    "lost",
    "doubled",
    "seconds",
    "sustained",
    "members",
    "problem",
}
MEMBER_KEYS = {"recorder_id", "received", "throughput"}


def _parse(*argv: str):  # noqa: ANN202
    return cli.build_parser().parse_args(["bench", "ingest", *argv])


def test_the_scale_defaults_to_dijon_and_names_its_lights() -> None:
    args = _parse()
    assert (args.scale, args.lights, args.share_rate, args.loaded) == ("dijon", None, 3000, False)
    assert ingest.SCALES == {"dijon": 34_000, "x10": 340_000}
    args = _parse("--scale", "x10", "--json", "--share-rate", "0")
    assert (args.scale, args.json, args.share_rate) == ("x10", True, 0)
    assert _parse("--scale", "x10", "--lights", "500").lights == 500  # --lights wins
    assert _parse("--loaded").loaded is True


@pytest.mark.parametrize(
    "argv", [("--scale", "x100"), ("--lights", "0"), ("--rounds", "0"), ("--share-rate", "x")]
)
def test_bad_options_are_usage_errors(argv, capsys) -> None:  # noqa: ANN001
    assert cli.run(["bench", "ingest", *argv]) == 2
    assert argv[0] in capsys.readouterr().err


def test_lights_beyond_dijon_are_laid_inside_the_metropole() -> None:
    first, tenth = json.loads(ingest._light(0)), json.loads(ingest._light(34_000 * 9 + 12_345))
    same = json.loads(ingest._light(12_345))
    assert first["id"] == "sl:0" and tenth["id"] == "sl:318345"
    lon, lat = tenth["location"]["coordinates"]
    assert lon == same["location"]["coordinates"][0]  # Dijon's grid, a few metres north
    assert 0 < lat - same["location"]["coordinates"][1] < 0.001
    assert ingest._timeout(34_000) == 120 and ingest._timeout(340_000) == 1200


def test_the_document_of_fabricated_results() -> None:
    cold = ingest.ColdStart(1.0, 10, 1.5, 10)
    steady = ingest.SteadyRun(100, 100, 100, 100, 1.25)
    alone = SharedRun(1, None, 100, 90, 5, 5, [Member("a", 100, 2.0)], 5, 5, 90, 0, 0, 2.0)
    pair = SharedRun(
        2, "g", 100, 90, 5, 5, [Member("a", 60, 2.0), Member("b", 41, 2.0)], 4, 5, 90, 1, 0, 2.0
    )
    result = ingest.IngestBench("postgresql", 10, [cold, cold], [steady], [alone, pair])
    (doc,) = ingest_document([result], "x10")
    assert set(doc) == BACKEND_KEYS
    assert (doc["scale"], doc["median_ratio"]) == ("x10", 1.5)
    assert (doc["loaded_starts"], doc["median_loaded_ratio"]) == ([], None)  # not asked
    assert doc["steady"][0]["sustained"] == 80.0
    first, second = doc["sharing"]
    assert set(first) == set(second) == SHARING_KEYS
    assert (first["lost"], first["doubled"], first["received"]) == (0, 0, 100)
    assert (second["lost"], second["doubled"], second["received"]) == (2, 1, 101)
    assert [m["throughput"] for m in second["members"]] == [30.0, 20.5]
    json.dumps(doc)  # plain JSON throughout


def test_the_loaded_rounds_have_their_own_median() -> None:
    loaded = [ingest.ColdStart(1.0, 10, r, 10) for r in (1.2, 0.9, 1.4)]
    result = ingest.IngestBench("sqlite", 10, [ingest.ColdStart(1.0, 10, 2.0, 10)], [], [], loaded)
    (doc,) = ingest_document([result], "dijon")
    assert (doc["median_ratio"], doc["median_loaded_ratio"]) == (2.0, 1.2)
    assert [c["ratio"] for c in doc["loaded_starts"]] == [1.2, 0.9, 1.4]


@pytest.fixture(scope="module")
def small_run(tmp_path_factory) -> list[dict]:
    """One small run: SQLite, and PostgreSQL (a scratch schema the bench drops) when set."""
    if not mosquitto.available():
        pytest.skip("needs the mosquitto binary")
    tmp = tmp_path_factory.mktemp("ingest")
    env = {k: v for k, v in os.environ.items() if not k.startswith("VIGIE_")}
    env.update(VIGIE_CONFIG=str(tmp / "absent-config.toml"), LC_ALL="C")
    db = PG_URL or f"sqlite:///{Path(tmp) / 'ignored.db'}"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "console",
            "bench",
            "ingest",
            "--lights",
            str(LIGHTS),
            "--rates",
            "200",
            "--seconds",
            "1",
            "--rounds",
            "1",
            "--share-rate",
            "200",
            "--loaded",
            "--json",
            "--db",
            db,
        ],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_a_small_run_reports_every_figure(small_run) -> None:  # noqa: ANN001
    assert [r["backend"] for r in small_run] == ["sqlite", "postgresql"][: len(small_run)]
    for r in small_run:
        assert set(r) == BACKEND_KEYS
        assert (r["scale"], r["lights"]) == ("dijon", LIGHTS)
        (cold,) = r["cold_starts"]
        assert set(cold) == COLD_KEYS
        assert cold["bare_received"] == cold["recorder_recorded"] == LIGHTS
        assert r["median_ratio"] == cold["ratio"] > 0
        (loaded,) = r["loaded_starts"]  # --loaded: timed once its imports were done
        assert set(loaded) == COLD_KEYS
        assert loaded["bare_received"] == loaded["recorder_recorded"] == LIGHTS
        assert r["median_loaded_ratio"] == loaded["ratio"] > 0
        (steady,) = r["steady"]
        assert set(steady) == STEADY_KEYS
        assert steady["sent"] == steady["recorded"] == 200


def test_the_marked_mix_is_recorded_whole_by_one_recorder(small_run) -> None:  # noqa: ANN001
    for r in small_run:
        alone = r["sharing"][0]
        assert set(alone) == SHARING_KEYS
        assert (alone["recorders"], alone["group"], alone["problem"]) == (1, None, None)
        assert alone["sent"] == 200 == alone["received"]
        assert alone["sent_alerts"] == alone["recorded_alerts"] > 0
        assert alone["sent_positions"] == alone["recorded_positions"] > 0
        assert (alone["devices_behind"], alone["lost"], alone["doubled"]) == (0, 0, 0)
        (member,) = alone["members"]
        assert set(member) == MEMBER_KEYS and member["received"] == 200


def test_sqlite_runs_no_share_group(small_run) -> None:  # noqa: ANN001
    assert len(small_run[0]["sharing"]) == 1


@pytest.mark.skipif(not PG_URL, reason="VIGIE_TEST_PG_URL not set")
def test_two_recorders_sharing_lose_and_double_nothing_and_each_takes_a_part(
    small_run,  # noqa: ANN001
) -> None:
    pair = small_run[1]["sharing"][1]
    assert pair["problem"] is None, pair["problem"]
    assert pair["recorders"] == 2 and pair["group"]
    assert (pair["lost"], pair["doubled"], pair["devices_behind"]) == (0, 0, 0)
    assert pair["received"] == pair["sent"] == 200
    parts = [m["received"] for m in pair["members"]]
    assert len(parts) == 2 and all(p > 0 for p in parts) and sum(parts) == 200
