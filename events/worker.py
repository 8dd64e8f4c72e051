"""The worker runtime the services share: pull commands, dispatch by type, reply, then ack."""

import contextvars
import logging
import signal
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any

from google.api_core import exceptions as google_errors
from google.cloud import pubsub_v1
from pydantic import BaseModel, ValidationError

from events.answering import Answers, Then
from events.commands import Ping
from events.envelope import (
    ACTOR,
    DEADLINE,
    FRESH_CLUBS,
    MAX_COMMAND_BYTES,
    PUBLISH_TIMEOUT_SECONDS,
    REPLY_TO,
    Publisher,
    check_command_size,
    from_pubsub,
    reply_target,
)
from events.logs import request_id
from events.loop_publisher import LoopPublisher, PublisherFromThreads
from events.loop_pulling import Delivery, LoopPulling
from events.loop_thread import LoopThread
from events.messages import Command, describe_validation_error, quoted
from events.metrics import BusMetrics
from events.partners import SourceCheck
from events.pubsub_clients import LoopClients, subscription_problem
from events.replies import BadMessage, CommandError, Invalid, Reply, UnknownSource, ok_reply
from events.topology import Topology
from events.tracing import consuming
from events.values import Pong
from events.waiting import MustWait, on_the_loop

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
    """Pulls its service's commands and answers them. The stream and the replies run on an event
    loop of its own (LoopThread), the handlers on `max_messages` threads, as many as commands in
    flight. With `reads_on_the_loop` (the stats worker, whose reads are answered from memory) a
    read is tried on the loop first, one at a time, and goes to a thread only if it must wait
    (events/waiting.py): a command's trip to a thread and back costs about as much CPU as the
    rest of its way (README, "Performance")."""

    def __init__(
        self,
        *,
        service: str,
        handlers: Mapping[type[Command], Handler],
        topology: Topology,
        loop_clients: LoopClients,
        subscriber: pubsub_v1.SubscriberClient,
        metrics: BusMetrics,
        source: str,
        accepts_source: SourceCheck,
        max_messages: int = 32,
        reads_on_the_loop: bool = False,
        publisher: Publisher | None = None,
    ) -> None:
        """`subscriber` asks Pub/Sub what keeps commands from coming (`check`); `publisher`
        sends the replies, the loop's own (on `loop_clients`) unless one is given."""
        self.service = service
        self._accepts_source = accepts_source
        self.instance = uuid.uuid4().hex[:12]
        # Every worker answers Ping, so anyone can check over the bus that a service is alive.
        every_handler: dict[type[Command], Handler] = {Ping: self._pong, **handlers}
        self._handlers = {command.event_type: (command, h) for command, h in every_handler.items()}
        self._loop = LoopThread(f"{service}-bus")
        if publisher is None:
            own = LoopPublisher(loop_clients.publisher)
            publisher = PublisherFromThreads(own, self._loop, PUBLISH_TIMEOUT_SECONDS)
        self._answers = Answers(service, topology, publisher, source, metrics)
        self._metrics = metrics
        self._handler_threads = ThreadPoolExecutor(max_messages, f"{service}-cmd")
        self._reads_on_the_loop = reads_on_the_loop
        subscription = topology.subscription_path(topology.worker_subscription(service))
        self._pulling = LoopPulling(
            loop_clients.subscriber,
            subscription,
            self._on_message,
            prepare=lambda: None,  # the topology's, made by whoever sets up the bus
            problem=partial(subscription_problem, subscriber, subscription),
            # Its bytes bound what a worker holds: a command over the contract's size is refused
            # unread, and no other is taken while one such is in hand.
            most_held=max_messages,
            most_bytes=max_messages * MAX_COMMAND_BYTES,
        )
        # The gauge is read from what the worker holds, not kept beside it.
        metrics.commands_in_flight.labels(service).set_function(self._pulling.held_count)

    @property
    def ready(self) -> bool:
        """True while the worker is pulling commands."""
        return self._pulling.running

    def in_flight(self) -> list[str]:
        """The ids of the commands taken and not yet finished with (acked or nacked)."""
        return sorted(
            message.attributes.get("ce-id", "unknown") for message in self._pulling.held()
        )

    def check(self) -> str | None:
        """What keeps commands from reaching this worker, asked of Pub/Sub; None if nothing."""
        return self._loop.run(self._pulling.problem())

    def start(self) -> None:
        self._loop.start()
        self._loop.run(self._pulling.start())

    def stop(self, timeout: float | None = None) -> bool:
        """Stops pulling and waits up to `timeout` s for the commands in flight to finish.

        True when they all did. Those still running after it are neither acked nor nacked: Pub/Sub
        delivers them again once their lease runs out, and exactly-once keeps that harmless.
        """
        if not self._loop.running:
            return not self.in_flight()
        log.info("worker stopping", extra={"in_flight": self.in_flight()})
        drained = self._loop.run(self._pulling.stop(timeout))
        self._handler_threads.shutdown(wait=drained)
        if not drained:
            unfinished = self.in_flight()
            log.warning("commands still in flight at the deadline", extra={"in_flight": unfinished})
            return not unfinished
        self._loop.stop()
        log.info("worker stopped")
        return True

    def run_until_terminated(self, grace_seconds: float) -> bool:
        """Runs until SIGTERM or SIGINT, then stops within `grace_seconds`; True if it drained."""
        stopping = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stopping.set())
        self.start()
        # Python runs a signal's handler in the main thread, between bytecodes; the kernel may
        # hand the signal to any of the process's threads, and then nothing wakes a main
        # thread blocked in a wait without a time-out: SIGTERM went unheard until the next signal.
        while not stopping.wait(SIGNAL_CHECK_SECONDS):
            pass
        return self.stop(timeout=grace_seconds)

    def _pong(self, command: Ping, context: CommandContext) -> Pong:
        return Pong(service=self.service, instance=self.instance)

    def _on_message(self, delivery: Delivery) -> None:
        # On the loop; the command is settled there too, wherever it was worked.
        data, attributes = delivery.message.data, dict(delivery.message.attributes)
        then = partial(self._loop.call, delivery.settle)
        work = partial(self.handle, data, attributes, then)
        if self._reads_on_the_loop and self._is_read(attributes):
            # In a turn of its own: every command a response brings is taken (in flight, its
            # lease kept) before the first is worked.
            self._loop.loop.call_soon(self._safely, work, then, True)
        else:
            self._handler_threads.submit(self._safely, work, then)

    def _safely(self, work: Callable[[], None], then: Then, on_loop: bool = False) -> None:
        """Does `work` on the loop or on a thread (as `on_loop` says); a fault of ours in it has
        the command delivered again."""
        with on_the_loop(on_loop):
            try:
                work()
            except Exception:
                # Not the command's fault: delivered again, perhaps to another worker.
                log.exception("the worker failed on a command; it will be delivered again")
                then(False)

    def handle(self, data: bytes, attributes: dict[str, str], then: Then) -> None:
        """Works one message and sends its reply without waiting for Pub/Sub to take it, so the
        loop or thread is free for the next; once it has (or could not), calls `then(True)` when the
        message is finished with (ack) or `then(False)` to have it delivered again. The command
        counts as in flight until then."""
        command_id = attributes.get("ce-id", "unknown")
        span = consuming(f"handle {self._known_type(attributes)}", attributes)
        with request_id(command_id), span:
            try:
                command, handler, context = self._parse(data, attributes)
            except CommandError as refusal:
                self._refuse_unprocessable(refusal, data, attributes, then)
                return
            self._observe_bus_delay(context.command_type, attributes)
            self._work(command, handler, context, data, attributes, then)

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

        def answer() -> None:
            try:
                reply = self._run(handler, command, context)
            except RETRYABLE:
                log.warning("transient failure, the command will be redelivered", exc_info=True)
                finished_with("retry")(False)
                return
            self._answers.reply(reply, data, attributes, finished_with(_outcome(reply)))

        try:
            answer()
        except MustWait:
            # A read tried on the loop that must wait (on Firestore): run again on a thread, in
            # this context (its log lines keep the command's id, its spans the command's trace;
            # the handle span, ended when the loop's part returns, covers the loop's part only).
            run_here = contextvars.copy_context().run
            self._handler_threads.submit(run_here, self._safely, answer, then)

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
        except (*RETRYABLE, MustWait):
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

    def _is_read(self, attributes: dict[str, str]) -> bool:
        known = self._handlers.get(attributes.get("ce-type", ""))
        return known is not None and known[0].read_only

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
