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
    return sorted(reader.clubs(season_id), key=_table_order)


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
    squad = reader.players(season_id, club=command.club)
    return ScoredPlayerList(season=season_id, players=_best_of(squad))


def _best_of(squad: list[Player]) -> list[ScoredPlayer]:
    """The best of each scored position in the squad; a position it lacks is left out."""
    tops = [best((p for p in squad if p.position == position), 1) for position in SCORED_POSITIONS]
    return [p for top in tops for p in top]


def get_club(command: GetClub, context: CommandContext, reader: LeagueReader) -> ClubView:
    """What the three reads above say of one club, and the season list, in one answer."""
    season_id = reader.season(command.season)
    standing = reader.existing_club(season_id, command.club)
    squad = sorted(reader.players(season_id, club=command.club), key=_list_order)
    return ClubView(
        season=season_id,
        standing=standing,
        players=squad,
        best_players=_best_of(squad),
        clubs=[row.club for row in _table(reader, season_id)],
        seasons=list_seasons(ListSeasons(), context, reader),
    )


def get_top_players(
    command: GetTopPlayers, context: CommandContext, reader: LeagueReader
) -> ScoredPlayerList:
    season_id = reader.season(command.season)
    ranking = reader.ranked(season_id, command.position, rank)
    return ScoredPlayerList(season=season_id, players=[scored(p) for p in ranking[: command.count]])
