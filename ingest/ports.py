"""The ports the loader depends on; the adapters and the test fakes subclass them."""

from abc import ABC, abstractmethod

from events.messages import DomainEvent
from ingest.model import IngestReport, LoadedFile, SeasonFile, SeasonObject, StoredFile


class ObjectSource(ABC):
    @abstractmethod
    def open(self, season_object: SeasonObject) -> StoredFile | None:
        """Exactly that generation, its content read as it is needed; None if it no longer
        exists. The content is the file's bytes: a gzip-encoded object comes unpacked."""


class SeasonStore(ABC):
    @abstractmethod
    def report(self, report_id: str) -> IngestReport | None: ...

    @abstractmethod
    def save_report(self, report: IngestReport) -> None: ...

    @abstractmethod
    def loaded_file(self, season: str, file: str) -> LoadedFile | None: ...

    @abstractmethod
    def load(self, season_object: SeasonObject, season_file: SeasonFile) -> None:
        """Writes the file's documents, then records its generation as the file's loaded one.

        Raises Superseded, and writes no more, as soon as a newer generation of the file has
        claimed it: whatever the order in which two loads finish, the newer one's data stays.
        """


class EventPublisher(ABC):
    @abstractmethod
    def publish(self, event: DomainEvent, event_id: str) -> None:
        """Returns once the bus has the event; raises if it could not take it."""
