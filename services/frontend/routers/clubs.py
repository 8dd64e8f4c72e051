"""/api/v1/clubs: the league table, one club with its squad, a club's best players."""

import asyncio

from fastapi import APIRouter

from events.commands import GetBestPlayers, GetLeagueTable, ListPlayers
from events.replies import NotFound
from events.values import LeagueTable, PlayerList, ScoredPlayerList
from firestore_layout import club_key
from services.frontend.bus import Bus, BusDep
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
    view, _ = await club_view(bus, club, season)
    return view


@router.get("/{club}/best-players", response_model=ScoredPlayerList)
async def best_players(club: ClubPath, bus: BusDep, season: SeasonQuery = None) -> ScoredPlayerList:
    """The best Defender, Midfielder and Forward of one club."""
    return await bus.ask(GetBestPlayers(season=season, club=club), ScoredPlayerList)


async def club_view(bus: Bus, club: str, season: str | None) -> tuple[ClubPublic, LeagueTable]:
    """Asks the three questions at once; the web page shows the same view, and the table."""
    table, squad, best = await asyncio.gather(
        bus.ask(GetLeagueTable(season=season), LeagueTable),
        bus.ask(ListPlayers(season=season, club=club, limit=1000), PlayerList),
        bus.ask(GetBestPlayers(season=season, club=club), ScoredPlayerList),
    )
    for row in table.rows:
        # The workers' own notion of "the same club": case and accents do not matter.
        if club_key(row.club) == club_key(club):
            view = ClubPublic(
                season=table.season, standing=row, players=squad.players, best_players=best.players
            )
            return view, table
    raise NotFound(f"no club {club!r} in season {table.season}")
