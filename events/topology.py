"""Topic and subscription names, and their idempotent provisioning on Pub/Sub (emulator or real)."""

import logging
from dataclasses import dataclass

from google.api_core.exceptions import AlreadyExists
from google.cloud import pubsub_v1
from google.protobuf import duration_pb2

from events.commands import SERVICES
from events.settings import Settings

log = logging.getLogger(__name__)

# Pub/Sub gives up redelivering a command after this many attempts and moves it to dead letters.
MAX_DELIVERY_ATTEMPTS = 5
COMMAND_ACK_DEADLINE_SECONDS = 30
# A push waits this long for the ingest function's answer before it counts as failed (Pub/Sub's
# maximum): long enough for the largest season file, so no second delivery overlaps the first.
UPLOADS_PUSH_ACK_DEADLINE_SECONDS = 600


@dataclass(frozen=True)
class Topology:
    project_id: str
    prefix: str

    @classmethod
    def from_settings(cls, settings: Settings) -> "Topology":
        return cls(project_id=settings.project_id, prefix=settings.topic_prefix)

    def command_topic(self, service: str) -> str:
        return f"{self.prefix}-{service}-commands"

    def worker_subscription(self, service: str) -> str:
        return f"{self.prefix}-{service}-worker"

    def reply_subscription(self, requester_id: str) -> str:
        return f"{self.prefix}-replies-{requester_id}"

    def events_subscription(self, consumer: str) -> str:
        """A subscription of our own services to the domain events, one per instance."""
        return f"{self.prefix}-events-{consumer}"

    @property
    def replies_topic(self) -> str:
        return f"{self.prefix}-replies"

    @property
    def events_topic(self) -> str:
        return f"{self.prefix}-events"

    @property
    def uploads_topic(self) -> str:
        # The season bucket's Cloud Storage notifications (JSON_API_V1): one message per finalized
        # object under seasons/, which a Pub/Sub trigger (or, locally, a push subscription)
        # delivers to the ingest function.
        return f"{self.prefix}-uploads"

    @property
    def uploads_push_subscription(self) -> str:
        return f"{self.prefix}-uploads-push"

    @property
    def dead_letter_topic(self) -> str:
        return f"{self.prefix}-dead-letter"

    @property
    def dead_letter_subscription(self) -> str:
        # Dead letters are kept here until someone reads them; without a subscription they are lost.
        return f"{self.prefix}-dead-letter-kept"

    def topic_path(self, topic: str) -> str:
        return f"projects/{self.project_id}/topics/{topic}"

    def subscription_path(self, subscription: str) -> str:
        return f"projects/{self.project_id}/subscriptions/{subscription}"

    def topics(self) -> list[str]:
        commands = [self.command_topic(service) for service in SERVICES]
        others = [self.replies_topic, self.events_topic, self.uploads_topic, self.dead_letter_topic]
        return [*commands, *others]


def ensure_topology(
    topology: Topology,
    publisher: pubsub_v1.PublisherClient,
    subscriber: pubsub_v1.SubscriberClient,
) -> list[str]:
    """Creates what is missing and leaves what exists; returns the names it created."""
    created = [t for t in topology.topics() if _ensure_topic(publisher, topology.topic_path(t))]
    for service in SERVICES:
        request = {
            "name": topology.subscription_path(topology.worker_subscription(service)),
            "topic": topology.topic_path(topology.command_topic(service)),
            "ack_deadline_seconds": COMMAND_ACK_DEADLINE_SECONDS,
            "dead_letter_policy": {
                "dead_letter_topic": topology.topic_path(topology.dead_letter_topic),
                "max_delivery_attempts": MAX_DELIVERY_ATTEMPTS,
            },
        }
        if _ensure_subscription(subscriber, request):
            created.append(topology.worker_subscription(service))
    dead_letters = {
        "name": topology.subscription_path(topology.dead_letter_subscription),
        "topic": topology.topic_path(topology.dead_letter_topic),
        "message_retention_duration": duration_pb2.Duration(seconds=7 * 24 * 3600),
    }
    if _ensure_subscription(subscriber, dead_letters):
        created.append(topology.dead_letter_subscription)
    return created


def ensure_uploads_push(
    topology: Topology, subscriber: pubsub_v1.SubscriberClient, endpoint: str
) -> None:
    """Pushes the uploads topic to the ingest function at `endpoint`: the local stand-in for a
    Pub/Sub trigger (in production, Eventarc makes its own subscription). If the subscription
    exists, only its endpoint is updated, in case the function moved."""
    name = topology.subscription_path(topology.uploads_push_subscription)
    push_config = {"push_endpoint": endpoint}
    request = {
        "name": name,
        "topic": topology.topic_path(topology.uploads_topic),
        "push_config": push_config,
        "ack_deadline_seconds": UPLOADS_PUSH_ACK_DEADLINE_SECONDS,
        "dead_letter_policy": {
            "dead_letter_topic": topology.topic_path(topology.dead_letter_topic),
            "max_delivery_attempts": MAX_DELIVERY_ATTEMPTS,
        },
    }
    if not _ensure_subscription(subscriber, request):
        subscriber.modify_push_config(request={"subscription": name, "push_config": push_config})


def _ensure_topic(publisher: pubsub_v1.PublisherClient, path: str) -> bool:
    try:
        publisher.create_topic(name=path)
    except AlreadyExists:
        return False
    log.info("created topic", extra={"topic": path})
    return True


def _ensure_subscription(subscriber: pubsub_v1.SubscriberClient, request: dict) -> bool:
    try:
        subscriber.create_subscription(request=request)
    except AlreadyExists:
        return False
    log.info("created subscription", extra={"subscription": request["name"]})
    return True
