"""Player scores by position: the formulas of the original League App."""

from collections.abc import Iterable

from events.replies import Invalid
from events.values import SCORED_POSITIONS, Player, ScoredPlayer

# Weights in tenths, so that scores are exact to one decimal and equal scores compare equal.
WEIGHTS_IN_TENTHS: dict[str, dict[str, int]] = {
    "Defender": {"interceptions": 5, "tackles": 5},
    "Midfielder": {"passes": 7, "assists": 3},
    "Forward": {"goals": 7, "assists": 3},
}


def scored_position(position: str) -> str:
    """`position` if it has a score formula; otherwise an Invalid refusal naming those that do."""
    if position not in WEIGHTS_IN_TENTHS:
        raise Invalid(
            f"there is no score for position {position!r}; "
            f"positions with a score: {', '.join(SCORED_POSITIONS)}"
        )
    return position


def score(player: Player) -> float:
    weights = WEIGHTS_IN_TENTHS[scored_position(player.position)]
    return sum(getattr(player, figure) * weight for figure, weight in weights.items()) / 10


def ranked(players: Iterable[Player]) -> list[ScoredPlayer]:
    """Best first; equal scores in name order, so the same data always gives the same answer."""
    scored = [ScoredPlayer(**player.model_dump(), score=score(player)) for player in players]
    return sorted(scored, key=lambda p: (-p.score, p.name.casefold(), p.name))
