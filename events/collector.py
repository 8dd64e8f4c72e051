"""Python's cyclic garbage collector in a long-running process.

What a process builds at start (its modules, schemas, app and clients) lives as long as it does,
so no collection need scan it: about 109,000 objects in the frontend and 85,000 in the stats
worker. Under load the frontend ran a full collection every 2 s, 48 to 88 ms long with nothing to
collect, holding the event loop (in a worker, every thread) through a poll of the emulator or
more; with the start frozen, 3 to 5 ms.

And a request's objects die by reference counting as it ends; what a young collection finds is
the requests in flight, scanned again by every one. At the default threshold (700 allocations)
the frontend spent 35 to 40 us a request in them; at 10,000, next to nothing once started
(gc.callbacks, c32 reads; README, "Performance").
"""

import gc

# (young, middle, old): a young collection after this many more allocations than frees of
# tracked objects, a middle one after this many young ones, an old one after this many middle.
SERVING = (10_000, 20, 100)


def prepare_collector(threshold: tuple[int, int, int] = SERVING) -> None:
    """Call once, when the process has built what it keeps and before it serves: what is
    tracked now moves to the permanent generation, which no collection scans (garbage goes
    first, or it would stay there for good), and collections come at `threshold`."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*threshold)
