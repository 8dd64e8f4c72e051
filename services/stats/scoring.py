"""Player scores by position: the formulas of the original League App, and how ties are broken."""

import heapq
from collections.abc import Iterable

from events.replies import Invalid
from events.values import SCORED_POSITIONS, Player, ScoredPlayer

# Weights in tenths, so that scores are exact to one decimal and equal scores compare equal.
# Each formula names its heaviest figure first: on equal scores that figure decides (below).
WEIGHTS_IN_TENTHS: dict[str, dict[str, int]] = {
    "Defender": {"interceptions": 5, "tackles": 5},
    "Midfielder": {"passes": 7, "assists": 3},
    "Forward": {"goals": 7, "assists": 3},
}
# Looked up once: a top-players read ranks every player of a position across the league (about a
# hundred forwards) to keep three, and looking the formula and the deciding figure up again for
# each player was about half of what ranking him cost.
_FORMULAS = {position: tuple(weights.items()) for position, weights in WEIGHTS_IN_TENTHS.items()}


def scored_position(position: str) -> str:
    """`position` if it has a score formula; otherwise an Invalid refusal naming those that do."""
    if position not in WEIGHTS_IN_TENTHS:
        raise Invalid(
            f"there is no score for position {position!r}; "
            f"positions with a score: {', '.join(SCORED_POSITIONS)}"
        )
    return position


def score_in_tenths(player: Player) -> int:
    formula = _FORMULAS[scored_position(player.position)]
    return sum(getattr(player, figure) * weight for figure, weight in formula)


def score(player: Player) -> float:
    return score_in_tenths(player) / 10


def deciding_figure(position: str) -> str:
    """The figure that breaks a tie: the heaviest of the formula. A defender's two weigh the
    same; interceptions, named first, decide (`max` keeps the first of equals)."""
    weights = WEIGHTS_IN_TENTHS[scored_position(position)]
    return max(weights, key=weights.__getitem__)


_DECIDERS = {position: deciding_figure(position) for position in WEIGHTS_IN_TENTHS}


def best(players: Iterable[Player], count: int) -> list[ScoredPlayer]:
    """The best `count`, best first. Scores are compared in whole tenths, never as floats, so a
    forward's 22 goals and 1 assist tie with 16 goals and 15 assists (15.7); the deciding figure
    then puts the 22 goals first, as the original's published answers do. Last comes the name, so
    the same data always gives the same answer. Only those kept become scored players: making one
    (a validated model) costs 17 us, and a position has a hundred players across the league where
    a read wants three."""
    return [scored(player) for player in heapq.nsmallest(count, players, key=rank)]


def scored(player: Player) -> ScoredPlayer:
    return ScoredPlayer(**player.model_dump(), score=score(player))


def rank(player: Player) -> tuple[int, int, str, str]:
    """The order of `best`, as a sort key: the best player's is the lowest."""
    decider = getattr(player, _DECIDERS[player.position])
    return (-score_in_tenths(player), -decider, player.name.casefold(), player.name)
