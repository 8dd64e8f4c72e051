"""A requester that answers from in-process handlers, and a small league to answer with."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jwt
import pydantic_core
from pydantic import BaseModel

from events.messages import Command
from events.replies import CommandError, DeadlineExceeded, Reply, Unavailable, ok_reply
from events.requester import Requester, read_reply
from events.values import LeagueTable, Player, ScoredPlayer, TableRow

Handler = Callable[[Any], BaseModel]


class KnownKeys(jwt.PyJWKClient):
    """The issuer's JWKS as if fetched from its URL: the one network call a unit test leaves out."""

    def __init__(self, jwks: dict[str, Any]) -> None:
        super().__init__("http://issuer.invalid/jwks.json")
        self.jwks = jwks

    def fetch_data(self) -> Any:
        return self.jwks


@dataclass(frozen=True)
class Sent:
    command: Command
    command_id: str | None
    extensions: dict[str, str] | None = None


class FakeRequester(Requester):
    """Answers like workers would: a handler's result, its refusal, or no reply at all."""

    def __init__(self, handlers: dict[type[Command], Handler] | None = None) -> None:
        self.handlers = dict(handlers or {})
        self.sent: list[Sent] = []
        self.started = self.stopped = False

    @property
    def ready(self) -> bool:
        return self.started and not self.stopped

    async def start(self) -> None:
        self.started = True

    async def check(self) -> str | None:
        return None if self.ready else "not subscribed to replies yet"

    async def stop(self) -> None:
        self.stopped = True

    async def request(
        self,
        command: Command,
        *,
        service: str | None = None,
        timeout: float | None = None,
        command_id: str | None = None,
        extensions: dict[str, str] | None = None,
    ) -> Reply:
        self.sent.append(Sent(command, command_id, extensions))
        handler = self.handlers.get(type(command))
        if handler is None:
            raise DeadlineExceeded(f"no reply to {type(command).__name__} within 5 s")
        try:
            reply = ok_reply(handler(command))
        except (DeadlineExceeded, Unavailable):
            raise
        except CommandError as refusal:
            reply = refusal.to_reply()
        # As its bytes come back from a worker: the same bytes are the same Reply.
        return read_reply(pydantic_core.to_json(reply))

    def last(self) -> Sent:
        return self.sent[-1]


SEASON = "2018-19"
TABLE = LeagueTable(
    season=SEASON,
    rows=[
        TableRow(
            club="Manchester City", played=38, won=32, drawn=2, lost=4, goals_for=95,
            goals_against=23, goal_difference=72, points=98, capital=300,
        ),
        TableRow(
            club="Liverpool", played=38, won=30, drawn=7, lost=1, goals_for=89,
            goals_against=22, goal_difference=67, points=97, capital=250,
        ),
    ],
)  # fmt: skip
SALAH = Player(
    name="Mohamed Salah", club="Liverpool", nationality="Egypt", position="Forward",
    appearances=38, goals=22, assists=8, passes=1000, interceptions=5, tackles=20,
    fouls=10, price=150,
)  # fmt: skip
VAN_DIJK = Player(
    name="Virgil van Dijk", club="Liverpool", nationality="Netherlands", position="Defender",
    appearances=38, goals=4, assists=2, passes=2800, interceptions=60, tackles=50, fouls=8,
    price=75,
)  # fmt: skip


def scored(player: Player, score: float = 10.0) -> ScoredPlayer:
    return ScoredPlayer(**player.model_dump(), score=score)
