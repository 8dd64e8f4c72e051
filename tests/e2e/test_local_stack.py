"""`make run`'s stack (`league dev up`): starts, says ready, refuses a second start, stops clean."""

import subprocess
from pathlib import Path

from services.devstack.launch import listening, stack_environment, stack_up
from services.devstack.stack import league_command


def test_the_stack_starts_says_ready_refuses_a_second_start_and_stops_clean(tmp_path: Path):
    environment = stack_environment("league-stack-test", tmp_path / "state")
    pubsub = environment["PUBSUB_EMULATOR_HOST"]
    with stack_up(environment) as stack:
        assert any(line.endswith(f"http://{pubsub}") for line in stack.said)

        second = subprocess.run(
            league_command("dev", "up"), env=environment, capture_output=True, text=True
        )
        assert second.returncode == 1
        assert f"{pubsub} (Pub/Sub emulator) is already in use" in second.stderr

    assert listening(environment) == []
    port = pubsub.rsplit(":", 1)[1]
    leftovers = subprocess.run(
        ["pgrep", "-f", f"(:|port=){port}( |$)"], capture_output=True, text=True
    )
    assert leftovers.stdout.strip() == "", "a process of the stack outlived it"
