"""A subscription one process instance makes for itself (a requester's replies, a stats worker's
events): made at start, and again if it vanished, deleted at stop; one left behind by a killed
instance expires unused after its time to live."""

import logging

from google.api_core.exceptions import AlreadyExists, GoogleAPICallError, NotFound, RetryError
from google.api_core.retry import Retry
from google.cloud import pubsub_v1
from google.protobuf import duration_pb2

log = logging.getLogger(__name__)

# The client's default retries admin calls for a minute, which would hold a shutdown that long
# when Pub/Sub goes away first (as on Ctrl-C of the local stack); an unused subscription expires.
ADMIN_RETRY = Retry(timeout=5.0)
ADMIN_TIMEOUT_SECONDS = 5.0


class OwnSubscription:
    def __init__(
        self,
        subscriber: pubsub_v1.SubscriberClient,
        name: str,
        topic: str,
        ttl_days: int,
        message_filter: str = "",
    ) -> None:
        self._subscriber = subscriber
        self.name = name
        self._request = {
            "name": name,
            "topic": topic,
            "filter": message_filter,
            "expiration_policy": {"ttl": duration_pb2.Duration(seconds=ttl_days * 24 * 3600)},
            "ack_deadline_seconds": 10,
        }

    def create(self, retry: Retry | None = None) -> None:
        """Makes it; raises if Pub/Sub cannot be reached (once, unless `retry` says otherwise)."""
        try:
            self._subscriber.create_subscription(
                request=self._request, retry=retry, timeout=ADMIN_TIMEOUT_SECONDS
            )
        except AlreadyExists:
            # The name is this instance's own: an earlier attempt created it, though its answer
            # was lost (a timeout), or the stream ended since.
            log.info("subscription exists already", extra={"subscription": self.name})

    def delete(self) -> None:
        try:
            self._subscriber.delete_subscription(subscription=self.name, retry=ADMIN_RETRY)
        except NotFound:
            pass
        except (GoogleAPICallError, RetryError) as error:
            log.warning(
                "could not delete the subscription; it expires unused",
                extra={"subscription": self.name, "error": str(error)},
            )
