"""Outages: emulators this package can stop, start again and hang, under the whole stack (three
workers and the frontend as real processes) that must ride them out without a restart; and
workers told to stop. The package's emulators are its own (tests/conftest.py says why)."""

import signal
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from events.commands import SERVICES
from events.settings import Address, Settings
from events.topology import Topology, ensure_topology
from services.devstack import components
from services.devstack.stack import league_command
from tests.conftest import PROJECT_ID, Emulators, package_clients
from tests.e2e.frontend.conftest import NO_CACHE, SEASON, SQUADS, TABLE
from tests.e2e.frontend.processes import serving, wait_until_ready
from tests.integration.workers.conftest import start_worker
from tests.support.firestore import seed_season
from tests.support.processes import running, signal_tree

__all__ = ["start_worker"]

# The frontend's deadline for a reply (LEAGUE_REQUEST_TIMEOUT_SECONDS), and how soon requests
# must succeed again once the emulator is back (and, for Pub/Sub, provisioned): within 10 s of
# Pub/Sub's return, as the issue asks. After Firestore's (a restarted emulator, the season loaded
# again) we measured 3.8 s on a quiet machine and 16 s once inside a whole `make test` on 2 cores,
# so its bound is looser: what it proves is that the workers recover with no restart.
DEADLINE_SECONDS = 5.0
RECOVERY_SECONDS = {"pubsub": 10.0, "firestore": 30.0}
HOW = pytest.mark.parametrize("how", ["stopped", "hung"])


@dataclass
class Emulator:
    """One emulator, as `league dev start NAME` runs it, that a test may take away."""

    name: str
    address: Address
    environment: dict[str, str]
    logs: Path
    _running: ExitStack = field(default_factory=ExitStack)
    _process: subprocess.Popen[bytes] | None = None
    _starts: int = 0

    def start(self) -> None:
        self._starts += 1
        log = self.logs / f"{self.name}-{self._starts}.log"
        command = league_command("dev", "start", self.name)
        self._process = self._running.enter_context(running(command, log, self.environment))
        components.wait_until_answering(self.address.url)

    def stop(self) -> None:
        self._running.close()

    def hang(self) -> None:
        assert self._process is not None
        signal_tree(self._process, signal.SIGSTOP)

    def resume(self) -> None:
        assert self._process is not None
        signal_tree(self._process, signal.SIGCONT)

    @contextmanager
    def away(self, how: str) -> Iterator[None]:
        """ "stopped" (its state lost, as a crash would) or "hung" (answering nothing) for the
        block; started again, or resumed, after it."""
        (self.stop if how == "stopped" else self.hang)()
        try:
            yield
        finally:
            (self.start if how == "stopped" else self.resume)()


@dataclass(frozen=True)
class Outages:
    pubsub: Emulator
    firestore: Emulator


@pytest.fixture(scope="package")
def outages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Outages]:
    found = Emulators(components.free_port(), components.free_port())
    environment = found.environment()
    logs = tmp_path_factory.mktemp("emulator-logs")
    emulators = Outages(
        Emulator("pubsub", found.pubsub, environment, logs),
        Emulator("firestore", found.firestore, environment, logs),
    )
    with pytest.MonkeyPatch.context() as patch:
        for emulator in (emulators.pubsub, emulators.firestore):
            emulator.start()
        for name, value in environment.items():
            patch.setenv(name, value)
        try:
            yield emulators
        finally:
            emulators.pubsub.stop()
            emulators.firestore.stop()


@pytest.fixture(scope="package")
def emulators(outages: Outages) -> Emulators:
    """The package's emulators, for the shared fixtures (topics, an empty database, ...)."""
    return Emulators(outages.pubsub.address, outages.firestore.address)


publisher, subscriber = package_clients()


@dataclass(frozen=True)
class Stack:
    topology: Topology
    frontend: str
    workers: dict[str, str]  # health URL by service
    processes: list
    http: httpx.Client

    def ready(self) -> dict[str, httpx.Response]:
        """Every process's /readyz answer, by name."""
        urls = {"frontend": self.frontend, **self.workers}
        return {name: self.http.get(f"{url}/readyz") for name, url in urls.items()}

    def alive(self) -> bool:
        return all(process.poll() is None for process in self.processes)


@pytest.fixture(scope="package")
def stack(emulators, publisher, subscriber, tmp_path_factory) -> Iterator[Stack]:
    """The three workers and the frontend, started once for the whole package."""
    settings = Settings(project_id=PROJECT_ID, topic_prefix=f"out{uuid.uuid4().hex[:8]}")
    topology = Topology.from_settings(settings)
    ensure_topology(topology, publisher, subscriber)
    environment = {
        **emulators.environment(),
        "LEAGUE_TOPIC_PREFIX": settings.topic_prefix,
        "LEAGUE_REQUEST_TIMEOUT_SECONDS": str(DEADLINE_SECONDS),
    }
    logs = tmp_path_factory.mktemp("stack-logs")
    with ExitStack() as processes:
        started = {
            name: processes.enter_context(serving(f"services.{name}", environment, logs))
            for name in (*SERVICES, "frontend")
        }
        for url, process in started.values():
            wait_until_ready(url, process)
        # The tests restore the season straight into Firestore, behind the app's back, so they
        # read as a client that knows it must (the stats workers' model would lag up to 5 min).
        with httpx.Client(timeout=30, headers=NO_CACHE) as http:
            yield Stack(
                topology=topology,
                frontend=started["frontend"][0],
                workers={name: started[name][0] for name in SERVICES},
                processes=[process for _, process in started.values()],
                http=http,
            )


@pytest.fixture
def league(stack: Stack, firestore_client) -> Stack:
    """The stack over a freshly seeded season, each worker having answered once already."""
    seed_season(firestore_client, SEASON, TABLE, SQUADS)
    assert stack.http.get(f"{stack.frontend}/api/v1/clubs").status_code == 200
    return stack
