"""Python's cyclic collector, run where and when a program chooses rather than anywhere.

Automatic collection runs in whichever thread crosses a threshold, at whatever moment. The
console moves it to its GUI thread (``console.shell.gc_guard``); the recorder's writer moves it
between batches, where its work is smallest (a batch's objects are gone by then) and delays
nobody.
"""

from __future__ import annotations

import gc


def collect_due() -> None:
    """Collect the generations whose thresholds are crossed, as automatic collection would."""
    counts, thresholds = gc.get_count(), gc.get_threshold()
    if counts[0] <= thresholds[0]:
        return
    generation = 0
    if counts[1] > thresholds[1]:
        generation = 2 if counts[2] > thresholds[2] else 1
    gc.collect(generation)
