"""Exactly-once effects: a command's effect, its reply and its events commit in one transaction.

Pub/Sub delivers at least once. The transaction first reads the command's record (keyed by its
CloudEvents source and id, see CommandRecord): when a reply is recorded there the command was
answered already, and that reply is returned again with nothing changed; when the record is of
another command under the same identity, this one is refused. Refusals are recorded too, so
every delivery of a command gets the same answer.
"""

import logging
import random
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import partial
from typing import TypeVar

from google.api_core import exceptions as google_errors
from google.cloud import firestore
from prometheus_client import CollectorRegistry, Counter
from pydantic import BaseModel

from events.messages import Command
from events.replies import CommandError, Reply, ok_reply
from events.tracing import calling
from events.worker import CommandContext
from firestore_layout import club_key
from services.workers.changes import LeagueChanges, OutboxEntry, Write
from services.workers.command_record import CommandRecord
from services.workers.documents import Document
from services.workers.keyed_locks import KeyedLocks
from services.workers.reader import list_seasons

log = logging.getLogger(__name__)

C = TypeVar("C", bound=Command)
R = TypeVar("R", bound=BaseModel)
AfterCommit = Callable[[list[OutboxEntry]], None]
# Transfers of one player contend for the same documents. Firestore retries an aborted commit
# at once, keeping its place in line; when that is not enough (the emulator's lock timeouts
# abort every contender alike) the whole transaction starts again after a random pause.
ATTEMPTS_IN_LINE = 2
CONTENTION_ROUNDS = 10
MAX_BACKOFF_SECONDS = 2.0


class UnitOfWork(ABC):
    def __init__(self, after_commit: AfterCommit, registry: CollectorRegistry) -> None:
        self._after_commit = after_commit
        self._turns = KeyedLocks()
        self._duplicates = Counter(
            "league_duplicates_suppressed_total",
            "Deliveries of a command answered before: its recorded reply sent again, nothing done.",
            ["type"],
            registry=registry,
        )

    def run(
        self,
        command: C,
        context: CommandContext,
        result_type: type[R],
        work: Callable[[C, LeagueChanges], R],
        clubs: Iterable[str],
    ) -> R:
        """Applies `work` to `command` once; raises the refusal it (ever) answered with.

        `clubs` are those the work reads or changes: this process runs one such work at a time.
        """
        record = CommandRecord.of(command, context)
        with self._turns.holding(club_key(club) for club in clubs):
            reply, committed, replayed = self._transact(record, partial(work, command))
        if replayed:
            self._duplicates.labels(context.command_type).inc()
        if committed:
            self._after_commit(committed)
        if reply.error is not None:
            # The refusal it recorded, raised again, so it is sent as the first time was.
            raise CommandError.from_reply(reply)
        return reply.result_as(result_type)

    @abstractmethod
    def _transact(
        self, record: CommandRecord, work: Callable[[LeagueChanges], BaseModel]
    ) -> tuple[Reply, list[OutboxEntry], bool]:
        """Returns the reply, the outbox entries this call committed (none for a replay), and
        whether it was a replay."""


def apply_once(
    recorded: Document | None,
    changes: LeagueChanges,
    work: Callable[[LeagueChanges], BaseModel],
    record: CommandRecord,
) -> tuple[Reply, list[OutboxEntry], list[Write]]:
    """Inside a transaction: the reply, the events and the writes to commit for one command.

    A refusal is an answer too: recorded like a result, but with nothing else changed.
    """
    if recorded is not None:
        reply = record.replay(recorded)
        log.info("command answered before, replaying its reply")
        return reply, [], []
    try:
        reply = ok_reply(work(changes))
    except CommandError as refusal:
        changes.discard()
        reply = refusal.to_reply()
    writes = changes.closing_writes(record, reply)
    entries = [replace(entry, actor=record.actor) for entry in changes.entries]
    return reply, entries, writes


class FirestoreChanges(LeagueChanges):
    def __init__(
        self,
        client: firestore.Client,
        transaction: firestore.Transaction,
        configured_season: str | None,
    ) -> None:
        super().__init__(configured_season)
        self._client = client
        self._transaction = transaction

    def seasons(self) -> list[str]:
        return list_seasons(self._client)

    def _document(self, path: str) -> Document | None:
        return self._client.document(path).get(transaction=self._transaction).to_dict()


class FirestoreUnitOfWork(UnitOfWork):
    def __init__(
        self,
        client: firestore.Client,
        after_commit: AfterCommit,
        configured_season: str | None,
        registry: CollectorRegistry,
    ) -> None:
        super().__init__(after_commit, registry)
        self._client = client
        self._configured_season = configured_season

    def _transact(
        self, record: CommandRecord, work: Callable[[LeagueChanges], BaseModel]
    ) -> tuple[Reply, list[OutboxEntry], bool]:
        for round_number in range(CONTENTION_ROUNDS):
            try:
                with calling("firestore", "transaction"):
                    return self._attempt(record, work)
            except google_errors.Aborted:
                log.info("transaction contended, trying again", extra={"round": round_number})
            except ValueError as error:
                if not isinstance(error.__cause__, google_errors.Aborted):
                    raise
            # Contenders that collided start again at random times, so that one gets through.
            time.sleep(random.uniform(0, min(MAX_BACKOFF_SECONDS, 0.05 * 2**round_number)))
        # Still contended: worth a redelivery later (the worker nacks), not a refusal.
        raise google_errors.ServiceUnavailable(f"transaction contended {CONTENTION_ROUNDS} times")

    def _attempt(
        self, record: CommandRecord, work: Callable[[LeagueChanges], BaseModel]
    ) -> tuple[Reply, list[OutboxEntry], bool]:
        @firestore.transactional
        def attempt(transaction: firestore.Transaction) -> tuple[Reply, list[OutboxEntry], bool]:
            recorded = self._client.document(record.path).get(transaction=transaction).to_dict()
            changes = FirestoreChanges(self._client, transaction, self._configured_season)
            reply, entries, writes = apply_once(recorded, changes, work, record)
            for write in writes:
                self._stage(transaction, write)
            return reply, entries, recorded is not None

        return attempt(self._client.transaction(max_attempts=ATTEMPTS_IN_LINE))

    def _stage(self, transaction: firestore.Transaction, write: Write) -> None:
        reference = self._client.document(write.path)
        if write.data is None:
            transaction.delete(reference)
        else:
            transaction.set(reference, write.data, merge=True)
