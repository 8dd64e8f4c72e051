"""Starting the frontend and the workers as the real processes they are, on free ports."""

import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from events.settings import Settings
from services.devstack.components import free_port, wait_until_answering
from services.devstack.settings import StackSettings
from services.devstack.stack import component_named
from services.devstack.token_issuer import stack_token
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


@dataclass(frozen=True)
class Issuer:
    """The stack's token issuer, running: what the frontend must be told, and its tokens."""

    stack: StackSettings

    def environment(self) -> dict[str, str]:
        return {
            name: value
            for name, value in self.stack.client_environment().items()
            if name.startswith("LEAGUE_AUTH_")
        }

    def token(self, subject: str = "e2e-tests", roles: list[str] | None = None) -> str:
        return stack_token(self.stack, subject, roles)


@contextmanager
def token_issuer(state_dir: Path, logs: Path) -> Iterator[Issuer]:
    """The local stack's issuer component (as `make run` starts it) on a free port."""
    stack = StackSettings(LEAGUE_ISSUER_ADDRESS=str(free_port()), LEAGUE_DEV_STATE_DIR=state_dir)
    component = component_named("issuer", stack, Settings())
    with running(component.command, logs / f"issuer-{component.address.port}.log"):
        wait_until_answering(component.ready_url, require_ok=True)
        yield Issuer(stack)
