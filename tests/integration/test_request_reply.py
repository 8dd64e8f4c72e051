"""Request-reply through the real Pub/Sub emulator: the contract every service relies on."""

import asyncio
import threading
import time

import pytest

from events.commands import GetTopPlayers, ListPlayers, Ping
from events.envelope import new_event, to_pubsub
from events.worker import CommandContext
from tests.support.bus import new_requester, pull_all, running_worker

pytestmark = pytest.mark.emulators


def echo(command: GetTopPlayers, context: CommandContext) -> GetTopPlayers:
    return command


def test_a_command_gets_its_reply_from_the_worker(topology, subscriber):
    async def scenario():
        requester = new_requester(topology, subscriber)
        await requester.start()
        try:
            return await requester.request(GetTopPlayers(position="Forward", count=5))
        finally:
            await requester.stop()

    with running_worker("stats", {GetTopPlayers: echo}, topology, subscriber):
        reply = asyncio.run(scenario())

    assert reply.ok and reply.status == 200
    assert reply.result == {"season": None, "position": "Forward", "count": 5}


def test_a_reply_read_before_is_not_read_again_and_its_result_not_validated_again(
    topology, subscriber
):
    async def scenario():
        requester = new_requester(topology, subscriber)
        await requester.start()
        try:
            same = GetTopPlayers(position="Forward", count=5)
            other = GetTopPlayers(position="Forward", count=6)
            return [await requester.request(command) for command in (same, same, other)]
        finally:
            await requester.stop()

    with running_worker("stats", {GetTopPlayers: echo}, topology, subscriber):
        first, again, other = asyncio.run(scenario())

    assert again is first and again.result_as(GetTopPlayers) is first.result_as(GetTopPlayers)
    assert other is not first and other.result_as(GetTopPlayers).count == 6


def test_every_worker_answers_ping_with_its_service_name(topology, subscriber):
    async def scenario():
        requester = new_requester(topology, subscriber)
        await requester.start()
        try:
            return await requester.request(Ping(), service="transfer")
        finally:
            await requester.stop()

    with running_worker("transfer", {}, topology, subscriber) as worker:
        reply = asyncio.run(scenario())

    assert reply.result == {"service": "transfer", "instance": worker.instance}


def test_two_requesters_on_one_replies_topic_each_get_only_their_own_replies(topology, subscriber):
    async def scenario():
        first = new_requester(topology, subscriber)
        second = new_requester(topology, subscriber)
        await asyncio.gather(first.start(), second.start())
        try:
            # Each ask is told apart by its count: 1, 2, ... 20, the two requesters in turn.
            asks = [
                requester.request(GetTopPlayers(position="Forward", count=1 + 2 * n + turn))
                for n in range(10)
                for turn, requester in enumerate((first, second))
            ]
            return await asyncio.gather(*asks)
        finally:
            await asyncio.gather(first.stop(), second.stop())

    with running_worker("stats", {GetTopPlayers: echo}, topology, subscriber):
        replies = asyncio.run(scenario())

    assert [reply.result["count"] for reply in replies] == list(range(1, 21))


def test_with_no_worker_the_requester_times_out_within_its_deadline(topology, subscriber):
    timeout = 1.5

    async def scenario():
        requester = new_requester(topology, subscriber)
        await requester.start()
        started = time.monotonic()
        try:
            with pytest.raises(Exception) as raised:
                await requester.request(GetTopPlayers(position="Forward"), timeout=timeout)
            return raised.value, time.monotonic() - started
        finally:
            await requester.stop()

    error, waited = asyncio.run(scenario())

    assert type(error).__name__ == "DeadlineExceeded" and error.status == 504
    assert timeout <= waited <= timeout * 1.1


def test_a_handler_that_raises_gets_an_error_reply_and_the_worker_keeps_running(
    topology, subscriber
):
    def explode(command: GetTopPlayers, context: CommandContext) -> GetTopPlayers:
        raise RuntimeError("the scoring table is on fire")

    async def scenario():
        requester = new_requester(topology, subscriber)
        await requester.start()
        try:
            failed = await requester.request(GetTopPlayers(position="Forward"))
            after = await requester.request(ListPlayers(club="Chelsea"))
            return failed, after
        finally:
            await requester.stop()

    handlers = {GetTopPlayers: explode, ListPlayers: echo}
    with running_worker("stats", handlers, topology, subscriber):
        failed, after = asyncio.run(scenario())

    assert failed.status == 500 and failed.error.code == "internal"
    assert "the scoring table is on fire" in failed.error.message
    assert after.ok and after.result["club"] == "Chelsea"


def test_stop_waits_for_the_command_in_flight_before_returning(topology, publisher, subscriber):
    entered, finished = threading.Event(), threading.Event()

    def slow(command: GetTopPlayers, context: CommandContext) -> GetTopPlayers:
        entered.set()
        time.sleep(1.0)
        finished.set()
        return command

    message = to_pubsub(
        new_event(GetTopPlayers.event_type, "//test", GetTopPlayers(position="Forward"))
    )
    with running_worker("stats", {GetTopPlayers: slow}, topology, subscriber) as worker:
        publisher.publish(
            topology.topic_path(topology.command_topic("stats")), message.data, **message.attributes
        ).result()
        assert entered.wait(10)
        worker.stop(timeout=10)
        assert finished.is_set()


def test_ensuring_the_topology_twice_creates_nothing_the_second_time(
    topology, publisher, subscriber
):
    from events.topology import ensure_topology

    assert ensure_topology(topology, publisher, subscriber) == []
    names = {
        t.name.rsplit("/", 1)[1]
        for t in publisher.list_topics(project=f"projects/{topology.project_id}")
    }
    assert set(topology.topics()) <= names


def test_pull_all_sees_what_was_published(topology, publisher, subscriber):
    # Guards the helper the dead-letter tests rely on: it must not report an empty pull as success.
    message = to_pubsub(new_event(Ping.event_type, "//test", Ping()))
    publisher.publish(
        topology.topic_path(topology.dead_letter_topic), message.data, **message.attributes
    ).result()
    kept = topology.subscription_path(topology.dead_letter_subscription)
    assert len(pull_all(subscriber, kept, expected=1)) == 1
