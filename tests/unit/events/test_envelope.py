"""The CloudEvents binary binding onto Pub/Sub attributes, and how schema errors read."""

import json
from dataclasses import astuple

import pytest
from cloudevents.conversion import to_binary
from cloudevents.http import CloudEvent, from_http
from pydantic import ValidationError

from events.commands import ALL_COMMANDS, CreatePlayer, Ping, TransferPlayer
from events.envelope import CORRELATION_ID, REPLY_TO, from_pubsub, new_event, to_pubsub
from events.messages import describe_validation_error
from events.replies import BadMessage

TRANSFER = TransferPlayer(player="Mohamed Salah", from_club="Liverpool", to_club="Chelsea")


def test_a_command_survives_the_round_trip_through_pubsub_attributes():
    event = new_event(
        TransferPlayer.event_type,
        "//league-app/test",
        TRANSFER,
        event_id="command-1",
        extensions={REPLY_TO: "league-replies", CORRELATION_ID: "requester/1"},
    )

    message = to_pubsub(event)
    back = from_pubsub(message.data, message.attributes)

    assert message.attributes["ce-id"] == "command-1"
    assert message.attributes["ce-type"] == "org.leagueapp.transfer.transfer_player.v1"
    assert message.attributes["ce-specversion"] == "1.0"
    assert message.attributes["ce-replyto"] == "league-replies"
    assert message.attributes["content-type"] == "application/json"
    assert back["id"] == "command-1" and back[CORRELATION_ID] == "requester/1"
    assert TransferPlayer.model_validate(back.data) == TRANSFER


EVENTS = pytest.mark.parametrize(
    "event",
    [
        new_event(
            TransferPlayer.event_type,
            "//league-app/test",
            TRANSFER,
            extensions={REPLY_TO: "league-replies", CORRELATION_ID: "requester/1"},
        ),
        new_event(Ping.event_type, "//test", Ping()),
        CloudEvent({"type": "t", "source": "//s"}, None),
    ],
    ids=["command with extensions", "empty payload", "no data"],
)


def _as_json(data: object) -> bytes:
    return data if isinstance(data, bytes) else json.dumps(data).encode()


@EVENTS
def test_a_message_is_what_the_sdk_makes_of_the_event_in_binary_mode(event):
    # new_event's data is its JSON already; a value (or none) is written as JSON.
    headers, body = to_binary(event, data_marshaller=_as_json)

    message = to_pubsub(event)

    assert message.attributes == {name.lower(): str(value) for name, value in headers.items()}
    assert json.loads(message.data) == json.loads(body)


def test_an_event_carries_its_payload_as_the_json_of_its_model():
    event = new_event(TransferPlayer.event_type, "//t", TRANSFER)

    assert isinstance(event.data, bytes)
    assert json.loads(event.data) == TRANSFER.model_dump(mode="json")
    assert from_pubsub(*astuple(to_pubsub(event))).data == TRANSFER.model_dump(mode="json")


@EVENTS
def test_a_message_reads_as_the_sdk_reads_it_in_binary_mode(event):
    message = to_pubsub(event)

    read = from_pubsub(message.data, message.attributes)

    by_sdk = from_http(message.attributes, message.data)
    assert read.get_attributes() == by_sdk.get_attributes()
    assert read.data == by_sdk.data


def test_a_message_of_another_spec_version_is_refused_naming_it():
    attributes = to_pubsub(new_event(TransferPlayer.event_type, "//t", TRANSFER)).attributes

    with pytest.raises(BadMessage, match=r"specversion '0\.3', where only 1\.0 is read"):
        from_pubsub(b"{}", {**attributes, "ce-specversion": "0.3"})


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"[" * 50_000, "recursion limit exceeded"), (b'"\\ud800"', "hex escape")],
    ids=["nested 50,000 deep", "a lone surrogate"],
)
def test_json_no_text_can_hold_is_refused_as_not_json(data, reason):
    attributes = to_pubsub(new_event(TransferPlayer.event_type, "//t", TRANSFER)).attributes

    with pytest.raises(BadMessage, match=f"the data is not JSON: .*{reason}"):
        from_pubsub(data, attributes)


def test_every_attribute_is_a_string_as_pubsub_requires():
    message = to_pubsub(new_event(TransferPlayer.event_type, "//test", TRANSFER))

    assert all(isinstance(value, str) for value in message.attributes.values())
    assert {"ce-id", "ce-source", "ce-time", "ce-type"} <= set(message.attributes)


def test_a_message_without_cloudevent_attributes_is_refused_by_name():
    with pytest.raises(BadMessage, match="missing attributes ce-specversion, ce-id, ce-type"):
        from_pubsub(b"{}", {"ce-source": "//somewhere"})


def test_data_that_is_not_json_is_refused_with_the_parser_reason():
    attributes = to_pubsub(new_event(TransferPlayer.event_type, "//t", TRANSFER)).attributes

    with pytest.raises(BadMessage, match="the data is not JSON"):
        from_pubsub(b"{not json", attributes)


def test_command_types_are_reverse_dns_and_versioned_and_unique():
    command_types = [command.event_type for command in ALL_COMMANDS]
    for command_type in command_types:
        assert command_type.startswith("org.leagueapp.")
        assert command_type.rsplit(".", 1)[1] == "v1"
    assert len(command_types) == len(set(command_types))


def test_a_schema_error_names_each_bad_field_and_why():
    with pytest.raises(ValidationError) as raised:
        CreatePlayer.model_validate(
            {"player": {"name": "", "club": "Chelsea", "nationality": "x", "position": "Keeper"}}
        )

    described = describe_validation_error(raised.value)

    assert "player.name: String should have at least 1 character" in described
    assert "player.position: Input should be 'Goalkeeper', 'Defender'" in described


def test_unknown_fields_are_refused_rather_than_ignored():
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        TransferPlayer.model_validate({**TRANSFER.model_dump(), "fee": 3})
