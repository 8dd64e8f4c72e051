"""The transfer worker on the emulators: one transaction, exactly once, under contention."""

import json

import pytest
from prometheus_client import generate_latest

from events.commands import TRANSFER, TransferPlayer
from firestore_layout import OUTBOX, player_path
from services.transfer.bootstrap import transfer_handlers
from tests.integration.workers.conftest import (
    SEASON,
    ask,
    in_process_worker,
    seed,
    seed_hazard_sale,
)
from tests.support.bus import events_subscription, pull_all
from tests.support.promtool import metrics_problems
from tests.unit.workers.fakes import club, player

pytestmark = pytest.mark.emulators

BUYERS = [f"Club {n:02d}" for n in range(20)]


@pytest.fixture
def transfer_worker(settings, topology, firestore_client, publisher, subscriber):
    with in_process_worker(
        TRANSFER,
        settings,
        firestore_client,
        publisher,
        subscriber,
        lambda runtime: transfer_handlers(runtime.unit_of_work()),
    ) as process:
        yield process


def test_a_transfer_over_the_bus_moves_player_and_money_and_publishes_the_event(
    topology, firestore_client, publisher, subscriber, transfer_worker, capital_of
):
    command = seed_hazard_sale(firestore_client)
    with events_subscription(topology, subscriber) as events:
        [reply] = ask(topology, subscriber, [command])
        published = pull_all(subscriber, events, expected=1)

    assert reply.ok and reply.result["player"]["club"] == "Liverpool"
    assert (capital_of("Chelsea"), capital_of("Liverpool")) == (160, 80)
    assert firestore_client.document(player_path(SEASON, "Liverpool", "Hazard")).get().exists
    assert not firestore_client.document(player_path(SEASON, "Chelsea", "Hazard")).get().exists
    [event] = published
    assert event.attributes["ce-type"].endswith("player_transferred.v1")
    assert json.loads(event.data)["to_club_capital"] == 80
    outbox = firestore_client.document(f"{OUTBOX}/{event.attributes['ce-id']}").get()
    assert outbox.get("published") is True


def test_a_refusal_over_the_bus_carries_the_figures(
    topology, firestore_client, publisher, subscriber, transfer_worker
):
    seed(
        firestore_client,
        [club("Chelsea", capital=40), club("Liverpool", capital=200)],
        [player("Salah", "Liverpool", price=135)],
    )
    [reply] = ask(
        topology,
        subscriber,
        [TransferPlayer(player="Salah", from_club="Liverpool", to_club="Chelsea")],
    )
    assert reply.status == 409
    assert "Chelsea has 40, Salah costs 135" in reply.error.message


def test_of_twenty_concurrent_transfers_of_one_player_exactly_one_succeeds(
    topology, firestore_client, publisher, subscriber, transfer_worker, capital_of
):
    clubs = [club("Chelsea", capital=100), *(club(name, capital=100) for name in BUYERS)]
    seed(firestore_client, clubs, [player("Hazard", "Chelsea", price=50)])
    commands = [TransferPlayer(player="Hazard", from_club="Chelsea", to_club=b) for b in BUYERS]

    with events_subscription(topology, subscriber) as events:
        replies = ask(topology, subscriber, commands)
        published = pull_all(subscriber, events, expected=2, timeout=5)

    winners = [reply for reply in replies if reply.ok]
    assert len(winners) == 1
    assert all(reply.status == 404 for reply in replies if not reply.ok)
    buyer = winners[0].result["to_club"]
    assert capital_of(buyer) == 50 and capital_of("Chelsea") == 150
    assert sum(capital_of(c.club) for c in clubs) == 100 * len(clubs)
    homes = [
        b
        for b in ["Chelsea", *BUYERS]
        if firestore_client.document(player_path(SEASON, b, "Hazard")).get().exists
    ]
    assert homes == [buyer]
    assert len(published) == 1


def test_the_same_command_delivered_five_times_has_one_effect_and_five_identical_replies(
    topology, firestore_client, publisher, subscriber, transfer_worker, capital_of
):
    command = seed_hazard_sale(firestore_client)

    with events_subscription(topology, subscriber) as events:
        replies = ask(topology, subscriber, [command] * 5, command_id="one-event-id")
        published = pull_all(subscriber, events, expected=2, timeout=5)

    assert replies[0].ok and all(reply == replies[0] for reply in replies)
    assert (capital_of("Chelsea"), capital_of("Liverpool")) == (160, 80)
    assert len(published) == 1
    sample = transfer_worker.runtime.registry.get_sample_value
    labels = {"type": TransferPlayer.event_type}
    assert sample("league_duplicates_suppressed_total", labels) == 4
    assert sample("league_command_bus_delay_seconds_count", {"service": TRANSFER, **labels}) == 5


def test_a_workers_metrics_pass_promtool_and_show_the_outbox_drained(
    topology, firestore_client, publisher, subscriber, transfer_worker
):
    command = seed_hazard_sale(firestore_client)
    assert ask(topology, subscriber, [command])[0].ok
    assert transfer_worker.runtime.outbox is not None
    transfer_worker.runtime.outbox.sweep()

    registry = transfer_worker.runtime.registry
    assert registry.get_sample_value("league_outbox_backlog_events") == 0
    assert registry.get_sample_value("league_outbox_oldest_age_seconds") == 0
    assert metrics_problems(generate_latest(registry).decode()) == ""
