"""The CLI's composition root: the clients a `league` sub-command needs, built in one place."""

from dataclasses import dataclass

import typer
from google.auth.exceptions import DefaultCredentialsError
from google.cloud import pubsub_v1
from prometheus_client import CollectorRegistry

from events.metrics import BusMetrics
from events.pubsub_clients import LoopClients, publisher_client, subscriber_client
from events.requester import Requester
from events.settings import Settings
from events.topology import Topology

NO_CREDENTIALS = (
    "no Google credentials and no emulator: for the local stack of `make run`, first run "
    'eval "$(league dev env)"; for a real project, `gcloud auth application-default login`'
)


@dataclass(frozen=True)
class BusClients:
    settings: Settings
    topology: Topology
    publisher: pubsub_v1.PublisherClient
    subscriber: pubsub_v1.SubscriberClient

    def requester(self, client: str) -> Requester:
        """A requester of its own for a client outside the services (`league bus ping`, the
        bench), sending as `<source>/<client>`; its metrics are kept nowhere."""
        return Requester(
            topology=self.topology,
            loop_clients=LoopClients(self.settings),
            subscriber=self.subscriber,
            metrics=BusMetrics(CollectorRegistry()),
            source=f"{self.settings.source}/{client}",
            subscription_ttl_days=self.settings.reply_subscription_ttl_days,
        )


def bus_clients(settings: Settings | None = None) -> BusClients:
    settings = settings or Settings()
    try:
        publisher, subscriber = publisher_client(settings), subscriber_client(settings)
    except DefaultCredentialsError:
        typer.echo(f"error: {NO_CREDENTIALS}", err=True)
        raise typer.Exit(1) from None
    return BusClients(
        settings=settings,
        topology=Topology.from_settings(settings),
        publisher=publisher,
        subscriber=subscriber,
    )
