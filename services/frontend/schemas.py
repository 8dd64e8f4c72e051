"""The /api/v1 shapes that are not the bus's own values: request bodies, composites, errors."""

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, model_validator

from events.replies import ErrorBody
from events.values import Name, Player, PlayerChanges, ScoredPlayer, SeasonId, TableRow

PROBLEM_JSON = "application/problem+json"


class PlayerCreate(Player):
    """A new player: who, where, and the season's figures."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": "Phil Foden",
                    "club": "Manchester City",
                    "nationality": "England",
                    "position": "Midfielder",
                    "appearances": 13,
                    "goals": 1,
                    "price": 25,
                }
            ]
        }
    )


def _without_nulls(schema: dict[str, Any]) -> None:
    """A PATCH body's fields may be left out, never null; and at least one is given."""
    for name, field in schema["properties"].items():
        (given,) = [choice for choice in field.pop("anyOf") if choice != {"type": "null"}]
        field.pop("default", None)
        schema["properties"][name] = {**given, **field}
    schema["minProperties"] = 1
    schema["examples"] = [{"goals": 17, "price": 130}]


class PlayerUpdate(PlayerChanges):
    """The figures to change, at least one; the rest keep their value."""

    model_config = ConfigDict(json_schema_extra=_without_nulls)

    @model_validator(mode="before")
    @classmethod
    def _null_is_no_value(cls, given: Any) -> Any:
        # On the bus a null means "unchanged"; over HTTP a field is given a value or left out.
        if isinstance(given, dict) and None in given.values():
            nulls = ", ".join(sorted(str(key) for key, value in given.items() if value is None))
            raise ValueError(f"null is not a value ({nulls}): leave a field out to keep it")
        return given


class TransferCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"player": "Eden Hazard", "from_club": "Chelsea", "to_club": "Liverpool"}]
        },
    )

    player: Name
    from_club: Name
    to_club: Name


class ClubPublic(BaseModel):
    """A club's line in the table, its squad, and its best player per outfield position."""

    season: SeasonId
    standing: TableRow
    players: list[Player]
    best_players: list[ScoredPlayer]


class Problem(BaseModel):
    """An RFC 9457 problem (`application/problem+json`). Its type is `about:blank`: the status
    says what kind of problem it is, `title` is the status's phrase and `detail` says what went
    wrong. `error` repeats the code and message in the shape /api/v1 answered before."""

    type: Literal["about:blank"] = "about:blank"
    title: str
    status: int
    detail: str
    error: ErrorBody


class Health(BaseModel):
    status: str


class Readiness(Health):
    """Ready, or not ready and what is down, by dependency (the frontend has one: pubsub)."""

    down: dict[str, str] | None = None


def _problems(*meanings: tuple[int, str]) -> dict[int | str, dict[str, Any]]:
    return {status: {"model": Problem, "description": meaning} for status, meaning in meanings}


# Every status a route over the bus can answer besides its success.
ERROR_RESPONSES = _problems(
    (404, "No such season, club or player"),
    (422, "The request is not valid: the message names each bad field"),
    (500, "A worker failed while handling the command"),
    (503, "The bus cannot be reached"),
    (504, "No reply came within the deadline"),
)
WRITE_RESPONSES = {
    **ERROR_RESPONSES,
    **_problems((409, "Refused by the league's rules")),
}
BODY_RESPONSES = {
    **WRITE_RESPONSES,
    **_problems((400, "The body could not be read (not UTF-8, or nested too deeply)")),
}
