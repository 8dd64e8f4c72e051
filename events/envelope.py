"""The CloudEvents binary binding onto Pub/Sub: `ce-` attributes for the context, JSON data.

This is the same mapping the CloudEvents HTTP binary mode uses for headers: a Pub/Sub message's
attributes are exactly those headers. Both ways are the mapping itself rather than the SDK's HTTP
conversion, which is general (any spec version, any header case) and costs for it: writing
(`to_pubsub`) takes a sixth of the SDK's time, and reading (`from_pubsub`) saves about 30 us a
message, every command a worker takes and every reply the frontend reads.
tests/unit/events/test_envelope.py holds both to what the SDK makes of the same events.
"""

import re
import uuid
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any, Protocol

import pydantic_core
from cloudevents.http import CloudEvent
from opentelemetry import trace
from pydantic import BaseModel

from events.messages import quoted
from events.replies import BadMessage, TooLarge

JSON = "application/json"
SPEC_VERSION = "1.0"
# The binary mode's one attribute without the `ce-` prefix: the data's media type.
CONTENT_TYPE = "content-type"
# Our CloudEvent extension attributes (lower-case alphanumerics, as the spec requires).
REPLY_TO = "replyto"  # topic id (in the same project) where the reply must be published
CORRELATION_ID = "correlationid"  # copied from a command onto its reply
DEADLINE = "deadline"  # RFC 3339 time after which nobody waits for the reply
ACTOR = "actor"  # who asked for a change (a token's subject); on its domain events too
# The CloudEvents distributed-tracing extension: the W3C trace context of the sending span.
TRACEPARENT = "traceparent"
TRACESTATE = "tracestate"
# On a read: club keys (space-separated, or `*` for all) its sender changed a moment ago, which
# the read must not answer from anything older than itself (read-your-writes).
FRESH_CLUBS = "freshclubs"
EVERY_CLUB = "*"
PUBLISH_TIMEOUT_SECONDS = 30.0
REQUIRED_ATTRIBUTES = ("ce-specversion", "ce-id", "ce-type", "ce-source")
# The contract's largest command: its data, in bytes. Our largest command is well under 1 KiB;
# Pub/Sub would take 10 MB. A worker refuses a bigger one unread, so whatever a sender puts on a
# command topic, a worker holds at most its flow control's messages of this size at once.
MAX_COMMAND_BYTES = 64 * 1024
_tracer = trace.get_tracer("league-app")
# Pub/Sub's rule for a topic id: what a reply target (`ce-replyto`) must look like.
TOPIC_ID = re.compile(r"(?!goog)[A-Za-z][-A-Za-z0-9_.~+%]{2,254}")


class Publisher(Protocol):
    """What publishes a message: the client library's PublisherClient, or an event loop's from
    any thread (events/loop_publisher.py). The future completes once Pub/Sub has the message."""

    def publish(self, topic: str, data: bytes, **attributes: str) -> Future[Any]: ...


@dataclass(frozen=True)
class PubsubMessage:
    """What goes onto the wire: the bytes and the string attributes of one Pub/Sub message."""

    data: bytes
    attributes: dict[str, str]


def new_event(
    event_type: str,
    source: str,
    payload: BaseModel,
    *,
    event_id: str | None = None,
    extensions: dict[str, str] | None = None,
) -> CloudEvent:
    attributes: dict[str, Any] = {
        "id": event_id or str(uuid.uuid4()),
        "type": event_type,
        "source": source,
        "specversion": SPEC_VERSION,
        "time": datetime.now(UTC).isoformat(),
        "datacontenttype": JSON,
        **(extensions or {}),
    }
    # The data is written to JSON here, once, by the payload's own serializer: a 20-row table's
    # reply went from its model to a dict and then to JSON (55 us); straight, it takes 22.
    return CloudEvent(attributes, _json_bytes(payload))


def publish(publisher: Publisher, topic_path: str, event: CloudEvent) -> None:
    """Publishes `event` in binary mode and waits until Pub/Sub has it (raises if it has not)."""
    publish_soon(publisher, topic_path, event).result(timeout=PUBLISH_TIMEOUT_SECONDS)


def publish_soon(publisher: Publisher, topic_path: str, event: CloudEvent) -> Future[Any]:
    """Hands `event` to the publisher in binary mode without waiting: the future resolves once
    Pub/Sub has it or the client gives up (the error)."""
    message = to_pubsub(event)
    topic_id = topic_path.rsplit("/", 1)[-1]
    # The span lasts until Pub/Sub has the message (or the client gives up), not until the hand-off.
    span = _tracer.start_span(f"publish {topic_id}", kind=trace.SpanKind.PRODUCER)
    try:
        future = publisher.publish(topic_path, message.data, **message.attributes)
    except BaseException:
        span.end()
        raise
    future.add_done_callback(partial(_end_publish_span, span))
    return future


def _end_publish_span(span: trace.Span, published: Future[Any]) -> None:
    error = published.exception()
    if error is not None:
        span.record_exception(error)
        span.set_status(trace.Status(trace.StatusCode.ERROR, str(error)))
    span.end()


def to_pubsub(event: CloudEvent) -> PubsubMessage:
    attributes = {
        (CONTENT_TYPE if name == "datacontenttype" else f"ce-{name}"): str(value)
        for name, value in event.get_attributes().items()
    }
    return PubsubMessage(data=_json_bytes(event.get_data()), attributes=attributes)


def check_command_size(data: bytes) -> None:
    """Refuses a command bigger than the contract allows, before anything reads it."""
    if len(data) > MAX_COMMAND_BYTES:
        raise TooLarge(
            f"the command's data is {len(data):,} bytes; the largest accepted is "
            f"{MAX_COMMAND_BYTES:,}"
        )


def reply_target(attributes: dict[str, str]) -> str | None:
    """The topic id a command's reply goes to, or None when it names none or not a topic id."""
    target = attributes.get(f"ce-{REPLY_TO}")
    return target if target and TOPIC_ID.fullmatch(target) else None


def from_pubsub(data: bytes, attributes: dict[str, str]) -> CloudEvent:
    """Parses a binary-mode message; raises `BadMessage` naming what is wrong."""
    return CloudEvent(event_context(attributes), json_value(data))


def event_context(attributes: dict[str, str]) -> dict[str, str]:
    """The CloudEvent attributes of a binary-mode message; raises `BadMessage` naming what is
    wrong with them. Its data is read apart, with `json_value`."""
    missing = [name for name in REQUIRED_ATTRIBUTES if not attributes.get(name)]
    if missing:
        raise BadMessage(f"not a CloudEvent: missing attributes {', '.join(missing)}")
    version = attributes["ce-specversion"]
    if version != SPEC_VERSION:
        raise BadMessage(
            f"not a CloudEvent of this contract: specversion {quoted(version, 40)}, where only "
            f"{SPEC_VERSION} is read"
        )
    context = {name[3:]: value for name, value in attributes.items() if name.startswith("ce-")}
    if CONTENT_TYPE in attributes:
        context["datacontenttype"] = attributes[CONTENT_TYPE]
    return context


# JSON both ways with pydantic's own engine, in Rust: a 20-row table's reply is written in 10 us
# where `json.dumps` took 43, and read in 23 where `json.loads` took 39 (timeit). It writes UTF-8
# as it is, refuses a lone surrogate (which no UTF-8 text can hold), and JSON nested deeper than
# 200 levels, where Python's parser ran out of stack at a few thousand.


def _json_bytes(data: Any) -> bytes:
    """`data` as JSON, unless it is JSON already: the bytes of an event made by `new_event`."""
    return data if isinstance(data, bytes) else pydantic_core.to_json(data)


def json_value(data: str | bytes | None) -> Any:
    """A message's data as a value; raises `BadMessage` when it is not JSON."""
    if not data:
        return None
    try:
        return pydantic_core.from_json(data)
    except ValueError as error:
        raise BadMessage(f"the data is not JSON: {error}") from error
