"""The loop's streaming pull: messages to the callback and their acks back on the stream, and a
new stream (the subscription made again first) whenever one ends."""

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from google.api_core.exceptions import ServiceUnavailable
from google.pubsub_v1 import (
    PubsubMessage,
    ReceivedMessage,
    StreamingPullRequest,
    StreamingPullResponse,
)

from events import loop_pulling
from events.loop_pulling import Delivery, LoopPulling


def response(*ack_ids: str) -> StreamingPullResponse:
    return StreamingPullResponse(
        received_messages=[
            ReceivedMessage(ack_id=ack_id, message=PubsubMessage(data=ack_id.encode()))
            for ack_id in ack_ids
        ]
    )


class ScriptedClient:
    """Each streaming pull plays the next script: responses, then an error or the stream's end.
    What the pull sends on each stream is recorded."""

    def __init__(self, *scripts: tuple[list[StreamingPullResponse], Exception | None]) -> None:
        self.scripts = list(scripts)
        self.sent: list[list[StreamingPullRequest]] = []
        self.half_closed = asyncio.Event()

    async def streaming_pull(self, requests: AsyncIterator[StreamingPullRequest]) -> Any:
        responses, error = self.scripts.pop(0) if self.scripts else ([], None)
        sent: list[StreamingPullRequest] = []
        self.sent.append(sent)
        reading = asyncio.ensure_future(_read_into(requests, sent, self.half_closed))

        async def stream() -> AsyncIterator[StreamingPullResponse]:
            for one in responses:
                yield one
                await asyncio.sleep(0.01)  # the pull acks it meanwhile
            if error is not None:
                reading.cancel()
                raise error
            if not self.scripts:
                # The last stream stays open until the pull half-closes it, as Pub/Sub's does.
                await reading
            reading.cancel()

        return stream()


async def _read_into(
    requests: AsyncIterator[StreamingPullRequest], sent: list[Any], half_closed: asyncio.Event
) -> None:
    async for request in requests:
        sent.append(request)
    half_closed.set()


def test_messages_reach_the_callback_and_are_acked_on_their_stream_and_a_new_one_follows(
    monkeypatch,
):
    monkeypatch.setattr(loop_pulling, "RETRY_SECONDS", 0.01)
    client = ScriptedClient(
        ([response("a", "b")], ServiceUnavailable("Pub/Sub went away")),
        ([response("c")], None),
    )
    received: list[bytes] = []
    prepared: list[int] = []
    pulling = LoopPulling(
        lambda: client,  # type: ignore[arg-type, return-value]
        "projects/p/subscriptions/replies",
        lambda delivery: (received.append(delivery.message.data), delivery.ack()),
        prepare=lambda: prepared.append(1),
        problem=lambda: None,
    )

    async def scenario() -> None:
        await pulling.start()
        while received != [b"a", b"b", b"c"]:
            await asyncio.sleep(0.01)
        while len(client.sent) < 2 or len(client.sent[1]) < 2:
            await asyncio.sleep(0.01)  # the second stream's ack
        assert pulling.running
        await pulling.stop()

    asyncio.run(asyncio.wait_for(scenario(), timeout=5))

    first, second = client.sent
    assert first[0].subscription == "projects/p/subscriptions/replies"
    assert [list(request.ack_ids) for request in first[1:]] == [["a", "b"]]
    assert [list(request.ack_ids) for request in second[1:]] == [["c"]]
    assert len(prepared) == 2  # at start, and again before the second stream
    assert not pulling.running


def test_while_pub_sub_says_what_is_wrong_no_stream_is_opened(monkeypatch):
    monkeypatch.setattr(loop_pulling, "RETRY_SECONDS", 0.01)
    client = ScriptedClient(([], ServiceUnavailable("Pub/Sub went away")), ([], None))
    problems = ["the subscription is gone", "the subscription is gone", None]
    pulling = LoopPulling(
        lambda: client,  # type: ignore[arg-type, return-value]
        "projects/p/subscriptions/replies",
        lambda delivery: None,
        prepare=lambda: None,
        problem=lambda: problems.pop(0) if problems else None,
    )

    async def scenario() -> None:
        await pulling.start()
        while len(client.sent) < 2:
            await asyncio.sleep(0.01)
        await pulling.stop()

    asyncio.run(asyncio.wait_for(scenario(), timeout=5))

    assert problems == []  # asked until Pub/Sub said nothing was wrong, then pulled again


def held_pulling(client: ScriptedClient, held: list[Delivery], **bounds: int) -> LoopPulling:
    """A pull whose receiver holds each delivery for the test to settle."""
    return LoopPulling(
        lambda: client,  # type: ignore[arg-type, return-value]
        "projects/p/subscriptions/commands",
        held.append,
        prepare=lambda: None,
        problem=lambda: None,
        **bounds,
    )


def settlements(sent: list[StreamingPullRequest]) -> list[tuple[str, list[str]]]:
    """What went back on a stream after its first request, in order: acks, and deadlines set."""
    found: list[tuple[str, list[str]]] = []
    for request in sent[1:]:
        if request.ack_ids:
            found.append(("ack", list(request.ack_ids)))
        for seconds in sorted(set(request.modify_deadline_seconds)):
            ids = [
                ack_id
                for ack_id, given in zip(
                    request.modify_deadline_ack_ids, request.modify_deadline_seconds, strict=True
                )
                if given == seconds
            ]
            found.append((f"deadline {seconds}", ids))
    return found


def test_a_stop_waits_for_the_held_messages_and_sends_their_acks_before_it_ends_the_stream():
    client = ScriptedClient(([response("a", "b")], None))
    held: list[Delivery] = []
    pulling = held_pulling(client, held, most_held=1)

    async def scenario() -> tuple[bool, bool]:
        await pulling.start()
        while not held:
            await asyncio.sleep(0.01)
        stopping = asyncio.ensure_future(pulling.stop(timeout=10))
        await asyncio.sleep(0.5)  # without the wait, the stop is over in a blink
        stopped_early = stopping.done() or client.half_closed.is_set()
        held[0].ack()
        return stopped_early, await stopping

    stopped_early, drained = asyncio.run(asyncio.wait_for(scenario(), timeout=5))

    assert not stopped_early, "the stream ended with a message still held"
    assert drained and client.half_closed.is_set()
    [sent] = client.sent
    # "b" came while "a" was held (most_held 1): never handed over, given back at the stop.
    assert [d.ack_id for d in held] == ["a"]
    assert settlements(sent) == [("deadline 0", ["b"]), ("ack", ["a"])]
    assert not pulling.running


def test_a_stop_that_times_out_says_so_and_leaves_the_held_message_to_its_lease():
    client = ScriptedClient(([response("a")], None))
    held: list[Delivery] = []
    pulling = held_pulling(client, held)

    async def scenario() -> bool:
        await pulling.start()
        while not held:
            await asyncio.sleep(0.01)
        return await pulling.stop(timeout=0.1)

    assert asyncio.run(asyncio.wait_for(scenario(), timeout=5)) is False
    assert settlements(client.sent[0]) == []


def test_no_more_than_most_held_messages_or_bytes_are_held_but_one_is_taken_however_large():
    big = "x" * 500
    client = ScriptedClient(([response("a", "b", "c"), response(big, "d")], None))
    held: list[Delivery] = []
    pulling = held_pulling(client, held, most_held=2, most_bytes=400)

    async def scenario() -> list[list[str]]:
        seen: list[list[str]] = []

        async def seen_then_settled(index: int) -> None:
            await asyncio.sleep(0.1)
            seen.append([d.ack_id for d in held])
            held[index].ack()

        await pulling.start()
        for index in range(4):
            await seen_then_settled(index)
        await asyncio.sleep(0.1)
        seen.append([d.ack_id for d in held])
        await pulling.stop(timeout=1)
        return seen

    seen = asyncio.run(asyncio.wait_for(scenario(), timeout=5))

    assert seen == [
        ["a", "b"],  # c waits for room
        ["a", "b", "c"],  # handed once a was settled; b settled
        ["a", "b", "c"],  # the big one is over the bytes' bound beside c: it waits
        ["a", "b", "c", big],  # taken alone once c was settled; d waits beside it
        ["a", "b", "c", big, "d"],
    ]


def test_the_held_messages_leases_are_extended_until_they_are_settled(monkeypatch):
    monkeypatch.setattr(loop_pulling, "LEASE_SECONDS", 1)
    client = ScriptedClient(([response("a", "b")], None))
    held: list[Delivery] = []
    pulling = held_pulling(client, held)

    async def scenario() -> None:
        await pulling.start()
        while len(held) < 2:
            await asyncio.sleep(0.01)
        held[0].ack()
        await asyncio.sleep(0.5)  # a third of the lease, and then some
        held[1].ack()
        await pulling.stop(timeout=1)

    asyncio.run(asyncio.wait_for(scenario(), timeout=5))

    assert settlements(client.sent[0]) == [("ack", ["a"]), ("deadline 1", ["b"]), ("ack", ["b"])]
