"""The CLI's composition root: the clients a `league` sub-command needs, built in one place."""

from dataclasses import dataclass

from google.cloud import pubsub_v1

from events.settings import Settings
from events.topology import Topology


@dataclass(frozen=True)
class BusClients:
    settings: Settings
    topology: Topology
    publisher: pubsub_v1.PublisherClient
    subscriber: pubsub_v1.SubscriberClient


def bus_clients(settings: Settings | None = None) -> BusClients:
    settings = settings or Settings()
    return BusClients(
        settings=settings,
        topology=Topology.from_settings(settings),
        publisher=pubsub_v1.PublisherClient(),
        subscriber=pubsub_v1.SubscriberClient(),
    )
