"""Builds the AsyncAPI 3 document of the bus from the schemas, so it can never drift from them."""

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from events.commands import ALL_COMMANDS, SERVICES, Ping
from events.domain_events import ALL_DOMAIN_EVENTS
from events.envelope import (
    ACTOR,
    CORRELATION_ID,
    DEADLINE,
    FRESH_CLUBS,
    MAX_COMMAND_BYTES,
    REPLY_TO,
    TRACEPARENT,
    TRACESTATE,
)
from events.messages import Command, Message
from events.replies import REPLY_TYPE, Reply

DOCUMENT = Path(__file__).with_name("asyncapi.yaml")
SCHEMAS = "#/components/schemas/{model}"


MESSAGE_ID = "Unique per message; the dedupe key."
COMMAND_ID = (
    "With ce-source, the command's identity: a state-changing command is applied once per "
    "(ce-source, ce-id) for at least 7 days, and a redelivery gets the first reply again; the "
    "same pair with another type or payload is refused (422, code id_reused)."
)


def _headers(event_type: str, extensions: dict[str, str], id_meaning: str) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "ce-specversion": {"type": "string", "const": "1.0"},
        "ce-id": {"type": "string", "description": id_meaning},
        "ce-type": {"type": "string", "const": event_type},
        "ce-source": {"type": "string", "description": "URI-reference of the sender."},
        "ce-time": {"type": "string", "format": "date-time"},
        "content-type": {"type": "string", "const": "application/json"},
    }
    for name, description in extensions.items():
        properties[f"ce-{name}"] = {"type": "string", "description": description}
    required = ["ce-specversion", "ce-id", "ce-type", "ce-source"]
    return {"type": "object", "properties": properties, "required": required}


COMMAND_EXTENSIONS = {
    REPLY_TO: "Topic id (same project) to publish the reply on; no reply is sent without it.",
    CORRELATION_ID: "Copied onto the reply, to match it with its request.",
    DEADLINE: "RFC 3339 time; read commands still unanswered after it are dropped.",
    ACTOR: "Who asked for the change: the subject of the token the sender checked. Workers log "
    "it and record it with the command.",
    FRESH_CLUBS: (
        "On a read: club keys (space-separated, or `*` for every club) the sender changed a "
        "moment ago; the read is answered from them as they are now, not from a cache."
    ),
}
EVENT_EXTENSIONS = {ACTOR: "Who asked for the change the event tells of (the command's actor)."}

# Any message may carry its sender's trace context: the CloudEvents distributed-tracing extension.
TRACE_EXTENSIONS = {
    TRACEPARENT: "W3C traceparent of the span that sent the message (OpenTelemetry).",
    TRACESTATE: "W3C tracestate that goes with the traceparent, if any.",
}


def _message(message: type[Message] | type[Reply], event_type: str, summary: str) -> dict:
    extensions = COMMAND_EXTENSIONS if issubclass(message, Command) else EVENT_EXTENSIONS
    if message is Reply:
        extensions = {CORRELATION_ID: "The correlation id of the command answered."}
    return {
        "name": message.__name__,
        "title": event_type,
        "summary": summary,
        "contentType": "application/json",
        "headers": _headers(
            event_type,
            {**extensions, **TRACE_EXTENSIONS},
            COMMAND_ID if issubclass(message, Command) else MESSAGE_ID,
        ),
        "payload": {"$ref": SCHEMAS.format(model=message.__name__)},
    }


def _summary(model: type[BaseModel]) -> str:
    return (model.__doc__ or model.__name__).strip().splitlines()[0]


def build() -> dict[str, Any]:
    results = {command.result for command in ALL_COMMANDS}
    models: list[type[BaseModel]] = [*ALL_COMMANDS, *ALL_DOMAIN_EVENTS, Reply, *results]
    _, definitions = models_json_schema(
        [(model, "validation") for model in sorted(models, key=lambda m: m.__name__)],
        ref_template=SCHEMAS,
    )
    messages = {c.__name__: _message(c, c.event_type, _summary(c)) for c in ALL_COMMANDS}
    messages.update({e.__name__: _message(e, e.event_type, _summary(e)) for e in ALL_DOMAIN_EVENTS})
    messages["Reply"] = _message(Reply, REPLY_TYPE, _summary(Reply))
    return {
        "asyncapi": "3.0.0",
        "info": _info(),
        "defaultContentType": "application/json",
        "servers": _servers(),
        "channels": _channels(),
        "operations": _operations(),
        "components": {"messages": messages, "schemas": definitions["$defs"]},
    }


def _ref(kind: str, name: str) -> dict[str, str]:
    return {"$ref": f"#/{kind}/{name}"}


def _channels() -> dict[str, Any]:
    channels: dict[str, Any] = {}
    for service in SERVICES:
        accepted = [c for c in ALL_COMMANDS if c.service == service or c is Ping]
        channels[f"{service}Commands"] = {
            "address": f"{{prefix}}-{service}-commands",
            "description": (
                f"Commands for the {service} worker (and Ping); the data of each at most "
                f"{MAX_COMMAND_BYTES:,} bytes."
            ),
            "parameters": {
                "prefix": {"description": "The stack's topic prefix.", "default": "league"}
            },
            "messages": {c.__name__: _ref("components/messages", c.__name__) for c in accepted},
        }
    channels["replies"] = {
        "address": "{prefix}-replies",
        "description": "Replies; each requester has its own subscription filtered on its prefix.",
        "parameters": {"prefix": {"default": "league"}},
        "messages": {"Reply": _ref("components/messages", "Reply")},
    }
    channels["domainEvents"] = {
        "address": "{prefix}-events",
        "description": "What happened, for any consumer; dedupe by ce-id.",
        "parameters": {"prefix": {"default": "league"}},
        "messages": {
            e.__name__: _ref("components/messages", e.__name__) for e in ALL_DOMAIN_EVENTS
        },
    }
    return channels


def _operations() -> dict[str, Any]:
    operations: dict[str, Any] = {}
    for command in ALL_COMMANDS:
        services = SERVICES if command is Ping else (command.service,)
        for service in services:
            name = command.__name__ if command is not Ping else f"Ping{service.title()}"
            operations[f"handle{name}"] = {
                "action": "receive",
                "summary": _summary(command),
                "description": f"On success the reply's `result` is a {command.result.__name__}.",
                "channel": _ref("channels", f"{service}Commands"),
                "messages": [_ref(f"channels/{service}Commands/messages", command.__name__)],
                "reply": {
                    "address": {"location": "$message.header#/ce-replyto"},
                    "channel": _ref("channels", "replies"),
                    "messages": [_ref("channels/replies/messages", "Reply")],
                },
            }
    operations["publishDomainEvents"] = {
        "action": "send",
        "channel": _ref("channels", "domainEvents"),
        "messages": [_ref("channels/domainEvents/messages", e.__name__) for e in ALL_DOMAIN_EVENTS],
    }
    return operations


def _info() -> dict[str, Any]:
    return {
        "title": "League App bus",
        "version": "1.0.0",
        "description": (
            "Commands, replies and domain events of League App on Google Cloud Pub/Sub, as "
            "CloudEvents 1.0 in binary mode: context attributes are `ce-` message attributes "
            "and the data is JSON. A command's reply goes to the topic its `ce-replyto` names, "
            "with its `ce-correlationid`. Replies carry `status` with HTTP's meanings. A "
            f"command's data is at most {MAX_COMMAND_BYTES:,} bytes (Pub/Sub takes 10 MB): a "
            "bigger one is refused unread (413, `too_large`). A command that can never be "
            "processed gets an error reply, or, when it names no reply target that takes "
            "replies, is kept on the dead-letter topic with `league-error-code` and "
            "`league-error-message` attributes."
        ),
    }


def _servers() -> dict[str, Any]:
    return {
        "production": {"host": "pubsub.googleapis.com", "protocol": "googlepubsub"},
        "local": {"host": "127.0.0.1:8085", "protocol": "googlepubsub"},
    }


def render() -> str:
    header = "# Generated by `league asyncapi` from events/; edit the schemas, not this file.\n"
    return header + yaml.safe_dump(build(), sort_keys=False, allow_unicode=True, width=100)
