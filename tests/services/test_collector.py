"""``services.collector``: collection where a program chooses, as often as Python would."""

from __future__ import annotations

import gc
import threading
import time
import weakref

import pytest

from services import collector
from services.collector import collect_due


class Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the cyclic collector frees it


@pytest.fixture
def manual_collection():
    was_enabled = gc.isenabled()
    gc.disable()
    yield
    if was_enabled:
        gc.enable()


def _cycle() -> weakref.ref:
    return weakref.ref(Node())


def test_nothing_is_collected_below_the_threshold(manual_collection):
    gc.collect()
    garbage = _cycle()
    collect_due()
    assert garbage() is not None


def test_a_crossed_threshold_is_collected(manual_collection):
    gc.collect()
    garbage = _cycle()
    young = [[] for _ in range(gc.get_threshold()[0] + 1)]  # allocations past the threshold
    collect_due()
    assert garbage() is None
    del young


def test_a_big_heap_is_walked_whole_only_once_it_grew_by_a_quarter(manual_collection, monkeypatch):
    held = [[] for _ in range(400_000)]  # long-lived: a console's field
    gc.collect()
    monkeypatch.setattr(collector, "_long_lived", len(gc.get_objects(generation=2)))
    monkeypatch.setattr(collector, "_promoted", 0)
    full = gc.get_stats()[2]["collections"]
    young0, young1, old = gc.get_threshold()

    grown = []  # what the program goes on holding: promoted, collection after collection

    def middle_collections(n: int) -> None:
        for _ in range(n * (young1 + 1)):  # a young collection each time, then a middle one
            grown.append([[] for _ in range(young0 + 1)])
            collect_due()

    # Past the oldest generation's threshold, but promoting less than a quarter of the heap
    middle_collections(old + 1)
    assert gc.get_stats()[2]["collections"] == full
    # Promoting a quarter: collected whole (each middle collection promotes what it held)
    middle_collections(collector._long_lived // 4 // (young0 * young1) + 2)
    assert gc.get_stats()[2]["collections"] == full + 1
    assert len(held) == 400_000  # held throughout


def _due() -> list:
    """Allocations well past the youngest generation's threshold: a collection is due."""
    return [[] for _ in range(2 * gc.get_threshold()[0])]


def test_a_pass_over_the_field_in_another_thread_holds_collection_off(
    manual_collection, monkeypatch
):
    gc.collect()
    monkeypatch.setattr(collector, "_deferred_since", None)
    inside, leave = threading.Event(), threading.Event()

    def pass_over_the_field() -> None:  # a console feed's lane reading every device
        with collector.whole_field_pass():
            inside.set()
            leave.wait(10)

    lane = threading.Thread(target=pass_over_the_field)
    lane.start()
    assert inside.wait(10)
    garbage, young = _cycle(), _due()
    collect_due()  # the GUI thread's timer, during the pass
    assert garbage() is not None
    leave.set()
    lane.join(10)
    collect_due()  # its next tick, the pass over
    assert garbage() is None
    del young


def test_a_pass_holds_collection_off_no_longer_than_its_limit(manual_collection, monkeypatch):
    gc.collect()
    monkeypatch.setattr(collector, "MAX_DEFERRAL", 0.05)
    monkeypatch.setattr(collector, "_deferred_since", None)
    with collector.whole_field_pass():
        garbage, young = _cycle(), _due()
        collect_due()
        assert garbage() is not None  # put off
        time.sleep(0.06)
        collect_due()
        assert garbage() is None  # overdue: collected, the pass still under way
    del young


def test_a_wait_that_ended_does_not_shorten_the_next(manual_collection, monkeypatch):
    gc.collect()
    monkeypatch.setattr(collector, "MAX_DEFERRAL", 0.05)
    with collector.whole_field_pass():
        young = _due()
        collect_due()  # put off: the wait starts
    del young
    gc.collect()  # (by hand: nothing is due at the next tick)
    collect_due()  # no pass now, nothing due
    time.sleep(0.06)
    with collector.whole_field_pass():
        garbage, young = _cycle(), _due()
        collect_due()
        assert garbage() is not None  # a new wait, not the old one's overdue
    del young
