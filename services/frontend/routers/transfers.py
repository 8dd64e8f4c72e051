"""/api/v1/transfers: moving a player between clubs, paid from the buyer's capital."""

from fastapi import APIRouter, Depends

from events.commands import TransferPlayer
from events.values import TransferResult
from services.frontend.bus import BusDep, CommandIdDep
from services.frontend.routers.params import SeasonQuery, known_query_parameters
from services.frontend.schemas import BODY_RESPONSES, TransferCreate

router = APIRouter(
    prefix="/api/v1/transfers",
    tags=["transfers"],
    responses=BODY_RESPONSES,
    dependencies=[Depends(known_query_parameters)],
)


@router.post("", response_model=TransferResult)
async def transfer_player(
    transfer: TransferCreate, bus: BusDep, command_id: CommandIdDep, season: SeasonQuery = None
) -> TransferResult:
    """Moves a player; 409 when the buyer cannot afford him or he is already there."""
    command = TransferPlayer(season=season, **transfer.model_dump())
    return await bus.ask(command, TransferResult, command_id=command_id)
