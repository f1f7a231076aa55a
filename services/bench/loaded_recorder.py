"""A recorder whose imports are done before it is timed (``vigie bench ingest --loaded``).

``python -m services.bench.loaded_recorder BROKER DB ROOT ID``: starts the writer as ``vigie
recorder`` does, waits until the writer has imported what it needs (it then sits waiting for
its configuration), says ``ready`` on its standard output, and starts receiving when a line
comes on its standard input; the next line stops it, as a SIGTERM stops the recorder.

What it leaves out of the clock, against the usual cold start: both processes' start and the
modules each imports before the writer reads its configuration (the receiver's paho and Vigie's
modules; the writer's SQLAlchemy, models and decoder). What stays on it: psycopg (imported when
the writer makes its engine), the schema's check, the mappers' configuration and the second
lane's fork. On two cores that loading comes out of the burst's time: a recorder restarted by
its service manager pays it, one whose broker restarted does not.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

from services.recorder.pipe import WRITER_COMMAND, start_writer
from services.recorder.receiver import Receiver

#: The writer has loaded once it sleeps (blocked on its configuration) and its processor time
#: has not grown for this long, polled every ``POLL_S``; ``LOAD_LIMIT_S`` at most.
STILL_S = 0.3
POLL_S = 0.05
LOAD_LIMIT_S = 60.0


def processor_state(pid: int) -> tuple[float, str] | None:
    """User and system time of ``pid`` so far and its state letter, from ``/proc``; None if gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"), fields[0]


def wait_until_loaded(pid: int) -> None:
    """Return once ``pid`` sleeps and has spent no processor for ``STILL_S`` (or is gone).

    Sleeping: a process waiting on its disk or for a core is still loading.
    """
    deadline = time.monotonic() + LOAD_LIMIT_S
    known = processor_state(pid)
    if known is None:  # no /proc: give it what its imports take here, three times over
        time.sleep(3.0)
        return
    last, still_since = known[0], time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(POLL_S)
        known = processor_state(pid)
        if known is None or known[1] == "Z":
            return  # it ended: the caller sees it
        if known[0] != last or known[1] != "S":
            last, still_since = known[0], time.monotonic()
        elif time.monotonic() - still_since >= STILL_S:
            return


def loaded_writer(command: list[str] = WRITER_COMMAND) -> subprocess.Popen | None:
    """The writer, started and left to load; None if it ended meanwhile (it said why itself)."""
    writer = start_writer(command)
    wait_until_loaded(writer.pid)
    if writer.poll() is not None:
        return None
    return writer


def main(argv: list[str]) -> int:
    broker, db, root, recorder_id = argv
    writer = loaded_writer()
    if writer is None:
        print("the writer ended while it loaded", file=sys.stderr)
        return 1
    print("ready", flush=True)
    sys.stdin.readline()
    receiver = Receiver(broker, db, root, recorder_id, writer=writer)
    receiver.start()
    sys.stdin.readline()
    receiver.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
