"""The real object source (Cloud Storage) and event publisher (Pub/Sub) of the loader."""

import gzip
import io
import zlib
from typing import TYPE_CHECKING, BinaryIO

import google.cloud.storage as storage
from google.api_core.exceptions import NotFound
from google.cloud import pubsub_v1

from events.envelope import new_event, publish
from events.messages import DomainEvent
from events.topology import Topology
from events.tracing import trace_extensions
from ingest.model import SeasonObject, StoredFile, UnreadableContent
from ingest.ports import EventPublisher, ObjectSource

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

# Each read of the content is a ranged download of this much: a season file takes one or two.
DOWNLOAD_CHUNK_BYTES = 256 * 1024


class StorageObjectSource(ObjectSource):
    def __init__(self, client: storage.Client) -> None:
        self._client = client

    def open(self, season_object: SeasonObject) -> StoredFile | None:
        blob = self._client.bucket(season_object.bucket).blob(
            season_object.name, generation=season_object.generation
        )
        try:
            blob.reload()  # its size and encoding; nothing of the content yet
        except NotFound:
            # Overwritten or deleted since: that generation is history, and a newer one's event
            # (if any) carries the current content.
            return None
        # The stored bytes, unpacked here as they stream in if need be: the client library would
        # unpack a gzip-encoded object only whole, and the server ignores ranges when it unpacks.
        # (Should the generation go in the meantime, a read raises NotFound, and a redelivery of
        # the event finds it gone.)
        content = blob.open("rb", chunk_size=DOWNLOAD_CHUNK_BYTES, raw_download=True)
        if blob.content_encoding == "gzip":
            content = io.BufferedReader(_Gunzipped(content))
        assert blob.size is not None  # reload() gave it
        return StoredFile(size=blob.size, content=content)


class _Gunzipped(io.RawIOBase):
    """A gzip stream, unpacked as it is read; a broken one is UnreadableContent, as bad data."""

    def __init__(self, packed: BinaryIO) -> None:
        super().__init__()
        self._unpacked = gzip.GzipFile(fileobj=packed, mode="rb")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: "WriteableBuffer") -> int:
        try:
            return self._unpacked.readinto(buffer)
        except (gzip.BadGzipFile, zlib.error, EOFError) as error:
            raise UnreadableContent(f"not gzip as its Content-Encoding says ({error})") from error


class PubsubEventPublisher(EventPublisher):
    def __init__(self, publisher: pubsub_v1.PublisherClient, topology: Topology, source: str):
        self._publisher = publisher
        self._topic = topology.topic_path(topology.events_topic)
        self._source = source

    def publish(self, event: DomainEvent, event_id: str) -> None:
        publish(
            self._publisher,
            self._topic,
            # In the trace of the load that announces it.
            new_event(
                event.event_type,
                self._source,
                event,
                event_id=event_id,
                extensions=trace_extensions(),
            ),
        )
