"""Starting the frontend and the workers as the real processes they are, on free ports."""

import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx

from services.devstack.components import free_port
from tests.support.processes import running


@contextmanager
def serving(
    module: str, environment: Mapping[str, str], logs: Path
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`python -m module` on a free port; yields its base URL and process."""
    address = free_port()
    log_path = logs / f"{module.rsplit('.', 1)[-1]}-{address.port}.log"
    command = [sys.executable, "-m", module]
    environment = {**environment, "LEAGUE_HTTP_ADDRESS": str(address)}
    with running(command, log_path, environment) as process:
        yield address.url, process


def wait_until_ready(
    url: str, process: subprocess.Popen[bytes], log: Path | None = None, timeout: float = 60
) -> None:
    """Waits for a 200 from `url`/readyz; fails with the process's last log lines otherwise."""
    give_up = time.monotonic() + timeout
    while time.monotonic() < give_up and process.poll() is None:
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    said = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
    raise AssertionError(f"{url} was not ready (exit code {process.poll()}); it logged:\n{said}")
