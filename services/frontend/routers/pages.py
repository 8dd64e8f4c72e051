"""The web page: the table, a club's squad and the best players, rendered on the server."""

import asyncio
import uuid
from collections import OrderedDict
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from events.commands import GetClub, GetLeagueTable, GetTopPlayers, ListSeasons
from events.replies import CommandError
from events.values import (
    POSITIONS,
    SCORED_POSITIONS,
    ClubView,
    LeagueTable,
    ScoredPlayerList,
    SeasonList,
)
from services.frontend.bus import BusDep
from services.frontend.routers.links import club_path, with_season
from services.frontend.routers.params import SeasonQuery
from services.frontend.sessions import csrf_token, session_of

templates = Jinja2Templates(directory=Path(__file__).parent.parent / "templates")
# Every link and form of the page keeps the season the reader picked (none: the current one).
templates.env.globals.update(with_season=with_season)
# A filter (`club | club_path(season)`), called straight from the compiled template: a global
# function goes through Jinja's Context.call, and a page links each of its 30 players to a club.
templates.env.filters.update(club_path=club_path)
router = APIRouter(tags=["web page"], include_in_schema=False, default_response_class=HTMLResponse)
Notice = Annotated[str | None, Query(max_length=300)]

# A club page as anonymous readers see it (no session, no message) is the same HTML for the same
# view and season, and `bus.ask` hands out the same view while its reply is the same bytes
# (`Reply.result_as`): such a page is rendered once until its club changes, where a render took
# 225 us. Each page is kept with its view, by the view's id: an id is unique while its object
# lives, and a kept view lives.
CLUB_PAGES_KEPT = 64
_club_pages: OrderedDict[tuple[int, str | None], tuple[ClubView, bytes]] = OrderedDict()


def render(request: Request, name: str, status: int = 200, **context: object) -> HTMLResponse:
    # Each rendered form gets a fresh key, so a double submit of it acts only once.
    context.setdefault("form_key", uuid.uuid4().hex)
    # The write forms show only when signed in (the form posts check the session itself).
    session = session_of(request)
    context.update(signed_in=session is not None, csrf=csrf_token(session) if session else None)
    return templates.TemplateResponse(
        request,
        name,
        {"positions": POSITIONS, "scored_positions": SCORED_POSITIONS, **context},
        status_code=status,
    )


@router.get("/", response_model=None)
async def home(
    request: Request,
    bus: BusDep,
    season: SeasonQuery = None,
    position: Annotated[str, Query(max_length=20)] = "Forward",
    notice: Notice = None,
    problem: Notice = None,
) -> HTMLResponse:
    """A season's league table, the top players of a position, and the player forms."""
    if position not in SCORED_POSITIONS:
        position = "Forward"
    try:
        table, top, seasons = await asyncio.gather(
            bus.ask(GetLeagueTable(season=season), LeagueTable),
            bus.ask(GetTopPlayers(season=season, position=position, count=5), ScoredPlayerList),
            bus.ask(ListSeasons(), SeasonList),
        )
    except CommandError as error:
        return render(request, "index.html", error.status, position=position, problem=error.message)
    return render(
        request,
        "index.html",
        season=season,
        seasons=seasons,
        table=table,
        top=top,
        position=position,
        notice=notice,
        problem=problem,
    )


@router.get("/clubs/{club}", response_model=None)
async def club_page(
    request: Request,
    club: str,
    bus: BusDep,
    season: SeasonQuery = None,
    notice: Notice = None,
    problem: Notice = None,
) -> HTMLResponse:
    """One club's squad in a season, its best player per position, and its transfer form."""
    try:
        view = await bus.ask(GetClub(season=season, club=club), ClubView)
    except CommandError as error:
        return render(request, "index.html", status=error.status, problem=error.message)
    anonymous = notice is None and problem is None and session_of(request) is None
    key = (id(view), season)
    kept = _club_pages.get(key) if anonymous else None
    if kept is not None:
        _club_pages.move_to_end(key)
        return HTMLResponse(kept[1])
    best = {player.position: player for player in view.best_players}
    page = render(
        request,
        "club.html",
        season=season,
        seasons=view.seasons,
        view=view,
        best=best,
        clubs=view.clubs,
        notice=notice,
        problem=problem,
    )
    if anonymous:
        _club_pages[key] = (view, bytes(page.body))
        if len(_club_pages) > CLUB_PAGES_KEPT:
            _club_pages.popitem(last=False)
    return page
