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

While a thread passes over the whole field (``whole_field_pass``: a console's feed reading its
340,000 devices), collections wait for it: every one of them would walk the hundreds of
thousands of objects the pass holds for a moment, on the thread that collects (the console's
GUI thread: stalls of 90 ms for the youngest generation, 330 ms whole, measured at ten times
Dijon). When the pass ends its transient objects are freed by their counts, and what it keeps
is frozen by its owner or walked once. A pass never holds collection off longer than
``MAX_DEFERRAL``.

A pass that freezes what it keeps (the feeds' at ten times Dijon) freezes with it the cyclic
garbage of its seconds, never to be collected: measured, 708 objects once as the console opens
(10 when collections ran during the passes), and about 8 a second of cyclic garbage in steady
state, so some tens at each of the equipment feed's whole reads.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

#: Objects in the oldest generation after the last full collection (``collect_due``'s).
_long_lived = 0
#: Objects that may have reached the oldest generation since (``collect_due``'s count).
_promoted = 0
#: Passes over the whole field under way, in any thread (``whole_field_pass``).
_passes = 0
_passes_lock = threading.Lock()
#: When a due collection was first put off for a pass (monotonic seconds), or None.
_deferred_since: float | None = None
#: However long passes follow one another, a due collection waits no longer than this.
MAX_DEFERRAL = 10.0


@contextmanager
def whole_field_pass() -> Iterator[None]:
    """While the block runs, ``collect_due`` collects nothing (within ``MAX_DEFERRAL``)."""
    global _passes
    with _passes_lock:
        _passes += 1
    try:
        yield
    finally:
        with _passes_lock:
            _passes -= 1


def _put_off() -> bool:
    """Whether a due collection waits for a pass under way (and note since when)."""
    global _deferred_since
    if not _passes:
        return False
    now = time.monotonic()
    if _deferred_since is None:
        _deferred_since = now
    if now - _deferred_since < MAX_DEFERRAL:
        return True
    _deferred_since = None  # overdue: collected now, and the next wait starts afresh
    return False


def collect_due() -> None:
    """Collect the generations whose thresholds are crossed, as automatic collection would."""
    global _long_lived, _promoted, _deferred_since
    counts, thresholds = gc.get_count(), gc.get_threshold()
    if not _passes:
        _deferred_since = None  # a later pass's wait starts from its own first due collection
    if counts[0] <= thresholds[0] or _put_off():
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
