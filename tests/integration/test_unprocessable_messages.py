"""Messages that can never be processed: answered when they name a reply target, kept as dead
letters otherwise, and in no case fatal to the worker."""

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from prometheus_client import CollectorRegistry

from events.commands import GetTopPlayers
from events.envelope import CORRELATION_ID, DEADLINE, REPLY_TO, new_event, to_pubsub
from events.worker import CommandContext
from tests.support.bus import pull_all, replies_subscription, running_worker

pytestmark = pytest.mark.emulators


def echo(command: GetTopPlayers, context: CommandContext) -> GetTopPlayers:
    return command


@pytest.fixture
def replies(topology, subscriber):
    return replies_subscription(topology, subscriber)


def publish_command(publisher, topology, data: bytes, attributes: dict[str, str]) -> None:
    topic = topology.topic_path(topology.command_topic("stats"))
    publisher.publish(topic, data, **attributes).result()


def command_attributes(command_type: str, **extensions: str) -> dict[str, str]:
    base = new_event(GetTopPlayers.event_type, "//other-system", GetTopPlayers(position="Forward"))
    attributes = to_pubsub(base).attributes
    return {**attributes, "ce-type": command_type, **{f"ce-{k}": v for k, v in extensions.items()}}


def test_a_message_that_is_not_json_and_names_no_reply_target_becomes_a_dead_letter(
    topology, publisher, subscriber
):
    attributes = command_attributes(GetTopPlayers.event_type)
    registry = CollectorRegistry()
    with running_worker("stats", {GetTopPlayers: echo}, topology, subscriber, registry):
        publish_command(publisher, topology, b"this is not json", attributes)
        kept = pull_all(
            subscriber, topology.subscription_path(topology.dead_letter_subscription), 1
        )

    dead = {"service": "stats", "code": "bad_message"}
    assert registry.get_sample_value("league_dead_letters_total", dead) == 1
    assert len(kept) == 1
    assert kept[0].data == b"this is not json"
    assert kept[0].attributes["league-error-code"] == "bad_message"
    assert "not JSON" in kept[0].attributes["league-error-message"]
    assert kept[0].attributes["ce-id"] == attributes["ce-id"]


def test_an_unknown_type_with_a_reply_target_gets_an_error_reply_naming_the_known_types(
    topology, publisher, subscriber, replies
):
    correlation = f"other/{uuid.uuid4()}"
    attributes = command_attributes(
        "org.leagueapp.stats.make_coffee.v1",
        **{REPLY_TO: topology.replies_topic, CORRELATION_ID: correlation},
    )
    with running_worker("stats", {GetTopPlayers: echo}, topology, subscriber):
        publish_command(publisher, topology, b"{}", attributes)
        answers = pull_all(subscriber, replies, 1)

    assert answers[0].attributes["ce-correlationid"] == correlation
    reply = json.loads(answers[0].data)
    assert reply["status"] == 400 and reply["error"]["code"] == "bad_message"
    assert "make_coffee" in reply["error"]["message"]
    assert GetTopPlayers.event_type in reply["error"]["message"]


def test_an_invalid_payload_gets_a_422_reply_naming_the_field(
    topology, publisher, subscriber, replies
):
    attributes = command_attributes(
        GetTopPlayers.event_type, **{REPLY_TO: topology.replies_topic, CORRELATION_ID: "c/1"}
    )
    with running_worker("stats", {GetTopPlayers: echo}, topology, subscriber):
        publish_command(publisher, topology, json.dumps({"count": -1}).encode(), attributes)
        answers = pull_all(subscriber, replies, 1)

    reply = json.loads(answers[0].data)
    assert reply["status"] == 422
    assert "position: Field required" in reply["error"]["message"]
    assert "count: Input should be greater than or equal to 1" in reply["error"]["message"]


def test_a_read_whose_deadline_has_passed_is_dropped_without_an_answer(
    topology, publisher, subscriber, replies
):
    past = (datetime.now(UTC) - timedelta(seconds=1)).isoformat()
    future = (datetime.now(UTC) + timedelta(seconds=30)).isoformat()
    late, timely = (
        command_attributes(
            GetTopPlayers.event_type,
            **{REPLY_TO: topology.replies_topic, CORRELATION_ID: name, DEADLINE: deadline},
        )
        for name, deadline in (("c/late", past), ("c/timely", future))
    )
    payload = json.dumps({"position": "Forward"}).encode()
    with running_worker("stats", {GetTopPlayers: echo}, topology, subscriber):
        publish_command(publisher, topology, payload, late)
        publish_command(publisher, topology, payload, timely)
        answers = pull_all(subscriber, replies, 2, timeout=5)

    assert [a.attributes["ce-correlationid"] for a in answers] == ["c/timely"]
