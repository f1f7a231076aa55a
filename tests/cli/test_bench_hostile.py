"""``vigie bench hostile``: issue 14's hostile run, as a script runs it.

The run is real (a private mosquitto, a recorder process, a scratch database) and takes about a
minute while the recorder still fails some classes, so it runs once per backend (a module
fixture) and the tests read its JSON document.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from services.bench import mosquitto
from tests.conftest import PG_URL

pytestmark = pytest.mark.skipif(not mosquitto.available(), reason="needs the mosquitto binary")

CLASSES = [
    "control",
    "time_overflow",
    "time_bounds",
    "citizen_text",
    "numeric_ids",
    "ngsi_normalized",
    "doubtful",
    "poison_restart",
]
OUTCOMES = {"recorded", "quarantined", "recorded_and_quarantined", "missing"}
CLASS_KEYS = {
    "name",
    "held",
    "sent",
    "received",
    "recorded",
    "quarantined",
    "missing",
    "dropped",
    "recorder_alive",
    "canary_recorded",
    "recorder_restarts",
    "recorder_exit_code",
    "recorder_said",
    "problem",
    "messages",
}
MESSAGE_KEYS = {"label", "topic", "expected", "outcome", "held", "problem", "reason"}


def _clean_env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VIGIE_")}
    env.update(VIGIE_CONFIG=str(tmp / "absent-config.toml"), LC_ALL="C")
    return env


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def hostile(request: pytest.FixtureRequest, tmp_path_factory) -> tuple[int, dict, str]:
    """(exit status, JSON document, standard error) of one run on each backend."""
    tmp = tmp_path_factory.mktemp("hostile")
    if request.param == "postgresql":
        if not PG_URL:
            pytest.skip("VIGIE_TEST_PG_URL not set")
        db = PG_URL  # the bench makes a fresh schema there, and drops it
    else:
        db = f"sqlite:///{tmp / 'ignored.db'}"  # the bench uses a temporary file of its own
    proc = subprocess.run(
        [sys.executable, "-m", "console", "bench", "hostile", "--json", "--db", db],
        capture_output=True,
        text=True,
        env=_clean_env(tmp),
        stdin=subprocess.DEVNULL,
        timeout=240,  # the bench's own deadline is 120 s, then it cleans up
    )
    assert proc.stdout.strip(), proc.stderr
    return proc.returncode, json.loads(proc.stdout), proc.stderr


def test_the_document_reports_every_class_message_by_message(hostile) -> None:
    status, doc, err = hostile
    assert status in (0, 1), err
    assert doc["backend"] in ("sqlite", "postgresql")
    assert doc["started_at"].endswith("Z")
    assert isinstance(doc["held"], bool) and doc["held"] == (status == 0)
    assert [c["name"] for c in doc["classes"]] == CLASSES
    for c in doc["classes"]:
        assert set(c) == CLASS_KEYS, c["name"]
        assert c["sent"] == len(c["messages"]) > 0, c["name"]
        assert c["missing"] == sum(m["outcome"] == "missing" for m in c["messages"])
        for m in c["messages"]:
            assert set(m) == MESSAGE_KEYS
            assert m["expected"] in ("recorded", "quarantined")
            assert m["outcome"] in OUTCOMES
            assert m["topic"].startswith(f"hostile_{c['name']}/")
        labels = [m["label"] for m in c["messages"]]
        assert len(set(labels)) == len(labels), c["name"]
    assert doc["held"] == all(c["held"] for c in doc["classes"])


def test_valid_messages_are_found_in_the_record(hostile) -> None:
    """The control class: one valid message of each type, each found where the bench looks."""
    _, doc, err = hostile
    (control,) = [c for c in doc["classes"] if c["name"] == "control"]
    assert [m["outcome"] for m in control["messages"]] == ["recorded"] * 7, err
    assert control["held"] and control["received"] == control["sent"]


def test_the_poison_class_restarts_the_recorder(hostile) -> None:
    _, doc, _ = hostile
    (poison,) = [c for c in doc["classes"] if c["name"] == "poison_restart"]
    assert poison["recorder_restarts"] == 1


def test_everything_held(hostile) -> None:
    status, doc, _ = hostile
    not_held = {
        c["name"]: [m["label"] for m in c["messages"] if not m["held"]] or c["problem"]
        for c in doc["classes"]
        if not c["held"]
    }
    assert not_held == {}
    assert status == 0


def test_a_deadline_of_zero_is_a_usage_error(vigie) -> None:
    result = vigie("bench", "hostile", "--deadline", "0")
    assert result.status == 2
    assert "--deadline" in result.err


def test_no_broker_binary_exits_4(vigie, monkeypatch) -> None:
    monkeypatch.setattr(mosquitto, "MOSQUITTO", "/nonexistent/mosquitto")
    result = vigie("bench", "hostile", "--json")
    assert result.status == 4
    assert result.out == ""


def test_an_unreachable_database_exits_4(vigie) -> None:
    # Nothing listens on port 1: the server cannot be reached, the broker is stopped again.
    result = vigie("bench", "hostile", "--db", "postgresql://nobody@127.0.0.1:1/none")
    assert result.status == 4
    assert "127.0.0.1" in result.err
