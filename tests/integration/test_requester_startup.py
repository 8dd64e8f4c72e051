"""A requester's start when Pub/Sub made its reply subscription but the answer never came back."""

import asyncio

import pytest
from google.api_core.exceptions import DeadlineExceeded
from google.cloud import pubsub_v1

from events.commands import Ping
from tests.support.bus import new_requester, running_worker

pytestmark = pytest.mark.emulators


class AnswerLost(pubsub_v1.SubscriberClient):
    """The real client, but the answer to its first create is lost after Pub/Sub acted on it."""

    creates = 0

    def create_subscription(self, *arguments, **options):
        self.creates += 1
        made = super().create_subscription(*arguments, **options)
        if self.creates == 1:
            raise DeadlineExceeded("the create's answer did not come back in time")
        return made


def test_a_requester_starts_when_its_create_timed_out_after_pubsub_made_the_subscription(
    topology, subscriber
):
    lost = AnswerLost()

    async def scenario():
        requester = new_requester(topology, lost)
        # What the frontend does at start: try until it works (it used to try for ever).
        await asyncio.wait_for(requester.connect(), timeout=15)
        try:
            return await requester.request(Ping(), service="stats")
        finally:
            await requester.stop()

    with running_worker("stats", {}, topology, subscriber):
        reply = asyncio.run(scenario())
    lost.close()

    assert lost.creates == 2
    assert reply.ok and reply.result["service"] == "stats"
