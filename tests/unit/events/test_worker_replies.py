"""A worker's reply goes out without holding the callback's thread: the command is acked once
Pub/Sub has the reply, delivered again if it could not take it, and a stop waits for it."""

import threading
from collections.abc import Callable

import pytest
from google.api_core import exceptions as google_errors
from prometheus_client import CollectorRegistry

from events.commands import GetTopPlayers
from events.envelope import CORRELATION_ID, REPLY_TO, new_event, to_pubsub
from events.metrics import BusMetrics
from events.settings import Settings
from events.topology import Topology
from events.worker import CommandContext, Worker
from tests.unit.events.fakes import Publisher

SOURCE = "//league-app/test/requester"
COMMAND_ID = "command-1"


class Message:
    """A pulled message as the client library hands it to the worker's callback."""

    def __init__(self, data: bytes, attributes: dict[str, str]) -> None:
        self.data, self.attributes = data, attributes
        self.settled: list[str] = []

    def ack(self) -> None:
        self.settled.append("ack")

    def nack(self) -> None:
        self.settled.append("nack")


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
) -> Worker:
    """A worker that answers top players with the command itself, on fakes of Pub/Sub."""

    def top(command: GetTopPlayers, context: CommandContext) -> GetTopPlayers:
        return command

    return Worker(
        service="stats",
        handlers={GetTopPlayers: top},
        topology=topology,
        publisher=publisher,  # type: ignore[arg-type]
        subscriber=None,  # type: ignore[arg-type]
        metrics=BusMetrics(registry),
        source="//league-app/test/stats",
        accepts_source=accepts_source,
    )


def command(reply_to: str) -> Message:
    extensions = {REPLY_TO: reply_to, CORRELATION_ID: "correlation-1"}
    event = new_event(
        GetTopPlayers.event_type,
        SOURCE,
        GetTopPlayers(position="Forward"),
        event_id=COMMAND_ID,
        extensions=extensions,
    )
    message = to_pubsub(event)
    return Message(message.data, message.attributes)


def counted(registry: CollectorRegistry, outcome: str) -> float:
    labels = {"service": "stats", "type": GetTopPlayers.event_type, "outcome": outcome}
    return registry.get_sample_value("league_commands_total", labels) or 0.0


def test_the_callback_returns_before_pubsub_has_the_reply_and_the_command_is_acked_after(
    worker, publisher, topology, registry
):
    message = command(topology.replies_topic)

    worker._on_message(message)  # type: ignore[arg-type]

    [(topic, reply)] = publisher.published
    assert topic == topology.replies_topic
    assert message.settled == [], "acked before Pub/Sub had the reply"
    assert worker.in_flight() == [COMMAND_ID]
    reply.set_result("message-1")
    assert message.settled == ["ack"]
    assert worker.in_flight() == []
    assert counted(registry, "ok") == 1


def test_a_reply_pubsub_could_not_take_has_the_command_delivered_again(
    worker, publisher, topology, registry
):
    message = command(topology.replies_topic)

    worker._on_message(message)  # type: ignore[arg-type]
    publisher.published[0][1].set_exception(google_errors.ServiceUnavailable("Pub/Sub is away"))

    assert message.settled == ["nack"]
    assert counted(registry, "retry") == 1 and counted(registry, "ok") == 0
    assert worker.in_flight() == []


def test_a_reply_to_a_topic_that_is_not_there_is_dead_lettered_before_the_ack(
    worker, publisher, topology, registry
):
    message = command("nobody-listens-here")

    worker._on_message(message)  # type: ignore[arg-type]
    publisher.published[0][1].set_exception(google_errors.NotFound("no such topic"))

    [_, (topic, dead_letter)] = publisher.published
    assert topic == topology.dead_letter_topic
    assert message.settled == [], "acked before the dead letter was kept"
    dead_letter.set_result("message-2")
    assert message.settled == ["ack"]
    labels = {"service": "stats", "code": "undeliverable_reply"}
    assert registry.get_sample_value("league_dead_letters_total", labels) == 1


def test_a_stop_waits_for_the_replies_still_being_published_and_acks_them_first(
    worker, publisher, topology
):
    """The client library stops the callbacks' scheduler, then the dispatcher that sends acks: a
    reply Pub/Sub takes after that would lose its command's ack, and the command would run again."""
    scheduler = worker._options()["scheduler"]
    message = command(topology.replies_topic)
    order: list[str] = []
    scheduler.schedule(worker._on_message, message)
    assert publisher.called.wait(10), "the callback never published its reply"

    def stop() -> None:
        scheduler.shutdown(await_msg_callbacks=True)
        order.append("stopped")

    stopping = threading.Thread(target=stop)
    stopping.start()
    # Without the drain the scheduler is done as soon as its callback is, a blink: give it a second.
    stopping.join(timeout=1.0)
    assert stopping.is_alive(), "the scheduler stopped with a reply still being published"
    publisher.published[0][1].set_result("message-1")
    order.extend(message.settled)
    stopping.join(timeout=10)

    assert order == ["ack", "stopped"]


def test_a_fault_of_the_worker_itself_leaves_nothing_in_flight_for_a_stop_to_wait_on(
    topology, publisher, registry
):
    def broken_check(source: str) -> bool:
        raise RuntimeError("the partners' list is unreadable")

    worker = stats_worker(topology, publisher, registry, accepts_source=broken_check)

    # The client library catches it, logs it and nacks the message.
    with pytest.raises(RuntimeError, match="unreadable"):
        worker._on_message(command(topology.replies_topic))  # type: ignore[arg-type]

    assert worker.in_flight() == []
    assert registry.get_sample_value("league_commands_in_flight", {"service": "stats"}) == 0
