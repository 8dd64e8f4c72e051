"""One worker process: the composition root's building blocks, and the run from start to SIGTERM.

Each service's `bootstrap()` calls `Runtime.real` (the only place clients are built), picks the
adapters its handlers need, and gets back a `WorkerProcess` to run.
"""

import logging
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property
from typing import Protocol

from google.api_core.exceptions import GoogleAPICallError, RetryError
from google.cloud import firestore
from google.cloud.pubsub_v1 import PublisherClient, SubscriberClient
from prometheus_client import CollectorRegistry

from events.collector import prepare_collector
from events.logs import configure_logging
from events.messages import Command
from events.metrics import BusMetrics
from events.partners import source_check
from events.pubsub_clients import (
    PROBE_TIMEOUT_SECONDS,
    LoopClients,
    publisher_client,
    subscriber_client,
)
from events.settings import Settings
from events.topology import Topology
from events.tracing import configure_tracing
from events.worker import Handler, Worker
from firestore_layout import SEASONS
from services.workers.firestore_client import FirestoreClient
from services.workers.health import HealthServer
from services.workers.outbox import OutboxPublisher
from services.workers.reader import FirestoreReader
from services.workers.unit_of_work import FirestoreUnitOfWork

log = logging.getLogger(__name__)

# The exit status of a worker whose grace period ran out with commands still in flight.
EXIT_UNFINISHED = 3


@dataclass
class Runtime:
    service: str
    settings: Settings
    firestore: firestore.Client
    publisher: PublisherClient
    subscriber: SubscriberClient
    registry: CollectorRegistry = field(default_factory=CollectorRegistry)
    outbox: OutboxPublisher | None = None

    @classmethod
    def real(cls, service: str, settings: Settings | None = None) -> "Runtime":
        settings = settings or Settings()
        configure_logging(service, settings.log_level, settings.project_id)
        configure_tracing(service, settings.trace_exporter)
        return cls(
            service=service,
            settings=settings,
            firestore=FirestoreClient(project=settings.project_id),
            publisher=publisher_client(settings),
            subscriber=subscriber_client(settings),
        )

    @cached_property
    def topology(self) -> Topology:
        return Topology.from_settings(self.settings)

    @property
    def source(self) -> str:
        return f"{self.settings.source}/{self.service}"

    def reader(self) -> FirestoreReader:
        return FirestoreReader(self.firestore, self.settings.season)

    def unit_of_work(self) -> FirestoreUnitOfWork:
        # Only services that write have an outbox to publish, and so to sweep (WorkerProcess).
        if self.outbox is None:
            lease = timedelta(seconds=self.settings.outbox_lease_seconds)
            self.outbox = OutboxPublisher(
                self.firestore, self.publisher, self.topology, self.source, lease, self.registry
            )
        return FirestoreUnitOfWork(
            self.firestore, self.outbox.publish, self.settings.season, self.registry
        )

    def worker_process(
        self,
        handlers: Mapping[type[Command], Handler],
        listener: "Listener | None" = None,
        *,
        reads_on_the_loop: bool = False,
    ) -> "WorkerProcess":
        """`reads_on_the_loop`: the reads are answered from memory, and so tried on the worker's
        event loop before a thread (events/worker.py)."""
        worker = Worker(
            service=self.service,
            handlers=handlers,
            topology=self.topology,
            loop_clients=LoopClients(self.settings),
            subscriber=self.subscriber,
            metrics=BusMetrics(self.registry),
            source=self.source,
            accepts_source=source_check(self.settings.source, self.settings.partners, self.service),
            max_messages=self.settings.worker_max_messages,
            reads_on_the_loop=reads_on_the_loop,
        )
        return WorkerProcess(self, worker, listener)


class Listener(Protocol):
    """Something the worker's handlers rely on that listens on the bus too (the stats worker's
    event feed): started before the worker pulls, stopped after, part of its readiness."""

    def problem(self) -> str | None:
        """What keeps it from listening, or None."""

    def start(self) -> None: ...

    def stop(self) -> None: ...


def firestore_problem(client: firestore.Client) -> str | None:
    """Why Firestore cannot be read now, or None: one read of at most one document."""
    try:
        client.collection(SEASONS).limit(1).get(retry=None, timeout=PROBE_TIMEOUT_SECONDS)
    except (GoogleAPICallError, RetryError) as error:
        return f"Firestore cannot be reached: {error}"
    return None


class WorkerProcess:
    def __init__(self, runtime: Runtime, worker: Worker, listener: Listener | None = None) -> None:
        self.runtime = runtime
        self.worker = worker
        self.listener = listener

        def pubsub_problem() -> str | None:
            # A listener pulls from Pub/Sub too: its trouble is Pub/Sub's, as a dependency.
            return worker.check() or (listener.problem() if listener is not None else None)

        checks = {
            "pubsub": pubsub_problem,
            "firestore": lambda: firestore_problem(runtime.firestore),
        }
        self.http = HealthServer(runtime.settings.http_address, runtime.registry, checks)

    def run_until_terminated(self) -> None:
        """Serves health, sweeps the outbox, works commands until SIGTERM, then finishes them
        within the grace period (`LEAGUE_SHUTDOWN_GRACE_SECONDS`)."""
        prepare_collector()
        self.http.start()
        stopping = threading.Event()
        settings = self.runtime.settings
        if self.runtime.outbox is not None:
            self.runtime.outbox.sweep_every(settings.outbox_sweep_seconds, stopping)
        if self.listener is not None:
            self.listener.start()
        try:
            drained = self.worker.run_until_terminated(settings.shutdown_grace_seconds)
        finally:
            if self.listener is not None:
                self.listener.stop()
            stopping.set()
            self.http.stop()
        if not drained:
            # The threads still working would hold the interpreter's exit as long as they run.
            log.critical("exiting with commands unfinished; Pub/Sub will deliver them again")
            logging.shutdown()
            os._exit(EXIT_UNFINISHED)
        self.runtime.subscriber.close()
        self.runtime.firestore.close()
        log.info("worker process exiting")
