"""The frontend's composition root: the one place its Pub/Sub clients are built."""

from fastapi import FastAPI
from prometheus_client import CollectorRegistry

from events.metrics import BusMetrics
from events.pubsub_clients import publisher_client, subscriber_client
from events.requester import Requester
from events.settings import Settings
from events.topology import Topology
from services.frontend.app import create_app


def bootstrap(
    settings: Settings | None = None,
    *,
    requester: Requester | None = None,
    registry: CollectorRegistry | None = None,
) -> FastAPI:
    """The app with real clients, or with the `requester` a test hands in."""
    settings = settings or Settings()
    registry = registry or CollectorRegistry()
    if requester is None:
        requester = Requester(
            topology=Topology.from_settings(settings),
            publisher=publisher_client(settings),
            subscriber=subscriber_client(settings),
            metrics=BusMetrics(registry),
            source=f"{settings.source}/frontend",
            default_timeout=settings.request_timeout_seconds,
            subscription_ttl_days=settings.reply_subscription_ttl_days,
        )
    return create_app(requester, registry, settings.read_your_writes_seconds)
