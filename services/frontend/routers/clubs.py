"""/api/v1/clubs: the league table, one club with its squad, a club's best players."""

from fastapi import APIRouter

from events.commands import GetBestPlayers, GetClub, GetLeagueTable
from events.values import ClubView, LeagueTable, ScoredPlayerList
from services.frontend.bus import BusDep
from services.frontend.routers.params import CheckedRoute, ClubPath, SeasonQuery
from services.frontend.schemas import ERROR_RESPONSES, ClubPublic

router = APIRouter(
    prefix="/api/v1/clubs",
    tags=["clubs"],
    responses=ERROR_RESPONSES,
    route_class=CheckedRoute,
)


@router.get("", response_model=LeagueTable)
async def league_table(bus: BusDep, season: SeasonQuery = None) -> LeagueTable:
    """The league table: every club's standing and capital, best first."""
    return await bus.ask(GetLeagueTable(season=season), LeagueTable)


@router.get("/{club}", response_model=ClubPublic)
async def get_club(club: ClubPath, bus: BusDep, season: SeasonQuery = None) -> ClubPublic:
    """One club: its standing, its squad and its best player per outfield position."""
    view = await bus.ask(GetClub(season=season, club=club), ClubView)
    return ClubPublic(
        season=view.season,
        standing=view.standing,
        players=view.players,
        best_players=view.best_players,
    )


@router.get("/{club}/best-players", response_model=ScoredPlayerList)
async def best_players(club: ClubPath, bus: BusDep, season: SeasonQuery = None) -> ScoredPlayerList:
    """The best Defender, Midfielder and Forward of one club."""
    return await bus.ask(GetBestPlayers(season=season, club=club), ScoredPlayerList)
