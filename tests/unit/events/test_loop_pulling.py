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
from events.loop_pulling import LoopPulling


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

    async def streaming_pull(self, requests: AsyncIterator[StreamingPullRequest]) -> Any:
        responses, error = self.scripts.pop(0) if self.scripts else ([], None)
        sent: list[StreamingPullRequest] = []
        self.sent.append(sent)
        reading = asyncio.ensure_future(_read_into(requests, sent))

        async def stream() -> AsyncIterator[StreamingPullResponse]:
            for one in responses:
                yield one
                await asyncio.sleep(0.01)  # the pull acks it meanwhile
            if error is not None:
                reading.cancel()
                raise error
            if not self.scripts:
                await asyncio.Event().wait()  # the last stream stays open
            reading.cancel()

        return stream()


async def _read_into(requests: AsyncIterator[StreamingPullRequest], sent: list[Any]) -> None:
    async for request in requests:
        sent.append(request)


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
        lambda message: received.append(message.data),
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
        lambda message: None,
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
