"""How the Pub/Sub clients are built: the library's own channel to Pub/Sub, reconnecting soon."""

import asyncio

import google.auth
import grpc
import pytest
from google.auth.credentials import AnonymousCredentials

from events.pubsub_clients import (
    OUR_OPTIONS,
    PUBLISH_BATCH_WAIT_SECONDS,
    LoopClients,
    publisher_client,
    subscriber_client,
)
from events.settings import Settings


@pytest.fixture
def channels_made(monkeypatch) -> list[dict]:
    """The options of each secure channel made (threaded or asyncio), in a world with
    credentials and no emulator."""
    monkeypatch.delenv("PUBSUB_EMULATOR_HOST", raising=False)
    monkeypatch.setattr(google.auth, "default", lambda **_: (AnonymousCredentials(), "project"))
    made: list[dict] = []

    def recording(insecure_channel):
        def secure_channel(target, credentials, **arguments):
            made.append({"target": target, **dict(arguments.get("options") or [])})
            return insecure_channel(target)

        return secure_channel

    monkeypatch.setattr(grpc, "secure_channel", recording(grpc.insecure_channel))
    monkeypatch.setattr(grpc.aio, "secure_channel", recording(grpc.aio.insecure_channel))
    return made


@pytest.mark.parametrize("build", [publisher_client, subscriber_client])
def test_in_production_a_client_keeps_the_librarys_channel_with_our_options_added(
    build, channels_made
):
    build(Settings())

    [channel] = channels_made
    assert channel["target"] == "pubsub.googleapis.com:443"
    assert channel["grpc.max_receive_message_length"] == -1  # the library's own
    assert {name: channel[name] for name, _ in OUR_OPTIONS} == dict(OUR_OPTIONS)


@pytest.mark.parametrize("client", ["publisher", "subscriber"])
def test_on_an_event_loop_a_client_keeps_the_librarys_channel_with_our_options_added(
    client, channels_made
):
    async def build() -> None:
        getattr(LoopClients(Settings()), client)()

    asyncio.run(build())

    [channel] = channels_made
    assert channel["target"] == "pubsub.googleapis.com:443"
    assert channel["grpc.max_receive_message_length"] == -1  # the library's own
    assert {name: channel[name] for name, _ in OUR_OPTIONS} == dict(OUR_OPTIONS)


def test_a_message_waits_at_most_a_millisecond_for_others_to_share_its_publish_call(
    channels_made,
):
    publisher = publisher_client(Settings())

    assert publisher.batch_settings.max_latency == PUBLISH_BATCH_WAIT_SECONDS <= 0.001
