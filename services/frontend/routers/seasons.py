"""/api/v1/seasons: which seasons are loaded, and which one is current."""

from fastapi import APIRouter

from events.commands import ListSeasons
from events.values import SeasonList
from services.frontend.bus import BusDep
from services.frontend.routers.params import CheckedRoute
from services.frontend.schemas import ERROR_RESPONSES

router = APIRouter(
    prefix="/api/v1/seasons",
    tags=["seasons"],
    responses=ERROR_RESPONSES,
    route_class=CheckedRoute,
)


@router.get("", response_model=SeasonList)
async def list_seasons(bus: BusDep) -> SeasonList:
    """The loaded seasons, and the current one."""
    return await bus.ask(ListSeasons(), SeasonList)
