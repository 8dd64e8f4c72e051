"""The web page's forms: create, delete and transfer a player, then back with what happened.

Every form answers with a redirect (post/redirect/get), so reloading the page never repeats
an action; the message travels in the query string and the page shows it. A form carries the
season its page shows, acts on that season, and goes back to a page of it.
"""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from events.commands import CreatePlayer, DeletePlayer, TransferPlayer
from events.messages import Command, describe_validation_error
from events.replies import CommandError
from events.values import Player, PlayerDeletion, PlayerResult, PlayerStats, TransferResult
from services.frontend.bus import Bus, BusDep, ResultT, command_id_for
from services.frontend.routers.links import club_path, with_query

router = APIRouter(prefix="/forms", tags=["web page"], include_in_schema=False)
FORM_ONLY = ("back", "form_key", "season")


@router.post("/players", response_model=None)
async def create_player(request: Request, bus: BusDep) -> RedirectResponse:
    """Adds the player the form describes, then shows the club."""
    form, back, season = await _read(request)
    try:
        player = Player.model_validate(_with_numbers(form))
        command: Command = CreatePlayer(season=season, player=player)
    except ValidationError as error:
        return _back(back, problem=describe_validation_error(error))
    result = await _ask(request, bus, command, PlayerResult)
    if isinstance(result, str):
        return _back(back, problem=result)
    player = result.player
    return _back(club_path(player.club, season), notice=f"{player.name} joined {player.club}.")


@router.post("/players/delete", response_model=None)
async def delete_player(request: Request, bus: BusDep) -> RedirectResponse:
    """Removes one player from a club."""
    form, back, season = await _read(request)
    try:
        command: Command = DeletePlayer(
            season=season, club=form.get("club", ""), name=form.get("name", "")
        )
    except ValidationError as error:
        return _back(back, problem=describe_validation_error(error))
    result = await _ask(request, bus, command, PlayerDeletion)
    if isinstance(result, str):
        return _back(back, problem=result)
    return _back(back, notice=f"{result.name} left {result.club}.")


@router.post("/transfers", response_model=None)
async def transfer_player(request: Request, bus: BusDep) -> RedirectResponse:
    """Moves a player to another club, then shows the buying club."""
    form, back, season = await _read(request)
    try:
        command: Command = TransferPlayer(
            season=season,
            player=form.get("player", ""),
            from_club=form.get("from_club", ""),
            to_club=form.get("to_club", ""),
        )
    except ValidationError as error:
        return _back(back, problem=describe_validation_error(error))
    result = await _ask(request, bus, command, TransferResult)
    if isinstance(result, str):
        return _back(back, problem=result)
    notice = (
        f"{result.player.name} moved from {result.from_club} to {result.to_club} for "
        f"{result.price}. Capital now: {result.from_club} {result.from_club_capital}, "
        f"{result.to_club} {result.to_club_capital}."
    )
    return _back(club_path(result.to_club, season), notice=notice)


async def _read(request: Request) -> tuple[dict[str, str], str, str | None]:
    """The form's own fields, the local page to go back to, and the season (none: current)."""
    form = {key: value for key, value in (await request.form()).items() if isinstance(value, str)}
    back = form.get("back", "/")
    # Only a path on this site: never a redirect to somewhere else.
    if not back.startswith("/") or back.startswith("//"):
        back = "/"
    fields = {key: value.strip() for key, value in form.items() if key not in FORM_ONLY}
    return fields, back, form.get("season", "").strip() or None


async def _ask(
    request: Request, bus: Bus, command: Command, result: type[ResultT]
) -> ResultT | str:
    """The result, or the refusal's message to show on the page."""
    form_key = (await request.form()).get("form_key")
    command_id = (
        command_id_for(form_key, request.method, request.url.path)
        if isinstance(form_key, str) and form_key
        else None
    )
    try:
        return await bus.ask(command, result, command_id=command_id)
    except CommandError as error:
        return error.message


def _with_numbers(form: dict[str, str]) -> dict[str, object]:
    """A form sends text; a player's figures are numbers, as JSON sends them. Text that is no
    whole number is left as it is, for the validation to name its field."""
    return {
        key: int(value) if key in PlayerStats.model_fields and value.isdecimal() else value
        for key, value in form.items()
    }


def _back(path: str, **message: str) -> RedirectResponse:
    return RedirectResponse(with_query(path, **message), status_code=303)
