"""Publishes committed domain events from the outbox onto the domain-events topic.

Events are published right after their transaction commits, and every unpublished one again
when a worker starts and then periodically, so a crash between commit and publish loses none.
An event may so be published twice; it keeps its id (the outbox document id) and consumers
dedupe by it.
"""

import logging
import threading

from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter
from google.cloud.pubsub_v1 import PublisherClient

from events.domain_events import DOMAIN_EVENTS_BY_TYPE
from events.envelope import new_event, to_pubsub
from events.topology import Topology
from ingest.layout import OUTBOX, outbox_path
from services.workers.changes import OutboxEntry

log = logging.getLogger(__name__)

PUBLISH_TIMEOUT_SECONDS = 30.0


class OutboxPublisher:
    def __init__(
        self,
        client: firestore.Client,
        publisher: PublisherClient,
        topology: Topology,
        source: str,
    ) -> None:
        self._client = client
        self._publisher = publisher
        self._topic = topology.topic_path(topology.events_topic)
        self._source = source

    def publish(self, entries: list[OutboxEntry]) -> None:
        """Publishes and marks each entry; one that fails stays in the outbox for the sweep."""
        for entry in entries:
            try:
                self._publish_one(entry)
            except Exception:
                log.exception(
                    "could not publish an event; the outbox keeps it",
                    extra={
                        "event_id": entry.event_id,
                    },
                )
                return

    def sweep(self) -> int:
        """Publishes every event still unpublished, oldest first; returns how many."""
        pending = self._client.collection(OUTBOX).where(
            filter=FieldFilter("published", "==", False)
        )
        documents = sorted(
            (snapshot for snapshot in pending.stream()),
            key=lambda s: (s.get("created_at"), s.get("order")),
        )
        entries = [
            OutboxEntry(d.id, DOMAIN_EVENTS_BY_TYPE[d.get("type")].model_validate(d.get("data")))
            for d in documents
        ]
        if entries:
            log.info("publishing events left in the outbox", extra={"count": len(entries)})
        self.publish(entries)
        return len(entries)

    def sweep_every(self, seconds: float, stopping: threading.Event) -> threading.Thread:
        """Sweeps now and then every `seconds` until `stopping` is set, on a thread of its own."""

        def loop() -> None:
            while True:
                try:
                    self.sweep()
                except Exception:
                    log.exception("outbox sweep failed; trying again later")
                if stopping.wait(seconds):
                    return

        thread = threading.Thread(target=loop, name="outbox-sweep", daemon=True)
        thread.start()
        return thread

    def _publish_one(self, entry: OutboxEntry) -> None:
        message = to_pubsub(
            new_event(entry.event.event_type, self._source, entry.event, event_id=entry.event_id)
        )
        self._publisher.publish(self._topic, message.data, **message.attributes).result(
            timeout=PUBLISH_TIMEOUT_SECONDS
        )
        self._client.document(outbox_path(entry.event_id)).update(
            {"published": True, "published_at": firestore.SERVER_TIMESTAMP}
        )
