"""1,000 mixed commands through the frontend, two replicas of each worker, and the transfer worker
SIGKILLed twice mid-run and started again: what was acknowledged took effect exactly once, money
and players add up, and every committed event was published."""

import asyncio
import random
import time
from collections import Counter

import httpx
import pytest

from firestore_layout import OUTBOX, clubs_path, players_path
from tests.e2e.load.workload import (
    Progress,
    effects_of_events,
    effects_of_successes,
    expected_capitals,
    expected_squads,
    league,
    mixed_ops,
    send_all,
)
from tests.support.bus import duplicates, events_subscription, pull_all, times_published
from tests.support.firestore import seed_season, wait_until

pytestmark = [pytest.mark.emulators, pytest.mark.slow]

SEASON = "2018-19"
CREATES, TRANSFERS, DELETES = 400, 400, 200
KILLS_AFTER = (300, 650)  # answered commands when the transfer worker is SIGKILLed
CONCURRENCY = 32


# `firestore_client` before `replicas`: the stack then stops before the database is emptied,
# which the emulator refuses (409) while a worker holds a transaction open.
@pytest.mark.timeout(1200)
def test_a_transfer_worker_killed_twice_under_load_loses_nothing_and_applies_nothing_twice(
    firestore_client, replicas, topology, publisher, subscriber, figures
):
    rng = random.Random(10)
    clubs, seeded = league(rng, clubs=20, squad=30)
    seed_season(firestore_client, SEASON, clubs, seeded)
    ops = mixed_ops(rng, clubs, seeded, CREATES, TRANSFERS, DELETES)
    [frontend] = [url for url, _ in replicas.running["frontend"]]

    async def run() -> tuple[list, list[float]]:
        progress, killed_at = Progress(), []

        async def kill_twice() -> None:
            for count in KILLS_AFTER:
                await progress.reached(count)
                killed_at.append(time.monotonic())
                replicas.kill("transfer")
                await asyncio.to_thread(replicas.start, "transfer")

        async with httpx.AsyncClient(base_url=frontend, timeout=30) as http:
            killer = asyncio.create_task(kill_twice())
            outcomes = await send_all(http, ops, CONCURRENCY, progress)
            await killer
        return outcomes, killed_at

    with events_subscription(topology, subscriber) as events:
        started = time.monotonic()
        outcomes, killed_at = asyncio.run(run())
        took = time.monotonic() - started
        unpublished = wait_until_all_published(firestore_client, timeout=120)
        documents_left = outbox_documents(firestore_client)
        outbox = {d.id: (d.get("type"), d.get("data")) for d in documents_left}
        # Claimed by a sweep: their committer was killed before publishing them.
        swept = sum("lease_until" in (d.to_dict() or {}) for d in documents_left)
        received = pull_all(subscriber, events, expected=len(outbox), timeout=120)
        published = times_published(subscriber, events)  # and any late duplicates
        published.update(m.attributes["ce-id"] for m in received)

    by_status = Counter(o.status for o in outcomes)
    figures(
        "worker killed under load",
        commands=len(ops),
        successes=sum(o.succeeded for o in outcomes),
        refusals=sum(400 <= o.status < 500 for o in outcomes),
        statuses=dict(sorted(by_status.items())),
        resent=sum(o.attempts - 1 for o in outcomes),
        kills=len(killed_at),
        events=len(outbox),
        published_by_a_sweep=swept,
        duplicates_published=duplicates(published),
        seconds=round(took, 1),
    )
    assert [o for o in outcomes if o.status == 0] == [], "every command got a definite answer"
    assert all(o.succeeded or o.status == 404 for o in outcomes), by_status
    # Each success is one effect, each refusal none: no command took effect twice or unasked.
    assert effects_of_events(list(outbox.values())) == effects_of_successes(outcomes)
    clubs_now = {d.get("club"): d.get("capital") for d in documents(firestore_client, clubs_path)}
    assert sum(clubs_now.values()) == sum(row.capital for row in clubs)
    assert clubs_now == expected_capitals(clubs, outcomes)
    squads = Counter(d.get("club") for d in documents(firestore_client, players_path))
    assert +squads == +expected_squads(seeded, outcomes)
    assert unpublished == []
    assert set(published) == set(outbox)


def documents(client, path_of) -> list:
    return list(client.collection(path_of(SEASON)).stream())


def outbox_documents(client) -> list:
    return list(client.collection(OUTBOX).stream())


def wait_until_all_published(client, timeout: float) -> list[str]:
    """Waits for the outbox to have no unpublished event left; returns those still left."""

    def unpublished() -> list[str]:
        return [d.id for d in outbox_documents(client) if not d.get("published")]

    wait_until(lambda: not unpublished(), timeout)
    return unpublished()
