"""Where a worker's answers go: the reply to the topic a command names, or the command itself to
the dead-letter topic when it cannot be answered, with the reason."""

import logging
import uuid

from google.api_core import exceptions as google_errors
from google.cloud import pubsub_v1

from events.envelope import (
    CORRELATION_ID,
    PUBLISH_TIMEOUT_SECONDS,
    new_event,
    publish,
    reply_target,
)
from events.metrics import BusMetrics
from events.replies import REPLY_TYPE, BadMessage, CommandError, Invalid, Reply, TooLarge
from events.topology import Topology
from events.tracing import trace_extensions

log = logging.getLogger(__name__)

# Failures to publish a reply that no later delivery would mend: the target is not ours to use.
UNDELIVERABLE = (
    google_errors.NotFound,
    google_errors.InvalidArgument,
    google_errors.PermissionDenied,
)


class UndeliverableReply(CommandError):
    """A command was worked, but its reply target does not take replies: kept as a dead letter."""

    status, code = 502, "undeliverable_reply"


# Why a message becomes a dead letter: it cannot be read, or its reply cannot be delivered.
DEAD_LETTER_CODES = (BadMessage.code, TooLarge.code, Invalid.code, UndeliverableReply.code)


class Answers:
    def __init__(
        self,
        service: str,
        topology: Topology,
        publisher: pubsub_v1.PublisherClient,
        source: str,
        metrics: BusMetrics,
    ) -> None:
        self._service = service
        self._dead_letters = metrics.dead_letters
        # Each series from the start: an alert on its increase sees the first dead letter too.
        for code in DEAD_LETTER_CODES:
            self._dead_letters.labels(service, code)
        self._topology = topology
        self._publisher = publisher
        self._source = source

    def reply(self, reply: Reply, data: bytes, attributes: dict[str, str]) -> bool:
        """Sends `reply` where the command asks, if anywhere; True when the command is finished
        with, False when it should be delivered again (Pub/Sub could not be reached)."""
        target = reply_target(attributes)
        if target is None:
            return True
        correlation = attributes.get(f"ce-{CORRELATION_ID}") or attributes.get("ce-id", "")
        extensions = {CORRELATION_ID: correlation, **trace_extensions()}
        event = new_event(REPLY_TYPE, self._source, reply, extensions=extensions)
        try:
            publish(self._publisher, self._topology.topic_path(target), event)
        except UNDELIVERABLE as error:
            undeliverable = UndeliverableReply(
                f"the reply (status {reply.status}) could not be published on {target!r}: {error}"
            )
            log.warning("reply undeliverable", extra={"reason": undeliverable.message})
            return self.dead_letter(undeliverable, data, attributes)
        except Exception:
            log.exception("could not publish the reply; the command will be redelivered")
            return False
        return True

    def dead_letter(self, refusal: CommandError, data: bytes, attributes: dict[str, str]) -> bool:
        """Keeps the command as it came, with why; True once Pub/Sub has it."""
        reasons = {
            "league-error-code": refusal.code,
            "league-error-message": refusal.message[:1000],
            "league-service": self._service,
            "league-dead-letter-id": str(uuid.uuid4()),
        }
        try:
            self._publisher.publish(
                self._topology.topic_path(self._topology.dead_letter_topic),
                data,
                **{**attributes, **reasons},
            ).result(timeout=PUBLISH_TIMEOUT_SECONDS)
        except Exception:
            log.exception("could not publish the dead letter; it will be redelivered")
            return False
        self._dead_letters.labels(self._service, refusal.code).inc()
        return True
