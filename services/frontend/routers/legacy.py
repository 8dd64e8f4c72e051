"""The original League App's routes, answering its clients exactly as it did."""

import json
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ValidationError

from events.commands import (
    CreatePlayer,
    DeletePlayer,
    GetBestPlayers,
    GetLeagueTable,
    GetTopPlayers,
    ListSeasons,
    TransferPlayer,
)
from events.replies import unknown_season
from events.values import (
    LeagueTable,
    PlayerDeletion,
    PlayerResult,
    ScoredPlayerList,
    SeasonList,
    TransferResult,
)
from services.frontend import legacy_schemas as shapes
from services.frontend.bus import BusDep, CommandIdDep
from services.frontend.errors import LegacyError, legacy_errors

router = APIRouter(tags=["original routes"], dependencies=[Depends(legacy_errors)])
BodyT = TypeVar("BodyT", bound=BaseModel)
EndpointT = TypeVar("EndpointT", bound=Callable[..., Awaitable[BaseModel]])


def get_or_post(path: str, response_model: type[BaseModel]) -> Callable[[EndpointT], EndpointT]:
    """Many HTTP clients cannot send a GET with a body, so every route answers POST as well."""

    def register(endpoint: EndpointT) -> EndpointT:
        for method in ("GET", "POST"):
            router.add_api_route(
                path,
                endpoint,
                methods=[method],
                response_model=response_model,
                operation_id=f"legacy_{endpoint.__name__}_{method.lower()}",
            )
        return endpoint

    return register


async def read_body(request: Request, model: type[BodyT]) -> BodyT:
    """The JSON body with its keys matched case-insensitively, as the original's decoder did."""
    raw = await request.body()
    try:
        data = json.loads(raw) if raw.strip() else {}
    except ValueError:
        raise LegacyError(400, "the request body is not valid JSON") from None
    if not isinstance(data, dict):
        raise LegacyError(400, "the request body must be a JSON object")
    return model.model_validate(_lower_keys(data))


def _lower_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k).lower(): _lower_keys(v) for k, v in value.items()}
    return value


@get_or_post("/table", response_model=shapes.LegacyTable)
async def table(request: Request, bus: BusDep) -> shapes.LegacyTable:
    """The league table with each club's capital: of the season `League` names, else the current."""
    season = (await read_body(request, shapes.TableQuery)).season()
    try:
        command = GetLeagueTable(season=season)
    except ValidationError:
        # Not even shaped like a season id, so not a known one: a 404 naming those there are.
        known = await bus.ask(ListSeasons(), SeasonList)
        raise unknown_season(str(season), known.seasons) from None
    result = await bus.ask(command, LeagueTable)
    return shapes.LegacyTable(teams=[shapes.LegacyTeam.of(row) for row in result.rows])


@get_or_post("/bestplayers/{team}", response_model=shapes.LegacyPlayers)
async def best_players(team: str, bus: BusDep) -> shapes.LegacyPlayers:
    """The best Defender, Midfielder and Forward of one club."""
    result = await bus.ask(GetBestPlayers(club=team), ScoredPlayerList)
    return shapes.LegacyPlayers(Players=[shapes.LegacyPlayer.of(p) for p in result.players])


@get_or_post("/bestposition", response_model=shapes.LegacyPlayers)
async def best_position(request: Request, bus: BusDep) -> shapes.LegacyPlayers:
    """The three best players of one position across the league."""
    query = await read_body(request, shapes.PositionQuery)
    result = await bus.ask(GetTopPlayers(position=query.position, count=3), ScoredPlayerList)
    return shapes.LegacyPlayers(Players=[shapes.LegacyPlayer.of(p) for p in result.players])


@get_or_post("/createplayer", response_model=shapes.LegacyOps)
async def create_player(
    request: Request, bus: BusDep, command_id: CommandIdDep
) -> shapes.LegacyOps:
    """Adds a player to a club."""
    body = await read_body(request, shapes.NewPlayerBody)
    command = CreatePlayer(player=body.newplayer.to_player())
    result = await bus.ask(command, PlayerResult, command_id=command_id)
    return shapes.LegacyOps(Ops=f"Player {result.player.name} created in {result.player.club}")


@get_or_post("/deleteplayer/{team}/{player}", response_model=shapes.LegacyOps)
async def delete_player(
    team: str, player: str, bus: BusDep, command_id: CommandIdDep
) -> shapes.LegacyOps:
    """Removes a player from a club."""
    command = DeletePlayer(club=team, name=player)
    result = await bus.ask(command, PlayerDeletion, command_id=command_id)
    return shapes.LegacyOps(Ops=f"Player {result.name} deleted from {result.club}")


@get_or_post("/transferplayer", response_model=shapes.LegacyOps)
async def transfer_player(
    request: Request, bus: BusDep, command_id: CommandIdDep
) -> shapes.LegacyOps:
    """Moves a player to another club; the buyer pays the price to the seller."""
    body = await read_body(request, shapes.TransferBody)
    command = TransferPlayer(player=body.playername, from_club=body.teamfrom, to_club=body.teamto)
    result = await bus.ask(command, TransferResult, command_id=command_id)
    return shapes.LegacyOps(
        Ops=f"Player {result.player.name} transferred from {result.from_club} "
        f"to {result.to_club} for {result.price}"
    )
