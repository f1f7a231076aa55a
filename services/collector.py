"""Python's cyclic collector, run where and when a program chooses rather than anywhere.

Automatic collection runs in whichever thread crosses a threshold, at whatever moment. The
console moves it to its GUI thread (``console.shell.gc_guard``); the recorder's writer moves it
between batches, where its work is smallest (a batch's objects are gone by then) and delays
nobody.

A full collection walks every object the program holds (frozen ones aside): CPython runs one
only once the objects promoted to the oldest generation since the last reach a quarter of those
it held then, so that a big heap is walked in proportion to how fast it grows. The same rule
holds here, with the promoted objects counted from above (every allocation of the collections
since, as if all had survived): a full collection comes no later than CPython's would, and a
console holding ten times Dijon's 340,000 devices is not walked every minute.
"""

from __future__ import annotations

import gc

#: Objects in the oldest generation after the last full collection (``collect_due``'s).
_long_lived = 0


def collect_due() -> None:
    """Collect the generations whose thresholds are crossed, as automatic collection would."""
    global _long_lived
    counts, thresholds = gc.get_count(), gc.get_threshold()
    if counts[0] <= thresholds[0]:
        return
    generation = 0
    if counts[1] > thresholds[1]:
        generation = 1
        # counts[2] collections of the middle generation since the last full one, each of
        # which promoted at most what the younger ones allocated between them
        promoted = counts[2] * thresholds[0] * thresholds[1]
        if counts[2] > thresholds[2] and promoted > _long_lived // 4:
            generation = 2
    gc.collect(generation)
    if generation == 2:
        _long_lived = len(gc.get_objects(generation=2))
