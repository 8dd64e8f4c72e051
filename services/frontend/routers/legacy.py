"""The original League App's routes, answering its clients exactly as it did."""

import json
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

from fastapi import APIRouter, Request, Response
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
    PlayerDeletion,
    PlayerResult,
    ScoredPlayerList,
    SeasonList,
    TransferResult,
)
from services.frontend import legacy_schemas as shapes
from services.frontend.bus import BusDep, CommandIdDep
from services.frontend.errors import LegacyError, legacy_errors
from services.frontend.openapi import legacy_body
from services.frontend.routers.params import (
    CheckedRoute,
    ClubPath,
    PlayerPath,
    SeasonQuery,
)
from services.frontend.writers import WriterDep


class LegacyRoute(CheckedRoute):
    """A route of the original's: every refusal in its error shape, a query parameter it does
    not take too (services/frontend/errors.py)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def in_legacy_shape(request: Request) -> Response:
            with legacy_errors():
                return await handler(request)

        return in_legacy_shape


router = APIRouter(tags=["original routes"], route_class=LegacyRoute)
BodyT = TypeVar("BodyT", bound=BaseModel)
EndpointT = TypeVar("EndpointT", bound=Callable[..., Awaitable[BaseModel]])
BODY = (
    "JSON, keys matched case-insensitively (`NewPlayer` or `newplayer`), sent with any content "
    "type, on a GET as on a POST."
)


def get_or_post(
    path: str,
    response_model: type[BaseModel],
    *,
    body: type[BaseModel] | None = None,
    writes: bool = False,
) -> Callable[[EndpointT], EndpointT]:
    """Many HTTP clients cannot send a GET with a body, so every route answers POST as well."""

    def register(endpoint: EndpointT) -> EndpointT:
        for method in ("GET", "POST"):
            router.add_api_route(
                path,
                endpoint,
                methods=[method],
                response_model=response_model,
                responses={
                    **shapes.LEGACY_ERROR_RESPONSES,
                    **(shapes.LEGACY_WRITE_RESPONSES if writes else {}),
                    **(shapes.LEGACY_BODY_RESPONSES if body else {}),
                },
                operation_id=f"legacy_{endpoint.__name__}_{method.lower()}",
                openapi_extra=legacy_body(body, BODY) if body else None,
            )
        return endpoint

    return register


async def read_body(request: Request, model: type[BodyT]) -> BodyT:
    """The JSON body with its keys matched case-insensitively, as the original's decoder did."""
    raw = await request.body()
    try:
        data = _lower_keys(json.loads(raw)) if raw.strip() else {}
    except (ValueError, RecursionError):
        raise LegacyError(400, "the request body is not valid JSON") from None
    if not isinstance(data, dict):
        raise LegacyError(400, "the request body must be a JSON object")
    return model.model_validate(data)


def _lower_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k).lower(): _lower_keys(v) for k, v in value.items()}
    return value


@get_or_post("/table", response_model=shapes.LegacyTable, body=shapes.TableQuery)
async def table(request: Request, bus: BusDep) -> shapes.LegacyTable:
    """The league table with each club's capital: of the season `League` names, else the current
    one. (The season is in the body here, as in the original; the other routes take `?season=`.)"""
    named = (await read_body(request, shapes.TableQuery)).season()
    try:
        command = GetLeagueTable(season=named)
    except ValidationError:
        # Not even shaped like a season id, so not a known one: a 404 naming those there are.
        known = await bus.ask(ListSeasons(), SeasonList)
        raise unknown_season(str(named), known.seasons) from None
    return await bus.ask(command, shapes.LegacyTable)


@get_or_post("/bestplayers/{team}", response_model=shapes.LegacyPlayers)
async def best_players(
    team: ClubPath, bus: BusDep, season: SeasonQuery = None
) -> shapes.LegacyPlayers:
    """The best Defender, Midfielder and Forward of one club."""
    result = await bus.ask(GetBestPlayers(season=season, club=team), ScoredPlayerList)
    return shapes.LegacyPlayers(Players=[shapes.LegacyPlayer.of(p) for p in result.players])


@get_or_post("/bestposition", response_model=shapes.LegacyPlayers, body=shapes.PositionQuery)
async def best_position(
    request: Request, bus: BusDep, season: SeasonQuery = None
) -> shapes.LegacyPlayers:
    """The three best players of one position across the league."""
    query = await read_body(request, shapes.PositionQuery)
    command = GetTopPlayers(season=season, position=query.position, count=3)
    result = await bus.ask(command, ScoredPlayerList)
    return shapes.LegacyPlayers(Players=[shapes.LegacyPlayer.of(p) for p in result.players])


@get_or_post(
    "/createplayer", response_model=shapes.LegacyOps, body=shapes.NewPlayerBody, writes=True
)
async def create_player(
    request: Request,
    bus: BusDep,
    command_id: CommandIdDep,
    actor: WriterDep,
    season: SeasonQuery = None,
) -> shapes.LegacyOps:
    """Adds a player to a club."""
    body = await read_body(request, shapes.NewPlayerBody)
    command = CreatePlayer(season=season, player=body.newplayer.to_player())
    result = await bus.ask(command, PlayerResult, command_id=command_id, actor=actor)
    return shapes.LegacyOps(Ops=f"Player {result.player.name} created in {result.player.club}")


@get_or_post("/deleteplayer/{team}/{player}", response_model=shapes.LegacyOps, writes=True)
async def delete_player(
    team: ClubPath,
    player: PlayerPath,
    bus: BusDep,
    command_id: CommandIdDep,
    actor: WriterDep,
    season: SeasonQuery = None,
) -> shapes.LegacyOps:
    """Removes a player from a club."""
    command = DeletePlayer(season=season, club=team, name=player)
    result = await bus.ask(command, PlayerDeletion, command_id=command_id, actor=actor)
    return shapes.LegacyOps(Ops=f"Player {result.name} deleted from {result.club}")


@get_or_post(
    "/transferplayer", response_model=shapes.LegacyOps, body=shapes.TransferBody, writes=True
)
async def transfer_player(
    request: Request,
    bus: BusDep,
    command_id: CommandIdDep,
    actor: WriterDep,
    season: SeasonQuery = None,
) -> shapes.LegacyOps:
    """Moves a player to another club; the buyer pays the price to the seller."""
    body = await read_body(request, shapes.TransferBody)
    command = TransferPlayer(
        season=season, player=body.playername, from_club=body.teamfrom, to_club=body.teamto
    )
    result = await bus.ask(command, TransferResult, command_id=command_id, actor=actor)
    return shapes.LegacyOps(
        Ops=f"Player {result.player.name} transferred from {result.from_club} "
        f"to {result.to_club} for {result.price}"
    )
