"""`league cloud up` runs its steps in order: what one step found out (`keep_as`) fills the
`${name}` of later ones, in their arguments and in their environment alike."""

import subprocess
from typing import Any

from services.cli import cloud
from services.cli.cloud_steps import Step


class Ran:
    def __init__(self) -> None:
        self.commands: list[tuple[list[str], dict[str, str]]] = []

    def __call__(self, command: list[str], **options: Any) -> subprocess.CompletedProcess[str]:
        self.commands.append((command, options.get("env") or {}))
        return subprocess.CompletedProcess(command, 0, stdout="123456\n", stderr="")


def test_a_value_found_by_one_step_fills_the_arguments_and_environment_of_later_ones(
    monkeypatch,
):
    ran = Ran()
    monkeypatch.setattr(subprocess, "run", ran)
    member = "principal://iam.googleapis.com/projects/${project_number}/sa/frontend"

    steps = [
        Step("the project number", ["gcloud", "projects", "describe"], keep_as="project_number"),
        Step("topics", ["league", "topics", "ensure", "--for=${project_number}"],
             environment={"LEAGUE_FRONTEND_MEMBER": member}),
    ]  # fmt: skip

    cloud.run(steps, dry_run=False)

    (_, _), (command, environment) = ran.commands
    assert command[-1] == "--for=123456"
    assert environment["LEAGUE_FRONTEND_MEMBER"] == (
        "principal://iam.googleapis.com/projects/123456/sa/frontend"
    )
