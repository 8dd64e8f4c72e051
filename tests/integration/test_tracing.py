"""Traces across the bus, on the real Pub/Sub emulator: the frontend's HTTP span is the parent of
the worker's span, which is the parent of its Firestore calls and its reply's publish; the
command and the reply carry the context as the CloudEvents distributed-tracing extension; the
domain events a command commits, or a file load announces, carry it on to their consumer (the
stats worker's event feed), whose span is the child of the span that sent them; and the log
lines written inside a span name its trace and span as Cloud Logging reads them."""

import json
import logging
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from events.commands import PLAYEROPS, CreatePlayer, ListSeasons
from events.domain_events import PlayerCreated, SeasonFileLoaded
from events.logs import SPAN_FIELD, TRACE_FIELD, configure_logging
from events.settings import Settings
from events.tracing import context_of, trace_extensions, tracer
from events.values import SeasonList
from events.worker import CommandContext
from ingest.adapters import PubsubEventPublisher
from ingest.batches import BATCH_SIZE
from ingest.bootstrap import bootstrap as ingest_bootstrap
from ingest.firestore_store import FirestoreSeasonStore
from ingest.loader import load_season_file
from ingest.model import season_object
from services.frontend.bootstrap import bootstrap
from services.playerops.bootstrap import playerops_handlers
from services.stats.event_feed import EventFeed
from services.stats.read_model import ReadModel
from services.workers.reader import FirestoreReader
from tests.integration.workers.conftest import SEASON, ask, in_process_worker, seed
from tests.support.bus import running_worker
from tests.support.spans import recorded_spans
from tests.unit.ingest.fakes import FakeObjectSource
from tests.unit.workers.fakes import club, player

pytestmark = pytest.mark.emulators
READY_TIMEOUT_SECONDS = 30.0
EVENT_TIMEOUT_SECONDS = 30.0


@pytest.fixture(scope="module")
def spans() -> Iterator[InMemorySpanExporter]:
    """Every span this process ends, kept in memory."""
    yield from recorded_spans()


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
    settings, topology, subscriber, spans
):
    spans.clear()
    with (
        running_worker("stats", {ListSeasons: seasons}, topology, subscriber),
        ready_frontend(settings) as client,
    ):
        answer = client.get("/api/v1/seasons")
        assert answer.status_code == 200, answer.text

    # The reply's span ends once Pub/Sub has the reply, on the publisher's thread.
    finished(spans, f"publish {topology.replies_topic}")
    found = spans.get_finished_spans()
    frontend = only(found, "GET /api/v1/seasons")  # FastAPI's server span
    # No probe (the readiness polls above) makes a trace of its own.
    assert not [span for span in found if "/readyz" in span.name]
    found = [span for span in found if span.context.trace_id == frontend.context.trace_id]
    worker = only(found, f"handle {ListSeasons.event_type}")
    reply = only(found, f"publish {topology.replies_topic}")
    assert frontend.kind == SpanKind.SERVER and worker.kind == SpanKind.CONSUMER
    assert worker.context.trace_id == frontend.context.trace_id
    assert parent_id(worker) == frontend.context.span_id
    assert parent_id(reply) == worker.context.span_id


@contextmanager
def event_feed(topology, subscriber, firestore_client) -> Iterator[EventFeed]:
    """The stats worker's event feed, as its bootstrap builds it, subscribed until the end."""
    feed = EventFeed(topology, subscriber, ReadModel(FirestoreReader(firestore_client)))
    feed.start()
    try:
        yield feed
    finally:
        feed.stop()


def finished(spans: InMemorySpanExporter, name: str) -> ReadableSpan:
    """The span called `name` once it has ended (a consumer's may end after the test's call)."""
    give_up = time.monotonic() + EVENT_TIMEOUT_SECONDS
    while not (named := [s for s in spans.get_finished_spans() if s.name == name]):
        assert time.monotonic() < give_up, f"no span {name}: {spans.get_finished_spans()}"
        time.sleep(0.05)
    return only(named, name)


def test_a_domain_event_s_consumer_span_is_a_child_of_the_span_that_committed_it(
    settings, topology, firestore_client, publisher, subscriber, spans
):
    seed(firestore_client, [club("Chelsea")], [])
    spans.clear()
    with (
        event_feed(topology, subscriber, firestore_client),
        in_process_worker(PLAYEROPS, settings, firestore_client, publisher, subscriber,
                          lambda runtime: playerops_handlers(runtime.reader(),
                                                             runtime.unit_of_work())),
    ):  # fmt: skip
        (created,) = ask(topology, subscriber, [CreatePlayer(player=player("Kane", "Chelsea"))])
        assert created.ok, created.error
        consumer = finished(spans, f"apply {PlayerCreated.event_type}")

    found = spans.get_finished_spans()
    worker = only(found, f"handle {CreatePlayer.event_type}")
    # The transaction that committed the event: the event's context is the span it was made in.
    beneath = [span for span in found if parent_id(span) == worker.context.span_id]
    committing = only(beneath, "firestore transaction")
    assert consumer.kind == SpanKind.CONSUMER
    assert consumer.context.trace_id == worker.context.trace_id
    assert parent_id(consumer) == committing.context.span_id


def test_a_file_load_is_a_span_with_its_firestore_batches_beneath_and_its_event_s_consumer(
    settings, topology, firestore_client, publisher, subscriber, spans
):
    name = f"seasons/{SEASON}/Liverpool.csv"
    players = BATCH_SIZE * 2 + 100  # three batches, committed on the loader's pool threads
    objects = FakeObjectSource()
    objects.add(name, 1, "".join(
        f"Liverpool,Player {n},England,Forward,38,22,8,1079,5,21,25,135\n" for n in range(players)
    ))  # fmt: skip
    events = PubsubEventPublisher(publisher, topology, source="//league-app/test/ingest")
    deps = ingest_bootstrap(
        settings, objects=objects, store=FirestoreSeasonStore(firestore_client), publisher=events
    )
    upload = season_object("bucket", name, 1)
    assert upload is not None
    spans.clear()
    with event_feed(topology, subscriber, firestore_client):
        report = load_season_file(upload, deps)
        assert report.status == "loaded", report
        consumer = finished(spans, f"apply {SeasonFileLoaded.event_type}")

    load = only(spans.get_finished_spans(), "load season file")
    beneath = [s for s in spans.get_finished_spans() if parent_id(s) == load.context.span_id]
    batches = [s for s in beneath if s.name.startswith("firestore commit")]
    assert sum(batch.attributes["league.writes"] for batch in batches) >= players
    assert len(batches) == 3
    assert {"firestore claim file", "firestore record file"} <= {s.name for s in beneath}
    assert load.attributes["league.ingest.status"] == "loaded"
    assert consumer.context.trace_id == load.context.trace_id
    assert parent_id(consumer) == load.context.span_id


def test_a_caller_s_traceparent_header_makes_the_frontends_span_its_child(
    settings, topology, subscriber, spans
):
    caller = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    spans.clear()
    with (
        running_worker("stats", {ListSeasons: seasons}, topology, subscriber),
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
