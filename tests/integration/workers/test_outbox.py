"""The outbox on the emulators: one publisher at a time per event, duplicates counted, and a bad
entry set aside without stalling the rest."""

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from prometheus_client import CollectorRegistry

from events.commands import PLAYEROPS, CreatePlayer
from events.domain_events import PlayerDeleted
from firestore_layout import EXPIRES_AT, OUTBOX, OUTBOX_SET_ASIDE, outbox_path
from services.playerops.bootstrap import playerops_handlers
from services.workers.changes import OutboxEntry, outbox_document
from services.workers.command_record import CommandRecord
from services.workers.outbox import RETENTION, OutboxPublisher
from tests.integration.workers.conftest import SEASON, ask, in_process_worker, seed
from tests.support.bus import duplicates, events_subscription, pull_all, times_published
from tests.unit.workers.fakes import club, player

pytestmark = pytest.mark.emulators

LEASE = timedelta(seconds=30)
LONG_AGO = datetime.now(UTC) - timedelta(hours=1)


@pytest.fixture
def new_outbox(firestore_client, publisher, topology):
    def build(lease: timedelta = LEASE) -> OutboxPublisher:
        return OutboxPublisher(
            firestore_client, publisher, topology, "//test/outbox", lease, CollectorRegistry()
        )

    return build


def left_behind(client, count: int, created_at: datetime = LONG_AGO) -> list[str]:
    """`count` unpublished events whose committer died long ago, as its transaction wrote them."""
    record = CommandRecord("//test", "command-1", "test", "digest")
    batch = client.batch()
    ids = []
    for order in range(count):
        event = PlayerDeleted(season=SEASON, club="Chelsea", name=f"Player {order}")
        entry = OutboxEntry(f"event-{order:03d}", event)
        batch.set(client.document(outbox_path(entry.event_id)),
                  outbox_document(entry, record, created_at, order))  # fmt: skip
        ids.append(entry.event_id)
    batch.commit()
    return ids


@contextmanager
def sweeping(sweepers: list[OutboxPublisher], *, again: bool) -> Iterator[None]:
    """Each sweeper sweeps on a thread of its own, once or (`again`) until the block ends; all
    are done when it ends."""
    stopping = threading.Event()

    def sweep(sweeper: OutboxPublisher) -> None:
        sweeper.sweep()
        while again and not stopping.is_set():
            sweeper.sweep()

    threads = [threading.Thread(target=sweep, args=(sweeper,)) for sweeper in sweepers]
    for thread in threads:
        thread.start()
    try:
        yield
    finally:
        stopping.set()
        for thread in threads:
            thread.join(timeout=120)


def test_replicas_sweeping_one_outbox_at_once_publish_each_event_once(
    firestore_client, topology, subscriber, new_outbox, figures
):
    ids = left_behind(firestore_client, 60)
    with events_subscription(topology, subscriber) as events:
        with sweeping([new_outbox() for _ in range(4)], again=False):
            pass
        published = times_published(subscriber, events)

    figures(
        "outbox swept by 4 replicas at once",
        events=len(ids),
        published=sum(published.values()),
        duplicates_published=duplicates(published),
    )
    assert sorted(published) == ids
    assert set(published.values()) == {1}
    assert all(d.get("published") for d in firestore_client.collection(OUTBOX).stream())


def test_an_event_within_its_committers_lease_is_left_to_it(
    firestore_client, topology, subscriber, new_outbox
):
    [fresh] = left_behind(firestore_client, 1, created_at=datetime.now(UTC))
    with events_subscription(topology, subscriber) as events:
        new_outbox().sweep()
        received = pull_all(subscriber, events, expected=1, timeout=2)

    assert received == []
    assert firestore_client.document(outbox_path(fresh)).get().get("published") is False


def test_a_published_event_expires_after_the_retention(firestore_client, new_outbox):
    [event_id] = left_behind(firestore_client, 1)
    new_outbox().sweep()

    published = firestore_client.document(outbox_path(event_id)).get()
    assert published.get("published") is True
    assert published.get(EXPIRES_AT) - published.get("published_at") == RETENTION


def test_a_bad_entry_is_set_aside_and_logged_and_the_others_are_published(
    firestore_client, topology, subscriber, new_outbox, caplog
):
    good = left_behind(firestore_client, 3)
    bad = {
        "unknown-type": {"type": "org.example.nothing.v1", "data": {}},
        "invalid-data": {"type": PlayerDeleted.event_type, "data": {"club": "Chelsea"}},
        "no-creation-time": {"type": PlayerDeleted.event_type,
                             "data": {"season": SEASON, "club": "Chelsea", "name": "X"}},
    }  # fmt: skip
    for event_id, document in bad.items():
        created = {} if event_id == "no-creation-time" else {"created_at": LONG_AGO}
        firestore_client.document(outbox_path(event_id)).set(
            {**document, **created, "published": False}
        )

    with events_subscription(topology, subscriber) as events, caplog.at_level(logging.ERROR):
        new_outbox().sweep()
        received = pull_all(subscriber, events, expected=3, timeout=15)

    assert sorted(m.attributes["ce-id"] for m in received) == good
    set_aside = {
        d.id: d.get("reason") for d in firestore_client.collection(OUTBOX_SET_ASIDE).stream()
    }
    assert set(set_aside) == set(bad)
    assert "org.example.nothing.v1" in set_aside["unknown-type"]
    assert {d.id for d in firestore_client.collection(OUTBOX).stream()} == set(good)
    logged = {r.event_id for r in caplog.records if r.getMessage().startswith("outbox entry set")}
    assert logged == set(bad)


def test_sweeps_racing_the_publish_after_each_commit_publish_each_event_once(
    settings, topology, firestore_client, publisher, subscriber, new_outbox, figures
):
    seed(firestore_client, [club("Chelsea")], [])
    commands = [CreatePlayer(player=player(f"Player {n}", "Chelsea")) for n in range(60)]
    with (
        in_process_worker(PLAYEROPS, settings, firestore_client, publisher, subscriber,
                          lambda runtime: playerops_handlers(runtime.reader(),
                                                             runtime.unit_of_work())),
        events_subscription(topology, subscriber) as events,
    ):  # fmt: skip
        # Two other replicas sweep as fast as they can while the worker commits and publishes.
        with sweeping([new_outbox(), new_outbox()], again=True):
            started = time.monotonic()
            replies = ask(topology, subscriber, commands)
            took = time.monotonic() - started
        published = times_published(subscriber, events)

    figures(
        "publish after commit raced by 2 sweeping replicas",
        commands=len(commands),
        successes=sum(reply.ok for reply in replies),
        events=len(published),
        duplicates_published=duplicates(published),
        seconds=round(took, 1),
    )
    assert all(reply.ok for reply in replies)
    assert len(published) == len(commands) and set(published.values()) == {1}


def test_a_sweep_measures_the_backlog_it_found_and_the_age_of_its_oldest_event(
    firestore_client, publisher, topology
):
    registry = CollectorRegistry()
    sweeper = OutboxPublisher(firestore_client, publisher, topology, "//test", LEASE, registry)
    left_behind(firestore_client, 3)

    sweeper.sweep()  # finds three, an hour old, and publishes them
    found = registry.get_sample_value("league_outbox_backlog_events")
    age = registry.get_sample_value("league_outbox_oldest_age_seconds")
    sweeper.sweep()  # finds none

    assert found == 3
    assert age is not None and abs(age - (datetime.now(UTC) - LONG_AGO).total_seconds()) < 60
    assert registry.get_sample_value("league_outbox_backlog_events") == 0
    assert registry.get_sample_value("league_outbox_oldest_age_seconds") == 0


def test_an_event_a_sweep_publishes_carries_the_trace_its_command_committed_it_in(
    firestore_client, topology, subscriber, new_outbox
):
    committed_in = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    event = PlayerDeleted(season=SEASON, club="Chelsea", name="Player 1")
    entry = OutboxEntry("event-traced", event, trace={"traceparent": committed_in})
    record = CommandRecord("//test", "command-1", "test", "digest")
    document = outbox_document(entry, record, LONG_AGO, 0)  # its committer died long ago
    firestore_client.document(outbox_path(entry.event_id)).set(document)

    with events_subscription(topology, subscriber) as events:
        new_outbox().sweep()
        (received,) = pull_all(subscriber, events, expected=1, timeout=15)

    assert received.attributes["ce-traceparent"] == committed_in
