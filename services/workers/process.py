"""One worker process: the composition root's building blocks, and the run from start to SIGTERM.

Each service's `bootstrap()` calls `Runtime.real` (the only place clients are built), picks the
adapters its handlers need, and gets back a `WorkerProcess` to run.
"""

import logging
import os
import signal
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

from google.cloud import firestore
from google.cloud.pubsub_v1 import PublisherClient, SubscriberClient
from prometheus_client import CollectorRegistry

from events.logs import configure_logging
from events.messages import Command
from events.metrics import BusMetrics
from events.settings import Settings
from events.topology import Topology
from events.worker import Handler, Worker
from services.workers.changes import OutboxEntry
from services.workers.health import HealthServer
from services.workers.outbox import OutboxPublisher
from services.workers.reader import FirestoreReader
from services.workers.unit_of_work import FirestoreUnitOfWork

log = logging.getLogger(__name__)

SHUTDOWN_GRACE_SECONDS = 25.0  # within Kubernetes' default 30 s termination grace


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
        configure_logging(service, settings.log_level)
        return cls(
            service=service,
            settings=settings,
            firestore=firestore.Client(project=settings.project_id),
            publisher=PublisherClient(),
            subscriber=SubscriberClient(),
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
            self.outbox = OutboxPublisher(
                self.firestore, self.publisher, self.topology, self.source
            )
        after_commit = (
            crash_after_commit if self.settings.fault_after_commit else self.outbox.publish
        )
        return FirestoreUnitOfWork(self.firestore, after_commit, self.settings.season)

    def worker_process(
        self, handlers: Mapping[type[Command], Handler], listener: "Listener | None" = None
    ) -> "WorkerProcess":
        worker = Worker(
            service=self.service,
            handlers=handlers,
            topology=self.topology,
            publisher=self.publisher,
            subscriber=self.subscriber,
            metrics=BusMetrics(self.registry),
            source=self.source,
            max_messages=self.settings.worker_max_messages,
        )
        return WorkerProcess(self, worker, listener)


class Listener(Protocol):
    """Something the worker's handlers rely on that listens on the bus too (the stats worker's
    event feed): started before the worker pulls, stopped after, part of its readiness."""

    @property
    def ready(self) -> bool: ...

    def start(self) -> None: ...

    def stop(self) -> None: ...


def crash_after_commit(entries: list[OutboxEntry]) -> None:
    """The fault point LEAGUE_FAULT_AFTER_COMMIT enables: die as a power cut would, unpublished."""
    log.critical("fault point: killing this process after commit", extra={"events": len(entries)})
    os.kill(os.getpid(), signal.SIGKILL)


class WorkerProcess:
    def __init__(self, runtime: Runtime, worker: Worker, listener: Listener | None = None) -> None:
        self.runtime = runtime
        self.worker = worker
        self.listener = listener
        self.http = HealthServer(runtime.settings.http_address, runtime.registry, self._ready)

    def _ready(self) -> bool:
        return self.worker.ready and (self.listener is None or self.listener.ready)

    def run_until_terminated(self, grace_seconds: float = SHUTDOWN_GRACE_SECONDS) -> None:
        """Serves health, sweeps the outbox, works commands until SIGTERM, then finishes them."""
        self.http.start()
        stopping = threading.Event()
        if self.runtime.outbox is not None:
            self.runtime.outbox.sweep_every(self.runtime.settings.outbox_sweep_seconds, stopping)
        if self.listener is not None:
            self.listener.start()
        try:
            self.worker.run_until_terminated(grace_seconds)
        finally:
            if self.listener is not None:
                self.listener.stop()
            stopping.set()
            self.http.stop()
            self.runtime.subscriber.close()
            self.runtime.firestore.close()
        log.info("worker process exiting")
