"""The stack under load: the frontend and two replicas of each worker as real processes, which a
test may SIGKILL and start again."""

import os
import signal
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from events.commands import SERVICES
from events.settings import Settings
from events.topology import Topology, ensure_topology
from tests.conftest import PROJECT_ID
from tests.e2e.frontend.processes import serving, wait_until_ready

REPLICAS = 2


@dataclass
class Replicas:
    """Processes started on one ExitStack, so whatever is still running stops with the stack."""

    environment: dict[str, str]
    logs: Path
    processes: ExitStack
    running: dict[str, list[tuple[str, subprocess.Popen[bytes]]]] = field(default_factory=dict)

    def start(self, service: str, count: int = 1) -> list[str]:
        """Starts `count` replicas of `python -m services.<service>`; returns their URLs once
        every one is ready."""
        module = f"services.{service}"
        started = [
            self.processes.enter_context(serving(module, self.environment, self.logs))
            for _ in range(count)
        ]
        for url, process in started:
            wait_until_ready(url, process, self.logs / f"{service}-{url.rsplit(':', 1)[1]}.log")
        self.running.setdefault(service, []).extend(started)
        return [url for url, _ in started]

    def kill(self, service: str, index: int = 0) -> None:
        """SIGKILLs a replica, as a node failure or the OOM killer would."""
        _, process = self.running[service].pop(index)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


@pytest.fixture(scope="package")
def topology(emulators, publisher, subscriber) -> Topology:
    settings = Settings(project_id=PROJECT_ID, topic_prefix=f"load{uuid.uuid4().hex[:8]}")
    topology = Topology.from_settings(settings)
    ensure_topology(topology, publisher, subscriber)
    return topology


@pytest.fixture(scope="package")
def replicas(emulators, topology, tmp_path_factory) -> Iterator[Replicas]:
    environment = {
        **emulators.environment(),
        "LEAGUE_TOPIC_PREFIX": topology.prefix,
        # A killed replica's unpublished events are the other's after this lease, at its next
        # sweep: quick enough to wait for here (production keeps the defaults).
        "LEAGUE_OUTBOX_LEASE_SECONDS": "10",
        "LEAGUE_OUTBOX_SWEEP_SECONDS": "2",
    }
    with ExitStack() as processes:
        stack = Replicas(environment, tmp_path_factory.mktemp("load-logs"), processes)
        for service in SERVICES:
            stack.start(service, REPLICAS)
        stack.start("frontend")
        yield stack
