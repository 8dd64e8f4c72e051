"""`league dev ...`: the local stack of `make run`, run by honcho from the Procfile."""

import os
import shlex
import signal
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Annotated

import typer

from events.settings import Settings
from events.topology import ensure_topology, ensure_uploads_push
from services.cli.bootstrap import bus_clients
from services.cli.upload import upload
from services.devstack import components
from services.devstack.cloud_cli import cloud_cli_environment
from services.devstack.session import run_supervised
from services.devstack.settings import StackSettings
from services.devstack.stack import Component, component_named, components_of
from services.devstack.token_issuer import stack_token

dev = typer.Typer(no_args_is_help=True, help="The local stack on the emulators (make run).")

PROCFILE = Path(__file__).resolve().parents[2] / "Procfile"
# The season `make run` loads: the project's own, made from the real 2018-19 Premier League.
DEMO_SEASON = Path(__file__).resolve().parents[2] / "data" / "seasons" / "2018-19"


@dev.command("up")
def up() -> None:
    """Start every component of the local stack; Ctrl-C stops them all."""
    stack, settings = StackSettings(), Settings()
    busy = [
        (address, component)
        for component in components_of(stack, settings)
        for address in component.addresses
        if not component.missing and not components.port_is_free(address)
    ]
    if busy:
        for address, component in busy:
            typer.echo(
                f"error: {address} ({component.label}) is already in use. Is "
                "`make run` already running? Stop it, or move the component with its "
                "environment variable (see the README).",
                err=True,
            )
        raise typer.Exit(1)
    honcho = str(Path(sys.executable).parent / "honcho")
    environment = {**os.environ, **stack.client_environment()}
    environment["LEAGUE_PROJECT_ID"] = settings.project_id  # the same as `league dev env`
    # The Procfile's `league` is this one, whether or not the venv is activated.
    environment["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{environment.get('PATH', '')}"
    os.execve(honcho, [honcho, "--procfile", str(PROCFILE), "start"], environment)


@dev.command("env")
def env() -> None:
    """Print the exports that point a shell (league, gcloud storage, gsutil) at the local stack:
    eval "$(league dev env)"."""
    stack, settings = StackSettings(), Settings()
    variables = {
        **stack.client_environment(),
        "LEAGUE_PROJECT_ID": settings.project_id,
        **cloud_cli_environment(stack, settings.project_id),
        "LEAGUE_PROMETHEUS_ADDRESS": stack.prometheus_address,  # the stack's Prometheus
    }
    for name, value in variables.items():
        typer.echo(f"export {name}={shlex.quote(value)}")


@dev.command("token")
def token(
    subject: Annotated[str, typer.Option(help="The token's subject (`sub`).")] = "developer",
    role: Annotated[
        list[str] | None,
        typer.Option(help="A role the token holds (repeatable); default: the writer role."),
    ] = None,
    minutes: Annotated[int, typer.Option(help="How long the token holds.")] = 60,
) -> None:
    """Print a token of the running stack's issuer: curl -H "Authorization: Bearer $(league dev
    token)" ..."""
    try:
        minted = stack_token(StackSettings(), subject, role, minutes * 60)
    except FileNotFoundError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None
    typer.echo(minted)


@dev.command("start")
def start(name: Annotated[str, typer.Argument(help="A component of the Procfile.")]) -> None:
    """Start one component in the foreground (what each Procfile line runs)."""
    stack, settings = StackSettings(), Settings()
    component = component_named(name, stack, settings)
    if component.missing:
        # Waits to be stopped, as honcho stops the whole stack when any of its processes ends. The
        # signals are held from before the message: one sent as soon as it is read still counts
        # (with signal.pause, one arriving before the call was lost, and the wait never ended).
        stops = {signal.SIGINT, signal.SIGTERM}
        signal.pthread_sigmask(signal.SIG_BLOCK, stops)
        typer.echo(f"{component.label}: {component.missing}", err=True)
        raise typer.Exit(128 + signal.sigwait(stops))
    environment = {**os.environ, "LEAGUE_HTTP_ADDRESS": str(component.address)}
    if component.needs_bus:
        _wait_for_emulators(stack, settings)
        bus = bus_clients(settings)
        ensure_topology(bus.topology, bus.publisher, bus.subscriber)
        if component.uploads_push_endpoint:
            ensure_uploads_push(bus.topology, bus.subscriber, component.uploads_push_endpoint)
    for folder in component.folders:
        folder.mkdir(parents=True, exist_ok=True)
    if component.prepare:
        component.prepare()
    run_supervised(component.command, environment)


@dev.command("ready")
def ready(
    timeout: Annotated[float, typer.Option(help="Seconds to wait for every component.")] = 120.0,
) -> None:
    """Wait until every component answers, load the demo season, print the addresses, `ready`."""
    stack, settings = StackSettings(), Settings()
    every = components_of(stack, settings)
    running = [component for component in every if not component.missing]
    with ThreadPoolExecutor(len(running)) as pool:
        list(pool.map(lambda c: _wait_until_ready(c, timeout), running))
    upload([DEMO_SEASON], season=DEMO_SEASON.name, wait=True)
    for component in every:
        typer.echo(f"{component.label:<24} {component.missing or component.address.url}")
    typer.echo("ready", color=False)
    # honcho stops the whole stack when any of its processes ends, so this one stays.
    signal.pause()


def _wait_until_ready(component: Component, timeout: float) -> None:
    components.wait_until_answering(
        component.ready_url, timeout, require_ok=component.ready_needs_ok
    )


def _wait_for_emulators(stack: StackSettings, settings: Settings) -> None:
    for name in ("pubsub", "firestore"):
        components.wait_until_answering(component_named(name, stack, settings).ready_url)
