"""The workers' Firestore client: the library's channel, with the reconnect options added."""

import google.auth
import grpc
import pytest
from google.auth.credentials import AnonymousCredentials

from events.pubsub_clients import RECONNECT_OPTIONS
from services.workers.firestore_client import FirestoreClient


@pytest.fixture
def channels_made(monkeypatch) -> list[dict]:
    """The target and options of each channel made, secure or not."""
    made: list[dict] = []

    def channel(target, *credentials, **arguments):
        made.append({"target": target, **dict(arguments.get("options") or [])})
        return real_insecure(target)

    real_insecure = grpc.insecure_channel
    monkeypatch.setattr(grpc, "secure_channel", channel)
    monkeypatch.setattr(grpc, "insecure_channel", channel)
    monkeypatch.setattr(google.auth, "default", lambda **_: (AnonymousCredentials(), "project"))
    return made


@pytest.mark.parametrize("emulator", [None, "127.0.0.1:8086"])
def test_the_channel_is_the_librarys_own_and_reconnects_within_a_second(
    emulator, channels_made, monkeypatch
):
    if emulator is None:
        monkeypatch.delenv("FIRESTORE_EMULATOR_HOST", raising=False)
    else:
        monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", emulator)

    client = FirestoreClient(project="project")
    assert client._firestore_api is not None  # the channel is made on first use

    [channel] = channels_made
    assert channel["target"] == (emulator or "firestore.googleapis.com")
    assert channel["grpc.max_receive_message_length"] == -1  # the library's own
    assert {name: channel[name] for name, _ in RECONNECT_OPTIONS} == dict(RECONNECT_OPTIONS)
