"""Request-reply over Pub/Sub: publish a command, await the one reply that answers it."""

import asyncio
import itertools
import logging
import time
import uuid
from datetime import UTC, datetime, timedelta
from functools import lru_cache, partial

from google.cloud import pubsub_v1

from events.envelope import (
    CORRELATION_ID,
    DEADLINE,
    REPLY_TO,
    PubsubMessage,
    event_context,
    json_value,
    new_event,
    to_pubsub,
)
from events.loop_publisher import MOST_MESSAGES_A_CALL, LoopPublisher
from events.loop_pulling import Delivery, LoopPulling
from events.messages import Command
from events.metrics import BusMetrics
from events.own_subscription import OwnSubscription
from events.pubsub_clients import LoopClients, subscription_problem
from events.replies import BadMessage, DeadlineExceeded, Reply, Unavailable
from events.topology import Topology
from events.tracing import trace_extensions

log = logging.getLogger(__name__)

# Pauses between attempts to start while the bus cannot be reached.
RETRY_SECONDS = (0.5, 1.0, 2.0)
# Replies read before, kept by their bytes (see `read_reply`): the last 128 of at most 16 kB
# each. A reply takes about nine times its bytes once read and its result validated (a club
# page's 7 kB, 63 kB), so they hold some 20 MB at most, whatever is asked; a page of 1,000
# players (200 kB) is read each time.
REMEMBERED_REPLIES = 128
LARGEST_REMEMBERED_REPLY = 16_384


class Requester:
    """One per process, on its event loop: commands go out and replies come in on the loop, with
    no thread between (events/loop_publisher.py, events/loop_pulling.py). Its replies come on its
    own subscription, created by `start`.

    The subscription filters on the correlation id prefix, which is this requester's id. The
    Pub/Sub emulator accepts filters but does not apply them, so replies are checked here too.
    """

    def __init__(
        self,
        *,
        topology: Topology,
        loop_clients: LoopClients,
        subscriber: pubsub_v1.SubscriberClient,
        metrics: BusMetrics,
        source: str,
        default_timeout: float = 5.0,
        subscription_ttl_days: int = 1,
        requester_id: str | None = None,
        commands_a_publish: int = MOST_MESSAGES_A_CALL,
    ) -> None:
        self.requester_id = requester_id or uuid.uuid4().hex[:16]
        self._topology = topology
        self._publisher = LoopPublisher(loop_clients.publisher, commands_a_publish)
        self._subscriber = subscriber
        self._metrics = metrics
        self._source = source
        self._default_timeout = default_timeout
        self._subscription = topology.subscription_path(
            topology.reply_subscription(self.requester_id)
        )
        # Not retried on creation: whoever makes it (the first start, a new stream) tries again.
        self._own = OwnSubscription(
            subscriber,
            self._subscription,
            topology.topic_path(topology.replies_topic),
            subscription_ttl_days,
            f'hasPrefix(attributes.ce-{CORRELATION_ID}, "{self.requester_id}/")',
        )
        self._pending: dict[str, asyncio.Future[Reply]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pulling = LoopPulling(
            loop_clients.subscriber,
            self._subscription,
            self._on_reply,
            prepare=self._own.create,
            problem=partial(subscription_problem, subscriber, self._subscription),
        )

    @property
    def ready(self) -> bool:
        return self._pulling.running

    async def connect(self) -> None:
        """Starts, trying again while the bus cannot be reached."""
        for attempt in itertools.count():
            try:
                await self.start()
                return
            except Exception as error:
                delay = RETRY_SECONDS[min(attempt, len(RETRY_SECONDS) - 1)]
                log.warning(
                    "could not subscribe to replies; trying again",
                    extra={"in_s": delay, "error": str(error)},
                )
                await asyncio.sleep(delay)

    async def start(self) -> None:
        """Creates this requester's reply subscription and listens to it, from then on whatever
        happens to Pub/Sub (events/loop_pulling.py)."""
        self._loop = asyncio.get_running_loop()
        await self._pulling.start()
        log.info("requester listening", extra={"subscription": self._subscription})

    async def check(self) -> str | None:
        """What keeps replies from reaching this requester, asked of Pub/Sub; None if nothing."""
        return await self._pulling.problem()

    async def stop(self) -> None:
        """Stops listening and deletes the subscription; requests still waiting time out."""
        await self._pulling.stop()
        await asyncio.to_thread(self._own.delete)
        log.info("requester stopped", extra={"subscription": self._subscription})

    async def request(
        self,
        command: Command,
        *,
        service: str | None = None,
        timeout: float | None = None,
        command_id: str | None = None,
        extensions: dict[str, str] | None = None,
    ) -> Reply:
        """Sends `command` to its service (or `service`, for a Ping) and returns the reply.

        Raises `DeadlineExceeded` when no reply comes within `timeout` seconds, `Unavailable`
        when the command cannot be published.
        """
        if self._loop is None:
            raise RuntimeError("Requester.start() must be awaited before request()")
        timeout = self._default_timeout if timeout is None else timeout
        started = time.monotonic()
        correlation = f"{self.requester_id}/{uuid.uuid4().hex}"
        message = self._command_message(command, correlation, timeout, command_id, extensions)
        topic = self._topology.topic_path(self._topology.command_topic(service or command.service))
        reply_future: asyncio.Future[Reply] = self._loop.create_future()
        self._pending[correlation] = reply_future
        outcome = "timeout"
        try:
            async with asyncio.timeout(timeout):
                await self._publish(topic, message.data, message.attributes, timeout)
                reply = await reply_future
            outcome = "ok" if reply.ok else "error"
            return reply
        except Unavailable:
            outcome = "unavailable"
            raise
        except TimeoutError:
            raise DeadlineExceeded(
                f"no reply to {type(command).__name__} within {timeout:g} s"
            ) from None
        finally:
            self._pending.pop(correlation, None)
            self._metrics.requests.labels(command.event_type, outcome).inc()
            self._metrics.request_seconds.labels(command.event_type).observe(
                time.monotonic() - started
            )

    def _command_message(
        self,
        command: Command,
        correlation: str,
        timeout: float,
        command_id: str | None,
        more: dict[str, str] | None,
    ) -> PubsubMessage:
        deadline = datetime.now(UTC) + timedelta(seconds=timeout)
        extensions = {
            **(more or {}),
            REPLY_TO: self._topology.replies_topic,
            CORRELATION_ID: correlation,
            DEADLINE: deadline.isoformat(),
            **trace_extensions(),  # the sender's span, so the worker's is its child
        }
        event = new_event(
            command.event_type, self._source, command, event_id=command_id, extensions=extensions
        )
        return to_pubsub(event)

    async def _publish(
        self, topic: str, data: bytes, attributes: dict[str, str], timeout: float
    ) -> None:
        # Retried no longer than the request waits, so a command nobody waits for any more is
        # not published once Pub/Sub is back (the client's default keeps trying for 10 minutes).
        try:
            await self._publisher.publish(topic, data, attributes, timeout)
        except Exception as error:
            raise Unavailable(f"could not publish to {topic}: {error}") from error

    def _on_reply(self, delivery: Delivery) -> None:
        # On the event loop. Acked at once: a reply only completes the request waiting for it,
        # and one lost is a request timing out.
        delivery.ack()
        message = delivery.message
        attributes = dict(message.attributes)
        correlation = attributes.get(f"ce-{CORRELATION_ID}", "")
        if not correlation.startswith(f"{self.requester_id}/"):
            return
        try:
            event_context(attributes)  # a reply is a CloudEvent of the contract like any message
            reply = read_reply(message.data)
        except (BadMessage, ValueError):
            log.exception("dropped a reply that cannot be read", extra={"correlation": correlation})
            return
        self._resolve(correlation, reply)

    def _resolve(self, correlation: str, reply: Reply) -> None:
        future = self._pending.get(correlation)
        if future is None or future.done():
            self._metrics.late_replies.inc()
            log.info("dropped a late reply", extra={"correlation": correlation})
            return
        future.set_result(reply)


def read_reply(data: bytes) -> Reply:
    """The reply these bytes hold, read once if small: a read's reply is the same bytes for every
    reader until what it reads changes (a club page's, 7 kB), and reading it, the JSON and then
    its result validated (`Reply.result_as`), took about 95 us. A Reply is frozen, and shared
    so."""
    if len(data) > LARGEST_REMEMBERED_REPLY:
        return _reply_in(data)
    return _remembered_reply_in(data)


def _reply_in(data: bytes) -> Reply:
    return Reply.model_validate(json_value(data))


_remembered_reply_in = lru_cache(maxsize=REMEMBERED_REPLIES)(_reply_in)
