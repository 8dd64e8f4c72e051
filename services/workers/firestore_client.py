"""The workers' Firestore client: the library's, on a channel that reconnects within a second.

gRPC waits up to two minutes between attempts to reconnect a channel that lost its server; the
Firestore client builds its channel itself and takes no options for it, so after an outage a
worker's reads kept failing for as long as 20 s after Firestore was back. This client gives the
library's channel, in production and on the emulator alike, the Pub/Sub clients' reconnect
options (events/pubsub_clients.py).
"""

from typing import Any

import grpc
from google.cloud import firestore
from google.cloud.firestore_v1 import base_client
from google.cloud.firestore_v1.services.firestore import client as firestore_client
from google.cloud.firestore_v1.services.firestore.transports.grpc import FirestoreGrpcTransport

from events.pubsub_clients import RECONNECT_OPTIONS


class FirestoreClient(firestore.Client):
    """`firestore.Client`; its two channel makers (the library's own hooks) add our options."""

    @property
    def _firestore_api(self) -> Any:
        return self._firestore_api_helper(
            _ReconnectingTransport, firestore_client.FirestoreClient, firestore_client
        )

    def _emulator_channel(self, transport: Any) -> grpc.Channel:
        # As the library's: "owner" for a bearer token gives full access to the emulator.
        options = [
            ("Authorization", "Bearer owner"),
            *base_client._GRPC_MSG_SIZE_OPTIONS,
            *RECONNECT_OPTIONS,
        ]
        return grpc.insecure_channel(self._emulator_host, options=options)


class _ReconnectingTransport(FirestoreGrpcTransport):
    @classmethod
    def create_channel(  # type: ignore[override]
        cls, host: str, *, options: Any = (), **arguments: Any
    ) -> grpc.Channel:
        return super().create_channel(host, options=[*options, *RECONNECT_OPTIONS], **arguments)
