"""A recorder whose imports are done before it is timed (``vigie bench ingest --loaded``).

``python -m services.bench.loaded_recorder BROKER DB ROOT ID``: starts the writer as ``vigie
recorder`` does, waits until the writer has imported what it needs (it then sits waiting for
its configuration), says ``ready`` on its standard output, and starts receiving when a line
comes on its standard input; the next line stops it, as a SIGTERM stops the recorder.

What it measures, against the usual cold start: the processor the two processes spend loading
Python modules (SQLAlchemy, psycopg, the models, the decoder) before the first state is written.
On two cores that comes out of the burst's time: a recorder restarted by its service manager pays
it, one whose broker restarted does not.
"""

from __future__ import annotations

import os
import sys
import time

from services.recorder.pipe import start_writer
from services.recorder.receiver import Receiver

#: The writer has loaded once its processor time stops growing for this long (it then blocks
#: on its configuration), polled every ``POLL_S``; ``LOAD_LIMIT_S`` at most.
STILL_S = 0.3
POLL_S = 0.05
LOAD_LIMIT_S = 60.0


def processor_seconds(pid: int) -> float | None:
    """User and system time of ``pid`` so far, from ``/proc``; None where there is none."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_until_loaded(pid: int) -> None:
    """Return once ``pid`` has spent no processor for ``STILL_S`` (``LOAD_LIMIT_S`` at most)."""
    deadline = time.monotonic() + LOAD_LIMIT_S
    last, still_since = processor_seconds(pid), time.monotonic()
    if last is None:  # no /proc: give it what its imports take here, three times over
        time.sleep(3.0)
        return
    while time.monotonic() < deadline and time.monotonic() - still_since < STILL_S:
        time.sleep(POLL_S)
        now = processor_seconds(pid)
        if now != last:
            last, still_since = now, time.monotonic()


def main(argv: list[str]) -> int:
    broker, db, root, recorder_id = argv
    writer = start_writer()
    wait_until_loaded(writer.pid)
    print("ready", flush=True)
    sys.stdin.readline()
    receiver = Receiver(broker, db, root, recorder_id, writer=writer)
    receiver.start()
    sys.stdin.readline()
    receiver.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
