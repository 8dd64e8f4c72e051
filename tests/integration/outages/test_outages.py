"""Pub/Sub or Firestore stopped (its state lost) or hung under the running stack: answers within
the deadline, readiness that names what is down, no process restarted, and requests that succeed
again within seconds of its return."""

import time
import uuid

import pytest

from events.commands import SERVICES
from events.topology import ensure_topology
from tests.e2e.frontend.conftest import SEASON, SQUADS, TABLE
from tests.integration.outages.conftest import DEADLINE_SECONDS, HOW, RECOVERY_SECONDS
from tests.integration.outages.scenarios import (
    during_the_outage,
    outcome_of_the_outage_create,
    report,
    until_requests_succeed,
)
from tests.support.firestore import seed_season

pytestmark = [pytest.mark.emulators, pytest.mark.slow]
# Who says what is down: everyone needs Pub/Sub, only the workers Firestore.
TELLERS = {"pubsub": {"frontend", *SERVICES}, "firestore": set(SERVICES)}


@pytest.mark.parametrize("component", ["pubsub", "firestore"])
@HOW
def test_with_a_component_away_requests_fail_in_time_and_succeed_again_once_it_is_back(
    component, how, league, outages, publisher, subscriber, firestore_client
):
    player = f"Outage Player {uuid.uuid4().hex[:6]}"
    with getattr(outages, component).away(how):
        outage = during_the_outage(league, player)
    back = time.monotonic()
    if component == "pubsub":
        # What `league topics ensure` does; a restarted emulator has no topic left.
        ensure_topology(league.topology, publisher, subscriber)
    elif how == "stopped":
        # Nor any document: the season is loaded again, as after a restore. Commands the
        # workers took meanwhile found no season.
        seed_season(firestore_client, SEASON, TABLE, SQUADS)
    set_up = time.monotonic() - back
    recovery = until_requests_succeed(league, f"After {player}")
    outcome = outcome_of_the_outage_create(league, player)
    report(f"{component} {how}", outage, recovery, outcome, set_up)

    assert outage.slowest < DEADLINE_SECONDS + 1
    assert set(outage.statuses) <= {503, 504}
    assert set(outage.down) == TELLERS[component]
    assert all(set(down) == {component} for down in outage.down.values())
    assert recovery.seconds <= RECOVERY_SECONDS[component]
    assert outcome.applied_once_or_not_at_all
    assert league.alive()
