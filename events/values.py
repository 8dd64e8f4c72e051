"""Value objects that commands, replies and domain events carry: players, table rows, results."""

from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Position = Literal["Goalkeeper", "Defender", "Midfielder", "Forward"]
POSITIONS: tuple[str, ...] = get_args(Position)
# The positions the original app scores (services/stats/scoring.py); a goalkeeper has no score.
SCORED_POSITIONS = ("Defender", "Midfielder", "Forward")
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
SeasonId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")]
Count = Annotated[int, Field(ge=0)]


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
    """A partial update of a player's figures; fields left out keep their value."""

    appearances: Count | None = None
    goals: Count | None = None
    assists: Count | None = None
    passes: Count | None = None
    interceptions: Count | None = None
    tackles: Count | None = None
    fouls: Count | None = None
    price: Count | None = None
    nationality: Name | None = None


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
    goal_difference: int
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
