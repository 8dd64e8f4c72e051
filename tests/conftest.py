"""Session fixtures: the real emulators on free ports, and a clean slate for every test."""

import os
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from google.cloud import firestore, pubsub_v1

from events.pubsub_clients import publisher_client, subscriber_client
from events.settings import Address, Settings
from events.topology import Topology, ensure_topology
from services.devstack import components
from services.devstack.components import clear_firestore
from services.devstack.stack import league_command
from tests.support.figures import Figures, print_summary, recorder
from tests.support.processes import running

PROJECT_ID = "league-test"


@dataclass(frozen=True)
class Emulators:
    pubsub: Address
    firestore: Address

    def environment(self) -> dict[str, str]:
        return {
            "PUBSUB_EMULATOR_HOST": str(self.pubsub),
            "FIRESTORE_EMULATOR_HOST": str(self.firestore),
            "LEAGUE_PROJECT_ID": PROJECT_ID,
        }


def _emulators(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulators]:
    """Starts the Pub/Sub and Firestore emulators on free ports, so `make run` can run beside,
    exactly as `make run` starts them: `league dev start NAME`."""
    logs = tmp_path_factory.mktemp("emulator-logs")
    found = Emulators(components.free_port(), components.free_port())
    environment = found.environment()
    with ExitStack() as stack, pytest.MonkeyPatch.context() as patch:
        for name in ("pubsub", "firestore"):
            command = league_command("dev", "start", name)
            stack.enter_context(running(command, logs / f"{name}.log", environment))
        urls = [found.pubsub.url, found.firestore.url]
        with ThreadPoolExecutor(len(urls)) as pool:
            list(pool.map(components.wait_until_answering, urls))
        for name, value in environment.items():
            patch.setenv(name, value)
        yield found


def _publisher(emulators: Emulators) -> pubsub_v1.PublisherClient:
    return publisher_client(Settings())


def _subscriber(emulators: Emulators) -> Iterator[pubsub_v1.SubscriberClient]:
    client = subscriber_client(Settings())
    yield client
    client.close()


def package_emulators() -> Any:
    """The emulators, as a fixture of the package whose conftest.py assigns it:
    `emulators = package_emulators()`, with `publisher, subscriber = package_clients()`.

    A package fixture belongs to the package of the conftest.py that defines it, so the ones
    below serve the whole session (the tests/ package). The Pub/Sub emulator (0.8.20) mishandles
    a stream that a client resets (a NoSuchMethodError in its gRPC server, in its log) and, as
    such streams pile up, it hands new streams their messages ever later (tens of seconds). A
    package whose tests reset many streams, or send 10 MB messages, takes emulators of its own.
    """
    return pytest.fixture(scope="package", name="emulators")(_emulators)


def package_clients() -> tuple[Any, Any]:
    """The Pub/Sub clients of the package's own emulators, as its fixtures (see above)."""
    return (
        pytest.fixture(scope="package", name="publisher")(_publisher),
        pytest.fixture(scope="package", name="subscriber")(_subscriber),
    )


emulators = package_emulators()
publisher, subscriber = package_clients()


@pytest.fixture
def settings(emulators: Emulators) -> Settings:
    """Settings with a topic prefix of this test's own, so no two tests share a topic."""
    return Settings(project_id=PROJECT_ID, topic_prefix=f"t{uuid.uuid4().hex[:10]}")


@pytest.fixture
def topology(
    settings: Settings,
    publisher: pubsub_v1.PublisherClient,
    subscriber: pubsub_v1.SubscriberClient,
) -> Topology:
    topology = Topology.from_settings(settings)
    ensure_topology(topology, publisher, subscriber)
    return topology


@pytest.fixture
def firestore_client(emulators: Emulators) -> Iterator[firestore.Client]:
    """A Firestore client on an emptied emulator database, emptied again after the test."""
    clear_firestore(emulators.firestore, PROJECT_ID)
    client = firestore.Client(project=PROJECT_ID)
    yield client
    client.close()
    clear_firestore(emulators.firestore, PROJECT_ID)


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return Path(__file__).resolve().parent.parent


def pytest_configure(config: pytest.Config) -> None:
    # Tests must never reach a real Google project, whatever the developer's machine has set.
    os.environ.pop("GOOGLE_APPLICATION_CREDENTIALS", None)


@pytest.fixture
def figures(request: pytest.FixtureRequest) -> Figures:
    """Records a scenario's figures; they are printed together after the results."""
    return recorder(request.config)


def pytest_terminal_summary(terminalreporter: object, config: pytest.Config) -> None:
    print_summary(terminalreporter, config)
