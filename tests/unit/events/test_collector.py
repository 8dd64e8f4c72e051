"""What a process builds at start is frozen out of the collector's scans (its garbage collected
first), and collections come at the threshold given."""

import gc
import weakref

import pytest

from events.collector import SERVING, prepare_collector


class Node:
    def __init__(self) -> None:
        self.itself = self  # a cycle: only the collector can free it


@pytest.fixture
def unfrozen():
    threshold = gc.get_threshold()
    gc.unfreeze()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


def test_what_is_kept_is_frozen_and_no_collection_scans_it(unfrozen):
    kept = Node()

    prepare_collector()

    assert gc.get_freeze_count() > 0
    assert all(tracked is not kept for tracked in gc.get_objects())


def test_garbage_of_the_start_is_collected_not_frozen(unfrozen):
    gone = Node()
    collected = weakref.ref(gone)
    del gone

    prepare_collector()

    assert collected() is None


def test_collections_come_at_the_threshold_given(unfrozen):
    prepare_collector()
    assert gc.get_threshold() == SERVING

    prepare_collector((50_000, 50, 100))
    assert gc.get_threshold() == (50_000, 50, 100)
