"""The bus floor: a bare Pub/Sub echo in one process, with no League App code on the path.

A request is published to a topic; a streaming pull on its subscription publishes it straight
back to a second topic; a second streaming pull there completes the request. That is the least
any request-reply over Pub/Sub costs on this emulator, the figure League App is compared with.
Given work (CPU seconds a request, on either side), it stands in for an app of that cost
(bench/cliff.py).
"""

import asyncio
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from google.cloud import pubsub_v1
from google.cloud.pubsub_v1.subscriber.message import Message

CORRELATION = "correlation"


class Echo:
    """The requester and the echoing responder, on topics of their own (`prefix`)."""

    def __init__(
        self,
        project_id: str,
        prefix: str,
        publisher: pubsub_v1.PublisherClient,
        subscriber: pubsub_v1.SubscriberClient,
    ) -> None:
        self._publisher, self._subscriber = publisher, subscriber
        self._requests = f"projects/{project_id}/topics/{prefix}-echo-requests"
        self._replies = f"projects/{project_id}/topics/{prefix}-echo-replies"
        self._request_subscription = f"projects/{project_id}/subscriptions/{prefix}-echo-requests"
        self._reply_subscription = f"projects/{project_id}/subscriptions/{prefix}-echo-replies"
        self._pending: dict[str, asyncio.Future[None]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        # CPU spent on each request before it is sent, and on each before it is echoed.
        self.request_work = 0.0
        self.reply_work = 0.0

    @classmethod
    def fresh(cls, project_id: str, name: str) -> "Echo":
        """An echo on topics no other has used (`name` and a random suffix), with new clients:
        new streams, so a fresh draw of their poll phases (bench/__main__.py)."""
        prefix = f"{name}{uuid.uuid4().hex[:6]}"
        return cls(project_id, prefix, pubsub_v1.PublisherClient(), pubsub_v1.SubscriberClient())

    @contextmanager
    def running(self, loop: asyncio.AbstractEventLoop) -> Iterator["Echo"]:
        self._loop = loop
        for topic, subscription in (
            (self._requests, self._request_subscription),
            (self._replies, self._reply_subscription),
        ):
            self._publisher.create_topic(name=topic)
            self._subscriber.create_subscription(name=subscription, topic=topic)
        pulls = [
            self._subscriber.subscribe(self._request_subscription, self._echo),
            self._subscriber.subscribe(self._reply_subscription, self._answered),
        ]
        try:
            yield self
        finally:
            for pull in pulls:
                pull.cancel()
            for subscription in (self._request_subscription, self._reply_subscription):
                self._subscriber.delete_subscription(subscription=subscription)
            for topic in (self._requests, self._replies):
                self._publisher.delete_topic(topic=topic)

    async def round_trip(self) -> None:
        assert self._loop is not None, "use it inside running()"
        spend_cpu(self.request_work)
        correlation = uuid.uuid4().hex
        answered = self._loop.create_future()
        self._pending[correlation] = answered
        try:
            self._publisher.publish(self._requests, b"{}", **{CORRELATION: correlation})
            await asyncio.wait_for(answered, timeout=10)
        finally:
            self._pending.pop(correlation, None)

    def _echo(self, message: Message) -> None:
        spend_cpu(self.reply_work)
        self._publisher.publish(self._replies, message.data, **dict(message.attributes))
        message.ack()

    def _answered(self, message: Message) -> None:
        message.ack()
        waiting = self._pending.get(message.attributes.get(CORRELATION, ""))
        if waiting is not None and self._loop is not None:
            self._loop.call_soon_threadsafe(_resolve, waiting)


def spend_cpu(seconds: float) -> None:
    """Keeps this thread computing for `seconds` of its own CPU time (not wall time, which a
    busy machine would stretch with other processes' turns)."""
    until = time.thread_time() + seconds
    while time.thread_time() < until:
        pass


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)
