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
def test_a_writer_that_ends_while_it_loads_is_not_called_ready() -> None:
    assert loaded_recorder.loaded_writer([sys.executable, "-c", "raise SystemExit(3)"]) is None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_writer_is_handed_over_only_once_it_has_stopped_working() -> None:
    writer = loaded_recorder.loaded_writer([sys.executable, "-c", LOADING])
    assert writer is not None
    try:
        assert writer.poll() is None  # still there, waiting for its input
        state = loaded_recorder.processor_state(writer.pid)
        assert state is not None and state[0] >= BUSY_S
    finally:
        writer.kill()
        writer.wait()
        writer.stdin.close()
        writer.stdout.close()


def test_a_process_that_is_gone_has_no_processor_time() -> None:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    assert loaded_recorder.processor_state(child.pid) is None
