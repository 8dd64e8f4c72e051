"""`league cloud up|down --project P [--dry-run]`: League App on GKE from an empty project.

Every step is safe to repeat (it checks first, or its command is idempotent), so after a failure
the same command goes on where it stopped. `--dry-run` runs nothing and prints the steps as the
shell script they amount to, the checks included.
"""

import os
import shlex
import subprocess
from pathlib import Path
from string import Template
from typing import Annotated

import typer

from events.settings import Settings
from events.topology import Topology
from services.cli import cloud_plan
from services.cli.cloud_steps import Cloud, Step, WriteFile

cloud = typer.Typer(no_args_is_help=True, help="League App on GKE: deploy it, tear it down.")
Project = Annotated[str, typer.Option(help="The Google Cloud project id.")]
Region = Annotated[str, typer.Option(help="Where everything goes.")]
Bucket = Annotated[
    str | None, typer.Option(help="Season bucket; default <project>-league-seasons.")
]
DryRun = Annotated[bool, typer.Option(help="Print every command; run none.")]


@cloud.command("up")
def up(project: Project, region: Region = "europe-west1", bucket: Bucket = None,
       dry_run: DryRun = False) -> None:  # fmt: skip
    """APIs, Firestore, bucket, topics, the function, images, the cluster with the mesh,
    Workload Identity, the app, and a smoke test through the gateway."""
    run(cloud_plan.up(_cloud(project, region, bucket)), dry_run)


@cloud.command("down")
def down(project: Project, region: Region = "europe-west1", bucket: Bucket = None,
         dry_run: DryRun = False) -> None:  # fmt: skip
    """Delete what `up` made (or delete the whole project: gcloud projects delete)."""
    run(cloud_plan.down(_cloud(project, region, bucket)), dry_run)


def _cloud(project: str, region: str, bucket: str | None) -> Cloud:
    settings = Settings(project_id=project)
    topology = Topology.from_settings(settings)
    bucket = bucket or f"{project}-league-seasons"
    return Cloud(project, region, bucket, topology, settings.partners)


def run(steps: list[Step | WriteFile], dry_run: bool) -> None:
    found: dict[str, str] = {}  # what `keep_as` steps found out, for the `${name}` of later ones
    for step in steps:
        if dry_run:
            typer.echo(f"\n# {step.what}\n{as_shell(step)}")
        elif isinstance(step, WriteFile):
            Path(step.path).parent.mkdir(parents=True, exist_ok=True)
            Path(step.path).write_text(Template(step.text).substitute(found))
            typer.echo(f"{step.what}: {step.path}")
        else:
            _run_step(step, found)


def _run_step(step: Step, found: dict[str, str]) -> None:
    def resolved(command: list[str]) -> list[str]:
        return [Template(argument).substitute(found) for argument in command]

    if step.unless and _succeeds(resolved(step.unless)):
        typer.echo(f"{step.what}: there already")
        return
    if step.only_if and not _succeeds(resolved(step.only_if)):
        typer.echo(f"{step.what}: nothing to do")
        return
    typer.echo(f"{step.what}: {shlex.join(resolved(step.command))}")
    # The environment may name found values too (a principal's project number).
    environment = {name: Template(v).substitute(found) for name, v in step.environment.items()}
    done = subprocess.run(
        resolved(step.command),
        env={**os.environ, **environment},
        stdout=subprocess.PIPE if step.keep_as else None,
        text=True,
        check=True,
    )
    if step.keep_as:
        found[step.keep_as] = done.stdout.strip()


def _succeeds(command: list[str]) -> bool:
    return subprocess.run(command, capture_output=True).returncode == 0


def as_shell(step: Step | WriteFile) -> str:
    """The step as shell: `check || command`, `check && command`, `name=$(command)`, a heredoc."""
    if isinstance(step, WriteFile):
        return f"mkdir -p {Path(step.path).parent}\ncat > {step.path} <<EOF\n{step.text}EOF"
    environment = [f"{name}={_quote(value)}" for name, value in step.environment.items()]
    line = " ".join([*environment, *map(_quote, step.command)])
    if step.keep_as:
        return f'{step.keep_as}="$({line})"'
    if step.unless:
        return f"{' '.join(map(_quote, step.unless))} >/dev/null 2>&1 ||\n  {line}"
    if step.only_if:
        return f"{' '.join(map(_quote, step.only_if))} >/dev/null 2>&1 &&\n  {line}"
    return line


def _quote(argument: str) -> str:
    """Shell quoting that leaves ${name} to the shell, as the runner leaves it to earlier steps."""
    if "${" not in argument:
        return shlex.quote(argument)
    return '"' + argument.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`") + '"'
