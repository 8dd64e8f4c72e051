"""What each outage test does through the frontend while a component is away and after it is
back, and the figures it prints."""

import time
from dataclasses import dataclass

import httpx

from tests.integration.outages.conftest import DEADLINE_SECONDS, Stack

SELLER, BUYER = "Chelsea", "Liverpool"


@dataclass(frozen=True)
class Outage:
    statuses: list[int]
    seconds: list[float]
    down: dict[str, dict[str, str]]  # what each process's /readyz said was down

    @property
    def slowest(self) -> float:
        return max(self.seconds)


@dataclass(frozen=True)
class Recovery:
    seconds: float  # until a read, a create and a transfer had all succeeded
    ready_seconds: float  # until every process said it was ready again


@dataclass(frozen=True)
class Outcome:
    """What became of the create sent during the outage, asked again with its Idempotency-Key."""

    status: int
    players_named: int

    @property
    def applied_once_or_not_at_all(self) -> bool:
        # 201: it was applied (then or now), once. Anything else is the refusal it got when it
        # ran (a 404 if Firestore came back empty), and then it created no one.
        if self.status == 201:
            return self.players_named == 1
        return self.status < 500 and self.players_named == 0


def new_player(name: str) -> dict:
    return {
        "name": name, "club": SELLER, "nationality": "England", "position": "Forward",
        "goals": 3, "price": 10,
    }  # fmt: skip


def during_the_outage(stack: Stack, player: str) -> Outage:
    """A read and a write through the frontend, their statuses and times; then what each
    process's /readyz says is down."""
    statuses, seconds = [], []
    for method, path, body in (
        ("GET", "/api/v1/clubs", None),
        ("POST", "/api/v1/players", new_player(player)),
        ("GET", f"/api/v1/clubs/{SELLER}", None),
    ):
        headers = {"Idempotency-Key": f"create-{player}"} if body else {}
        started = time.monotonic()
        answer = stack.http.request(method, f"{stack.frontend}{path}", json=body, headers=headers)
        seconds.append(time.monotonic() - started)
        statuses.append(answer.status_code)
    down = {
        name: answer.json().get("down", {})
        for name, answer in stack.ready().items()
        if answer.status_code == 503
    }
    return Outage(statuses, seconds, down)


def until_requests_succeed(stack: Stack, player: str, give_up_after: float = 60) -> Recovery:
    """Repeats a read, then a create, then a transfer of the new player, each until it succeeds
    (the writes with an Idempotency-Key); the time all three took."""
    started = time.monotonic()
    steps = (
        ("GET", "/api/v1/clubs", None, None),
        ("POST", "/api/v1/players", new_player(player), f"create-{player}"),
        (
            "POST",
            "/api/v1/transfers",
            {"player": player, "from_club": SELLER, "to_club": BUYER},
            f"transfer-{player}",
        ),
    )
    for method, path, body, key in steps:
        headers = {"Idempotency-Key": key} if key else {}
        while not _succeeds(stack, method, path, body, headers):
            assert time.monotonic() - started < give_up_after, f"{method} {path} never succeeded"
            time.sleep(0.2)
    seconds = time.monotonic() - started
    while not all(answer.status_code == 200 for answer in stack.ready().values()):
        assert time.monotonic() - started < give_up_after, "not ready again"
        time.sleep(0.2)
    return Recovery(seconds, time.monotonic() - started)


def outcome_of_the_outage_create(stack: Stack, player: str) -> Outcome:
    answer = stack.http.post(
        f"{stack.frontend}/api/v1/players",
        json=new_player(player),
        headers={"Idempotency-Key": f"create-{player}"},
    )
    squad = stack.http.get(f"{stack.frontend}/api/v1/players", params={"club": SELLER}).json()
    return Outcome(answer.status_code, sum(p["name"] == player for p in squad["players"]))


def _succeeds(stack: Stack, method: str, path: str, body, headers) -> bool:
    try:
        answer = stack.http.request(method, f"{stack.frontend}{path}", json=body, headers=headers)
    except httpx.TransportError:
        return False
    return answer.is_success


def report(
    scenario: str, outage: Outage, recovery: Recovery, outcome: Outcome, provisioning: float
) -> None:
    print(
        f"\n{scenario}: statuses {outage.statuses} in "
        f"{', '.join(f'{s:.2f}' for s in outage.seconds)} s (deadline {DEADLINE_SECONDS:g} s); "
        f"/readyz said down: {outage.down}"
    )
    print(
        f"  back: set up again in {provisioning:.2f} s; a read, a create and a transfer succeeded "
        f"{recovery.seconds:.2f} s later; every process ready after {recovery.ready_seconds:.2f} s"
    )
    print(
        f"  the create sent during the outage, sent again with its key: {outcome.status}, "
        f"{outcome.players_named} player(s) of its name"
    )
