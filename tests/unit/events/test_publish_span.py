"""The span of a publish lasts until Pub/Sub has the message, which comes after the call returns
now that a worker does not wait for its reply to go out; a publish that fails is an error span."""

from collections.abc import Iterator

import pytest
from google.api_core import exceptions as google_errors
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from events.commands import Ping
from events.envelope import new_event, publish_soon
from tests.support.spans import recorded_spans
from tests.unit.events.fakes import Publisher

TOPIC = "projects/league-test/topics/replies"


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    yield from recorded_spans()


def published(spans: InMemorySpanExporter):
    return [span for span in spans.get_finished_spans() if span.name == "publish replies"]


def test_the_span_ends_once_pubsub_has_the_message_not_when_the_call_returns(spans):
    publisher = Publisher()

    returned = publish_soon(publisher, TOPIC, new_event(Ping.event_type, "//test", Ping()))  # type: ignore[arg-type]

    [(_, future)] = publisher.published
    assert returned is future
    assert published(spans) == []
    future.set_result("message-1")
    [span] = published(spans)
    assert span.kind == SpanKind.PRODUCER and span.status.status_code == StatusCode.UNSET


def test_a_publish_that_fails_ends_its_span_as_an_error(spans):
    publisher = Publisher()

    publish_soon(publisher, TOPIC, new_event(Ping.event_type, "//test", Ping()))  # type: ignore[arg-type]
    publisher.published[0][1].set_exception(google_errors.NotFound("no such topic"))

    [span] = published(spans)
    assert span.status.status_code == StatusCode.ERROR
    assert "no such topic" in (span.status.description or "")
