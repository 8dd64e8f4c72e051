"""Where a worker's answers go: the reply to the topic a command names, or the command itself to
the dead-letter topic when it cannot be answered, with the reason."""

import contextvars
import logging
import uuid
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from google.api_core import exceptions as google_errors

from events.envelope import (
    CORRELATION_ID,
    Publisher,
    new_event,
    publish_soon,
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

# Called once a command is finished with (True: ack it) or should be delivered again (False).
Then = Callable[[bool], None]


class Answers:
    def __init__(
        self,
        service: str,
        topology: Topology,
        publisher: Publisher,
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

    def reply(self, reply: Reply, data: bytes, attributes: dict[str, str], then: Then) -> None:
        """Sends `reply` where the command asks, if anywhere, without waiting for Pub/Sub; then
        calls `then(True)` once the command is finished with, or `then(False)` when it should be
        delivered again (Pub/Sub could not be reached)."""
        target = reply_target(attributes)
        if target is None:
            then(True)
            return
        correlation = attributes.get(f"ce-{CORRELATION_ID}") or attributes.get("ce-id", "")
        extensions = {CORRELATION_ID: correlation, **trace_extensions()}
        event = new_event(REPLY_TYPE, self._source, reply, extensions=extensions)

        def published(error: BaseException | None) -> None:
            if error is None:
                then(True)
            elif isinstance(error, UNDELIVERABLE):
                undeliverable = UndeliverableReply(
                    f"the reply (status {reply.status}) could not be published on {target!r}: "
                    f"{error}"
                )
                log.warning("reply undeliverable", extra={"reason": undeliverable.message})
                self.dead_letter(undeliverable, data, attributes, then)
            else:
                log.error(
                    "could not publish the reply; the command will be redelivered",
                    exc_info=error,
                )
                then(False)

        _when_published(
            lambda: publish_soon(self._publisher, self._topology.topic_path(target), event),
            published,
        )

    def dead_letter(
        self, refusal: CommandError, data: bytes, attributes: dict[str, str], then: Then
    ) -> None:
        """Keeps the command as it came, with why; then calls `then(True)` once Pub/Sub has it,
        `then(False)` if it could not."""
        reasons = {
            "league-error-code": refusal.code,
            "league-error-message": refusal.message[:1000],
            "league-service": self._service,
            "league-dead-letter-id": str(uuid.uuid4()),
        }

        def published(error: BaseException | None) -> None:
            if error is None:
                self._dead_letters.labels(self._service, refusal.code).inc()
                then(True)
            else:
                log.error(
                    "could not publish the dead letter; it will be redelivered", exc_info=error
                )
                then(False)

        topic = self._topology.topic_path(self._topology.dead_letter_topic)
        _when_published(
            lambda: self._publisher.publish(topic, data, **{**attributes, **reasons}), published
        )


def _when_published(
    publish: Callable[[], Future[Any]], published: Callable[[BaseException | None], None]
) -> None:
    """Calls `published` with None once what `publish` starts is in Pub/Sub, or with the error.

    The publisher calls back on a thread of its own (a worker's: its loop's): `published` runs
    there in the caller's context, so its log lines keep the command's id.
    """
    context = contextvars.copy_context()
    try:
        future = publish()
    except Exception as error:  # refused before it was sent, as a closed client does
        published(error)
        return
    future.add_done_callback(lambda done: context.run(published, done.exception()))
