"""/api/v1/transfers: moving a player between clubs, paid from the buyer's capital."""

from fastapi import APIRouter

from events.commands import TransferPlayer
from events.values import TransferResult
from services.frontend.bus import BusDep, CommandIdDep
from services.frontend.routers.params import CheckedRoute, SeasonQuery
from services.frontend.schemas import BODY_RESPONSES, TransferCreate
from services.frontend.writers import WriterDep

router = APIRouter(
    prefix="/api/v1/transfers",
    tags=["transfers"],
    responses=BODY_RESPONSES,
    route_class=CheckedRoute,
)


@router.post("", response_model=TransferResult)
async def transfer_player(
    transfer: TransferCreate,
    bus: BusDep,
    command_id: CommandIdDep,
    actor: WriterDep,
    season: SeasonQuery = None,
) -> TransferResult:
    """Moves a player; 409 when the buyer cannot afford him or he is already there."""
    command = TransferPlayer(season=season, **transfer.model_dump())
    return await bus.ask(command, TransferResult, command_id=command_id, actor=actor)
