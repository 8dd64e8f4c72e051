"""Fakes of the loader's ports, kept in memory."""

from events.messages import DomainEvent
from ingest.model import (
    ClubFile,
    IngestReport,
    LoadedFile,
    SeasonFile,
    SeasonObject,
    StoredFile,
    Superseded,
)
from ingest.ports import EventPublisher, ObjectSource, SeasonStore


class FakeObjectSource(ObjectSource):
    def __init__(self) -> None:
        self.contents: dict[tuple[str, int], bytes] = {}

    def add(self, name: str, generation: int, content: str | bytes) -> None:
        self.contents[(name, generation)] = (
            content.encode() if isinstance(content, str) else content
        )

    def open(self, season_object: SeasonObject) -> StoredFile | None:
        content = self.contents.get((season_object.name, season_object.generation))
        return None if content is None else StoredFile.in_memory(content)


class FakeSeasonStore(SeasonStore):
    def __init__(self) -> None:
        self.reports: dict[str, IngestReport] = {}
        self.files: dict[tuple[str, str], LoadedFile] = {}
        self.loads: list[tuple[SeasonObject, SeasonFile]] = []
        # A newer generation's load under way, as another instance of the function would hold.
        self.claims: dict[tuple[str, str], int] = {}

    def report(self, report_id: str) -> IngestReport | None:
        return self.reports.get(report_id)

    def save_report(self, report: IngestReport) -> None:
        self.reports[report.report_id] = report

    def loaded_file(self, season: str, file: str) -> LoadedFile | None:
        return self.files.get((season, file))

    def load(self, season_object: SeasonObject, season_file: SeasonFile) -> None:
        key = (season_object.season, season_object.file)
        claimed = self.claims.get(key, 0)
        if claimed > season_object.generation:
            raise Superseded(claimed)
        self.loads.append((season_object, season_file))
        club = season_file.club if isinstance(season_file, ClubFile) else None
        self.files[key] = LoadedFile(season_object.generation, season_file.rows, club)


class FakePublisher(EventPublisher):
    def __init__(self) -> None:
        self.published: list[tuple[str, DomainEvent]] = []

    def publish(self, event: DomainEvent, event_id: str) -> None:
        self.published.append((event_id, event))
