"""The Pub/Sub clients of a process, built the same way by every composition root.

Pub/Sub takes messages of up to 10 MB, and the client library lifts gRPC's default 4 MiB
receive limit on the channel it builds for Pub/Sub, but not on the one it builds for
`PUBSUB_EMULATOR_HOST` (googleapis/python-pubsub#3, google-cloud-python#10056). On the emulator a
message over 4 MiB then fails the whole streaming pull ("Received message larger than max"): the
client resets the stream, the emulator 0.8.20 mishandles the reset (a NoSuchMethodError in its
log), and the message comes back to the next stream, so the subscriber takes nothing else for
as long as it stays there. So the emulator's channel gets the limits of production's.
"""

import grpc
from google.cloud.pubsub_v1 import SubscriberClient
from google.pubsub_v1.services.subscriber.transports import SubscriberGrpcTransport

from events.settings import Settings

# What the library's own channel to Pub/Sub sets (SubscriberGrpcTransport.__init__).
CHANNEL_OPTIONS = [("grpc.max_send_message_length", -1), ("grpc.max_receive_message_length", -1)]


def subscriber_client(settings: Settings) -> SubscriberClient:
    if settings.pubsub_emulator_host is None:
        return SubscriberClient()
    channel = grpc.insecure_channel(settings.pubsub_emulator_host, options=CHANNEL_OPTIONS)
    return SubscriberClient(transport=SubscriberGrpcTransport(channel=channel))
