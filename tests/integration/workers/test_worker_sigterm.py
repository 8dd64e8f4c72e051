"""SIGTERM: a worker finishes the commands in flight, exits 0, and nothing is lost."""

import asyncio
import signal

import pytest

from events.commands import CreatePlayer
from firestore_layout import PROCESSED_COMMANDS
from tests.integration.workers.conftest import seed
from tests.support.bus import new_requester
from tests.unit.workers.fakes import club, player

pytestmark = pytest.mark.emulators


def test_sigterm_finishes_the_commands_in_flight_and_exits_zero(
    start_worker, topology, firestore_client, publisher, subscriber
):
    seed(firestore_client, [club("Chelsea")], [])
    commands = [CreatePlayer(player=player(f"Player {n}", "Chelsea")) for n in range(30)]
    worker, _ = start_worker("playerops")

    async def scenario():
        requester = new_requester(topology, publisher, subscriber, timeout=150)
        await requester.start()
        try:
            asks = [asyncio.create_task(requester.request(c)) for c in commands]
            await asyncio.wait(asks, return_when=asyncio.FIRST_COMPLETED)
            worker.send_signal(signal.SIGTERM)
            exit_code = await asyncio.to_thread(worker.wait, 60)
            # What the stopped worker left unanswered, a new one answers: nothing is lost.
            await asyncio.to_thread(start_worker, "playerops")
            return exit_code, await asyncio.gather(*asks)
        finally:
            await requester.stop()

    exit_code, replies = asyncio.run(scenario())

    assert exit_code == 0
    assert [reply.status for reply in replies] == [200] * 30
    assert len(list(firestore_client.collection(PROCESSED_COMMANDS).stream())) == 30
