"""The original League App's JSON shapes, kept as they were for its existing clients.

Request bodies are read with their keys lower-cased (the original's decoder matched keys
case-insensitively), so the request models name their fields in lower case.
"""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from events.values import (
    RANKING_RULE,
    Count,
    Name,
    Player,
    Position,
    ScoredPosition,
    SignedCount,
)


class LegacyPlayer(BaseModel):
    """A player as the original spelled it: `team` for the club, and "appearences"."""

    model_config = ConfigDict(extra="ignore")

    name: Name
    team: Name
    nationality: Name
    position: Position
    appearences: Count = 0
    goals: Count = 0
    assists: Count = 0
    passes: Count = 0
    interceptions: Count = 0
    tackles: Count = 0
    fouls: Count = 0
    price: Count = 0

    @classmethod
    def of(cls, player: Player) -> "LegacyPlayer":
        figures = player.model_dump(include=set(_SAME_NAMES))
        return cls(team=player.club, appearences=player.appearances, **figures)

    def to_player(self) -> Player:
        figures = self.model_dump(include=set(_SAME_NAMES))
        return Player(club=self.team, appearances=self.appearences, **figures)


_SAME_NAMES = (
    "name", "nationality", "position", "goals", "assists", "passes",
    "interceptions", "tackles", "fouls", "price",
)  # fmt: skip


# The table is validated straight from the stats worker's `LeagueTable` result: each row's
# fields under their contract names and rules in, the original's names out. One validation where
# a `LeagueTable` and then each row's `LegacyTeam` took two: 73 us a 20-row table, now 24 (timeit).
class LegacyTeam(BaseModel):
    """A club's row of the league table, as the original spelled it."""

    model_config = ConfigDict(serialize_by_alias=True, extra="forbid", frozen=True)

    team_name: Name = Field(validation_alias="club", serialization_alias="teamName")
    team_played: Count = Field(validation_alias="played", serialization_alias="teamPlayed")
    team_won: Count = Field(validation_alias="won", serialization_alias="teamWon")
    team_drawn: Count = Field(validation_alias="drawn", serialization_alias="teamDrawn")
    team_lost: Count = Field(validation_alias="lost", serialization_alias="teamLost")
    team_gf: Count = Field(validation_alias="goals_for", serialization_alias="teamGF")
    team_ga: Count = Field(validation_alias="goals_against", serialization_alias="teamGA")
    team_gd: SignedCount = Field(validation_alias="goal_difference", serialization_alias="teamGD")
    team_points: Count = Field(validation_alias="points", serialization_alias="teamPoints")
    team_capital: Count = Field(validation_alias="capital", serialization_alias="teamCapital")


class LegacyTable(BaseModel):
    model_config = ConfigDict(frozen=True)  # a result, shared by the reads of one reply

    teams: list[LegacyTeam] = Field(validation_alias="rows")
    err: None = None


class LegacyPlayers(BaseModel):
    model_config = ConfigDict(serialize_by_alias=True)

    players: list[LegacyPlayer] = Field(alias="Players", description=RANKING_RULE)
    err: None = Field(default=None, alias="Err")


class LegacyOps(BaseModel):
    model_config = ConfigDict(serialize_by_alias=True)

    ops: str = Field(alias="Ops")
    err: None = Field(default=None, alias="Err")


class LegacyErrorPublic(BaseModel):
    error: str


def _legacy_errors(*meanings: tuple[int, str]) -> dict[int | str, dict[str, Any]]:
    return {
        status: {"model": LegacyErrorPublic, "description": meaning} for status, meaning in meanings
    }


# Every status an original route can answer besides its 200: the routes over the bus, those that
# write, those that read a body.
LEGACY_ERROR_RESPONSES = _legacy_errors(
    (404, "No such season, club or player"),
    (422, "The request is not valid: the message names each bad field"),
    (500, "A worker failed while handling the command"),
    (503, "The bus cannot be reached"),
    (504, "No reply came within the deadline"),
)
LEGACY_WRITE_RESPONSES = _legacy_errors(
    (401, "No bearer token, or one that is not valid (`WWW-Authenticate: Bearer`)"),
    (403, "The token is valid but may not change the league"),
    (429, "Too many changes by this writer: `Retry-After` says when to try again"),
    (409, "Refused by the league's rules"),
)
LEGACY_BODY_RESPONSES = _legacy_errors(
    (400, "The body is not a JSON object"), (413, "The body is larger than 65,536 bytes")
)


# --- request bodies, keys lower-cased

_FODEN: dict[str, JsonValue] = {
    "name": "Phil Foden", "team": "Manchester City", "nationality": "England",
    "position": "Midfielder", "appearences": 13, "goals": 1, "price": 25,
}  # fmt: skip
_HAZARD_TO_LIVERPOOL = {"playername": "Eden Hazard", "teamfrom": "Chelsea", "teamto": "Liverpool"}


class TableQuery(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"league": "2018-19"}]})

    league: str | None = Field(
        default=None,
        description="A loaded season's id; `League` (the original's one table), empty or left "
        "out: the current season; anything else is a 404 naming the loaded seasons.",
    )

    def season(self) -> str | None:
        """The season asked for; None (the current one) for `League` in any case, an empty
        value or none. The original's README sends `{"league": "League"}`: there, `League` was
        the Firestore collection holding its one table, not a season."""
        named = (self.league or "").strip()
        return None if named.casefold() in ("", "league") else named


class PositionQuery(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"position": "Forward"}]})

    position: ScoredPosition


class NewPlayerBody(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"newplayer": _FODEN}]})

    newplayer: LegacyPlayer


class TransferBody(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"playername": "Eden Hazard", "teamfrom": "Chelsea", "teamto": "Liverpool"}
            ]
        }
    )

    playername: Name
    teamfrom: Name
    teamto: Name
