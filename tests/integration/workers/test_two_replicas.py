"""Two transfer worker processes contending for one player: the Firestore transaction alone keeps
it right (each process's own turns cannot see the other's)."""

import time

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from events.commands import TRANSFER, Ping, TransferPlayer
from events.messages import Command
from firestore_layout import clubs_path, player_path
from services.devstack.components import wait_until_answering
from tests.integration.workers.conftest import SEASON, ask, seed
from tests.support.bus import duplicates, events_subscription, times_published
from tests.unit.workers.fakes import club, player

pytestmark = [pytest.mark.emulators, pytest.mark.slow]

BUYERS = [f"Buyer {n:02d}" for n in range(50)]
PRICE = 50
PULLING_TIMEOUT_SECONDS = 60.0


def test_of_fifty_transfers_of_one_player_over_two_processes_one_succeeds_and_money_holds(
    start_worker, topology, firestore_client, subscriber, figures
):
    # Each buyer has just the price and the seller nothing: a transfer applied twice or half
    # shows in the sum of the capitals.
    clubs = [club("Chelsea", capital=0), *(club(buyer, capital=PRICE) for buyer in BUYERS)]
    seed(firestore_client, clubs, [player("Hazard", "Chelsea", price=PRICE)])
    addresses = [start_worker("transfer")[1] for _ in range(2)]
    for address in addresses:
        wait_until_answering(f"{address.url}/readyz", require_ok=True)
    commands = [TransferPlayer(player="Hazard", from_club="Chelsea", to_club=b) for b in BUYERS]

    # One message per publish request: the emulator hands a request's messages to one stream.
    until_each_pulls(addresses, topology, subscriber)
    with events_subscription(topology, subscriber) as events:
        started = time.monotonic()
        replies = ask(topology, subscriber, commands, commands_a_publish=1, timeout=240)
        took = time.monotonic() - started
        published = times_published(subscriber, events)

    handled = [transfers_handled(address.url) for address in addresses]
    capitals = [d.get("capital") for d in firestore_client.collection(clubs_path(SEASON)).stream()]
    winners = [reply for reply in replies if reply.ok]
    figures(
        "two transfer replicas contending",
        commands=len(commands),
        successes=len(winners),
        refusals=sum(400 <= reply.status < 500 for reply in replies),
        handled_per_process=handled,
        events=len(published),
        duplicates_published=duplicates(published),
        seconds=round(took, 1),
    )
    assert len(winners) == 1
    assert all(
        r.status == 404 and "no player 'Hazard'" in r.error.message for r in replies if not r.ok
    )
    assert min(capitals) >= 0 and sum(capitals) == PRICE * len(BUYERS)
    assert all(count > 0 for count in handled), "both processes took part"
    assert list(published.values()) == [1]
    buyer = winners[0].result["to_club"]
    assert firestore_client.document(player_path(SEASON, buyer, "Hazard")).get().exists


def until_each_pulls(addresses, topology, subscriber) -> None:
    """Pings the service until each process has answered one. Ready means subscribed, but a
    loaded machine may open a process's stream seconds later, and the emulator hands every
    command to the streams that are open, so both must be open before the contest."""
    give_up = time.monotonic() + PULLING_TIMEOUT_SECONDS
    while not all(handled(address.url, Ping) for address in addresses):
        assert time.monotonic() < give_up, "a replica never received a command"
        pings = [Ping() for _ in addresses]
        ask(topology, subscriber, pings, commands_a_publish=1, service=TRANSFER)


def transfers_handled(url: str) -> int:
    """How many transfer commands the process at `url` finished, from its /metrics."""
    return handled(url, TransferPlayer)


def handled(url: str, command: type[Command]) -> int:
    """How many commands of that kind the process at `url` finished, from its /metrics."""
    families = text_string_to_metric_families(httpx.get(f"{url}/metrics").text)
    return int(
        sum(
            sample.value
            for family in families
            for sample in family.samples
            if sample.name == "league_commands_total"
            and sample.labels["type"] == command.event_type
        )
    )
