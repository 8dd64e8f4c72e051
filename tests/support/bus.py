"""Builders for bus tests: a worker or requester wired to the emulator, as a bootstrap would."""

import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from google.cloud import pubsub_v1
from prometheus_client import CollectorRegistry

from events.loop_publisher import MOST_MESSAGES_A_CALL
from events.messages import Command
from events.metrics import BusMetrics
from events.partners import source_check
from events.pubsub_clients import LoopClients
from events.requester import Requester
from events.settings import Settings
from events.topology import Topology
from events.worker import Worker

REQUESTER_SOURCE = "//league-app/test/requester"


@contextmanager
def running_worker(
    service: str,
    handlers: Mapping[type[Command], Callable[..., Any]],
    topology: Topology,
    subscriber: pubsub_v1.SubscriberClient,
    registry: CollectorRegistry | None = None,
) -> Iterator[Worker]:
    settings = Settings()
    worker = Worker(
        service=service,
        handlers=handlers,
        topology=topology,
        loop_clients=LoopClients(settings),
        subscriber=subscriber,
        metrics=BusMetrics(registry or CollectorRegistry()),
        source=f"//league-app/test/{service}",
        # Configured as the test session's environment has it (tests/conftest.py).
        accepts_source=source_check(settings.source, settings.partners, service),
    )
    worker.start()
    try:
        yield worker
    finally:
        worker.stop(timeout=10)


def new_requester(
    topology: Topology,
    subscriber: pubsub_v1.SubscriberClient,
    timeout: float = 10.0,
    source: str = REQUESTER_SOURCE,
    commands_a_publish: int = MOST_MESSAGES_A_CALL,
) -> Requester:
    """A requester as the frontend builds one, on the test session's emulator."""
    return Requester(
        topology=topology,
        loop_clients=LoopClients(Settings()),
        commands_a_publish=commands_a_publish,
        subscriber=subscriber,
        metrics=BusMetrics(CollectorRegistry()),
        source=source,
        default_timeout=timeout,
    )


def replies_subscription(topology: Topology, subscriber: pubsub_v1.SubscriberClient) -> str:
    """A subscription of its own on the replies topic, as another system listening for its
    answers has; its path."""
    name = topology.subscription_path(f"{topology.prefix}-replies-{uuid.uuid4().hex[:8]}")
    subscriber.create_subscription(
        request={"name": name, "topic": topology.topic_path(topology.replies_topic)}
    )
    return name


def pull_all(
    subscriber: pubsub_v1.SubscriberClient, subscription: str, expected: int, timeout: float = 10.0
) -> list[Any]:
    """Synchronously pulls until `expected` messages came (acking them) or `timeout` passed."""
    received: list[Any] = []
    give_up = time.monotonic() + timeout
    while len(received) < expected and time.monotonic() < give_up:
        response = subscriber.pull(
            request={"subscription": subscription, "max_messages": 10}, timeout=5
        )
        if response.received_messages:
            subscriber.acknowledge(
                request={
                    "subscription": subscription,
                    "ack_ids": [m.ack_id for m in response.received_messages],
                }
            )
        received.extend(m.message for m in response.received_messages)
    return received


def times_published(
    subscriber: pubsub_v1.SubscriberClient, subscription: str, timeout: float = 5.0
) -> Counter[str]:
    """How many times each event id came on `subscription`, pulled until `timeout` passes."""
    received = pull_all(subscriber, subscription, expected=1_000_000, timeout=timeout)
    return Counter(message.attributes["ce-id"] for message in received)


def duplicates(published: Counter[str]) -> int:
    return sum(published.values()) - len(published)


@contextmanager
def events_subscription(topology: Topology, subscriber: Any) -> Iterator[str]:
    """A subscription to the domain-events topic, made before the events it should see."""
    name = topology.subscription_path(f"{topology.prefix}-events-test-{uuid.uuid4().hex[:6]}")
    subscriber.create_subscription(
        request={"name": name, "topic": topology.topic_path(topology.events_topic)}
    )
    try:
        yield name
    finally:
        subscriber.delete_subscription(subscription=name)
