"""``vigie bench ingest --loaded``: the recorder is timed only once its writer has loaded."""

from __future__ import annotations

import subprocess
import sys

import pytest

from services.bench import loaded_recorder

BUSY_S = 0.5
#: Busy for BUSY_S of processor (as a writer importing), then blocked reading its input.
LOADING = (
    "import time\n"
    "start = time.process_time()\n"
    f"while time.process_time() - start < {BUSY_S}:\n"
    "    pass\n"
    "input()\n"
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_wait_ends_only_once_the_process_has_stopped_working() -> None:
    child = subprocess.Popen([sys.executable, "-c", LOADING], stdin=subprocess.PIPE)
    try:
        loaded_recorder.wait_until_loaded(child.pid)
        spent = loaded_recorder.processor_seconds(child.pid)
        assert spent is not None and spent >= BUSY_S
        assert child.poll() is None  # still there, waiting for its input
    finally:
        child.kill()
        child.wait()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_writer_that_ends_while_it_loads_is_not_called_ready() -> None:
    assert loaded_recorder.loaded_writer([sys.executable, "-c", "raise SystemExit(3)"]) is None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_writer_that_loads_is_handed_over_waiting() -> None:
    writer = loaded_recorder.loaded_writer([sys.executable, "-c", LOADING])
    assert writer is not None
    try:
        assert writer.poll() is None
        assert (loaded_recorder.processor_seconds(writer.pid) or 0) >= BUSY_S
    finally:
        writer.kill()
        writer.wait()
        writer.stdin.close()
        writer.stdout.close()


def test_a_process_that_is_gone_has_no_processor_time() -> None:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    assert loaded_recorder.processor_seconds(child.pid) is None
