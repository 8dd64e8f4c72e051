"""The real object source (Cloud Storage) and event publisher (Pub/Sub) of the loader."""

import google.cloud.storage as storage
from google.api_core.exceptions import NotFound
from google.cloud import pubsub_v1

from events.envelope import new_event, publish
from events.messages import DomainEvent
from events.topology import Topology
from ingest.model import SeasonObject
from ingest.ports import EventPublisher, ObjectSource


class StorageObjectSource(ObjectSource):
    def __init__(self, client: storage.Client) -> None:
        self._client = client

    def read(self, season_object: SeasonObject) -> bytes | None:
        blob = self._client.bucket(season_object.bucket).blob(
            season_object.name, generation=season_object.generation
        )
        try:
            return blob.download_as_bytes()
        except NotFound:
            # Overwritten or deleted since: that generation is history, and a newer one's event
            # (if any) carries the current content.
            return None


class PubsubEventPublisher(EventPublisher):
    def __init__(self, publisher: pubsub_v1.PublisherClient, topology: Topology, source: str):
        self._publisher = publisher
        self._topic = topology.topic_path(topology.events_topic)
        self._source = source

    def publish(self, event: DomainEvent, event_id: str) -> None:
        publish(
            self._publisher,
            self._topic,
            new_event(event.event_type, self._source, event, event_id=event_id),
        )
