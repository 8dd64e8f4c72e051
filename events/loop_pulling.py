"""A streaming pull read on the event loop, for the requester's replies.

The client library's streaming pull hands each message through its threads (the stream's
reader, a dispatcher, a callback pool) and acks it in calls of their own; a requester then hands
the reply back to its loop. Here the stream is read on the loop itself, with the library's
asyncio client, and each message is acked on the same stream as soon as it is read: a reply only
completes the request waiting for it, and a lost one is a request timing out, as before.

Whatever happens to Pub/Sub, it pulls from `start` to `stop`, as events/pulling.py does for the
threaded stream: when a stream ends (Pub/Sub away, or the subscription gone after an emulator
restart), the subscription is made again if need be and a new stream opened, at once (after
RETRY_SECONDS if the stream failed as it opened) and then every RETRY_SECONDS until Pub/Sub
answers. A live stream is never cancelled to make way for another (the emulator 0.8.20
mishandles a cancelled stream: README, "Performance").
"""

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable

from google.pubsub_v1 import PubsubMessage, StreamingPullRequest, SubscriberAsyncClient

log = logging.getLogger(__name__)

RETRY_SECONDS = 1.0
# Acks go at once; the deadline only covers a message the loop has not read yet.
STREAM_ACK_DEADLINE_SECONDS = 60


class LoopPulling:
    """Pulls `subscription` into `on_message`, called on the loop for each message."""

    def __init__(
        self,
        make_client: Callable[[], SubscriberAsyncClient],
        subscription: str,
        on_message: Callable[[PubsubMessage], None],
        *,
        prepare: Callable[[], None],
        problem: Callable[[], str | None],
    ) -> None:
        """`prepare` makes the subscription (and is called again before each new stream);
        `problem` asks Pub/Sub what keeps it from delivering. Both block: they run in a thread."""
        self._make_client = make_client
        self._subscription = subscription
        self._on_message = on_message
        self._prepare = prepare
        self._problem = problem
        self._pulling: asyncio.Task[None] | None = None
        self._open = False

    @property
    def running(self) -> bool:
        return self._open

    async def start(self) -> None:
        """Prepares and opens the stream; raises if Pub/Sub cannot be reached or refuses."""
        await asyncio.to_thread(self._prepare)
        client = self._make_client()
        self._open = True
        self._pulling = asyncio.create_task(self._pull_until_stopped(client))

    async def stop(self) -> None:
        self._open = False
        if self._pulling is not None:
            self._pulling.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._pulling
            self._pulling = None

    async def problem(self) -> str | None:
        """What keeps messages from coming, asked of Pub/Sub; None when nothing does."""
        if not self.running:
            return "not pulling"
        return await asyncio.to_thread(self._problem)

    async def _pull_until_stopped(self, client: SubscriberAsyncClient) -> None:
        while True:
            opened = time.monotonic()
            try:
                await self._pull(client)
                ended = "the stream ended"
            except asyncio.CancelledError:
                raise
            except Exception as error:
                ended = f"{type(error).__name__}: {error}"
            self._open = False
            log.warning("pull ended", extra={"subscription": self._subscription, "error": ended})
            if time.monotonic() - opened < RETRY_SECONDS:
                await asyncio.sleep(RETRY_SECONDS)  # a stream that fails at once: not in a loop
            await self._until_pullable()
            self._open = True

    async def _pull(self, client: SubscriberAsyncClient) -> None:
        acks: asyncio.Queue[str] = asyncio.Queue()
        stream = await client.streaming_pull(requests=self._requests(acks))
        log.info("pulling", extra={"subscription": self._subscription})
        async for response in stream:
            for received in response.received_messages:
                acks.put_nowait(received.ack_id)
                self._on_message(received.message)

    async def _requests(self, acks: asyncio.Queue[str]) -> AsyncIterator[StreamingPullRequest]:
        yield StreamingPullRequest(
            subscription=self._subscription,
            stream_ack_deadline_seconds=STREAM_ACK_DEADLINE_SECONDS,
        )
        while True:
            ack_ids = [await acks.get()]
            while not acks.empty():  # what came in one response goes back in one request
                ack_ids.append(acks.get_nowait())
            yield StreamingPullRequest(ack_ids=ack_ids)

    async def _until_pullable(self) -> None:
        said = None
        while True:
            try:
                await asyncio.to_thread(self._prepare)
                problem = await asyncio.to_thread(self._problem)
            except Exception as error:
                problem = f"{type(error).__name__}: {error}"
            if problem is None:
                return
            if problem != said:
                log.warning("waiting for Pub/Sub", extra={"problem": problem})
                said = problem
            await asyncio.sleep(RETRY_SECONDS)
