"""The worker runtime the services share: pull commands, dispatch by type, reply, then ack."""

import logging
import signal
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any

from google.api_core import exceptions as google_errors
from google.cloud import pubsub_v1
from google.cloud.pubsub_v1.subscriber.message import Message as PulledMessage
from google.cloud.pubsub_v1.subscriber.scheduler import ThreadScheduler
from pydantic import BaseModel, ValidationError

from events.answering import Answers, Then
from events.commands import Ping
from events.envelope import (
    ACTOR,
    DEADLINE,
    FRESH_CLUBS,
    MAX_COMMAND_BYTES,
    REPLY_TO,
    check_command_size,
    from_pubsub,
    reply_target,
)
from events.logs import request_id
from events.messages import Command, describe_validation_error, quoted
from events.metrics import BusMetrics
from events.partners import SourceCheck
from events.pulling import Pulling
from events.replies import BadMessage, CommandError, Invalid, Reply, UnknownSource, ok_reply
from events.topology import Topology
from events.tracing import consuming
from events.values import Pong

log = logging.getLogger(__name__)
# How often the main thread wakes to run the handlers of signals that came in meanwhile.
SIGNAL_CHECK_SECONDS = 0.5

# Failures worth another delivery: the command may well succeed once the backend is back.
RETRYABLE = (google_errors.ServiceUnavailable, google_errors.DeadlineExceeded)


@dataclass(frozen=True)
class CommandContext:
    """What a handler may need to know of the message besides its payload."""

    command_id: str
    command_type: str
    source: str
    deadline: datetime | None
    # Who asked for it (`ce-actor`), when its sender says.
    actor: str | None = None
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
        accepts_source: SourceCheck,
        max_messages: int = 32,
    ) -> None:
        self.service = service
        self._accepts_source = accepts_source
        self.instance = uuid.uuid4().hex[:12]
        # Every worker answers Ping, so anyone can check over the bus that a service is alive.
        every_handler: dict[type[Command], Handler] = {Ping: self._pong, **handlers}
        self._handlers = {command.event_type: (command, h) for command, h in every_handler.items()}
        self._answers = Answers(service, topology, publisher, source, metrics)
        self._metrics = metrics
        self._max_messages = max_messages
        subscription = topology.subscription_path(topology.worker_subscription(service))
        self._pulling = Pulling(subscriber, subscription, self._on_message, options=self._options)
        self._in_flight = InFlight()
        # The gauge is read from what the worker holds, not kept beside it.
        metrics.commands_in_flight.labels(service).set_function(self._in_flight.count)

    @property
    def ready(self) -> bool:
        """True while the worker is pulling commands."""
        return self._pulling.running

    def in_flight(self) -> list[str]:
        """The ids of the commands taken and not yet finished with (acked or nacked)."""
        return self._in_flight.ids()

    def check(self) -> str | None:
        """What keeps commands from reaching this worker, asked of Pub/Sub; None if nothing."""
        return self._pulling.problem()

    def start(self) -> None:
        self._pulling.start()

    def stop(self, timeout: float | None = None) -> bool:
        """Stops pulling and waits up to `timeout` s for the commands in flight to finish.

        True when they all did. Those still running after it are neither acked nor nacked: Pub/Sub
        delivers them again once their lease runs out, and exactly-once keeps that harmless.
        """
        log.info("worker stopping", extra={"in_flight": self.in_flight()})
        if not self._pulling.stop(timeout):
            unfinished = self.in_flight()
            log.warning("commands still in flight at the deadline", extra={"in_flight": unfinished})
            return not unfinished
        log.info("worker stopped")
        return True

    def _options(self) -> dict[str, Any]:
        # As many threads as messages in flight, so flow control, not the pool, is the limit. Its
        # bytes bound what a worker holds: a command over the contract's size is refused unread,
        # and the client takes no other while one such is in hand.
        executor = ThreadPoolExecutor(self._max_messages, thread_name_prefix=f"{self.service}-cmd")
        flow_control = pubsub_v1.types.FlowControl(
            max_messages=self._max_messages, max_bytes=self._max_messages * MAX_COMMAND_BYTES
        )
        return {
            "flow_control": flow_control,
            "scheduler": DrainingScheduler(executor, self._in_flight),
            "await_callbacks_on_shutdown": True,
        }

    def run_until_terminated(self, grace_seconds: float) -> bool:
        """Runs until SIGTERM or SIGINT, then stops within `grace_seconds`; True if it drained."""
        stopping = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stopping.set())
        self.start()
        # Python runs a signal's handler in the main thread, between bytecodes; the kernel may
        # hand the signal to any of the client library's threads, and then nothing wakes a main
        # thread blocked in a wait without a time-out: SIGTERM went unheard until the next signal.
        while not stopping.wait(SIGNAL_CHECK_SECONDS):
            pass
        return self.stop(timeout=grace_seconds)

    def _pong(self, command: Ping, context: CommandContext) -> Pong:
        return Pong(service=self.service, instance=self.instance)

    def _on_message(self, message: PulledMessage) -> None:
        self.handle(message.data, dict(message.attributes), partial(_settle, message))

    def handle(self, data: bytes, attributes: dict[str, str], then: Then) -> None:
        """Works one message and sends its reply without waiting for Pub/Sub to take it, so the
        thread is free for the next; once it has (or could not), calls `then(True)` when the
        message is finished with (ack) or `then(False)` to have it delivered again. The command
        counts as in flight until then, for the drain (DrainingScheduler)."""
        command_id = attributes.get("ce-id", "unknown")
        release = self._in_flight.hold(command_id)

        def settled(finished: bool) -> None:
            release()
            then(finished)

        span = consuming(f"handle {self._known_type(attributes)}", attributes)
        try:
            with request_id(command_id), span:
                try:
                    command, handler, context = self._parse(data, attributes)
                except CommandError as refusal:
                    self._refuse_unprocessable(refusal, data, attributes, settled)
                    return
                self._observe_bus_delay(context.command_type, attributes)
                self._work(command, handler, context, data, attributes, settled)
        except BaseException:
            # A fault of ours, not of the command: the client library logs it and nacks the
            # message. Held on, it would keep a drain waiting for good.
            release()
            raise

    def _work(
        self,
        command: Command,
        handler: Handler,
        context: CommandContext,
        data: bytes,
        attributes: dict[str, str],
        then: Then,
    ) -> None:
        command_type = context.command_type
        started = time.perf_counter()

        def finished_with(outcome: str) -> Then:
            def settled(finished: bool) -> None:
                self._metrics.command_seconds.labels(self.service, command_type).observe(
                    time.perf_counter() - started
                )
                self._count(command_type, outcome if finished else "retry")
                then(finished)

            return settled

        if command.read_only and _expired(context.deadline):
            log.info("dropped a read whose deadline has passed")
            finished_with("expired")(True)
            return
        if not command.read_only:
            log.info("change asked", extra={"command_type": command_type, "actor": context.actor})
        try:
            reply = self._run(handler, command, context)
        except RETRYABLE:
            log.warning("transient failure, the command will be redelivered", exc_info=True)
            finished_with("retry")(False)
            return
        self._answers.reply(reply, data, attributes, finished_with(_outcome(reply)))

    def _parse(
        self, data: bytes, attributes: dict[str, str]
    ) -> tuple[Command, Handler, CommandContext]:
        check_command_size(data)
        if attributes.get(f"ce-{REPLY_TO}") and reply_target(attributes) is None:
            raise BadMessage(f"ce-{REPLY_TO} is not a Pub/Sub topic id")
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
        if not self._accepts_source(event["source"]):
            raise UnknownSource(
                f"the source {quoted(event['source'])} may not send commands to {self.service}"
            )
        context = CommandContext(
            command_id=event["id"],
            command_type=event["type"],
            source=event["source"],
            deadline=_parse_deadline(event.get(DEADLINE)),
            actor=event.get(ACTOR),
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

    def _refuse_unprocessable(
        self, refusal: CommandError, data: bytes, attributes: dict[str, str], then: Then
    ) -> None:
        """A message that can never succeed: answer it if it says where, else dead-letter it."""
        log.warning(
            "unprocessable message", extra={"code": refusal.code, "reason": refusal.message}
        )
        label = self._known_type(attributes)
        replied = reply_target(attributes) is not None
        # One system posing as another is kept for the operators, answered or not.
        kept = not replied or isinstance(refusal, UnknownSource)
        self._count(label, "dead" if kept else "refused")

        def answered(finished: bool) -> None:
            if not kept:
                then(finished)
                return
            self._answers.dead_letter(
                refusal, data, attributes, lambda kept_too: then(kept_too and finished)
            )

        if replied:
            self._answers.reply(refusal.to_reply(), data, attributes, answered)
        else:
            answered(True)

    def _known_type(self, attributes: dict[str, str]) -> str:
        # A sender chooses the type attribute: an unknown one must not become a label or a name.
        command_type = attributes.get("ce-type", "")
        return command_type if command_type in self._handlers else "unknown"

    def _count(self, command_type: str, outcome: str) -> None:
        self._metrics.commands.labels(self.service, command_type, outcome).inc()

    def _observe_bus_delay(self, command_type: str, attributes: dict[str, str]) -> None:
        published = _parse_time(attributes.get("ce-time"))
        if published is not None:
            # Clocks of sender and worker differ a little: a command is never early.
            delay = max((datetime.now(UTC) - published).total_seconds(), 0.0)
            self._metrics.bus_delay_seconds.labels(self.service, command_type).observe(delay)


class InFlight:
    """The commands a worker has taken and not yet finished with (replied to and acked or
    nacked): their ids for its logs when it stops, and a wait for the last of them."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._ids: Counter[str] = Counter()

    def hold(self, command_id: str) -> Callable[[], None]:
        """Holds the command; the function returned lets go of it (once, however often called)."""
        with self._changed:
            self._ids[command_id] += 1
        held = [command_id]

        def release() -> None:
            with self._changed:
                if held:
                    held.clear()
                    self._ids -= Counter({command_id: 1})
                    self._changed.notify_all()

        return release

    def ids(self) -> list[str]:
        with self._changed:
            return sorted(self._ids)

    def count(self) -> int:
        with self._changed:
            return self._ids.total()

    def wait_until_none(self) -> None:
        with self._changed:
            self._changed.wait_for(lambda: not self._ids)


class DrainingScheduler(ThreadScheduler):
    """The callback pool of a worker's stream, whose shutdown waits for the replies its callbacks
    left in flight as well as for the callbacks.

    A callback returns once its reply is handed to the publisher; the command is acked when
    Pub/Sub has the reply. The client library stops its scheduler before the dispatcher that sends
    acks, so waiting here keeps a drained command's ack from coming after the dispatcher is gone
    (it would be delivered again). How long a stop may wait is the caller's (Pulling.stop).
    """

    def __init__(self, executor: ThreadPoolExecutor, in_flight: InFlight) -> None:
        super().__init__(executor)
        self._in_flight = in_flight

    def shutdown(self, await_msg_callbacks: bool = False) -> list[PulledMessage]:
        dropped = super().shutdown(await_msg_callbacks)
        if await_msg_callbacks:
            self._in_flight.wait_until_none()
        return dropped


def _settle(message: PulledMessage, finished: bool) -> None:
    if finished:
        message.ack()
    else:
        message.nack()


def _parse_deadline(value: Any) -> datetime | None:
    if value is None:
        return None
    try:
        deadline = datetime.fromisoformat(str(value))
    except ValueError as error:
        raise BadMessage(f"the deadline attribute is not an RFC 3339 time: {value!r}") from error
    return deadline if deadline.tzinfo else deadline.replace(tzinfo=UTC)


def _parse_time(value: str | None) -> datetime | None:
    """A command's `ce-time`, or None when it has none we can read (it is optional)."""
    try:
        published = datetime.fromisoformat(value) if value else None
    except ValueError:
        return None
    return published if published is None or published.tzinfo else published.replace(tzinfo=UTC)


def _outcome(reply: Reply) -> str:
    if reply.error is None:
        return "ok"
    return "refused" if reply.status < 500 else "failed"


def _expired(deadline: datetime | None) -> bool:
    return deadline is not None and deadline < datetime.now(UTC)
