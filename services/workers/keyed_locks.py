"""Serializes this process's transactions over the same clubs, so they never contend together.

Firestore's server client libraries lock what a transaction reads. Two transactions that read
the same club and then both write it wait for each other; the emulator settles that only by a
lock timeout (seconds) that aborts both, and again on every retry. Commands of one process on
the same club therefore take turns here; transactions of different processes still meet in
Firestore, where the transaction keeps them correct and retries with backoff settle who goes.
"""

import threading
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager


class KeyedLocks:
    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}

    @contextmanager
    def holding(self, keys: Iterable[str]) -> Iterator[None]:
        """Holds the lock of every key; always in sorted order, so two holders cannot deadlock."""
        with ExitStack() as stack:
            for key in sorted(set(keys)):
                stack.enter_context(self._lock(key))
            yield

    def _lock(self, key: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())
