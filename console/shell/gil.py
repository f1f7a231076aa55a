"""The GUI thread's turns at the interpreter lock, while the feeds' lanes read the field.

Every Python call a paint or an event makes (a model's ``data``, an event filter, a slot) takes
the lock first. A lane reading 340,000 devices holds it for Python's switch interval before it
must hand it over (5 ms by default), so a paint needing it twenty times waited up to 100 ms
(seen with py-spy: the GUI thread in ``Shiboken::GilState::acquire`` while a lane decoded rows).
A shorter interval hands it over sooner; the lanes take a little longer for it.
"""

from __future__ import annotations

import sys

#: Measured at ten times Dijon (``vigie bench console``, three runs each): 1 ms against 5 ms,
#: the opening's 99th percentile 17-20 ms against 31-34, the flood's longest stall 26-32 ms
#: against 45-47; the console opened 0.4 s later.
SWITCH_INTERVAL_S = 0.001


def favour_the_gui_thread() -> None:
    """Process-wide: the console's process only (never the recorder's, which is all lanes)."""
    sys.setswitchinterval(SWITCH_INTERVAL_S)
