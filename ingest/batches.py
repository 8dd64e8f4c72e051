"""Commits many document writes as 500-write Firestore batches, several batches at a time."""

import contextvars
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from google.cloud import firestore

from events.tracing import calling
from ingest.plain_writes import add_set

# Firestore's limit of writes in one batch.
BATCH_SIZE = 500
# Overlapping commits hides their round trips: on the emulator 4 at a time load 1.8x faster than
# one, and 8 or 16 slower again. BulkWriter was slower still: it throttles to 500 writes/s.
PARALLEL_COMMITS = 4

# Reads in a transaction and raises to stop a batch from going in (see `commit_all`).
Guard = Callable[[firestore.Transaction], None]


@dataclass(frozen=True)
class Write:
    """A set (`data` given) or a delete (`data` None) of one document."""

    document: firestore.DocumentReference
    data: dict[str, Any] | None = None
    merge: bool = False


def commit_all(
    client: firestore.Client,
    writes: Sequence[Write],
    parallel: int = PARALLEL_COMMITS,
    guard: Guard | None = None,
) -> None:
    """Applies every write or raises; a retry of the same writes converges on the same state.

    With a `guard`, each batch is a transaction that runs the guard first: a batch commits only
    if what the guard read still holds at its commit, so once the guard raises, no later batch
    goes in (the batches already in stay).
    """
    if len(writes) <= BATCH_SIZE:
        _commit(client, writes, guard)  # one batch, the usual club file: no pool needed
        return
    # Each commit in a copy of the caller's context, so the pool's threads trace its spans beneath
    # the caller's (a context is entered by one thread at a time: a copy each).
    commits = [(contextvars.copy_context(), chunk) for chunk in chunks(writes)]
    with ThreadPoolExecutor(max_workers=parallel) as pool:
        # list() re-raises the first failed commit here.
        list(pool.map(lambda c: c[0].run(_commit, client, c[1], guard), commits))


def _commit(client: firestore.Client, writes: Sequence[Write], guard: Guard | None) -> None:
    with calling("firestore", "commit batch" if guard is None else "commit guarded batch") as span:
        span.set_attribute("league.writes", len(writes))
        _commit_batch(client, writes, guard)


def _commit_batch(client: firestore.Client, writes: Sequence[Write], guard: Guard | None) -> None:
    if guard is None:
        batch = client.batch()
        _apply(batch, writes)
        batch.commit()
        return

    @firestore.transactional
    def guarded(transaction: firestore.Transaction) -> None:
        guard(transaction)
        _apply(transaction, writes)

    guarded(client.transaction())


def _apply(batch: firestore.WriteBatch | firestore.Transaction, writes: Sequence[Write]) -> None:
    for write in writes:
        if write.data is None:
            batch.delete(write.document)
        elif write.merge:
            batch.set(write.document, write.data, merge=True)
        else:
            add_set(batch, write.document, write.data)


def chunks(writes: Sequence[Write]) -> Iterator[Sequence[Write]]:
    for start in range(0, len(writes), BATCH_SIZE):
        yield writes[start : start + BATCH_SIZE]
