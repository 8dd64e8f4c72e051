"""The stats worker's read model on the emulators: it hears other writers' changes through the
domain events, and a frontend reads its own writes even before any event arrives."""

import asyncio
import time

import pytest

from events.commands import PLAYEROPS, STATS, CreatePlayer, GetTopPlayers
from events.values import PlayerResult, ScoredPlayerList
from services.frontend.bus import Bus
from services.frontend.recent_writes import RecentWrites
from services.playerops.bootstrap import playerops_handlers
from services.stats.bootstrap import stats_handlers
from services.stats.read_model import ReadModel
from tests.integration.workers.conftest import ask, in_process_worker, seed
from tests.support.bus import new_requester
from tests.unit.workers.fakes import club, player

pytestmark = pytest.mark.emulators
TOP_FORWARDS = GetTopPlayers(position="Forward", count=5)
SIGNING = CreatePlayer(player=player("Kane", "Chelsea", "Forward", goals=30))
EVENT_TIMEOUT_SECONDS = 20.0


@pytest.fixture
def seeded(firestore_client):
    seed(
        firestore_client,
        [club("Chelsea", capital=40), club("Liverpool", capital=200)],
        [player("Hazard", "Chelsea", "Forward", goals=16), player("Salah", "Liverpool", goals=22)],
    )


def writes_players(runtime):
    return playerops_handlers(runtime.reader(), runtime.unit_of_work())


def forwards(topology, publisher, subscriber) -> list[str]:
    (reply,) = ask(topology, subscriber, [TOP_FORWARDS])
    return [p["name"] for p in reply.result["players"]]


def test_a_change_by_another_writer_reaches_the_read_model_through_its_event(
    seeded, start_worker, settings, topology, firestore_client, publisher, subscriber
):
    start_worker("stats")  # the real process: read model and event feed
    assert forwards(topology, publisher, subscriber) == ["Salah", "Hazard"]
    with in_process_worker(
        PLAYEROPS, settings, firestore_client, publisher, subscriber, writes_players
    ):
        (created,) = ask(topology, subscriber, [SIGNING])
    assert created.ok, created.error
    written = time.monotonic()

    while (seen := forwards(topology, publisher, subscriber))[0] != "Kane":
        assert time.monotonic() - written < EVENT_TIMEOUT_SECONDS, f"still {seen}"
    print(f"\nthe stats worker read the change {time.monotonic() - written:.3f} s after its reply")


def test_a_frontend_reads_its_own_write_though_no_event_has_arrived(
    seeded, settings, topology, firestore_client, publisher, subscriber
):
    """The stats worker here never hears an event (no feed): only `freshclubs` can show Kane."""

    async def scenario() -> tuple[list[str], list[str]]:
        writer, other = (new_requester(topology, subscriber, 30) for _ in range(2))
        await asyncio.gather(writer.start(), other.start())
        try:
            this_frontend = Bus(writer, RecentWrites(window=10))
            other_frontend = Bus(other, RecentWrites(window=10))
            await this_frontend.ask(TOP_FORWARDS, ScoredPlayerList)  # the model holds the season
            await this_frontend.ask(SIGNING, PlayerResult)
            theirs = await other_frontend.ask(TOP_FORWARDS, ScoredPlayerList)
            mine = await this_frontend.ask(TOP_FORWARDS, ScoredPlayerList)
            return [p.name for p in mine.players], [p.name for p in theirs.players]
        finally:
            await asyncio.gather(writer.stop(), other.stop())

    with (
        in_process_worker(
            STATS,
            settings,
            firestore_client,
            publisher,
            subscriber,
            lambda runtime: stats_handlers(ReadModel(runtime.reader())),
        ),  # fmt: skip
        in_process_worker(
            PLAYEROPS, settings, firestore_client, publisher, subscriber, writes_players
        ),
    ):
        mine, theirs = asyncio.run(scenario())

    assert mine == ["Kane", "Salah", "Hazard"]
    assert theirs == ["Salah", "Hazard"]  # no event heard yet: the lag read-your-writes covers
