"""The AsyncAPI document describes exactly the schemas in events/."""

import yaml

from events.asyncapi import DOCUMENT, build, render
from events.commands import ALL_COMMANDS
from events.domain_events import ALL_DOMAIN_EVENTS
from events.envelope import ACTOR


def test_the_committed_asyncapi_document_is_up_to_date_with_the_schemas():
    assert DOCUMENT.read_text() == render(), "events/asyncapi.yaml is stale: run `league asyncapi`"


def test_every_command_and_domain_event_is_a_message_with_its_cloudevent_type():
    messages = build()["components"]["messages"]

    for message in (*ALL_COMMANDS, *ALL_DOMAIN_EVENTS):
        described = messages[message.__name__]
        assert described["title"] == message.event_type
        assert described["headers"]["properties"]["ce-type"]["const"] == message.event_type


def test_every_command_and_domain_event_says_it_carries_its_actor():
    messages = build()["components"]["messages"]

    for message in (*ALL_COMMANDS, *ALL_DOMAIN_EVENTS):
        headers = messages[message.__name__]["headers"]["properties"]
        assert headers[f"ce-{ACTOR}"]["type"] == "string", message.__name__


def test_every_reference_in_the_document_points_at_something_defined():
    document = yaml.safe_load(render())

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "$ref":
                    yield value
                else:
                    yield from walk(value)
        elif isinstance(node, list):
            for item in node:
                yield from walk(item)

    for reference in walk(document):
        target = document
        for part in reference.removeprefix("#/").split("/"):
            assert part in target, f"{reference} points nowhere"
            target = target[part]
