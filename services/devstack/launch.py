"""`make run`'s whole stack (`league dev up`) on free ports, for the end-to-end tests and the
benchmark: every address moves, so they run beside a developer's own `make run`."""

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from services.devstack import components
from services.devstack.settings import StackSettings
from services.devstack.stack import league_command
from services.devstack.token_issuer import stack_token

ADDRESS_VARIABLES = {
    "PUBSUB_EMULATOR_HOST": "{}",
    "FIRESTORE_EMULATOR_HOST": "{}",
    "STORAGE_EMULATOR_HOST": "http://{}",
    "LEAGUE_STORAGE_HTTPS_ADDRESS": "{}",
    "LEAGUE_FRONTEND_ADDRESS": "{}",
    "LEAGUE_STATS_ADDRESS": "{}",
    "LEAGUE_PLAYEROPS_ADDRESS": "{}",
    "LEAGUE_TRANSFER_ADDRESS": "{}",
    "LEAGUE_FUNCTION_ADDRESS": "{}",
    "LEAGUE_ISSUER_ADDRESS": "{}",
    "LEAGUE_PROMETHEUS_ADDRESS": "{}",
}
READY_TIMEOUT_SECONDS = 180


def stack_environment(project_id: str, state_dir: Path) -> dict[str, str]:
    moved = {name: form.format(components.free_port()) for name, form in ADDRESS_VARIABLES.items()}
    return {
        **os.environ,
        **moved,
        "LEAGUE_PROJECT_ID": project_id,
        "LEAGUE_DEV_STATE_DIR": str(state_dir),
    }


def writer_token(environment: dict[str, str], subject: str) -> str:
    """A writer's token of the issuer of the stack started with `environment`, as `league dev
    token` mints it: what a client that writes through its frontend sends."""
    stack = StackSettings(
        LEAGUE_ISSUER_ADDRESS=environment["LEAGUE_ISSUER_ADDRESS"],
        LEAGUE_DEV_STATE_DIR=Path(environment["LEAGUE_DEV_STATE_DIR"]),
    )
    return stack_token(stack, subject)


@dataclass(frozen=True)
class RunningStack:
    said: list[str]  # what `league dev up` printed up to `ready`
    pid: int  # of `league dev up` (honcho): every process of the stack descends from it
    log: Path  # everything it prints, then and after


@contextmanager
def stack_up(environment: dict[str, str], log: Path | None = None) -> Iterator[RunningStack]:
    """Runs `league dev up` until it says ready; Ctrl-C's SIGINT after.

    Its output goes to a file (`log`, else one in the stack's state folder), never to a pipe
    left unread: once a pipe's buffer is full, honcho and with it every process of the stack
    would block on their next log line.
    """
    log = log or Path(environment["LEAGUE_DEV_STATE_DIR"]) / "stack.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as written, log.open() as read:
        up = subprocess.Popen(
            league_command("dev", "up"),
            env=environment,
            stdout=written,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        try:
            said = wait_for_line(up, read, "ready", READY_TIMEOUT_SECONDS)
            yield RunningStack(said, up.pid, log)
        finally:
            up.send_signal(signal.SIGINT)  # what Ctrl-C sends
            up.wait(timeout=60)


def wait_for_line(
    process: subprocess.Popen[str], output: TextIO, wanted: str, timeout: float
) -> list[str]:
    """Reads the process's output as it comes until a line ends with `| wanted`."""
    seen: list[str] = []
    give_up = time.monotonic() + timeout
    while time.monotonic() < give_up and process.poll() is None:
        line = output.readline()
        if not line:
            time.sleep(0.05)  # nothing new written yet
            continue
        seen.append(line.rstrip())
        if line.rstrip().endswith(f"| {wanted}"):
            return seen
    seen += [line.rstrip() for line in output.readlines()]
    raise AssertionError(f"no {wanted!r} line; the stack said:\n" + "\n".join(seen[-40:]))


def listening(environment: dict[str, str]) -> list[str]:
    addresses = [components.Address.parse(environment[name]) for name in ADDRESS_VARIABLES]
    return [str(a) for a in addresses if not components.port_is_free(a)]
