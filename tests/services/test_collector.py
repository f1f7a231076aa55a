"""``services.collector``: collection where a program chooses, as often as Python would."""

from __future__ import annotations

import gc
import weakref

import pytest

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
