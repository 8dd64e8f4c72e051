"""`league topics ...` and `league ping`: provision the bus and check who answers on it."""

import asyncio
from typing import Annotated

import typer
from prometheus_client import CollectorRegistry

from events.commands import SERVICES, Ping
from events.metrics import BusMetrics
from events.replies import CommandError
from events.requester import Requester
from events.topology import ensure_topology
from services.cli.bootstrap import bus_clients

topics = typer.Typer(no_args_is_help=True, help="Pub/Sub topics and subscriptions.")


@topics.command("ensure")
def ensure() -> None:
    """Create the topics and subscriptions that are missing; leave the others as they are."""
    bus = bus_clients()
    created = ensure_topology(bus.topology, bus.publisher, bus.subscriber)
    for name in created:
        typer.echo(f"created {name}")
    typer.echo(f"topology of '{bus.topology.prefix}' in {bus.topology.project_id}: ok")


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
    bus = bus_clients()
    requester = Requester(
        topology=bus.topology,
        publisher=bus.publisher,
        subscriber=bus.subscriber,
        metrics=BusMetrics(CollectorRegistry()),
        source=f"{bus.settings.source}/cli",
        subscription_ttl_days=bus.settings.reply_subscription_ttl_days,
    )
    await requester.start()
    try:
        reply = await requester.request(Ping(), service=service, timeout=timeout)
    finally:
        await requester.stop()
    if reply.error is not None:
        raise CommandError.from_reply(reply)
    return reply.result or {}
