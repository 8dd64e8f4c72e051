"""Every command League App's workers accept, one class each, grouped by the service handling it."""

from typing import Annotated

from annotated_types import Interval

from events.messages import Command, command_type
from events.values import (
    JSON_NUMBER,
    LARGEST_NUMBER,
    ClubView,
    LeagueTable,
    Name,
    Player,
    PlayerChanges,
    PlayerDeletion,
    PlayerList,
    PlayerResult,
    Pong,
    Position,
    ScoredPlayerList,
    ScoredPosition,
    SeasonId,
    SeasonList,
    TransferResult,
)

STATS, PLAYEROPS, TRANSFER = "stats", "playerops", "transfer"
SERVICES = (STATS, PLAYEROPS, TRANSFER)

# How much a reader may ask for at once; the HTTP API's query parameters take the same bounds.
OFFSET = Interval(ge=0, le=LARGEST_NUMBER)
PAGE_SIZE = Interval(ge=1, le=1000)
TOP_COUNT = Interval(ge=1, le=100)


class Ping(Command):
    """Asks a worker service to answer, to check it is alive and reachable over the bus."""

    event_type = command_type("any", "ping")
    service = "any"
    read_only = True
    result = Pong


# --- stats: reads. `season` left out means the current season.


class ListSeasons(Command):
    event_type = command_type(STATS, "list_seasons")
    service = STATS
    read_only = True
    result = SeasonList


class GetLeagueTable(Command):
    event_type = command_type(STATS, "get_league_table")
    service = STATS
    read_only = True
    result = LeagueTable

    season: SeasonId | None = None


class ListPlayers(Command):
    event_type = command_type(STATS, "list_players")
    service = STATS
    read_only = True
    result = PlayerList

    season: SeasonId | None = None
    club: Name | None = None
    position: Position | None = None
    offset: Annotated[int, OFFSET, JSON_NUMBER] = 0
    limit: Annotated[int, PAGE_SIZE, JSON_NUMBER] = 100


class GetBestPlayers(Command):
    """The best Defender, Midfielder and Forward of one club."""

    event_type = command_type(STATS, "get_best_players")
    service = STATS
    read_only = True
    result = ScoredPlayerList

    season: SeasonId | None = None
    club: Name


class GetClub(Command):
    """One club with its squad and best players, and what a view of it links to (ClubView)."""

    event_type = command_type(STATS, "get_club")
    service = STATS
    read_only = True
    result = ClubView

    season: SeasonId | None = None
    club: Name


class GetTopPlayers(Command):
    """The best `count` players of one position across the league."""

    event_type = command_type(STATS, "get_top_players")
    service = STATS
    read_only = True
    result = ScoredPlayerList

    season: SeasonId | None = None
    position: ScoredPosition
    count: Annotated[int, TOP_COUNT, JSON_NUMBER] = 3


# --- playerops: one player at a time.


class CreatePlayer(Command):
    event_type = command_type(PLAYEROPS, "create_player")
    service = PLAYEROPS
    result = PlayerResult

    season: SeasonId | None = None
    player: Player

    def clubs_changed(self) -> tuple[str, ...]:
        return (self.player.club,)


class GetPlayer(Command):
    event_type = command_type(PLAYEROPS, "get_player")
    service = PLAYEROPS
    read_only = True
    result = PlayerResult

    season: SeasonId | None = None
    club: Name
    name: Name


class UpdatePlayer(Command):
    event_type = command_type(PLAYEROPS, "update_player")
    service = PLAYEROPS
    result = PlayerResult

    season: SeasonId | None = None
    club: Name
    name: Name
    changes: PlayerChanges

    def clubs_changed(self) -> tuple[str, ...]:
        return (self.club,)


class DeletePlayer(Command):
    event_type = command_type(PLAYEROPS, "delete_player")
    service = PLAYEROPS
    result = PlayerDeletion

    season: SeasonId | None = None
    club: Name
    name: Name

    def clubs_changed(self) -> tuple[str, ...]:
        return (self.club,)


# --- transfer


class TransferPlayer(Command):
    """Moves a player to another club, paying the price from the buyer's capital to the seller."""

    event_type = command_type(TRANSFER, "transfer_player")
    service = TRANSFER
    result = TransferResult

    season: SeasonId | None = None
    player: Name
    from_club: Name
    to_club: Name

    def clubs_changed(self) -> tuple[str, ...]:
        return (self.from_club, self.to_club)


ALL_COMMANDS: tuple[type[Command], ...] = (
    Ping,
    ListSeasons,
    GetLeagueTable,
    ListPlayers,
    GetBestPlayers,
    GetClub,
    GetTopPlayers,
    CreatePlayer,
    GetPlayer,
    UpdatePlayer,
    DeletePlayer,
    TransferPlayer,
)
