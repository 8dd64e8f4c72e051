"""What a process builds at start is frozen out of the collector's scans; its garbage goes first."""

import gc
import weakref

import pytest

from events.collector import freeze_startup_heap


class Node:
    def __init__(self) -> None:
        self.itself = self  # a cycle: only the collector can free it


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_what_is_kept_is_frozen_and_no_collection_scans_it(unfrozen):
    kept = Node()

    freeze_startup_heap()

    assert gc.get_freeze_count() > 0
    assert all(tracked is not kept for tracked in gc.get_objects())


def test_garbage_of_the_start_is_collected_not_frozen(unfrozen):
    gone = Node()
    collected = weakref.ref(gone)
    del gone

    freeze_startup_heap()

    assert collected() is None
