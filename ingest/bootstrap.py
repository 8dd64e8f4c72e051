"""The composition root of the ingest function: the one place that builds its real clients."""

import google.cloud.storage as storage
from google.cloud import firestore, pubsub_v1
from prometheus_client import CollectorRegistry

from events.collector import prepare_collector
from events.logs import configure_logging
from events.settings import Settings
from events.topology import Topology
from events.tracing import configure_tracing
from ingest.adapters import PubsubEventPublisher, StorageObjectSource
from ingest.firestore_store import FirestoreSeasonStore
from ingest.loader import Ingest
from ingest.metrics import IngestMetrics
from ingest.ports import EventPublisher, ObjectSource, SeasonStore

SERVICE = "ingest"
# A load makes a few objects per cell of a file, all alive until it is written: with the default
# threshold (700) the collector rescans them over and over, a quarter of the CPU a load takes.
GC_THRESHOLD = (50_000, 50, 100)


def prepare_process(settings: Settings) -> None:
    """Once per process, before the first load: JSON logs, and a collector tuned for loads."""
    configure_logging(SERVICE, settings.log_level, settings.project_id)
    configure_tracing(SERVICE, settings.trace_exporter)
    prepare_collector(GC_THRESHOLD)


def bootstrap(
    settings: Settings | None = None,
    *,
    objects: ObjectSource | None = None,
    store: SeasonStore | None = None,
    publisher: EventPublisher | None = None,
    metrics: IngestMetrics | None = None,
) -> Ingest:
    """Real adapters for whatever is not given; tests and the benchmark pass their own."""
    settings = settings or Settings()
    if objects is None:
        objects = StorageObjectSource(storage.Client(project=settings.project_id))
    if store is None:
        store = FirestoreSeasonStore(firestore.Client(project=settings.project_id))
    if publisher is None:
        publisher = PubsubEventPublisher(
            pubsub_v1.PublisherClient(),
            Topology.from_settings(settings),
            source=f"{settings.source}/{SERVICE}",
        )
    if metrics is None:
        metrics = IngestMetrics(CollectorRegistry())
    return Ingest(objects=objects, store=store, publisher=publisher, metrics=metrics)
