"""Every command League App's workers accept, one class each, grouped by the service handling it."""

from pydantic import Field

from events.messages import Command, command_type
from events.values import (
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
    SeasonId,
    SeasonList,
    TransferResult,
)

STATS, PLAYEROPS, TRANSFER = "stats", "playerops", "transfer"
SERVICES = (STATS, PLAYEROPS, TRANSFER)


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
    offset: int = Field(default=0, ge=0)
    limit: int = Field(default=100, ge=1, le=1000)


class GetBestPlayers(Command):
    """The best Defender, Midfielder and Forward of one club."""

    event_type = command_type(STATS, "get_best_players")
    service = STATS
    read_only = True
    result = ScoredPlayerList

    season: SeasonId | None = None
    club: Name


class GetTopPlayers(Command):
    """The best `count` players of one position across the league."""

    event_type = command_type(STATS, "get_top_players")
    service = STATS
    read_only = True
    result = ScoredPlayerList

    season: SeasonId | None = None
    # A plain string, not `Position`: the handler answers an unknown position with the valid ones.
    position: str
    count: int = Field(default=3, ge=1, le=100)


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
    GetTopPlayers,
    CreatePlayer,
    GetPlayer,
    UpdatePlayer,
    DeletePlayer,
    TransferPlayer,
)
