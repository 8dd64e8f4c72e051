"""Worker processes as the stack runs them: health, SIGTERM, SIGKILL between commit and publish."""

import asyncio
import signal
import sys

import httpx
import pytest

from events.commands import CreatePlayer, TransferPlayer
from events.replies import DeadlineExceeded
from ingest.layout import OUTBOX, PROCESSED_COMMANDS, player_path
from services.devstack import components
from tests.integration.workers.conftest import SEASON, ask, events_subscription, seed
from tests.support.bus import new_requester, pull_all
from tests.support.processes import running
from tests.unit.workers.fakes import club, player

pytestmark = pytest.mark.emulators


@pytest.fixture
def start_worker(emulators, settings, topology, tmp_path):
    """Starts `python -m services.<service>` with the environment the stack would give it."""
    started = []

    def start(service: str, **extra: str):
        address = components.free_port()
        environment = {
            **emulators.environment(),
            "LEAGUE_TOPIC_PREFIX": settings.topic_prefix,
            "LEAGUE_HTTP_ADDRESS": str(address),
            **extra,
        }
        log = tmp_path / f"{service}-{len(started)}.log"
        process = running([sys.executable, "-m", f"services.{service}"], log, environment)
        started.append(process)
        popen = process.__enter__()
        components.wait_until_answering(f"{address.url}/healthz", timeout=30)
        return popen, address

    yield start
    for process in reversed(started):
        process.__exit__(None, None, None)


def test_a_worker_serves_health_readiness_and_metrics(start_worker):
    _, address = start_worker("stats")
    assert httpx.get(f"{address.url}/healthz").status_code == 200
    assert httpx.get(f"{address.url}/readyz").status_code == 200
    metrics = httpx.get(f"{address.url}/metrics")
    assert metrics.status_code == 200 and "league_command_seconds" in metrics.text


def test_a_worker_killed_between_commit_and_publish_publishes_the_event_once_after_restart(
    start_worker, topology, firestore_client, publisher, subscriber
):
    seed(
        firestore_client,
        [club("Chelsea", capital=40), club("Liverpool", capital=200)],
        [player("Hazard", "Chelsea", price=120)],
    )
    command = TransferPlayer(player="Hazard", from_club="Chelsea", to_club="Liverpool")
    with events_subscription(topology, subscriber) as events:
        doomed, _ = start_worker("transfer", LEAGUE_FAULT_AFTER_COMMIT="true")
        with pytest.raises(DeadlineExceeded):
            ask(topology, publisher, subscriber, [command], command_id="kill-me", timeout=5)
        assert doomed.wait(timeout=10) == -signal.SIGKILL
        [outbox] = list(firestore_client.collection(OUTBOX).stream())
        assert outbox.get("published") is False
        assert firestore_client.document(f"{PROCESSED_COMMANDS}/kill-me").get().exists
        assert pull_all(subscriber, events, expected=1, timeout=2) == []

        start_worker("transfer")
        published = pull_all(subscriber, events, expected=1, timeout=15)
        # The emulator may still hand messages to the killed worker's stream: they come back
        # once their ack deadline (30 s) has passed, as on Pub/Sub.
        [again] = ask(topology, publisher, subscriber, [command], command_id="kill-me", timeout=75)
        duplicates = pull_all(subscriber, events, expected=1, timeout=3)

    assert [m.attributes["ce-id"] for m in published] == [outbox.id]
    assert duplicates == []
    assert again.ok and again.result["to_club_capital"] == 80
    assert firestore_client.document(f"{OUTBOX}/{outbox.id}").get().get("published") is True
    assert firestore_client.document(player_path(SEASON, "Liverpool", "Hazard")).get().exists


def test_sigterm_finishes_the_commands_in_flight_and_exits_zero(
    start_worker, topology, firestore_client, publisher, subscriber
):
    seed(firestore_client, [club("Chelsea")], [])
    commands = [CreatePlayer(player=player(f"Player {n}", "Chelsea")) for n in range(30)]
    worker, _ = start_worker("playerops")

    async def scenario():
        requester = new_requester(topology, publisher, subscriber, timeout=60)
        await requester.start()
        try:
            asks = [asyncio.create_task(requester.request(c)) for c in commands]
            await asyncio.wait(asks, return_when=asyncio.FIRST_COMPLETED)
            worker.send_signal(signal.SIGTERM)
            exit_code = await asyncio.to_thread(worker.wait, 30)
            # What the stopped worker left unanswered, a new one answers: nothing is lost.
            await asyncio.to_thread(start_worker, "playerops")
            return exit_code, await asyncio.gather(*asks)
        finally:
            await requester.stop()

    exit_code, replies = asyncio.run(scenario())

    assert exit_code == 0
    assert [reply.status for reply in replies] == [200] * 30
    assert len(list(firestore_client.collection(PROCESSED_COMMANDS).stream())) == 30
