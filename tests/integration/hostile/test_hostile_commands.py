"""Hostile input on every command topic, from a raw Pub/Sub client: each bad message gets one
error reply or becomes one dead letter, none comes back, and the workers answer Pings all along."""

import asyncio
import json
import time
from collections import Counter

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from events.commands import SERVICES, Ping
from tests.integration.hostile.messages import CASE, Hostile, hostile_messages
from tests.support.bus import new_requester, pull_all, replies_subscription

pytestmark = [pytest.mark.emulators, pytest.mark.slow]
# What a frontend waits for a reply by default (LEAGUE_REQUEST_TIMEOUT_SECONDS).
DEADLINE_SECONDS = 5.0
BURST_KINDS = {"not JSON", "nested 200,000 deep", "unknown type", "missing ce- attributes"}


@pytest.fixture
def workers(start_worker):
    """The three worker processes, by service: their health addresses."""
    return {service: start_worker(service)[1] for service in SERVICES}


@pytest.fixture
def replies(topology, subscriber):
    return replies_subscription(topology, subscriber)


def test_every_hostile_message_is_answered_or_dead_lettered_once_while_pings_keep_answering(
    topology, publisher, subscriber, replies, workers
):
    hostile = [m for service in SERVICES for m in hostile_messages(topology, service)]
    pings = run_with_pings(topology, publisher, subscriber, hostile, at_once=False)
    report("hostile messages one by one", hostile, pings)

    check_dispositions(topology, subscriber, replies, hostile)
    check_no_retries(workers)
    assert_answered_in_time(pings)


def test_a_burst_of_hostile_messages_on_all_topics_at_once_stops_no_worker(
    topology, publisher, subscriber, replies, workers
):
    kinds = {*BURST_KINDS, "near 10 MB"}
    hostile = [m for service in SERVICES for m in hostile_messages(topology, service, kinds)]
    pings = run_with_pings(topology, publisher, subscriber, hostile, at_once=True)
    report("a burst of hostile messages", hostile, pings)

    check_dispositions(topology, subscriber, replies, hostile)
    check_no_retries(workers)
    assert_answered_in_time(pings)


def send(topology, publisher, hostile: list[Hostile], at_once: bool) -> None:
    """Publishes each message on its service's topic: one after another, or all at once."""
    futures = []
    for message in hostile:
        service = message.key.split("/", 1)[0]
        topic = topology.topic_path(topology.command_topic(service))
        futures.append(publisher.publish(topic, message.data, **message.attributes))
        if not at_once:
            futures[-1].result()
    for future in futures:
        future.result()


def run_with_pings(
    topology, publisher, subscriber, hostile: list[Hostile], at_once: bool
) -> dict[str, list[float]]:
    """Pings every worker in turn while the messages go out and for a while after; the round
    trips, by service."""

    async def scenario() -> dict[str, list[float]]:
        requester = new_requester(topology, subscriber, timeout=30)
        await requester.start()
        round_trips: dict[str, list[float]] = {service: [] for service in SERVICES}

        async def ping_all() -> None:
            for service in SERVICES:
                started = time.monotonic()
                await requester.request(Ping(), service=service)
                round_trips[service].append(time.monotonic() - started)

        try:
            await ping_all()  # each worker answers before the first hostile message
            sending = asyncio.create_task(
                asyncio.to_thread(send, topology, publisher, hostile, at_once)
            )
            while not sending.done():
                await ping_all()
            await sending
            # The workers take a while to work through what was sent: keep pinging meanwhile.
            for _ in range(10):
                await ping_all()
            return round_trips
        finally:
            await requester.stop()

    return asyncio.run(scenario())


def check_dispositions(topology, subscriber, replies, hostile: list[Hostile]) -> None:
    """Each message's one reply or one dead letter came, with the code it deserves; no more."""
    answered = [m for m in hostile if m.answer == "reply"]
    dead = [m for m in hostile if m.answer == "dead letter"]
    kept = topology.subscription_path(topology.dead_letter_subscription)
    dead_letters = pull_all(subscriber, kept, len(dead), timeout=60)
    reply_messages = pull_all(subscriber, replies, len(answered) + len(hostile) * 3, timeout=5)
    # Anything that came back would come again within this long: nothing more may arrive.
    dead_letters += pull_all(subscriber, kept, 1, timeout=3)

    # The Pings' replies come on the same topic; the hostile ones are told by their correlation.
    hostile_replies = [
        m for m in reply_messages if m.attributes["ce-correlationid"].startswith("hostile/")
    ]
    by_correlation = Counter(m.attributes["ce-correlationid"] for m in hostile_replies)
    codes = {
        m.attributes["ce-correlationid"]: json.loads(m.data)["error"]["code"]
        for m in hostile_replies
    }
    for message in answered:
        correlation = message.attributes["ce-correlationid"]
        assert by_correlation[correlation] == 1, f"{message.key}: {by_correlation[correlation]}"
        assert codes[correlation] == message.code, message.key

    by_case = Counter(m.attributes.get(CASE) for m in dead_letters)
    dead_codes = {
        m.attributes.get(CASE): m.attributes.get("league-error-code") for m in dead_letters
    }
    assert by_case == Counter(m.key for m in dead)
    assert dead_codes == {m.key: m.code for m in dead}


def check_no_retries(workers) -> None:
    """No message was sent back for another delivery: none can loop."""
    for service, address in workers.items():
        text = httpx.get(f"{address.url}/metrics").text
        outcomes = Counter()
        for family in text_string_to_metric_families(text):
            if family.name == "league_commands":
                for sample in family.samples:
                    if sample.name.endswith("_total"):
                        outcomes[sample.labels["outcome"]] += int(sample.value)
        assert outcomes["retry"] == 0, f"{service}: {outcomes}"


def assert_answered_in_time(pings: dict[str, list[float]]) -> None:
    for service, round_trips in pings.items():
        assert max(round_trips) < DEADLINE_SECONDS, f"{service}: {max(round_trips):.2f} s"


def report(scenario: str, hostile: list[Hostile], pings: dict[str, list[float]]) -> None:
    sent = sum(len(m.data) for m in hostile)
    print(f"\n{scenario}: {len(hostile)} messages ({sent / 1e6:.1f} MB) on {len(SERVICES)} topics")
    for service, round_trips in pings.items():
        print(
            f"  {service}: {len(round_trips)} Pings answered meanwhile, slowest "
            f"{max(round_trips):.2f} s, median {sorted(round_trips)[len(round_trips) // 2]:.2f} s"
        )
