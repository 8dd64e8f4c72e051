"""`make run`'s stack (`league dev up`): starts, says ready, refuses a second start, stops clean."""

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from services.devstack import components
from services.devstack.stack import league_command

ADDRESS_VARIABLES = {
    "PUBSUB_EMULATOR_HOST": "{}",
    "FIRESTORE_EMULATOR_HOST": "{}",
    "STORAGE_EMULATOR_HOST": "http://{}",
    "LEAGUE_FRONTEND_ADDRESS": "{}",
    "LEAGUE_STATS_ADDRESS": "{}",
    "LEAGUE_PLAYEROPS_ADDRESS": "{}",
    "LEAGUE_TRANSFER_ADDRESS": "{}",
    "LEAGUE_FUNCTION_ADDRESS": "{}",
}


@pytest.fixture
def stack_environment() -> dict[str, str]:
    """Every address moved to a free port, so the test runs beside a developer's `make run`."""
    moved = {name: form.format(components.free_port()) for name, form in ADDRESS_VARIABLES.items()}
    return {**os.environ, **moved, "LEAGUE_PROJECT_ID": "league-stack-test"}


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


def test_the_stack_starts_says_ready_refuses_a_second_start_and_stops_clean(
    stack_environment, tmp_path: Path
):
    up = subprocess.Popen(
        league_command("dev", "up"),
        env=stack_environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        said = wait_for_line(up, "ready", timeout=180)
        pubsub = stack_environment["PUBSUB_EMULATOR_HOST"]
        assert any(line.endswith(f"http://{pubsub}") for line in said)

        second = subprocess.run(
            league_command("dev", "up"), env=stack_environment, capture_output=True, text=True
        )
        assert second.returncode == 1
        assert f"{pubsub} (Pub/Sub emulator) is already in use" in second.stderr
    finally:
        up.send_signal(signal.SIGINT)  # what Ctrl-C sends
        up.wait(timeout=60)

    assert listening(stack_environment) == []
    port = stack_environment["PUBSUB_EMULATOR_HOST"].rsplit(":", 1)[1]
    leftovers = subprocess.run(
        ["pgrep", "-f", f"(:|port=){port}( |$)"], capture_output=True, text=True
    )
    assert leftovers.stdout.strip() == "", "a process of the stack outlived it"
