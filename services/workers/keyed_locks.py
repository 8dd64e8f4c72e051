"""Lets this process's transactions over the same clubs take turns, so they never contend together.

An optimisation, not what keeps the data right: that is the Firestore transaction, which two
replicas meet in all the same. Firestore's server client libraries lock what a transaction reads;
two transactions that read a club and then both write it wait for each other, and the emulator
settles that only by a lock timeout (2 s) that aborts them, again on every retry. Commands of one
process on the same club therefore go one after the other here.

The locks are a fixed set of stripes, each club's key hashed onto one: the table never grows
with the names callers send, and two clubs that share a stripe merely take turns as well.
"""

import threading
import zlib
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager

STRIPES = 64


class KeyedLocks:
    def __init__(self, stripes: int = STRIPES) -> None:
        self._stripes = [threading.Lock() for _ in range(stripes)]

    def __len__(self) -> int:
        return len(self._stripes)

    @contextmanager
    def holding(self, keys: Iterable[str]) -> Iterator[None]:
        """Holds the stripe of every key; always in index order, so two holders cannot deadlock."""
        with ExitStack() as stack:
            for index in sorted({self._stripe(key) for key in keys}):
                stack.enter_context(self._stripes[index])
            yield

    def _stripe(self, key: str) -> int:
        return zlib.crc32(key.encode()) % len(self._stripes)
