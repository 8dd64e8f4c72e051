"""Reads every worker shares: which season is meant, and one club or one player of it."""

from abc import ABC, abstractmethod

from events.replies import NotFound, unknown_season
from events.values import Player, TableRow
from firestore_layout import club_path, player_path
from services.workers.documents import Document, player_from_document, row_from_document


class Lookups(ABC):
    """`configured_season` is LEAGUE_SEASON; without it the current season is the greatest id."""

    def __init__(self, configured_season: str | None = None) -> None:
        self.configured_season = configured_season

    @abstractmethod
    def seasons(self) -> list[str]:
        """The ids of the seasons loaded, in sort order."""

    @abstractmethod
    def _document(self, path: str) -> Document | None: ...

    def season(self, requested: str | None) -> str:
        """The season a command means: the one it names, else the current one."""
        known = self.seasons()
        wanted = requested or self.current_season(known)
        if wanted is None:
            raise NotFound("no season is loaded yet")
        if wanted not in known:
            raise unknown_season(wanted, known)
        return wanted

    def current_season(self, known: list[str]) -> str | None:
        return self.configured_season or (known[-1] if known else None)

    def club(self, season_id: str, club: str) -> TableRow | None:
        document = self._document(club_path(season_id, club))
        return None if document is None else row_from_document(document)

    def player(self, season_id: str, club: str, name: str) -> Player | None:
        document = self._document(player_path(season_id, club, name))
        return None if document is None else player_from_document(document)

    def existing_club(self, season_id: str, club: str) -> TableRow:
        found = self.club(season_id, club)
        if found is None:
            raise NotFound(f"season {season_id} has no club {club!r}")
        return found

    def existing_player(self, season_id: str, club: str, name: str) -> Player:
        found = self.player(season_id, club, name)
        if found is None:
            raise NotFound(f"{club} has no player {name!r} in season {season_id}")
        return found
