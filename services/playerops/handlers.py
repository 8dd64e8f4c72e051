"""The playerops handlers: one player at a time, each change applied exactly once."""

from events.commands import CreatePlayer, DeletePlayer, GetPlayer, UpdatePlayer
from events.domain_events import PlayerCreated, PlayerDeleted, PlayerUpdated
from events.replies import Conflict
from events.values import PlayerDeletion, PlayerResult
from events.worker import CommandContext
from services.workers.changes import LeagueChanges
from services.workers.reader import LeagueReader
from services.workers.unit_of_work import UnitOfWork


def create_player(command: CreatePlayer, context: CommandContext, uow: UnitOfWork) -> PlayerResult:
    return uow.run(command, context, PlayerResult, _create, [command.player.club])


def _create(command: CreatePlayer, league: LeagueChanges) -> PlayerResult:
    season_id = league.season(command.season)
    club = league.existing_club(season_id, command.player.club)
    if league.player(season_id, club.club, command.player.name) is not None:
        raise Conflict(f"{club.club} already has a player named {command.player.name!r}")
    # The club's own spelling, so the player lists under the name the table shows.
    player = command.player.model_copy(update={"club": club.club})
    league.save_player(season_id, player)
    league.publish(PlayerCreated(season=season_id, player=player))
    return PlayerResult(season=season_id, player=player)


def get_player(command: GetPlayer, context: CommandContext, reader: LeagueReader) -> PlayerResult:
    season_id = reader.season(command.season)
    player = reader.existing_player(season_id, command.club, command.name)
    return PlayerResult(season=season_id, player=player)


def update_player(command: UpdatePlayer, context: CommandContext, uow: UnitOfWork) -> PlayerResult:
    return uow.run(command, context, PlayerResult, _update, [command.club])


def _update(command: UpdatePlayer, league: LeagueChanges) -> PlayerResult:
    changes = command.changes.model_dump(exclude_none=True)
    season_id = league.season(command.season)
    player = league.existing_player(season_id, command.club, command.name)
    updated = player.model_copy(update=changes)
    league.save_player(season_id, updated)
    league.publish(PlayerUpdated(season=season_id, player=updated))
    return PlayerResult(season=season_id, player=updated)


def delete_player(
    command: DeletePlayer, context: CommandContext, uow: UnitOfWork
) -> PlayerDeletion:
    return uow.run(command, context, PlayerDeletion, _delete, [command.club])


def _delete(command: DeletePlayer, league: LeagueChanges) -> PlayerDeletion:
    season_id = league.season(command.season)
    player = league.existing_player(season_id, command.club, command.name)
    league.delete_player(season_id, player.club, player.name)
    league.publish(PlayerDeleted(season=season_id, club=player.club, name=player.name))
    return PlayerDeletion(season=season_id, club=player.club, name=player.name)
