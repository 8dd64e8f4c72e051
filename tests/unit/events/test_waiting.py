"""On a worker's loop nothing waits: what would is refused, and the read goes to a thread."""

import threading

import pytest

from events.waiting import MustWait, holding, on_the_loop, would_wait


def test_what_would_wait_is_refused_on_the_loop_and_allowed_off_it():
    would_wait("firestore query")
    with on_the_loop(), pytest.raises(MustWait, match="firestore query"):
        would_wait("firestore query")
    with on_the_loop(), on_the_loop(False):
        would_wait("firestore query")


def test_a_lock_another_thread_holds_is_refused_on_the_loop_and_a_free_one_taken():
    lock = threading.Lock()
    with on_the_loop():
        with holding(lock):
            assert lock.locked()
        assert not lock.locked()
        lock.acquire()
        with pytest.raises(MustWait), holding(lock):
            pass
    lock.release()
