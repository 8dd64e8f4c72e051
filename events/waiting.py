"""What keeps a worker's event loop from waiting. A worker may try a read on its loop (the stats
worker's, answered from memory); whatever would wait there (a Firestore call, a lock a thread
holds while it makes one) raises `MustWait` instead, and the worker runs the read again on one of
its threads (events/worker.py). A read may be run twice so: it changes nothing."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_on_the_loop: ContextVar[bool] = ContextVar("league_on_the_loop", default=False)


class MustWait(Exception):
    """Something that waits was asked for on the worker's loop."""


def would_wait(what: str) -> None:
    """Called before anything that waits on another system: refused on the worker's loop."""
    if _on_the_loop.get():
        raise MustWait(what)


@contextmanager
def holding(lock: threading.Lock) -> Iterator[None]:
    """Holds `lock`; on the worker's loop only if it is free at once."""
    if not lock.acquire(blocking=not _on_the_loop.get()):
        raise MustWait("a lock another thread holds")
    try:
        yield
    finally:
        lock.release()


@contextmanager
def on_the_loop(yes: bool = True) -> Iterator[None]:
    """Code in the block runs on the worker's loop (or, with False, not: on a thread)."""
    token = _on_the_loop.set(yes)
    try:
        yield
    finally:
        _on_the_loop.reset(token)
