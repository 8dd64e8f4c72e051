"""`make run`'s whole stack (`league dev up`) for end-to-end tests, every address on a free port
so the tests run beside a developer's own `make run`."""

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from services.devstack import components
from services.devstack.stack import league_command

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


@contextmanager
def stack_up(environment: dict[str, str]) -> Iterator[list[str]]:
    """Runs `league dev up` until it says ready (yielding what it said); Ctrl-C's SIGINT after."""
    up = subprocess.Popen(
        league_command("dev", "up"),
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        yield wait_for_line(up, "ready", READY_TIMEOUT_SECONDS)
    finally:
        up.send_signal(signal.SIGINT)  # what Ctrl-C sends
        up.wait(timeout=60)
        if up.stdout is not None:
            up.stdout.close()


def wait_for_line(process: subprocess.Popen[str], wanted: str, timeout: float) -> list[str]:
    seen: list[str] = []
    give_up = time.monotonic() + timeout
    assert process.stdout is not None
    while time.monotonic() < give_up:
        line = process.stdout.readline()
        if not line:
            break
        seen.append(line.rstrip())
        if line.rstrip().endswith(f"| {wanted}"):
            return seen
    raise AssertionError(f"no {wanted!r} line; the stack said:\n" + "\n".join(seen[-40:]))


def listening(environment: dict[str, str]) -> list[str]:
    addresses = [components.Address.parse(environment[name]) for name in ADDRESS_VARIABLES]
    return [str(a) for a in addresses if not components.port_is_free(a)]
