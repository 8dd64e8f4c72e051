"""A worker killed between commit and publish: the outbox publishes the event after restart."""

import signal
import time

import pytest

from events.replies import DeadlineExceeded
from firestore_layout import OUTBOX, player_path, processed_path
from tests.integration.workers.conftest import SEASON, ask, seed_hazard_sale
from tests.support.bus import REQUESTER_SOURCE, events_subscription, pull_all

pytestmark = pytest.mark.emulators

# The event is the dead worker's to publish for this long; then the next one's sweep claims it.
QUICK_OUTBOX = {"LEAGUE_OUTBOX_LEASE_SECONDS": "2", "LEAGUE_OUTBOX_SWEEP_SECONDS": "1"}


def test_a_worker_killed_between_commit_and_publish_publishes_the_event_once_after_restart(
    start_worker, topology, firestore_client, publisher, subscriber
):
    command = seed_hazard_sale(firestore_client)
    dying = "tests.integration.workers.killed_after_commit"
    with events_subscription(topology, subscriber) as events:
        doomed, _ = start_worker("transfer", module=dying, **QUICK_OUTBOX)
        with pytest.raises(DeadlineExceeded):
            ask(topology, subscriber, [command], command_id="kill-me", timeout=5)
        assert doomed.wait(timeout=10) == -signal.SIGKILL
        [outbox] = list(firestore_client.collection(OUTBOX).stream())
        assert outbox.get("published") is False
        assert firestore_client.document(processed_path(REQUESTER_SOURCE, "kill-me")).get().exists
        assert pull_all(subscriber, events, expected=1, timeout=2) == []

        start_worker("transfer", **QUICK_OUTBOX)
        published = pull_all(subscriber, events, expected=1, timeout=15)
        # The emulator may still hand messages to the killed worker's stream, for a minute or
        # more, and gives them back only after their ack deadline (30 s). A client resends after
        # its deadline, as a frontend's caller does with its Idempotency-Key.
        again = ask_until_answered(topology, publisher, subscriber, command, "kill-me")
        duplicates = pull_all(subscriber, events, expected=1, timeout=3)

    assert [m.attributes["ce-id"] for m in published] == [outbox.id]
    assert duplicates == []
    assert again.ok and again.result["to_club_capital"] == 80
    assert firestore_client.document(f"{OUTBOX}/{outbox.id}").get().get("published") is True
    assert firestore_client.document(player_path(SEASON, "Liverpool", "Hazard")).get().exists


def ask_until_answered(topology, publisher, subscriber, command, command_id, give_up_after=300):
    """Sends the command, and again with the same id after each 20 s without a reply."""
    started = time.monotonic()
    while True:
        try:
            [reply] = ask(topology, subscriber, [command], command_id=command_id, timeout=20)
            return reply
        except DeadlineExceeded:
            assert time.monotonic() - started < give_up_after, f"no reply in {give_up_after} s"
