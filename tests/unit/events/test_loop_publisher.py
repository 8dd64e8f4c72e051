"""The loop publisher: one Publish call per topic for what a turn of the loop publishes."""

import asyncio
from typing import Any

import pytest
from google.api_core.exceptions import ServiceUnavailable

from events.loop_publisher import LoopPublisher


class RecordingClient:
    """Stands in for the library's asyncio client: records each Publish call."""

    def __init__(self, error: Exception | None = None) -> None:
        self.calls: list[dict[str, Any]] = []
        self.error = error

    async def publish(self, **call: Any) -> None:
        self.calls.append(call)
        if self.error is not None:
            raise self.error


def publisher_over(client: RecordingClient) -> LoopPublisher:
    return LoopPublisher(lambda: client)  # type: ignore[arg-type, return-value]


def test_what_one_turn_publishes_goes_out_in_one_call_per_topic():
    client = RecordingClient()
    publisher = publisher_over(client)

    async def scenario() -> None:
        await asyncio.gather(
            publisher.publish("topics/commands", b"1", {"n": "1"}, 5.0),
            publisher.publish("topics/commands", b"2", {"n": "2"}, 7.0),
            publisher.publish("topics/other", b"3", {"n": "3"}, 5.0),
        )
        await publisher.publish("topics/commands", b"4", {"n": "4"}, 5.0)

    asyncio.run(scenario())

    sent = [(call["topic"], [m.data for m in call["messages"]]) for call in client.calls]
    assert sent == [
        ("topics/commands", [b"1", b"2"]),
        ("topics/other", [b"3"]),
        ("topics/commands", [b"4"]),
    ]
    assert client.calls[0]["messages"][1].attributes == {"n": "2"}
    assert client.calls[0]["timeout"] == 7.0  # the longest any of its messages may wait


def test_a_failed_call_fails_every_message_it_carried():
    client = RecordingClient(ServiceUnavailable("Pub/Sub is away"))
    publisher = publisher_over(client)

    async def scenario() -> list[Any]:
        return await asyncio.gather(
            publisher.publish("topics/commands", b"1", {}, 0.1),
            publisher.publish("topics/commands", b"2", {}, 0.1),
            return_exceptions=True,
        )

    outcomes = asyncio.run(scenario())

    assert len(client.calls) == 1
    assert all(isinstance(outcome, ServiceUnavailable) for outcome in outcomes)


def test_a_message_whose_sender_gave_up_does_not_hold_the_others_back():
    client = RecordingClient()
    publisher = publisher_over(client)

    async def scenario() -> None:
        abandoned = asyncio.ensure_future(publisher.publish("topics/commands", b"1", {}, 5.0))
        kept = asyncio.ensure_future(publisher.publish("topics/commands", b"2", {}, 5.0))
        await asyncio.sleep(0)
        abandoned.cancel()
        await kept
        with pytest.raises(asyncio.CancelledError):
            await abandoned

    asyncio.run(scenario())

    assert [m.data for m in client.calls[0]["messages"]] == [b"1", b"2"]


def test_a_call_carries_at_most_the_messages_allowed():
    client = RecordingClient()
    publisher = LoopPublisher(lambda: client, most_a_call=2)  # type: ignore[arg-type, return-value]

    async def scenario() -> None:
        await asyncio.gather(
            *(publisher.publish("topics/commands", bytes([n]), {}, 5.0) for n in range(5))
        )

    asyncio.run(scenario())

    assert [len(call["messages"]) for call in client.calls] == [2, 2, 1]


def test_a_call_stays_within_pub_subs_request_size():
    client = RecordingClient()
    publisher = publisher_over(client)
    large = b"x" * (4 * 1024 * 1024)

    async def scenario() -> None:
        await asyncio.gather(
            *(publisher.publish("topics/commands", large, {}, 5.0) for _ in range(3))
        )

    asyncio.run(scenario())

    assert [len(call["messages"]) for call in client.calls] == [2, 1]
