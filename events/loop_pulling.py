"""A streaming pull read on the event loop: the requester's replies and the workers' commands.

The client library's streaming pull hands each message through its threads (the stream's
reader, a leaser, a dispatcher, a callback pool) and settles it in calls of their own: about
0.25 ms of a worker's CPU a command, half of it (README, "Performance"). Here the stream is read
on the loop itself, with the library's asyncio client. Each message is handed over as a
`Delivery`, which its receiver acks or nacks, on the loop, once done with it (a requester at
once: a reply only completes the request waiting for it). Acks, nacks (a deadline of 0: Pub/Sub
hands the message out again at once) and lease extensions go back on the same stream.

As the library does: at most `most_held` messages, and `most_bytes`, are held unsettled at once
(or one message, however large; the stream is not read further meanwhile, so gRPC's flow control
keeps the rest at Pub/Sub, which is asked for the same bound as well); a held message's lease
is extended every LEASE_SECONDS / 3, for at most MAX_LEASE_SECONDS (a message held longer, its
receiver stuck, goes to another); and a stop drains: what comes after it is nacked, the held
messages get a time to be settled, their acks go out on the stream, and the stream is half-closed,
which the emulator 0.8.20 ends once it has read the acks before it (measured).

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
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

from google.pubsub_v1 import PubsubMessage, StreamingPullRequest, SubscriberAsyncClient

log = logging.getLogger(__name__)

RETRY_SECONDS = 1.0
# A message's lease: what the stream asks for each message, and what each extension gives. A
# message of a process that died goes to another after at most this long.
LEASE_SECONDS = 30
MAX_LEASE_SECONDS = 3600
# How long a half-closed stream may take to end before it is cancelled.
CLOSE_SECONDS = 5.0


@dataclass(eq=False)
class Delivery:
    """One message pulled, until its receiver acks it (done with) or nacks it (deliver it
    again). Either is called on the loop; the first one counts."""

    message: PubsubMessage
    ack_id: str
    size: int  # bytes, as Pub/Sub counts them for flow control
    _settle: Callable[["Delivery", bool], None] = field(repr=False)
    received: float = field(default_factory=time.monotonic)

    def settle(self, finished: bool) -> None:
        """Acks (True) or nacks (False)."""
        self._settle(self, finished)

    def ack(self) -> None:
        self.settle(True)

    def nack(self) -> None:
        self.settle(False)


class LoopPulling:
    """Pulls `subscription` into `on_message`, called on the loop with each delivery."""

    def __init__(
        self,
        make_client: Callable[[], SubscriberAsyncClient],
        subscription: str,
        on_message: Callable[[Delivery], None],
        *,
        prepare: Callable[[], None],
        problem: Callable[[], str | None],
        most_held: int = 1000,
        most_bytes: int = 100 * 1024 * 1024,
    ) -> None:
        """`prepare` makes the subscription (and is called again before each new stream);
        `problem` asks Pub/Sub what keeps it from delivering. Both block: they run in a thread."""
        self._make_client = make_client
        self._subscription = subscription
        self._on_message = on_message
        self._prepare = prepare
        self._problem = problem
        self._most_held = most_held
        self._most_bytes = most_bytes
        self._held_bytes = 0
        self._pulling: asyncio.Task[None] | None = None
        self._open = False
        self._held: dict[str, Delivery] = {}
        self._waiting: deque[Delivery] = deque()  # taken when the held were already most_held
        self._stopping = False
        self._loop_bound()

    def _loop_bound(self) -> None:
        # An event belongs to the loop that first waits on it: new ones for each start.
        self._answers = _Answers()
        self._room = asyncio.Event()
        self._none_held = asyncio.Event()

    @property
    def running(self) -> bool:
        return self._open

    async def start(self) -> None:
        """Prepares and opens the stream; raises if Pub/Sub cannot be reached or refuses."""
        await asyncio.to_thread(self._prepare)
        client = self._make_client()
        self._loop_bound()
        self._open, self._stopping = True, False
        self._pulling = asyncio.create_task(self._pull_until_stopped(client))

    async def stop(self, timeout: float | None = 0) -> bool:
        """Stops taking messages, waits up to `timeout` s (None: for good) for the held ones to
        be settled, sends their acks and ends the stream. True if none was left held; those are
        neither acked nor nacked, and Pub/Sub hands them out again once their lease is over."""
        if self._pulling is None:
            return True
        self._stopping = True
        self._room.set()
        for delivery in self._waiting:
            self._answers.nack(delivery.ack_id)
        self._waiting.clear()
        self._none_held.clear()
        if self._held:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._none_held.wait(), timeout)
        drained = not self._held
        await self._end_stream()
        self._open = False
        return drained

    def held(self) -> list[PubsubMessage]:
        """The messages held now. Read from other threads too (a worker's health server): the
        copy is taken in one step under the GIL, whatever the loop does meanwhile."""
        return [delivery.message for delivery in self._held.copy().values()]

    def held_count(self) -> int:
        return len(self._held)

    async def problem(self) -> str | None:
        """What keeps messages from coming, asked of Pub/Sub; None when nothing does."""
        if not self.running:
            return "not pulling"
        return await asyncio.to_thread(self._problem)

    async def _end_stream(self) -> None:
        pulling, self._pulling = self._pulling, None
        assert pulling is not None
        if self._open:
            self._answers.close()  # half-closes once what is pending is sent
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(pulling), CLOSE_SECONDS)
        pulling.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await pulling

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
            if self._stopping:
                return
            self._open = False
            log.warning("pull ended", extra={"subscription": self._subscription, "error": ended})
            if time.monotonic() - opened < RETRY_SECONDS:
                await asyncio.sleep(RETRY_SECONDS)  # a stream that fails at once: not in a loop
            await self._until_pullable()
            self._open = True

    async def _pull(self, client: SubscriberAsyncClient) -> None:
        self._answers.reopen()
        stream = await client.streaming_pull(requests=self._requests())
        log.info("pulling", extra={"subscription": self._subscription})
        extending = asyncio.create_task(self._extend_leases())
        try:
            async for response in stream:
                for received in response.received_messages:
                    size = PubsubMessage.pb(received.message).ByteSize()
                    self._take(Delivery(received.message, received.ack_id, size, self._settle))
                await self._until_room()
        finally:
            extending.cancel()

    async def _requests(self) -> AsyncIterator[StreamingPullRequest]:
        yield StreamingPullRequest(
            subscription=self._subscription,
            stream_ack_deadline_seconds=LEASE_SECONDS,
            max_outstanding_messages=self._most_held,
            max_outstanding_bytes=self._most_bytes,
        )
        # What was settled in one turn of the loop goes back in one request.
        while (request := await self._answers.next_request()) is not None:
            yield request

    def _take(self, delivery: Delivery) -> None:
        if self._stopping:
            self._answers.nack(delivery.ack_id)
            return
        self._waiting.append(delivery)
        self._hand_waiting()

    def _hand_waiting(self) -> None:
        while self._waiting and not self._stopping and self._fits(self._waiting[0].size):
            delivery = self._waiting.popleft()
            self._held[delivery.ack_id] = delivery
            self._held_bytes += delivery.size
            self._on_message(delivery)

    def _fits(self, size: int) -> bool:
        if not self._held:
            return True  # one message, however large, is taken alone
        return len(self._held) < self._most_held and self._held_bytes + size <= self._most_bytes

    def _settle(self, delivery: Delivery, finished: bool) -> None:
        if self._held.pop(delivery.ack_id, None) is None:
            return  # settled already
        self._held_bytes -= delivery.size
        if finished:
            self._answers.ack(delivery.ack_id)
        else:
            self._answers.nack(delivery.ack_id)
        if not self._held:
            self._none_held.set()
        if self._waiting:
            # Not from here: the receiver may be settling from inside `on_message`.
            asyncio.get_running_loop().call_soon(self._hand_waiting)
        elif self._fits(0):
            self._room.set()

    async def _until_room(self) -> None:
        while not self._stopping and (self._waiting or not self._fits(0)):
            self._room.clear()
            await self._room.wait()

    async def _extend_leases(self) -> None:
        while True:
            await asyncio.sleep(LEASE_SECONDS / 3)
            oldest = time.monotonic() - MAX_LEASE_SECONDS
            held = [*self._held.values(), *self._waiting]
            self._answers.extend([d.ack_id for d in held if d.received > oldest])

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


class _Answers:
    """What goes back on the stream: acks, nacks and lease extensions, gathered until the stream's
    request iterator asks for the next request, and the end of the stream once they are sent."""

    def __init__(self) -> None:
        self._acks: list[str] = []
        self._nacks: list[str] = []
        self._extensions: list[str] = []
        self._any = asyncio.Event()
        self._closing = False

    def ack(self, ack_id: str) -> None:
        self._acks.append(ack_id)
        self._any.set()

    def nack(self, ack_id: str) -> None:
        self._nacks.append(ack_id)
        self._any.set()

    def extend(self, ack_ids: list[str]) -> None:
        if ack_ids:
            self._extensions = ack_ids
            self._any.set()

    def close(self) -> None:
        self._closing = True
        self._any.set()

    def reopen(self) -> None:
        """For a new stream; what a broken one had not sent goes on it."""
        self._closing = False

    async def next_request(self) -> StreamingPullRequest | None:
        """The next request, once there is one; None once the stream is to end."""
        while not (self._acks or self._nacks or self._extensions):
            if self._closing:
                return None
            self._any.clear()
            await self._any.wait()
        modified = [*self._nacks, *self._extensions]
        deadlines = [0] * len(self._nacks) + [LEASE_SECONDS] * len(self._extensions)
        request = StreamingPullRequest(
            ack_ids=self._acks, modify_deadline_ack_ids=modified, modify_deadline_seconds=deadlines
        )
        self._acks, self._nacks, self._extensions = [], [], []
        return request
