"""A worker killed between commit and publish: the outbox publishes the event after restart."""

import signal

import pytest

from events.commands import TransferPlayer
from events.replies import DeadlineExceeded
from firestore_layout import OUTBOX, PROCESSED_COMMANDS, player_path
from tests.integration.workers.conftest import SEASON, ask, events_subscription, seed
from tests.support.bus import pull_all
from tests.unit.workers.fakes import club, player

pytestmark = pytest.mark.emulators


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
        # once their ack deadline (30 s) has passed, as on Pub/Sub; maybe more than once.
        [again] = ask(topology, publisher, subscriber, [command], command_id="kill-me", timeout=150)
        duplicates = pull_all(subscriber, events, expected=1, timeout=3)

    assert [m.attributes["ce-id"] for m in published] == [outbox.id]
    assert duplicates == []
    assert again.ok and again.result["to_club_capital"] == 80
    assert firestore_client.document(f"{OUTBOX}/{outbox.id}").get().get("published") is True
    assert firestore_client.document(player_path(SEASON, "Liverpool", "Hazard")).get().exists
