"""The Pub/Sub emulator stopped, or hung, under the running stack: answers within the deadline,
readiness that names Pub/Sub, and requests that succeed again within seconds of its return."""

import time
import uuid

import pytest

from events.topology import ensure_topology
from tests.integration.outages.conftest import DEADLINE_SECONDS, HOW, RECOVERY_SECONDS
from tests.integration.outages.scenarios import (
    during_the_outage,
    outcome_of_the_outage_create,
    report,
    until_requests_succeed,
)

pytestmark = [pytest.mark.emulators, pytest.mark.slow]


@HOW
def test_with_pubsub_away_requests_fail_in_time_and_succeed_again_once_it_is_back(
    how, league, outages, publisher, subscriber
):
    player = f"Outage Player {uuid.uuid4().hex[:6]}"
    with outages.pubsub.away(how):
        outage = during_the_outage(league, player)
    back = time.monotonic()
    # A restarted emulator has nothing: the topics and subscriptions are made again.
    ensure_topology(league.topology, publisher, subscriber)
    provisioned = time.monotonic()
    recovery = until_requests_succeed(league, f"After {player}")
    outcome = outcome_of_the_outage_create(league, player)
    report(f"Pub/Sub {how}", outage, recovery, outcome, provisioned - back)

    assert outage.slowest < DEADLINE_SECONDS + 1
    assert set(outage.statuses) <= {503, 504}
    assert all("pubsub" in down for down in outage.down.values())
    assert set(outage.down) == {"frontend", "stats", "playerops", "transfer"}
    assert recovery.seconds <= RECOVERY_SECONDS
    assert outcome.applied_once_or_not_at_all
    assert league.alive()
