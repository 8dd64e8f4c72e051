"""In-memory fakes of the workers' ports: documents by path, as Firestore would hold them."""

from collections.abc import Callable
from typing import Any

from prometheus_client import CollectorRegistry
from pydantic import BaseModel

from events.replies import Reply
from events.values import Player, TableRow
from events.worker import CommandContext
from firestore_layout import club_path, player_document, player_path
from services.workers.changes import LeagueChanges, OutboxEntry, Write
from services.workers.command_record import CommandRecord
from services.workers.documents import Document
from services.workers.reader import LeagueReader
from services.workers.unit_of_work import UnitOfWork, apply_once


class FakeStore:
    def __init__(self) -> None:
        self.documents: dict[str, Document] = {}

    def add_club(self, season_id: str, row: TableRow) -> None:
        self.documents[club_path(season_id, row.club)] = row.model_dump()

    def add_player(self, season_id: str, player: Player) -> None:
        self.documents[player_path(season_id, player.club, player.name)] = player_document(player)

    def seasons(self) -> list[str]:
        return sorted(
            {path.split("/")[1] for path in self.documents if path.startswith("seasons/")}
        )

    def query(self, collection: str, equal: dict[str, Any]) -> list[Document]:
        depth = collection.count("/") + 1
        return [
            document
            for path, document in self.documents.items()
            if path.startswith(f"{collection}/") and path.count("/") == depth
            if all(document.get(field) == value for field, value in equal.items())
        ]

    def apply(self, write: Write) -> None:
        if write.data is None:
            self.documents.pop(write.path, None)
        else:
            self.documents[write.path] = {**self.documents.get(write.path, {}), **write.data}


class FakeReader(LeagueReader):
    def __init__(self, store: FakeStore, configured_season: str | None = None) -> None:
        super().__init__(configured_season)
        self.store = store

    def seasons(self) -> list[str]:
        return self.store.seasons()

    def _document(self, path: str) -> Document | None:
        return self.store.documents.get(path)

    def _query(self, collection: str, equal: dict[str, Any]) -> list[Document]:
        return self.store.query(collection, equal)


class FakeChanges(LeagueChanges):
    def __init__(self, store: FakeStore, configured_season: str | None = None) -> None:
        super().__init__(configured_season)
        self.store = store

    def seasons(self) -> list[str]:
        return self.store.seasons()

    def _document(self, path: str) -> Document | None:
        return self.store.documents.get(path)


class FakeUnitOfWork(UnitOfWork):
    """Commits into the store at once; what the outbox would publish lands in `published`."""

    def __init__(self, store: FakeStore, configured_season: str | None = None) -> None:
        self.published: list[OutboxEntry] = []
        self.registry = CollectorRegistry()
        super().__init__(self.published.extend, self.registry)
        self.store = store
        self.configured_season = configured_season

    def _transact(
        self, record: CommandRecord, work: Callable[[LeagueChanges], BaseModel]
    ) -> tuple[Reply, list[OutboxEntry], bool]:
        recorded = self.store.documents.get(record.path)
        changes = FakeChanges(self.store, self.configured_season)
        reply, entries, writes = apply_once(recorded, changes, work, record)
        for write in writes:
            self.store.apply(write)
        return reply, entries, recorded is not None


def context(
    command_id: str = "command-1", command_type: str = "test", source: str = "//test"
) -> CommandContext:
    return CommandContext(
        command_id=command_id, command_type=command_type, source=source, deadline=None
    )


def club(name: str, capital: int = 100, points: int = 0, **figures: int) -> TableRow:
    values = {
        "played": 38, "won": 0, "drawn": 0, "lost": 0, "goals_for": 0, "goals_against": 0,
        "goal_difference": 0, **figures,
    }  # fmt: skip
    return TableRow(club=name, points=points, capital=capital, **values)


def player(name: str, club: str, position: str = "Forward", **figures: Any) -> Player:
    return Player(name=name, club=club, nationality="England", position=position, **figures)
