"""The stats handlers: plain functions of a read command and the league reader."""

from events.commands import (
    GetBestPlayers,
    GetClub,
    GetLeagueTable,
    GetTopPlayers,
    ListPlayers,
    ListSeasons,
)
from events.values import (
    ClubView,
    LeagueTable,
    Player,
    PlayerList,
    ScoredPlayer,
    ScoredPlayerList,
    SeasonList,
    TableRow,
)
from events.worker import CommandContext
from firestore_layout import club_key
from services.stats.scoring import SCORED_POSITIONS, best, rank, scored
from services.workers.reader import LeagueReader


def list_seasons(command: ListSeasons, context: CommandContext, reader: LeagueReader) -> SeasonList:
    known = reader.seasons()
    return SeasonList(seasons=known, current=reader.current_season(known))


def get_league_table(
    command: GetLeagueTable, context: CommandContext, reader: LeagueReader
) -> LeagueTable:
    season_id = reader.season(command.season)
    return LeagueTable(season=season_id, rows=_table(reader, season_id))


def _table(reader: LeagueReader, season_id: str) -> list[TableRow]:
    return reader.kept(
        season_id, "table", lambda: sorted(reader.clubs(season_id), key=_table_order)
    )


def _table_order(row: TableRow) -> tuple[int, int, int, str]:
    return (-row.points, -row.goal_difference, -row.goals_for, row.club.casefold())


def list_players(command: ListPlayers, context: CommandContext, reader: LeagueReader) -> PlayerList:
    season_id = reader.season(command.season)
    if command.club is not None:
        reader.existing_club(season_id, command.club)
    found = reader.players(season_id, club=command.club, position=command.position)
    found.sort(key=_list_order)
    page = found[command.offset : command.offset + command.limit]
    return PlayerList(season=season_id, players=page, total=len(found))


def _list_order(player: Player) -> tuple[str, str, str]:
    return (player.club.casefold(), player.name.casefold(), player.name)


def get_best_players(
    command: GetBestPlayers, context: CommandContext, reader: LeagueReader
) -> ScoredPlayerList:
    season_id = reader.season(command.season)
    reader.existing_club(season_id, command.club)
    _, best_players = _squad(reader, season_id, command.club)
    return ScoredPlayerList(season=season_id, players=best_players)


def _squad(
    reader: LeagueReader, season_id: str, club: str
) -> tuple[list[Player], list[ScoredPlayer]]:
    """A club's players in the order of a list, and its best of each scored position: about 80
    us a club page, and the same for each page of the club until it changes."""

    def make() -> tuple[list[Player], list[ScoredPlayer]]:
        squad = sorted(reader.players(season_id, club=club), key=_list_order)
        return squad, _best_of(squad)

    return reader.kept(season_id, ("squad", club_key(club)), make)


def _best_of(squad: list[Player]) -> list[ScoredPlayer]:
    """The best of each scored position in the squad; a position it lacks is left out."""
    tops = [best((p for p in squad if p.position == position), 1) for position in SCORED_POSITIONS]
    return [p for top in tops for p in top]


def get_club(command: GetClub, context: CommandContext, reader: LeagueReader) -> ClubView:
    """What the three reads above say of one club, and the season list, in one answer."""
    season_id = reader.season(command.season)
    standing = reader.existing_club(season_id, command.club)
    squad, best_players = _squad(reader, season_id, command.club)
    return ClubView(
        season=season_id,
        standing=standing,
        players=squad,
        best_players=best_players,
        clubs=[row.club for row in _table(reader, season_id)],
        seasons=list_seasons(ListSeasons(), context, reader),
    )


def get_top_players(
    command: GetTopPlayers, context: CommandContext, reader: LeagueReader
) -> ScoredPlayerList:
    season_id = reader.season(command.season)

    def make() -> list[ScoredPlayer]:
        ranking = reader.ranked(season_id, command.position, rank)
        return [scored(p) for p in ranking[: command.count]]

    # Kept as a club page's squad is: scoring the ten best cost 60 us a read.
    top = reader.kept(season_id, ("top", command.position, command.count), make)
    return ScoredPlayerList(season=season_id, players=top)
