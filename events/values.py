"""Value objects that commands, replies and domain events carry: players, table rows, results.

The limits stated here are the contract's: the workers validate with them, and the HTTP API's
OpenAPI document and the AsyncAPI document state them, so what a document allows is accepted.
"""

from typing import Annotated, Any, Literal, get_args

from annotated_types import Interval
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

Position = Literal["Goalkeeper", "Defender", "Midfielder", "Forward"]
POSITIONS: tuple[str, ...] = get_args(Position)
# The positions the original app scores (services/stats/scoring.py); a goalkeeper has no score.
ScoredPosition = Literal["Defender", "Midfielder", "Forward"]
SCORED_POSITIONS: tuple[str, ...] = get_args(ScoredPosition)

# Every whole number fits Firestore's 64-bit integers with room for one sum (a club's capital
# plus a price), and is exact in any JSON reader: I-JSON (RFC 7493) keeps to +-(2**53 - 1).
LARGEST_NUMBER = 2**53 - 1


class _JsonNumber:
    """JSON Schema's integer is a number without a fraction (5 or 5.0): never true, nor "5".

    Checked by pydantic's own validators, not a Python function: a 20-row table has 180 whole
    numbers, and with a function called for each it validated in 88 us from a dict and 99 from
    JSON, against 61 and 56 now (timeit). First the value must be a JSON number (strict int or
    float, so no boolean or string); then the bounded int, which takes 5.0 as 5 and refuses 5.5."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        a_number = core_schema.union_schema(
            [core_schema.int_schema(strict=True), core_schema.float_schema(strict=True)],
            custom_error_type="json_number",
            custom_error_message="Input should be a whole number, not a string or a boolean",
        )
        return core_schema.chain_schema([a_number, handler(source)])

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        # What the documents state is the bounded integer, the chain's last step.
        return handler(schema["steps"][-1])


# After the bounds, so that the bounded int is the chain's last step.
JSON_NUMBER = _JsonNumber()
Count = Annotated[int, Interval(ge=0, le=LARGEST_NUMBER), JSON_NUMBER]
SignedCount = Annotated[int, Interval(ge=-LARGEST_NUMBER, le=LARGEST_NUMBER), JSON_NUMBER]

# A name is what a person would type: no control characters, no white space at either end, and
# at least one ASCII letter or digit, which is what a name's document id is made of
# (firestore_layout.key folds accents away: a name of only "-" or "李" would have no id). The
# classes are spelled out because regex engines disagree on \s and \w, so the OpenAPI and
# AsyncAPI readers (and fuzzers) read the pattern as we do.
_CONTROL = r"\u0000-\u001f\u007f-\u009f"
_SPACE = r"\u0020\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_INNER, _EDGE = f"[^{_CONTROL}]", f"[^{_CONTROL}{_SPACE}]"
NAME_PATTERN = rf"^(?:{_EDGE}{_INNER}*)?[A-Za-z0-9](?:{_INNER}*{_EDGE})?$"
NAME_MAX_LENGTH = 100
NAME_RULE = (
    f"1 to {NAME_MAX_LENGTH} characters, at least one of them an ASCII letter or digit, no control "
    "character, and no white space at either end"
)


class _NameRule:
    """The pattern, checked by pydantic's own (Rust) regex after the length: a Python function
    took 0.28 us a name, this 0.05, and a club's page carries 121 names (timeit). Rust's `$`, unlike
    Python's, lets no final newline through. The refusal says the rule, not the pattern."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        matching = core_schema.custom_error_schema(
            core_schema.str_schema(pattern=NAME_PATTERN),
            custom_error_type="name_rule",
            custom_error_message=f"a name has {NAME_RULE}",
        )
        return core_schema.chain_schema([handler(source), matching])


Name = Annotated[
    str,
    StringConstraints(min_length=1, max_length=NAME_MAX_LENGTH),
    _NameRule(),
    WithJsonSchema(
        {
            "type": "string",
            "minLength": 1,
            "maxLength": NAME_MAX_LENGTH,
            "pattern": NAME_PATTERN,
            "description": f"A name: {NAME_RULE}.",
        }
    ),
]
SeasonId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")]


class Value(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PlayerStats(Value):
    """What a season says of a player besides who and where: the figures and the price."""

    appearances: Count = 0
    goals: Count = 0
    assists: Count = 0
    passes: Count = 0
    interceptions: Count = 0
    tackles: Count = 0
    fouls: Count = 0
    price: Count = 0


class Player(PlayerStats):
    name: Name
    club: Name
    nationality: Name
    position: Position


class PlayerChanges(Value):
    """A partial update of a player's figures: at least one change; fields left out (or null)
    keep their value."""

    appearances: Count | None = None
    goals: Count | None = None
    assists: Count | None = None
    passes: Count | None = None
    interceptions: Count | None = None
    tackles: Count | None = None
    fouls: Count | None = None
    price: Count | None = None
    nationality: Name | None = None

    @model_validator(mode="after")
    def _changes_something(self) -> "PlayerChanges":
        if not self.model_dump(exclude_none=True):
            raise ValueError(
                "the update changes nothing: give at least one figure, price or nationality"
            )
        return self


class ScoredPlayer(Player):
    score: float


class TableRow(Value):
    club: Name
    played: Count
    won: Count
    drawn: Count
    lost: Count
    goals_for: Count
    goals_against: Count
    goal_difference: SignedCount
    points: Count
    capital: Count


class LeagueTable(Value):
    season: SeasonId
    rows: list[TableRow]


class PlayerList(Value):
    season: SeasonId
    players: list[Player]
    total: Count


# How the stats worker ranks players (services/stats/scoring.py), for the API documents.
RANKING_RULE = (
    "Ranked by score, compared in exact tenths. Equal scores go to the player with more of the "
    "position's most heavily weighted figure (goals for a Forward, passes for a Midfielder, "
    "interceptions for a Defender, whose two figures weigh the same), then by name. The top "
    "players of a position come best first; a club's best players are the first of the "
    "Defenders, Midfielders and Forwards, in that order."
)


class ScoredPlayerList(Value):
    season: SeasonId
    players: list[ScoredPlayer] = Field(description=RANKING_RULE)


class SeasonList(Value):
    seasons: list[SeasonId]
    current: SeasonId | None


class ClubView(Value):
    """One club in a season, with what a view of it links to, in one read: its line in the table,
    its squad by name, its best player per outfield position, the season's clubs in table order,
    and the seasons there are."""

    season: SeasonId
    standing: TableRow
    players: list[Player]
    best_players: list[ScoredPlayer] = Field(description=RANKING_RULE)
    clubs: list[Name]
    seasons: SeasonList


class PlayerResult(Value):
    season: SeasonId
    player: Player


class PlayerDeletion(Value):
    season: SeasonId
    club: Name
    name: Name


class TransferResult(Value):
    season: SeasonId
    player: Player
    price: Count
    from_club: Name
    from_club_capital: Count
    to_club: Name
    to_club_capital: Count


class Pong(Value):
    service: str
    instance: str
