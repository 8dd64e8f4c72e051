"""A worker's reply goes out without holding the loop: the command is acked once Pub/Sub has the
reply, delivered again if it could not take it (a stop waits for it: test_loop_pulling.py)."""

import threading
from collections.abc import Callable
from functools import partial

import pytest
from google.api_core import exceptions as google_errors
from google.pubsub_v1 import PubsubMessage
from prometheus_client import CollectorRegistry

from events.commands import GetTopPlayers
from events.envelope import CORRELATION_ID, REPLY_TO, new_event, to_pubsub
from events.loop_pulling import Delivery
from events.metrics import BusMetrics
from events.pubsub_clients import LoopClients
from events.settings import Settings
from events.topology import Topology
from events.waiting import would_wait
from events.worker import CommandContext, Worker
from tests.unit.events.fakes import Publisher

SOURCE = "//league-app/test/requester"
COMMAND_ID = "command-1"


class Settled:
    """How the worker had a command settled: ack or nack, as the stream would send it."""

    def __init__(self) -> None:
        self.ways: list[str] = []

    def __call__(self, finished: bool) -> None:
        self.ways.append("ack" if finished else "nack")


@pytest.fixture
def topology() -> Topology:
    return Topology.from_settings(Settings())


@pytest.fixture
def registry() -> CollectorRegistry:
    return CollectorRegistry()


@pytest.fixture
def publisher() -> Publisher:
    return Publisher()


@pytest.fixture
def worker(topology, publisher, registry) -> Worker:
    return stats_worker(topology, publisher, registry)


def stats_worker(
    topology: Topology,
    publisher: Publisher,
    registry: CollectorRegistry,
    accepts_source: Callable[[str], bool] = lambda source: True,
    top: Callable[[GetTopPlayers, CommandContext], GetTopPlayers] = lambda command, context: (
        command
    ),
    reads_on_the_loop: bool = False,
) -> Worker:
    """A worker that answers top players (with the command itself), on fakes of Pub/Sub."""
    return Worker(
        service="stats",
        handlers={GetTopPlayers: top},
        topology=topology,
        loop_clients=LoopClients(Settings()),
        publisher=publisher,
        subscriber=None,  # type: ignore[arg-type]
        metrics=BusMetrics(registry),
        source="//league-app/test/stats",
        accepts_source=accepts_source,
        reads_on_the_loop=reads_on_the_loop,
    )


def command(reply_to: str) -> tuple[bytes, dict[str, str]]:
    extensions = {REPLY_TO: reply_to, CORRELATION_ID: "correlation-1"}
    event = new_event(
        GetTopPlayers.event_type,
        SOURCE,
        GetTopPlayers(position="Forward"),
        event_id=COMMAND_ID,
        extensions=extensions,
    )
    message = to_pubsub(event)
    return message.data, message.attributes


def counted(registry: CollectorRegistry, outcome: str) -> float:
    labels = {"service": "stats", "type": GetTopPlayers.event_type, "outcome": outcome}
    return registry.get_sample_value("league_commands_total", labels) or 0.0


def test_the_worker_returns_before_pubsub_has_the_reply_and_the_command_is_acked_after(
    worker, publisher, topology, registry
):
    settled = Settled()

    worker.handle(*command(topology.replies_topic), settled)

    [(topic, reply)] = publisher.published
    assert topic == topology.replies_topic
    assert settled.ways == [], "acked before Pub/Sub had the reply"
    reply.set_result("message-1")
    assert settled.ways == ["ack"]
    assert counted(registry, "ok") == 1


def test_a_reply_pubsub_could_not_take_has_the_command_delivered_again(
    worker, publisher, topology, registry
):
    settled = Settled()

    worker.handle(*command(topology.replies_topic), settled)
    publisher.published[0][1].set_exception(google_errors.ServiceUnavailable("Pub/Sub is away"))

    assert settled.ways == ["nack"]
    assert counted(registry, "retry") == 1 and counted(registry, "ok") == 0


def test_a_reply_to_a_topic_that_is_not_there_is_dead_lettered_before_the_ack(
    worker, publisher, topology, registry
):
    settled = Settled()

    worker.handle(*command("nobody-listens-here"), settled)
    publisher.published[0][1].set_exception(google_errors.NotFound("no such topic"))

    [_, (topic, dead_letter)] = publisher.published
    assert topic == topology.dead_letter_topic
    assert settled.ways == [], "acked before the dead letter was kept"
    dead_letter.set_result("message-2")
    assert settled.ways == ["ack"]
    labels = {"service": "stats", "code": "undeliverable_reply"}
    assert registry.get_sample_value("league_dead_letters_total", labels) == 1


def test_a_fault_of_the_worker_itself_has_the_command_delivered_again(
    topology, publisher, registry
):
    def broken_check(source: str) -> bool:
        raise RuntimeError("the partners' list is unreadable")

    worker = stats_worker(topology, publisher, registry, accepts_source=broken_check)
    settled = Settled()

    worker._safely(partial(worker.handle, *command(topology.replies_topic), settled), settled)

    assert settled.ways == ["nack"]


def test_a_read_tried_on_the_loop_that_must_wait_is_answered_once_from_a_thread(
    topology, publisher, registry
):
    ran_on: list[str] = []

    def top(command: GetTopPlayers, context: CommandContext) -> GetTopPlayers:
        ran_on.append(threading.current_thread().name)
        would_wait("firestore query")  # refused on the loop: the read goes to a thread
        return command

    worker = stats_worker(topology, publisher, registry, top=top, reads_on_the_loop=True)
    settled: list[tuple[str, bool]] = []
    acked = threading.Event()

    def settle(delivery: Delivery, finished: bool) -> None:
        settled.append((threading.current_thread().name, finished))
        acked.set()

    data, attributes = command(topology.replies_topic)
    delivery = Delivery(PubsubMessage(data=data, attributes=attributes), "ack-1", 1, settle)
    worker._loop.start()
    try:
        worker._loop.call(worker._on_message, delivery)
        assert publisher.called.wait(10), "no reply"
        publisher.published[0][1].set_result("message-1")
        assert acked.wait(10)
    finally:
        worker._loop.stop()

    assert ran_on == ["stats-bus", ran_on[1]] and ran_on[1].startswith("stats-cmd")
    assert len(publisher.published) == 1
    assert settled == [("stats-bus", True)], "settled off the loop"
    assert counted(registry, "ok") == 1
