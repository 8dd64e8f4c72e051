"""The worker runtime the services share: pull commands, dispatch by type, reply, then ack."""

import logging
import signal
import threading
import uuid
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from google.api_core import exceptions as google_errors
from google.cloud import pubsub_v1
from google.cloud.pubsub_v1.subscriber.message import Message as PulledMessage
from google.cloud.pubsub_v1.subscriber.scheduler import ThreadScheduler
from pydantic import BaseModel, ValidationError

from events.commands import Ping
from events.envelope import (
    CORRELATION_ID,
    DEADLINE,
    FRESH_CLUBS,
    PUBLISH_TIMEOUT_SECONDS,
    REPLY_TO,
    from_pubsub,
    new_event,
    publish,
)
from events.logs import request_id
from events.messages import Command, describe_validation_error
from events.metrics import BusMetrics
from events.replies import REPLY_TYPE, BadMessage, CommandError, Invalid, Reply, ok_reply
from events.topology import Topology
from events.values import Pong

log = logging.getLogger(__name__)

# Failures worth another delivery: the command may well succeed once the backend is back.
RETRYABLE = (google_errors.ServiceUnavailable, google_errors.DeadlineExceeded)


@dataclass(frozen=True)
class CommandContext:
    """What a handler may need to know of the message besides its payload."""

    command_id: str
    command_type: str
    source: str
    deadline: datetime | None
    # Clubs a read must see as they are now, not as a cache last saw them (ce-freshclubs).
    fresh_clubs: frozenset[str] = frozenset()


Handler = Callable[[Any, CommandContext], BaseModel]


class Worker:
    def __init__(
        self,
        *,
        service: str,
        handlers: Mapping[type[Command], Handler],
        topology: Topology,
        publisher: pubsub_v1.PublisherClient,
        subscriber: pubsub_v1.SubscriberClient,
        metrics: BusMetrics,
        source: str,
        max_messages: int = 32,
    ) -> None:
        self.service = service
        self.instance = uuid.uuid4().hex[:12]
        # Every worker answers Ping, so anyone can check over the bus that a service is alive.
        every_handler: dict[type[Command], Handler] = {Ping: self._pong, **handlers}
        self._handlers = {command.event_type: (command, h) for command, h in every_handler.items()}
        self._topology = topology
        self._publisher = publisher
        self._subscriber = subscriber
        self._metrics = metrics
        self._source = source
        self._max_messages = max_messages
        self._pull: pubsub_v1.subscriber.futures.StreamingPullFuture | None = None

    @property
    def ready(self) -> bool:
        """True while the worker is pulling commands."""
        return self._pull is not None and self._pull.running()

    def start(self) -> None:
        subscription = self._topology.subscription_path(
            self._topology.worker_subscription(self.service)
        )
        # As many threads as messages in flight, so flow control, not the pool, is the limit.
        executor = ThreadPoolExecutor(self._max_messages, thread_name_prefix=f"{self.service}-cmd")
        self._pull = self._subscriber.subscribe(
            subscription,
            self._on_message,
            flow_control=pubsub_v1.types.FlowControl(max_messages=self._max_messages),
            scheduler=ThreadScheduler(executor),
            await_callbacks_on_shutdown=True,
        )
        log.info("worker pulling", extra={"subscription": subscription})

    def stop(self, timeout: float | None = None) -> None:
        """Stops pulling and returns once the commands in flight are finished (or on timeout)."""
        if self._pull is None:
            return
        self._pull.cancel()
        try:
            self._pull.result(timeout=timeout)
        except Exception:  # the future reports its cancellation as an error; nothing is lost
            log.debug("pull stopped", exc_info=True)
        self._pull = None
        log.info("worker stopped")

    def run_until_terminated(self, grace_seconds: float = 25.0) -> None:
        """Runs until SIGTERM or SIGINT, then stops within `grace_seconds` (the pod's grace)."""
        stopping = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stopping.set())
        self.start()
        stopping.wait()
        self.stop(timeout=grace_seconds)

    def _pong(self, command: Ping, context: CommandContext) -> Pong:
        return Pong(service=self.service, instance=self.instance)

    def _on_message(self, message: PulledMessage) -> None:
        if self.handle(message.data, dict(message.attributes)):
            message.ack()
        else:
            message.nack()

    def handle(self, data: bytes, attributes: dict[str, str]) -> bool:
        """Works one message; True means it is finished with (ack), False means deliver it again."""
        with request_id(attributes.get("ce-id", "unknown")):
            try:
                command, handler, context = self._parse(data, attributes)
            except CommandError as refusal:
                return self._refuse_unprocessable(refusal, data, attributes)
            with self._metrics.command_seconds.labels(self.service, context.command_type).time():
                return self._work(command, handler, context, attributes)

    def _work(
        self,
        command: Command,
        handler: Handler,
        context: CommandContext,
        attributes: dict[str, str],
    ) -> bool:
        if command.read_only and _expired(context.deadline):
            log.info("dropped a read whose deadline has passed")
            self._count(context.command_type, "expired")
            return True
        try:
            reply = self._run(handler, command, context)
        except RETRYABLE:
            log.warning("transient failure, the command will be redelivered", exc_info=True)
            self._count(context.command_type, "retry")
            return False
        acked = self._send_reply(reply, attributes)
        self._count(context.command_type, _outcome(reply) if acked else "retry")
        return acked

    def _parse(
        self, data: bytes, attributes: dict[str, str]
    ) -> tuple[Command, Handler, CommandContext]:
        event = from_pubsub(data, attributes)
        known = self._handlers.get(event["type"])
        if known is None:
            raise BadMessage(
                f"unknown command type {event['type']!r} for service {self.service}; "
                f"it handles {', '.join(sorted(self._handlers))}"
            )
        command_class, handler = known
        try:
            command = command_class.model_validate(event.data or {})
        except ValidationError as error:
            problems = describe_validation_error(error)
            raise Invalid(f"invalid {command_class.__name__}: {problems}") from None
        context = CommandContext(
            command_id=event["id"],
            command_type=event["type"],
            source=event["source"],
            deadline=_parse_deadline(event.get(DEADLINE)),
            fresh_clubs=frozenset(str(event.get(FRESH_CLUBS) or "").split()),
        )
        return command, handler, context

    def _run(self, handler: Handler, command: Command, context: CommandContext) -> Reply:
        try:
            return ok_reply(handler(command, context))
        except CommandError as refusal:
            log.info("command refused", extra={"code": refusal.code, "reason": refusal.message})
            return refusal.to_reply()
        except RETRYABLE:
            raise
        except Exception as error:
            log.exception("handler failed")
            return CommandError(f"{type(error).__name__} in {self.service}: {error}").to_reply()

    def _send_reply(self, reply: Reply, attributes: dict[str, str]) -> bool:
        reply_to = attributes.get(f"ce-{REPLY_TO}")
        if not reply_to:
            return True
        correlation = attributes.get(f"ce-{CORRELATION_ID}") or attributes.get("ce-id", "")
        event = new_event(REPLY_TYPE, self._source, reply, extensions={CORRELATION_ID: correlation})
        try:
            publish(self._publisher, self._topology.topic_path(reply_to), event)
        except Exception:
            log.exception("could not publish the reply; the command will be redelivered")
            return False
        return True

    def _refuse_unprocessable(
        self, refusal: CommandError, data: bytes, attributes: dict[str, str]
    ) -> bool:
        """A message that can never succeed: answer it if it says where, else dead-letter it."""
        log.warning(
            "unprocessable message", extra={"code": refusal.code, "reason": refusal.message}
        )
        command_type = attributes.get("ce-type", "unknown")
        if attributes.get(f"ce-{REPLY_TO}"):
            self._count(command_type, "refused")
            return self._send_reply(refusal.to_reply(), attributes)
        self._count(command_type, "dead")
        return self._dead_letter(refusal, data, attributes)

    def _dead_letter(self, refusal: CommandError, data: bytes, attributes: dict[str, str]) -> bool:
        reasons = {
            "league-error-code": refusal.code,
            "league-error-message": refusal.message[:1000],
            "league-service": self.service,
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
        return True

    def _count(self, command_type: str, outcome: str) -> None:
        self._metrics.commands.labels(self.service, command_type, outcome).inc()


def _parse_deadline(value: Any) -> datetime | None:
    if value is None:
        return None
    try:
        deadline = datetime.fromisoformat(str(value))
    except ValueError as error:
        raise BadMessage(f"the deadline attribute is not an RFC 3339 time: {value!r}") from error
    return deadline if deadline.tzinfo else deadline.replace(tzinfo=UTC)


def _outcome(reply: Reply) -> str:
    if reply.error is None:
        return "ok"
    return "refused" if reply.status < 500 else "failed"


def _expired(deadline: datetime | None) -> bool:
    return deadline is not None and deadline < datetime.now(UTC)
