"""Publishing from an event loop: what is published in one turn of the loop goes out in one call.

The client library's publisher batches on threads: each batch starts a thread to commit it and
a thread to time it, and each message's future is handed back to the loop from there. For the
frontend, whose requests come in convoys of dozens (README, "Performance"), that machinery was
a tenth to a fifth of its CPU a request. Here the messages a turn of the loop publishes are
gathered, and after that turn they go out in one Publish call per topic on the library's asyncio
client: no thread, no wait for a batch to fill, and the loop's own turn is the batch.
"""

import asyncio
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field

from google.api_core.retry_async import AsyncRetry
from google.pubsub_v1 import PublisherAsyncClient
from google.pubsub_v1 import PubsubMessage as WireMessage

from events.loop_thread import LoopThread

# Pub/Sub's limits on one Publish request: 1,000 messages and 10 MB (each message counted with
# its attributes); a turn's batch over either goes out in more calls.
MOST_MESSAGES_A_CALL = 1000
MOST_BYTES_A_CALL = 9 * 1024 * 1024


@dataclass
class _Batch:
    timeout: float  # the longest any of its messages may be tried for
    messages: list[WireMessage] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)  # bytes, as Pub/Sub counts them
    sent: list[asyncio.Future[None]] = field(default_factory=list)


class LoopPublisher:
    """Publishes on the running loop; `make_client` is called once, on that loop. A call carries
    at most `most_a_call` messages (one, for a sender that wants each message handed to the
    subscribers on its own)."""

    def __init__(
        self,
        make_client: Callable[[], PublisherAsyncClient],
        most_a_call: int = MOST_MESSAGES_A_CALL,
    ) -> None:
        self._make_client = make_client
        self._most_a_call = most_a_call
        self._client: PublisherAsyncClient | None = None
        self._batches: dict[str, _Batch] = {}
        self._sending: set[asyncio.Task[None]] = set()  # the loop holds its tasks weakly

    async def publish(
        self, topic: str, data: bytes, attributes: dict[str, str], timeout: float
    ) -> None:
        """Returns once Pub/Sub has the message; raises what the Publish call raised, once it
        has been retried for `timeout` seconds."""
        loop = asyncio.get_running_loop()
        batch = self._batches.get(topic)
        if batch is None:
            batch = self._batches[topic] = _Batch(timeout)
            # A task's first step runs after this turn: what the turn publishes joins the batch.
            self._start_sending(topic)
        batch.timeout = max(batch.timeout, timeout)
        batch.messages.append(WireMessage(data=data, attributes=attributes))
        batch.sizes.append(len(data) + sum(len(k) + len(v) for k, v in attributes.items()))
        sent: asyncio.Future[None] = loop.create_future()
        batch.sent.append(sent)
        await sent

    def _start_sending(self, topic: str) -> None:
        task = asyncio.get_running_loop().create_task(self._send(topic))
        self._sending.add(task)
        task.add_done_callback(self._sending.discard)

    async def _send(self, topic: str) -> None:
        batch = self._batches.pop(topic)
        if self._client is None:
            self._client = self._make_client()
        for first, last in self._calls(batch.sizes):
            try:
                await self._client.publish(
                    topic=topic,
                    messages=batch.messages[first:last],
                    retry=AsyncRetry(timeout=batch.timeout),
                    timeout=batch.timeout,
                )
            except Exception as error:
                _settle(batch.sent[first:last], error)
            else:
                _settle(batch.sent[first:last], None)

    def _calls(self, sizes: list[int]) -> list[tuple[int, int]]:
        """The batch cut into calls within Pub/Sub's limits: (first, after last) indexes."""
        calls: list[tuple[int, int]] = []
        first, size = 0, 0
        for index, weight in enumerate(sizes):
            full = index - first >= self._most_a_call or size + weight > MOST_BYTES_A_CALL
            if index > first and full:
                calls.append((first, index))
                first, size = index, 0
            size += weight
        calls.append((first, len(sizes)))
        return calls


class PublisherFromThreads:
    """A loop thread's publisher, called as the client library's publisher is (`publish(topic,
    data, **attributes)`, events/envelope.py) from any thread: a worker's replies. The future
    completes on the loop, once Pub/Sub has the message or `timeout` s of retries are over."""

    def __init__(self, publisher: LoopPublisher, loop_thread: LoopThread, timeout: float) -> None:
        self._publisher = publisher
        self._loop_thread = loop_thread
        self._timeout = timeout

    def publish(self, topic: str, data: bytes, **attributes: str) -> Future[None]:
        return self._loop_thread.submit(
            self._publisher.publish(topic, data, attributes, self._timeout)
        )


def _settle(sent: list[asyncio.Future[None]], error: Exception | None) -> None:
    for future in sent:
        if future.done():  # its sender gave up waiting
            continue
        if error is None:
            future.set_result(None)
        else:
            future.set_exception(error)
