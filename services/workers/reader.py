"""The read side: a season's clubs and players, as the stats and playerops reads need them."""

from abc import abstractmethod
from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar

from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter

from events.tracing import calling
from events.values import Player, TableRow
from events.waiting import would_wait
from firestore_layout import SEASONS, club_key, clubs_path, players_path
from services.workers.documents import Document, player_from_document, row_from_document
from services.workers.lookups import Lookups

# How a read orders players: a key that sorts the one it wants first lowest.
Rank = Callable[[Player], Any]
Made = TypeVar("Made")


class LeagueReader(Lookups):
    @abstractmethod
    def _query(self, collection: str, equal: dict[str, Any]) -> list[Document]:
        """The documents of `collection` whose fields equal the values of `equal`."""

    def clubs(self, season_id: str) -> list[TableRow]:
        return [row_from_document(d) for d in self._query(clubs_path(season_id), {})]

    def players(
        self, season_id: str, club: str | None = None, position: str | None = None
    ) -> list[Player]:
        equal: dict[str, Any] = {}
        if club is not None:
            equal["club_key"] = club_key(club)
        if position is not None:
            equal["position"] = position
        return [player_from_document(d) for d in self._query(players_path(season_id), equal)]

    def ranked(self, season_id: str, position: str, rank: Rank) -> Sequence[Player]:
        """Every player of `position` in the season, ordered by `rank` (lowest first)."""
        return sorted(self.players(season_id, position=position), key=rank)

    def kept(self, season_id: str, what: Hashable, make: Callable[[], Made]) -> Made:
        """What `make` makes of the season's data (`what` names it): made each time here, kept
        by a reader that holds the season (the stats read model) while the season is unchanged.
        What it returns is shared then, so it is never changed."""
        return make()


class FirestoreReader(LeagueReader):
    """Equality filters only, sorted here: no composite index is needed in any project."""

    def __init__(self, client: firestore.Client, configured_season: str | None = None) -> None:
        super().__init__(configured_season)
        self._client = client

    def seasons(self) -> list[str]:
        would_wait("firestore list seasons")
        return list_seasons(self._client)

    def _document(self, path: str) -> Document | None:
        would_wait("firestore get")
        with calling("firestore", "get"):
            return self._client.document(path).get().to_dict()

    def _query(self, collection: str, equal: dict[str, Any]) -> list[Document]:
        would_wait("firestore query")
        query: Any = self._client.collection(collection)
        for field, value in equal.items():
            query = query.where(filter=FieldFilter(field, "==", value))
        with calling("firestore", "query"):
            return [snapshot.to_dict() or {} for snapshot in query.stream()]


def list_seasons(client: firestore.Client) -> list[str]:
    # Missing documents count too: a season may have clubs and players before its own document.
    with calling("firestore", "list seasons"):
        return sorted(ref.id for ref in client.collection(SEASONS).list_documents())
