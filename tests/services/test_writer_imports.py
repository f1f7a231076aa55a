"""The recorder's writer starts without what it does not use at a cold start.

Its imports delay every write of the retained burst: pydantic's models are built only when a
state is not plain (``services.bus.plain_state``) or another kind of message arrives, and paho
belongs to the receiver alone.
"""

import subprocess
import sys

LEFT_OUT = ("paho", "pydantic", "services.bus.schemas", "alembic", "PySide6")


def test_the_writer_imports_neither_paho_nor_pydantic():
    probe = (
        "import sys, services.recorder.worker\n"
        f"print(sorted(m for m in {LEFT_OUT!r} if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]"
