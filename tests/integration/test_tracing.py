"""Traces across the bus, on the real Pub/Sub emulator: the frontend's HTTP span is the parent of
the worker's span, which is the parent of its Firestore calls and its reply's publish; the
command and the reply carry the context as the CloudEvents distributed-tracing extension; and
the log lines written inside a span name its trace and span as Cloud Logging reads them."""

import json
import logging
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from events.commands import ListSeasons
from events.logs import SPAN_FIELD, TRACE_FIELD, configure_logging
from events.settings import Settings
from events.tracing import context_of, trace_extensions, tracer
from events.values import SeasonList
from events.worker import CommandContext
from services.frontend.bootstrap import bootstrap
from tests.support.bus import running_worker

pytestmark = pytest.mark.emulators
READY_TIMEOUT_SECONDS = 30.0


@pytest.fixture(scope="module")
def spans() -> Iterator[InMemorySpanExporter]:
    """Every span this process ends, kept in memory: the test process's tracer provider."""
    exporter = InMemorySpanExporter()
    provider = trace.get_tracer_provider()
    if not isinstance(provider, TracerProvider):
        provider = TracerProvider()
        trace.set_tracer_provider(provider)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    yield exporter
    exporter.shutdown()


@contextmanager
def ready_frontend(settings: Settings) -> Iterator[TestClient]:
    """The frontend app on the real bus, once it says it is ready (its replies subscribed)."""
    with TestClient(bootstrap(settings)) as client:
        give_up = time.monotonic() + READY_TIMEOUT_SECONDS
        while client.get("/readyz").status_code != 200:
            assert time.monotonic() < give_up, "the frontend never got ready"
            time.sleep(0.1)
        yield client


def seasons(command: ListSeasons, context: CommandContext) -> SeasonList:
    logging.getLogger("test.handler").info("listing seasons")
    return SeasonList(seasons=["2018-19"], current="2018-19")


def parent_id(span: ReadableSpan) -> int | None:
    return span.parent.span_id if span.parent is not None else None


def only(found: Sequence[ReadableSpan], name: str) -> ReadableSpan:
    named = [span for span in found if span.name == name]
    assert len(named) == 1, f"{name}: {[s.name for s in found]}"
    return named[0]


def test_the_workers_span_is_a_child_of_the_frontends_across_pubsub(
    settings, topology, publisher, subscriber, spans
):
    spans.clear()
    with (
        running_worker("stats", {ListSeasons: seasons}, topology, publisher, subscriber),
        ready_frontend(settings) as client,
    ):
        answer = client.get("/api/v1/seasons")
        assert answer.status_code == 200, answer.text

    found = spans.get_finished_spans()
    frontend = only(found, "GET /api/v1/seasons")  # FastAPI's server span
    found = [span for span in found if span.context.trace_id == frontend.context.trace_id]
    endpoint = only(found, "fastapi.endpoint")  # the route's, which sends the command
    worker = only(found, f"handle {ListSeasons.event_type}")
    reply = only(found, f"publish {topology.replies_topic}")
    assert frontend.kind == SpanKind.SERVER and worker.kind == SpanKind.CONSUMER
    assert worker.context.trace_id == frontend.context.trace_id
    assert parent_id(worker) == endpoint.context.span_id
    assert parent_id(endpoint) == frontend.context.span_id
    assert parent_id(reply) == worker.context.span_id


def test_a_caller_s_traceparent_header_makes_the_frontends_span_its_child(
    settings, topology, publisher, subscriber, spans
):
    caller = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    spans.clear()
    with (
        running_worker("stats", {ListSeasons: seasons}, topology, publisher, subscriber),
        ready_frontend(settings) as client,
    ):
        client.get("/api/v1/seasons", headers={"traceparent": caller})

    frontend = only(spans.get_finished_spans(), "GET /api/v1/seasons")
    assert f"{frontend.context.trace_id:032x}" == "0af7651916cd43dd8448eb211c80319c"
    assert frontend.parent is not None and f"{frontend.parent.span_id:016x}" == "b7ad6b7169203331"


def test_the_extension_attributes_carry_the_context_and_logs_name_trace_and_span(spans, capsys):
    with tracer.start_as_current_span("sender") as sender:
        attributes = {f"ce-{name}": value for name, value in trace_extensions().items()}
        configure_logging("test", "INFO", "league-test")
        logging.getLogger("test").info("inside the sender's span")
    received = trace.get_current_span(context_of(attributes, prefix="ce-")).get_span_context()

    assert received.trace_id == sender.get_span_context().trace_id
    assert received.span_id == sender.get_span_context().span_id
    line = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert line[TRACE_FIELD] == f"projects/league-test/traces/{received.trace_id:032x}"
    assert line[SPAN_FIELD] == f"{received.span_id:016x}"
