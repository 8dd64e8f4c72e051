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
from events.envelope import new_event, publish
from events.topology import Topology
from firestore_layout import OUTBOX, outbox_path
from services.workers.changes import OutboxEntry

log = logging.getLogger(__name__)


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
        """Publishes and marks the entries in order; at the first failure the rest stay in the
        outbox for the sweep, so events are not published out of their commit order."""
        for entry in entries:
            try:
                self._publish_one(entry)
            except Exception:
                log.exception(
                    "could not publish an event; the outbox keeps it",
                    extra={"event_id": entry.event_id},
                )
                return

    def sweep(self) -> None:
        """Publishes every event still unpublished, oldest first."""
        pending = self._client.collection(OUTBOX).where(
            filter=FieldFilter("published", "==", False)
        )
        documents = sorted(pending.stream(), key=lambda s: (s.get("created_at"), s.get("order")))
        entries = [
            OutboxEntry(d.id, DOMAIN_EVENTS_BY_TYPE[d.get("type")].model_validate(d.get("data")))
            for d in documents
        ]
        if entries:
            log.info("publishing events left in the outbox", extra={"count": len(entries)})
        self.publish(entries)

    def sweep_every(self, seconds: float, stopping: threading.Event) -> None:
        """Sweeps now and then every `seconds` until `stopping` is set, on a thread of its own."""

        def loop() -> None:
            while True:
                try:
                    self.sweep()
                except Exception:
                    log.exception("outbox sweep failed; trying again later")
                if stopping.wait(seconds):
                    return

        threading.Thread(target=loop, name="outbox-sweep", daemon=True).start()

    def _publish_one(self, entry: OutboxEntry) -> None:
        event = entry.event
        publish(
            self._publisher,
            self._topic,
            new_event(event.event_type, self._source, event, event_id=entry.event_id),
        )
        self._client.document(outbox_path(entry.event_id)).update(
            {"published": True, "published_at": firestore.SERVER_TIMESTAMP}
        )
