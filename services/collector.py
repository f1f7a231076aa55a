"""Python's cyclic collector, run where and when a program chooses rather than anywhere.

Automatic collection runs in whichever thread crosses a threshold, at whatever moment. The
console moves it to its GUI thread (``console.shell.gc_guard``); the recorder's writer moves it
between batches, where its work is smallest (a batch's objects are gone by then) and delays
nobody.

A full collection walks every object the program holds (frozen ones aside): CPython runs one
only once the objects promoted to the oldest generation since the last reach a quarter of those
it held then, so that a big heap is walked in proportion to how fast it grows. The same rule
holds here. The promoted objects are counted from above: all those in the younger generations
when the middle one is collected, as if all survived, so a full collection comes no later than
CPython's would; and a console holding ten times Dijon's 340,000 devices is not walked whole
after every ten middle collections.
"""

from __future__ import annotations

import gc

#: Objects in the oldest generation after the last full collection (``collect_due``'s).
_long_lived = 0
#: Objects that may have reached the oldest generation since (``collect_due``'s count).
_promoted = 0


def collect_due() -> None:
    """Collect the generations whose thresholds are crossed, as automatic collection would."""
    global _long_lived, _promoted
    counts, thresholds = gc.get_count(), gc.get_threshold()
    if counts[0] <= thresholds[0]:
        return
    if counts[1] <= thresholds[1]:
        gc.collect(0)
        return
    # The middle generation is due: what it and the youngest hold may all be promoted.
    _promoted += len(gc.get_objects(generation=0)) + len(gc.get_objects(generation=1))
    if counts[2] > thresholds[2] and _promoted > _long_lived // 4:
        gc.collect(2)
        _long_lived, _promoted = len(gc.get_objects(generation=2)), 0
    else:
        gc.collect(1)
