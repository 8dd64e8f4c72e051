"""The frontend's composition root: the one place its Pub/Sub clients are built."""

from fastapi import FastAPI
from prometheus_client import CollectorRegistry

from events.metrics import BusMetrics
from events.pubsub_clients import LoopClients, subscriber_client
from events.requester import Requester
from events.settings import Settings
from events.topology import Topology
from services.frontend.app import create_app
from services.frontend.auth_settings import AuthSettings
from services.frontend.tokens import TokenVerifier
from services.frontend.write_rate import WriteRate


def bootstrap(
    settings: Settings | None = None,
    *,
    requester: Requester | None = None,
    registry: CollectorRegistry | None = None,
    tokens: TokenVerifier | None = None,
) -> FastAPI:
    """The app with real clients, or with the `requester` (and `tokens`) a test hands in."""
    settings = settings or Settings()
    registry = registry or CollectorRegistry()
    if requester is None:
        requester = Requester(
            topology=Topology.from_settings(settings),
            loop_clients=LoopClients(settings),
            subscriber=subscriber_client(settings),
            metrics=BusMetrics(registry),
            source=f"{settings.source}/frontend",
            default_timeout=settings.request_timeout_seconds,
            subscription_ttl_days=settings.reply_subscription_ttl_days,
        )
    auth = AuthSettings()
    tokens = tokens or TokenVerifier.from_settings(auth)
    return create_app(
        requester, registry, tokens, WriteRate(auth.write_rate), settings.read_your_writes_seconds
    )
