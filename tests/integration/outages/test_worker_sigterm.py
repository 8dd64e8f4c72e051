"""SIGTERM mid-load: each worker finishes the commands it has in flight, exits 0, and loses
nothing. A drain, not a drop: the replies to those commands come while no worker runs at all,
so no second worker can have finished them."""

import asyncio
import json
import signal
import time
from pathlib import Path

import pytest

from events.commands import (
    SERVICES,
    CreatePlayer,
    GetLeagueTable,
    ListPlayers,
    TransferPlayer,
)
from events.messages import Command
from events.settings import Settings
from firestore_layout import PROCESSED_COMMANDS
from tests.integration.workers.conftest import seed
from tests.support.bus import new_requester
from tests.support.processes import until_in_flight
from tests.unit.workers.fakes import club, player

pytestmark = [pytest.mark.emulators, pytest.mark.slow]
# As many commands as a worker takes at once (its flow control), so that none waits in its client
# at SIGTERM: the client gives those back, and the emulator hands them on only minutes later.
LOAD = Settings().worker_max_messages
PRICE = 5
# The stats worker answers from memory once it holds the season, 32 reads in a blink. A cold one
# reads the season first, every read waiting on that: a big season keeps them in flight a while.
BIG_SQUAD = 3000


def load(service: str) -> list[Command]:
    count = LOAD
    if service == "stats":
        return [GetLeagueTable() if n % 2 else ListPlayers(club="Chelsea") for n in range(count)]
    if service == "playerops":
        return [CreatePlayer(player=player(f"New {n}", "Chelsea")) for n in range(count)]
    return [
        TransferPlayer(player=f"Player {n}", from_club="Chelsea", to_club="Liverpool")
        for n in range(count)
    ]


@pytest.mark.parametrize("service", SERVICES)
def test_sigterm_mid_load_drains_the_commands_in_flight_and_loses_none(
    service, start_worker, topology, firestore_client, publisher, subscriber, tmp_path
):
    squad = [player(f"Player {n}", "Chelsea", price=PRICE) for n in range(LOAD)]
    clubs = [club("Chelsea", capital=100), club("Liverpool", capital=500)]
    if service == "stats":
        clubs.append(club("Arsenal"))
        squad += [player(f"Arsenal {n}", "Arsenal") for n in range(BIG_SQUAD)]
    seed(firestore_client, clubs, squad)
    commands = {f"sigterm-{service}-{n}": command for n, command in enumerate(load(service))}
    first, address = start_worker(service)
    first_log = tmp_path / f"{service}-0.log"  # where start_worker logs the first it starts

    async def scenario():
        requester = new_requester(topology, subscriber, timeout=150)
        await requester.start()
        try:
            asks = {
                command_id: asyncio.create_task(requester.request(command, command_id=command_id))
                for command_id, command in commands.items()
            }
            if service == "stats":
                await asyncio.to_thread(until_in_flight, address.url, LOAD)
            else:
                await asyncio.wait(asks.values(), return_when=asyncio.FIRST_COMPLETED)
            first.send_signal(signal.SIGTERM)
            signalled = time.monotonic()
            exit_code = await asyncio.to_thread(first.wait, 60)
            stopped_after = time.monotonic() - signalled
            in_flight = stopping(first_log)["in_flight"]
            assert in_flight, "SIGTERM came when no command was in flight: not mid-load"
            # No worker runs now: only the first one can have answered these.
            _, unanswered = await asyncio.wait([asks[i] for i in in_flight], timeout=15)
            assert not unanswered, "commands in flight at SIGTERM were left to another worker"
            answered_by_first = sum(ask.done() for ask in asks.values())
            await asyncio.to_thread(start_worker, service)
            replies = await asyncio.gather(*asks.values())
            return exit_code, stopped_after, in_flight, answered_by_first, replies
        finally:
            await requester.stop()

    exit_code, stopped_after, in_flight, by_first, replies = asyncio.run(scenario())
    print(
        f"\n{service}: SIGTERM with {len(in_flight)} of {len(commands)} commands in flight; "
        f"exited {exit_code} after {stopped_after:.2f} s; the first worker answered {by_first}, "
        f"the second {len(commands) - by_first}"
    )

    assert exit_code == 0
    assert "commands still in flight at the deadline" not in first_log.read_text()
    assert [reply.status for reply in replies] == [200] * len(commands)
    if service != "stats":
        applied = list(firestore_client.collection(PROCESSED_COMMANDS).stream())
        assert sorted(record.get("command_id") for record in applied) == sorted(commands)
    if service == "transfer":
        capitals = [reply.result["to_club_capital"] for reply in replies]
        assert min(capitals) == 500 - PRICE * len(commands)


def stopping(log: Path) -> dict:
    """The worker's "worker stopping" log line, which names the commands in flight."""
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    [line] = [line for line in lines if line["message"] == "worker stopping"]
    return line
