"""The /api/v1 shapes that are not the bus's own values: request bodies, composites, errors."""

from pydantic import BaseModel, ConfigDict

from events.replies import ErrorBody
from events.values import Name, Player, PlayerChanges, ScoredPlayer, SeasonId, TableRow


class PlayerCreate(Player):
    """A new player: who, where, and the season's figures."""


class PlayerUpdate(PlayerChanges):
    """The figures to change; the rest keep their value."""


class TransferCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    player: Name
    from_club: Name
    to_club: Name


class ClubPublic(BaseModel):
    """A club's line in the table, its squad, and its best player per outfield position."""

    season: SeasonId
    standing: TableRow
    players: list[Player]
    best_players: list[ScoredPlayer]


class ErrorPublic(BaseModel):
    error: ErrorBody


class Health(BaseModel):
    status: str


class Readiness(Health):
    """Ready, or not ready and what is down, by dependency (the frontend has one: pubsub)."""

    down: dict[str, str] | None = None


ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    status: {"model": ErrorPublic, "description": meaning}
    for status, meaning in (
        (404, "No such season, club or player"),
        (422, "The request is not valid"),
        (503, "The bus cannot be reached"),
        (504, "No reply came within the deadline"),
    )
}
WRITE_RESPONSES: dict[int | str, dict[str, object]] = {
    **ERROR_RESPONSES,
    409: {"model": ErrorPublic, "description": "Refused by the league's rules"},
}
