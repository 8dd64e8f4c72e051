"""Mixed writes as an HTTP client sends them: each with an Idempotency-Key, sent again with that
key until a definite answer comes (not a 5xx, not a broken connection), as the README advises.

Every op names a player no other op of its kind names, so each effect can be told apart: a
success is one domain event of its own, and a refusal is none.
"""

import asyncio
import random
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

import httpx

from events.domain_events import PlayerCreated, PlayerDeleted, PlayerTransferred
from events.values import Player, TableRow

SUCCESS = {"create": 201, "delete": 204, "transfer": 200}
EFFECT_OF_EVENT = {
    PlayerCreated.event_type: ("create", lambda data: data["player"]["name"]),
    PlayerDeleted.event_type: ("delete", lambda data: data["name"]),
    PlayerTransferred.event_type: ("transfer", lambda data: data["player"]),
}


@dataclass(frozen=True)
class Op:
    kind: str  # create, delete or transfer
    player: str
    club: str  # where the player is (or, for a create, goes)
    to_club: str | None = None
    price: int = 0

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.player}"

    def request(self) -> tuple[str, str, dict[str, Any] | None]:
        if self.kind == "create":
            return "POST", "/api/v1/players", new_player(self.player, self.club, self.price)
        if self.kind == "delete":
            return "DELETE", f"/api/v1/players/{self.club}/{self.player}", None
        body = {"player": self.player, "from_club": self.club, "to_club": self.to_club}
        return "POST", "/api/v1/transfers", body


@dataclass
class Outcome:
    op: Op
    status: int = 0  # 0: no definite answer came
    body: Any = None
    attempts: int = 0

    @property
    def succeeded(self) -> bool:
        return self.status == SUCCESS[self.op.kind]


def new_player(name: str, club: str, price: int) -> dict[str, Any]:
    return Player(
        name=name, club=club, nationality="England", position="Midfielder", appearances=10,
        goals=1, assists=2, passes=300, interceptions=5, tackles=8, fouls=2, price=price,
    ).model_dump()  # fmt: skip


def league(rng: random.Random, clubs: int, squad: int) -> tuple[list[TableRow], list[Player]]:
    names = [f"Club {n:02d}" for n in range(clubs)]
    table = [
        TableRow(club=name, played=38, won=10, drawn=8, lost=20, goals_for=40,
                 goals_against=50, goal_difference=-10, points=38, capital=100_000)
        for name in names
    ]  # fmt: skip
    players = [
        Player.model_validate(new_player(f"Seeded {c:02d}-{n:02d}", name, rng.randint(1, 100)))
        for c, name in enumerate(names)
        for n in range(squad)
    ]
    return table, players


def mixed_ops(
    rng: random.Random, clubs: list[TableRow], seeded: list[Player], creates: int, transfers: int,
    deletes: int,
) -> list[Op]:  # fmt: skip
    """Transfers and deletes of distinct seeded players; half the deletes remove created ones
    (refused with a 404 when they run before the create)."""
    names = [row.club for row in clubs]
    movers = rng.sample(seeded, transfers + deletes // 2)
    created = [
        Op("create", f"Created {n:04d}", rng.choice(names), price=rng.randint(1, 100))
        for n in range(creates)
    ]
    ops = [*created]
    for mover in movers[:transfers]:
        buyer = rng.choice([name for name in names if name != mover.club])
        ops.append(Op("transfer", mover.name, mover.club, buyer, mover.price))
    ops += [Op("delete", p.name, p.club) for p in movers[transfers:]]
    ops += [Op("delete", c.player, c.club) for c in rng.sample(created, deletes - deletes // 2)]
    rng.shuffle(ops)
    return ops


class Progress:
    """How many ops have their definite answer; a waiter can await a count."""

    def __init__(self) -> None:
        self.done = 0
        self._changed = asyncio.Condition()

    async def one_more(self) -> None:
        async with self._changed:
            self.done += 1
            self._changed.notify_all()

    async def reached(self, count: int) -> None:
        async with self._changed:
            await self._changed.wait_for(lambda: self.done >= count)


async def send_all(
    http: httpx.AsyncClient, ops: list[Op], concurrency: int, progress: Progress,
    give_up_after: float = 300.0,
) -> list[Outcome]:  # fmt: skip
    slots = asyncio.Semaphore(concurrency)

    async def send(op: Outcome) -> Outcome:
        async with slots:
            await _until_definite(http, op, time.monotonic() + give_up_after)
        await progress.one_more()
        return op

    return await asyncio.gather(*(send(Outcome(op)) for op in ops))


async def _until_definite(http: httpx.AsyncClient, outcome: Outcome, give_up: float) -> None:
    method, path, body = outcome.op.request()
    headers = {"Idempotency-Key": outcome.op.key}
    while time.monotonic() < give_up:
        outcome.attempts += 1
        try:
            response = await http.request(method, path, json=body, headers=headers)
        except httpx.TransportError:
            continue
        if response.status_code < 500:
            outcome.status = response.status_code
            outcome.body = response.json() if response.content else None
            return
        # A 503 or 504: the command may have been applied or not; the same key finds out.
        await asyncio.sleep(0.2)


def effects_of_successes(outcomes: list[Outcome]) -> Counter[tuple[str, str]]:
    return Counter((o.op.kind, o.op.player) for o in outcomes if o.succeeded)


def effects_of_events(events: list[tuple[str, dict[str, Any]]]) -> Counter[tuple[str, str]]:
    """(kind, player) of each domain event, from (type, data) pairs."""
    effects: Counter[tuple[str, str]] = Counter()
    for event_type, data in events:
        kind, player = EFFECT_OF_EVENT[event_type]
        effects[(kind, player(data))] += 1
    return effects


def expected_capitals(clubs: list[TableRow], outcomes: list[Outcome]) -> dict[str, int]:
    capitals = {row.club: row.capital for row in clubs}
    for outcome in outcomes:
        if outcome.op.kind == "transfer" and outcome.succeeded:
            price = outcome.body["price"]
            capitals[outcome.body["from_club"]] += price
            capitals[outcome.body["to_club"]] -= price
    return capitals


def expected_squads(seeded: list[Player], outcomes: list[Outcome]) -> Counter[str]:
    squads = Counter(player.club for player in seeded)
    for outcome in (o for o in outcomes if o.succeeded):
        op = outcome.op
        if op.kind == "create":
            squads[op.club] += 1
        elif op.kind == "delete":
            squads[op.club] -= 1
        else:
            squads[op.club] -= 1
            squads[str(op.to_club)] += 1
    return squads
