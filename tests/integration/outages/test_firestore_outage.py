"""The Firestore emulator stopped, or hung, under the running stack: answers within the deadline,
workers that say Firestore is down and do not crash, and requests that succeed again within
seconds of its return, with no process restarted."""

import time
import uuid

import pytest

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


@HOW
def test_with_firestore_away_requests_fail_in_time_and_succeed_again_once_it_is_back(
    how, league, outages, firestore_client
):
    player = f"Outage Player {uuid.uuid4().hex[:6]}"
    with outages.firestore.away(how):
        outage = during_the_outage(league, player)
    back = time.monotonic()
    if how == "stopped":
        # The emulator keeps nothing across a restart: the season is loaded again, as after a
        # restore. Commands the workers took meanwhile found no season.
        seed_season(firestore_client, SEASON, TABLE, SQUADS)
    loaded = time.monotonic()
    recovery = until_requests_succeed(league, f"After {player}")
    outcome = outcome_of_the_outage_create(league, player)
    report(f"Firestore {how}", outage, recovery, outcome, loaded - back)

    assert outage.slowest < DEADLINE_SECONDS + 1
    assert set(outage.statuses) <= {503, 504}
    assert set(outage.down) == {"stats", "playerops", "transfer"}
    assert all(set(down) == {"firestore"} for down in outage.down.values())
    assert recovery.seconds <= RECOVERY_SECONDS
    assert outcome.applied_once_or_not_at_all
    assert league.alive()
