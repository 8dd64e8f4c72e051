"""The ingest function as a real process on the emulators, and the bucket it loads from."""

import uuid
from collections.abc import Iterator
from pathlib import Path

import google.cloud.storage as storage
import httpx
import pytest
from google.cloud import pubsub_v1

from events.settings import Settings
from events.topology import Topology
from ingest.trigger import deliver, finalized_event
from services.devstack import components
from services.devstack.stack import ingest_function
from tests.conftest import BUCKET, PROJECT_ID, Emulators
from tests.support.processes import running


@pytest.fixture
def function_url(
    emulators: Emulators, settings: Settings, topology: Topology, tmp_path: Path
) -> Iterator[str]:
    address = components.free_port()
    command = ingest_function(address).command
    environment = {**emulators.environment(), "LEAGUE_TOPIC_PREFIX": settings.topic_prefix}
    with running(command, tmp_path / "function.log", environment):
        components.wait_until_answering(address.url, timeout=30)
        yield f"{address.url}/"


@pytest.fixture
def bucket(emulators: Emulators) -> storage.Bucket:
    return storage.Client(project=PROJECT_ID).bucket(BUCKET)


@pytest.fixture
def season() -> str:
    return f"s{uuid.uuid4().hex[:8]}"


@pytest.fixture
def events_subscription(
    topology: Topology, subscriber: pubsub_v1.SubscriberClient
) -> Iterator[str]:
    path = topology.subscription_path(f"{topology.prefix}-ingest-test")
    subscriber.create_subscription(name=path, topic=topology.topic_path(topology.events_topic))
    yield path
    subscriber.delete_subscription(subscription=path)


def put(bucket: storage.Bucket, name: str, content: str) -> storage.Blob:
    blob = bucket.blob(name)
    blob.upload_from_string(content.encode(), content_type="text/csv")
    return blob


def trigger(function_url: str, blob: storage.Blob) -> None:
    with httpx.Client(timeout=60) as http:
        deliver(http, function_url, finalized_event(blob))
