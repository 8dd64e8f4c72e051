"""/api/v1/players: browse with filters and pages, the best by position, and one player's CRUD."""

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from events.commands import (
    OFFSET,
    PAGE_SIZE,
    TOP_COUNT,
    CreatePlayer,
    DeletePlayer,
    GetPlayer,
    GetTopPlayers,
    ListPlayers,
    UpdatePlayer,
)
from events.values import (
    Name,
    PlayerDeletion,
    PlayerList,
    PlayerResult,
    Position,
    ScoredPlayerList,
    ScoredPosition,
)
from services.frontend.bus import BusDep, CommandIdDep
from services.frontend.routers.params import (
    CheckedRoute,
    ClubPath,
    PlayerPath,
    SeasonQuery,
)
from services.frontend.schemas import (
    BODY_RESPONSES,
    ERROR_RESPONSES,
    WRITE_RESPONSES,
    PlayerCreate,
    PlayerUpdate,
)
from services.frontend.writers import WriterDep

router = APIRouter(
    prefix="/api/v1/players",
    tags=["players"],
    responses=ERROR_RESPONSES,
    route_class=CheckedRoute,
)


@router.get("", response_model=PlayerList)
async def list_players(
    bus: BusDep,
    season: SeasonQuery = None,
    club: Annotated[Name | None, Query(description="Only this club's players.")] = None,
    position: Annotated[Position | None, Query(description="Only this position.")] = None,
    offset: Annotated[int, OFFSET, Query()] = 0,
    limit: Annotated[int, PAGE_SIZE, Query()] = 100,
) -> PlayerList:
    """Players, filtered by club and position, a page at a time; `total` counts them all."""
    command = ListPlayers(season=season, club=club, position=position, offset=offset, limit=limit)
    return await bus.ask(command, PlayerList)


@router.get("/top", response_model=ScoredPlayerList)
async def top_players(
    bus: BusDep,
    position: Annotated[ScoredPosition, Query(description="A position with a score.")],
    season: SeasonQuery = None,
    count: Annotated[int, TOP_COUNT, Query()] = 3,
) -> ScoredPlayerList:
    """The best `count` players of one position across the league."""
    command = GetTopPlayers(season=season, position=position, count=count)
    return await bus.ask(command, ScoredPlayerList)


@router.post(
    "",
    response_model=PlayerResult,
    status_code=status.HTTP_201_CREATED,
    responses=BODY_RESPONSES,
)
async def create_player(
    player: PlayerCreate,
    bus: BusDep,
    command_id: CommandIdDep,
    actor: WriterDep,
    season: SeasonQuery = None,
) -> PlayerResult:
    """Adds a player to a club; 409 if the club already has a player of that name."""
    command = CreatePlayer(season=season, player=player.model_dump())
    return await bus.ask(command, PlayerResult, command_id=command_id, actor=actor)


@router.get("/{club}/{name}", response_model=PlayerResult)
async def get_player(
    club: ClubPath, name: PlayerPath, bus: BusDep, season: SeasonQuery = None
) -> PlayerResult:
    """One player of one club."""
    return await bus.ask(GetPlayer(season=season, club=club, name=name), PlayerResult)


@router.patch("/{club}/{name}", response_model=PlayerResult, responses=BODY_RESPONSES)
async def update_player(
    club: ClubPath,
    name: PlayerPath,
    changes: PlayerUpdate,
    bus: BusDep,
    command_id: CommandIdDep,
    actor: WriterDep,
    season: SeasonQuery = None,
) -> PlayerResult:
    """Changes some of a player's figures, at least one; the rest keep their value."""
    command = UpdatePlayer(season=season, club=club, name=name, changes=changes.model_dump())
    return await bus.ask(command, PlayerResult, command_id=command_id, actor=actor)


@router.delete(
    "/{club}/{name}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    response_model=None,
    responses=WRITE_RESPONSES,
)
async def delete_player(
    club: ClubPath,
    name: PlayerPath,
    bus: BusDep,
    command_id: CommandIdDep,
    actor: WriterDep,
    season: SeasonQuery = None,
) -> None:
    """Removes a player from a club."""
    command = DeletePlayer(season=season, club=club, name=name)
    await bus.ask(command, PlayerDeletion, command_id=command_id, actor=actor)
