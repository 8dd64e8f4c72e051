"""The caller travels with the change: a command's `ce-actor` is logged by the worker, recorded
with the command, and carried by the domain events it raises, however they are published."""

import logging
from datetime import UTC, datetime, timedelta

import pytest
from prometheus_client import CollectorRegistry

from events.commands import CreatePlayer
from events.domain_events import PlayerDeleted
from events.envelope import ACTOR
from firestore_layout import outbox_path, processed_path
from services.workers.changes import OutboxEntry, outbox_document
from services.workers.command_record import CommandRecord
from services.workers.outbox import OutboxPublisher
from tests.integration.workers.conftest import SEASON, ask, seed
from tests.support.bus import REQUESTER_SOURCE, events_subscription, pull_all
from tests.unit.workers.fakes import club, player

pytestmark = pytest.mark.emulators


def test_a_changes_actor_is_logged_recorded_and_on_its_event(
    topology, firestore_client, publisher, subscriber, playerops, caplog
):
    seed(firestore_client, [club("Chelsea")], [])
    caplog.set_level(logging.INFO, logger="events.worker")
    with events_subscription(topology, subscriber) as events:
        [reply] = ask(
            topology, subscriber, [CreatePlayer(player=player("Mount", "Chelsea"))],
            command_id="actor-1", extensions={ACTOR: "alice@league.example"},
        )  # fmt: skip
        [event] = pull_all(subscriber, events, expected=1)

    assert reply.status == 200
    record = firestore_client.document(processed_path(REQUESTER_SOURCE, "actor-1")).get()
    assert record.get("actor") == "alice@league.example"
    assert event.attributes[f"ce-{ACTOR}"] == "alice@league.example"
    asked = [r for r in caplog.records if r.getMessage() == "change asked"]
    assert [getattr(r, "actor", None) for r in asked] == ["alice@league.example"]


def test_an_event_left_in_the_outbox_keeps_its_actor_when_a_sweep_publishes_it(
    topology, firestore_client, publisher, subscriber
):
    record = CommandRecord("//test", "command-1", "test", "digest", actor="bob")
    entry = OutboxEntry("event-actor", PlayerDeleted(season=SEASON, club="Chelsea", name="X"))
    long_ago = datetime.now(UTC) - timedelta(hours=1)
    firestore_client.document(outbox_path(entry.event_id)).set(
        outbox_document(entry, record, long_ago, 0)
    )
    sweeper = OutboxPublisher(
        firestore_client, publisher, topology, "//test", timedelta(seconds=30), CollectorRegistry()
    )
    with events_subscription(topology, subscriber) as events:
        sweeper.sweep()
        [event] = pull_all(subscriber, events, expected=1)

    assert event.attributes[f"ce-{ACTOR}"] == "bob"
