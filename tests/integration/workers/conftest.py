"""Workers on the emulators, driven only through the bus; Firestore seeded as ingestion would."""

import asyncio
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import pytest
from google.cloud import firestore

from events.commands import PLAYEROPS, TransferPlayer
from events.loop_publisher import MOST_MESSAGES_A_CALL
from events.messages import Command
from events.replies import Reply
from events.settings import Settings
from events.topology import Topology
from events.values import Player, TableRow
from events.worker import Handler
from firestore_layout import club_path
from services.devstack import components
from services.playerops.bootstrap import playerops_handlers
from services.workers.process import Runtime, WorkerProcess
from tests.support.bus import REQUESTER_SOURCE, new_requester
from tests.support.firestore import seed_season
from tests.support.processes import running
from tests.unit.workers.fakes import club, player

SEASON = "2018-19"


def seed(client: firestore.Client, clubs: list[TableRow], players: list[Player]) -> None:
    seed_season(client, SEASON, clubs, players)


def seed_hazard_sale(client: firestore.Client) -> TransferPlayer:
    """Chelsea (capital 40) and Liverpool (200), Hazard at Chelsea for 120; the command that sells
    him to Liverpool, leaving Chelsea 160 and Liverpool 80."""
    seed(
        client,
        [club("Chelsea", capital=40), club("Liverpool", capital=200)],
        [player("Hazard", "Chelsea", price=120)],
    )
    return TransferPlayer(player="Hazard", from_club="Chelsea", to_club="Liverpool")


def ask(
    topology: Topology,
    subscriber: Any,
    commands: list[Command],
    source: str = REQUESTER_SOURCE,
    commands_a_publish: int = MOST_MESSAGES_A_CALL,
    **options: Any,
) -> list[Reply]:
    """Sends the commands at once, as another system would, and returns their replies in order."""

    async def scenario() -> list[Reply]:
        requester = new_requester(topology, subscriber, 30, source, commands_a_publish)
        await requester.start()
        try:
            return await asyncio.gather(*(requester.request(c, **options) for c in commands))
        finally:
            await requester.stop()

    return asyncio.run(scenario())


@contextmanager
def in_process_worker(
    service: str,
    settings: Settings,
    firestore_client: firestore.Client,
    publisher: Any,
    subscriber: Any,
    handlers: Callable[[Runtime], Mapping[type[Command], Handler]],
) -> Iterator[WorkerProcess]:
    """A worker built like its bootstrap builds it, on the test's clients, pulling until the end."""
    runtime = Runtime(service, settings, firestore_client, publisher, subscriber)
    process = runtime.worker_process(handlers(runtime))
    process.worker.start()
    try:
        yield process
    finally:
        process.worker.stop(timeout=10)


@pytest.fixture
def playerops(settings, firestore_client, publisher, subscriber):
    """The playerops worker, in this process, pulling while the test runs."""
    with in_process_worker(
        PLAYEROPS, settings, firestore_client, publisher, subscriber,
        lambda runtime: playerops_handlers(runtime.reader(), runtime.unit_of_work()),
    ) as process:  # fmt: skip
        yield process


@pytest.fixture
def capital_of(firestore_client: firestore.Client) -> Callable[[str], int]:
    def read(club: str) -> int:
        return firestore_client.document(club_path(SEASON, club)).get().get("capital")

    return read


@pytest.fixture
def start_worker(emulators, settings, topology, tmp_path):
    """Starts `python -m services.<service>` with the environment the stack would give it."""
    started = []

    def start(service: str, module: str | None = None, **extra: str):
        """`module` runs instead of the service's own (a worker composed by the test)."""
        address = components.free_port()
        environment = {
            **emulators.environment(),
            "LEAGUE_TOPIC_PREFIX": settings.topic_prefix,
            "LEAGUE_HTTP_ADDRESS": str(address),
            **extra,
        }
        log = tmp_path / f"{service}-{len(started)}.log"
        command = [sys.executable, "-m", module or f"services.{service}"]
        process = running(command, log, environment)
        started.append(process)
        popen = process.__enter__()
        components.wait_until_answering(f"{address.url}/healthz", timeout=30)
        return popen, address

    yield start
    for process in reversed(started):
        process.__exit__(None, None, None)
