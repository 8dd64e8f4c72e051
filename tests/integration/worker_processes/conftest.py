"""Worker processes started as the stack starts them, for the tests below this folder."""

import sys

import pytest

from services.devstack import components
from tests.support.processes import running

pytestmark = pytest.mark.emulators


@pytest.fixture
def start_worker(emulators, settings, topology, tmp_path):
    """Starts `python -m services.<service>` with the environment the stack would give it."""
    started = []

    def start(service: str, **extra: str):
        address = components.free_port()
        environment = {
            **emulators.environment(),
            "LEAGUE_TOPIC_PREFIX": settings.topic_prefix,
            "LEAGUE_HTTP_ADDRESS": str(address),
            **extra,
        }
        log = tmp_path / f"{service}-{len(started)}.log"
        process = running([sys.executable, "-m", f"services.{service}"], log, environment)
        started.append(process)
        popen = process.__enter__()
        components.wait_until_answering(f"{address.url}/healthz", timeout=30)
        return popen, address

    yield start
    for process in reversed(started):
        process.__exit__(None, None, None)
