"""The Pub/Sub clients of a process, built the same way by every composition root, and the
question a readiness probe asks Pub/Sub.

Three things of the client library's channels are changed, in production and locally alike:

- gRPC waits up to two minutes between attempts to reconnect a channel that lost Pub/Sub, so
  requests kept failing long after an outage ended; here it waits at most `RECONNECT_MS`.
- A streaming pull opened while Pub/Sub cannot be reached waits for it (gRPC's wait-for-ready)
  instead of failing at once. The library reopens a broken stream at most five times in ten
  seconds (google.api_core.bidi's throttle); failing at once, five attempts went in a moment
  and the stream came back up to ten seconds after Pub/Sub did. Waiting, it comes back at once.
- On the emulator the library's channel keeps gRPC's default 4 MiB receive limit, where its own
  channel to Pub/Sub has none (googleapis/python-pubsub#3, google-cloud-python#10056). A message
  over 4 MiB then failed every streaming pull ("Received message larger than max"), the client
  reset the stream, the emulator 0.8.20 mishandled the reset (a NoSuchMethodError in its log),
  and the message came back to the next stream: the subscriber took nothing else for minutes.
  So the emulator's channel gets the options of production's.

And the threaded publisher waits at most `PUBLISH_BATCH_WAIT_SECONDS` for other messages to share
a publish call with, where the library waits 10 ms: a worker's reply is one end of a request that
someone is waiting on.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import grpc
from google.api_core.exceptions import GoogleAPICallError, NotFound, RetryError
from google.cloud.pubsub_v1 import PublisherClient, SubscriberClient
from google.cloud.pubsub_v1.types import BatchSettings
from google.pubsub_v1 import PublisherAsyncClient, SubscriberAsyncClient
from google.pubsub_v1.services.publisher.transports import (
    PublisherGrpcAsyncIOTransport,
    PublisherGrpcTransport,
)
from google.pubsub_v1.services.subscriber.transports import (
    SubscriberGrpcAsyncIOTransport,
    SubscriberGrpcTransport,
)

from events.settings import Settings

# A readiness probe's question; the orchestrator's probe gives up after 2 s (k8s/base).
PROBE_TIMEOUT_SECONDS = 1.0
RECONNECT_MS = 1000
# A reply went out 12 to 15 ms after it was asked for with the library's 10 ms, 3 to 4 ms with
# this; at 32 at once it costs about 55 us more CPU a message (more, smaller calls; README,
# "Performance").
PUBLISH_BATCH_WAIT_SECONDS = 0.001
STREAMING_PULL_WAITS_FOR_READY = {
    "methodConfig": [
        {
            "name": [{"service": "google.pubsub.v1.Subscriber", "method": "StreamingPull"}],
            "waitForReady": True,
        }
    ]
}
RECONNECT_OPTIONS = [
    ("grpc.initial_reconnect_backoff_ms", RECONNECT_MS // 4),
    ("grpc.max_reconnect_backoff_ms", RECONNECT_MS),
]
OUR_OPTIONS = [
    *RECONNECT_OPTIONS,
    ("grpc.service_config", json.dumps(STREAMING_PULL_WAITS_FOR_READY)),
]
# The message limits the library's own channel to Pub/Sub sets (SubscriberGrpcTransport), and
# ours. Not its 30 s keepalive pings: the emulator allows one in 5 minutes and ends the connection
# of a client that pings more ("too_many_pings").
EMULATOR_CHANNEL_OPTIONS = [
    ("grpc.max_send_message_length", -1),
    ("grpc.max_receive_message_length", -1),
    *OUR_OPTIONS,
]

Transport = TypeVar(
    "Transport",
    PublisherGrpcTransport,
    SubscriberGrpcTransport,
    PublisherGrpcAsyncIOTransport,
    SubscriberGrpcAsyncIOTransport,
)
ASYNCIO_TRANSPORTS = (PublisherGrpcAsyncIOTransport, SubscriberGrpcAsyncIOTransport)


def publisher_client(settings: Settings) -> PublisherClient:
    return PublisherClient(
        transport=_transport(PublisherGrpcTransport, settings),
        batch_settings=BatchSettings(max_latency=PUBLISH_BATCH_WAIT_SECONDS),
    )


@dataclass(frozen=True)
class LoopClients:
    """The library's asyncio clients, on our channels, for an event loop's own publishing and
    pulling (events/loop_publisher.py, events/loop_pulling.py): no threads between the messages
    and the loop. Each is made when called, so call on the loop that will use it."""

    settings: Settings

    def publisher(self) -> PublisherAsyncClient:
        return PublisherAsyncClient(
            transport=_transport(PublisherGrpcAsyncIOTransport, self.settings)
        )

    def subscriber(self) -> SubscriberAsyncClient:
        return SubscriberAsyncClient(
            transport=_transport(SubscriberGrpcAsyncIOTransport, self.settings)
        )


def subscriber_client(settings: Settings) -> SubscriberClient:
    return SubscriberClient(transport=_transport(SubscriberGrpcTransport, settings))


def subscription_problem(subscriber: SubscriberClient, subscription: str) -> str | None:
    """Why `subscription` cannot deliver messages now, asked of Pub/Sub; None when it can."""
    try:
        subscriber.get_subscription(
            subscription=subscription, retry=None, timeout=PROBE_TIMEOUT_SECONDS
        )
    except NotFound:
        return f"the subscription {subscription} does not exist"
    except (GoogleAPICallError, RetryError) as error:
        return f"Pub/Sub cannot be reached: {error}"
    return None


def _transport(kind: type[Transport], settings: Settings) -> Transport | Callable[..., Transport]:
    if settings.pubsub_emulator_host is not None:
        asyncio_transport = issubclass(kind, ASYNCIO_TRANSPORTS)
        insecure = grpc.aio.insecure_channel if asyncio_transport else grpc.insecure_channel
        channel = insecure(settings.pubsub_emulator_host, options=EMULATOR_CHANNEL_OPTIONS)
        return kind(channel=channel)

    # The client calls this with what it would give the transport; the transport calls the
    # channel maker with the library's own options, to which ours are added.
    def make_channel(host: str, *, options: list[tuple[str, Any]], **arguments: Any) -> Any:
        return kind.create_channel(host, options=[*options, *OUR_OPTIONS], **arguments)

    def make_transport(**arguments: Any) -> Transport:
        return kind(channel=make_channel, **arguments)

    return make_transport
