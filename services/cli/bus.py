"""`league topics ...` and `league ping`: provision the bus and check who answers on it."""

import asyncio
from typing import Annotated

import typer
from google.api_core.exceptions import GoogleAPICallError

from events.commands import SERVICES, Ping
from events.publishing_rights import PubsubTopicPolicies, grant_publishing, publishing_rights
from events.replies import CommandError
from events.topology import ensure_topology
from services.cli.bootstrap import BusClients, bus_clients

topics = typer.Typer(no_args_is_help=True, help="Pub/Sub topics and subscriptions.")


@topics.command("ensure")
def ensure() -> None:
    """Create the topics and subscriptions that are missing; leave the others as they are. On
    real Pub/Sub, with LEAGUE_FRONTEND_MEMBER set, let only the frontend and the partners
    (LEAGUE_PARTNERS) publish commands."""
    bus = bus_clients()
    created = ensure_topology(bus.topology, bus.publisher, bus.subscriber)
    for name in created:
        typer.echo(f"created {name}")
    _ensure_publishing_rights(bus)
    typer.echo(f"topology of '{bus.topology.prefix}' in {bus.topology.project_id}: ok")


def _ensure_publishing_rights(bus: BusClients) -> None:
    settings = bus.settings
    if settings.pubsub_emulator_host:
        typer.echo("publishing rights: not set, the Pub/Sub emulator has no IAM")
        return
    if settings.frontend_member is None:
        typer.echo("publishing rights: left as they are, LEAGUE_FRONTEND_MEMBER is not set")
        return
    rights = publishing_rights(bus.topology, settings.frontend_member, settings.partners)
    policies = PubsubTopicPolicies(bus.publisher)
    try:
        changed = grant_publishing(policies, bus.topology, rights)
    except GoogleAPICallError as error:
        typer.echo(
            "error: could not set who may publish commands (it takes "
            f"pubsub.topics.getIamPolicy and setIamPolicy on the topics): {error}",
            err=True,
        )
        raise typer.Exit(1) from None
    for topic in changed:
        typer.echo(f"publishers of {topic}: {', '.join(sorted(rights[topic]))}")


@topics.command("list")
def list_names() -> None:
    """Print the names of the topics and worker subscriptions of this stack."""
    bus = bus_clients()
    for topic in bus.topology.topics():
        typer.echo(f"topic         {topic}")
    for service in SERVICES:
        typer.echo(f"subscription  {bus.topology.worker_subscription(service)}")
    typer.echo(f"subscription  {bus.topology.dead_letter_subscription}")


def ping(
    service: Annotated[str, typer.Argument(help=f"One of: {', '.join(SERVICES)}.")],
    timeout: Annotated[float, typer.Option(help="Seconds to wait for the answer.")] = 5.0,
) -> None:
    """Ask a worker service over the bus whether it is alive."""
    if service not in SERVICES:
        raise typer.BadParameter(f"unknown service {service!r}; choose {', '.join(SERVICES)}")
    try:
        answer = asyncio.run(_ping(service, timeout))
    except CommandError as error:
        typer.echo(f"{service}: {error.message}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"{service}: answered by instance {answer['instance']}")


async def _ping(service: str, timeout: float) -> dict:
    requester = bus_clients().requester("cli")
    await requester.start()
    try:
        reply = await requester.request(Ping(), service=service, timeout=timeout)
    finally:
        await requester.stop()
    if reply.error is not None:
        raise CommandError.from_reply(reply)
    return reply.result or {}
