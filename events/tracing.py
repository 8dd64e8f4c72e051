"""OpenTelemetry traces, set up the same way in every process, and the W3C trace context carried
across the bus as the CloudEvents distributed-tracing extension: a message's `ce-traceparent`
and `ce-tracestate` attributes.

A command takes the context of the span that sends it (the frontend's HTTP request, whose span
FastAPI makes itself once a tracer provider is set, a caller's `traceparent` header its parent);
the worker's span is that span's child, and the reply and the domain events it commits carry
the worker's. A domain event's consumer (the stats worker's event feed) handles it in a child of
the span that published it, so a trace goes on from a command, or a file load, into its effects.
The exporter is a setting (`LEAGUE_TRACE_EXPORTER`): `none` (the default) or `console` locally,
`otlp` (to `OTEL_EXPORTER_OTLP_ENDPOINT`) or `gcp` (Cloud Trace) in production.
"""

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Literal

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from events.envelope import TRACEPARENT, TRACESTATE

Exporter = Literal["none", "console", "otlp", "gcp"]
# The distributed-tracing extension's attributes, named as the W3C headers they carry.
TRACE_ATTRIBUTES = (TRACEPARENT, TRACESTATE)
_propagator = TraceContextTextMapPropagator()
tracer = trace.get_tracer("league-app")


def configure_tracing(service: str, exporter: Exporter) -> None:
    """Once per process, in its composition root: spans of `service` go to `exporter`."""
    trace.set_tracer_provider(tracer_provider(service, exporter))


def tracer_provider(service: str, exporter: Exporter) -> TracerProvider:
    chosen = _exporter(exporter)
    # With nothing to export to, spans are not recorded: they keep their ids, so the logs and
    # the messages still name the trace, but nothing is built up for no one (README, "Traces").
    sampler = ALWAYS_OFF if chosen is None else None
    provider = TracerProvider(resource=Resource.create({"service.name": service}), sampler=sampler)
    if chosen is not None:
        provider.add_span_processor(BatchSpanProcessor(chosen))
    return provider


def trace_extensions() -> dict[str, str]:
    """The current span's context as CloudEvent extension attributes (none outside a span)."""
    carrier: dict[str, str] = {}
    _propagator.inject(carrier)
    return {name: value for name, value in carrier.items() if name in TRACE_ATTRIBUTES}


def context_of(headers: Mapping[str, str], prefix: str = "") -> Context:
    """The trace context that `traceparent`/`tracestate` (each after `prefix`) carry, if any."""
    carrier = {
        name: headers[prefix + name] for name in TRACE_ATTRIBUTES if prefix + name in headers
    }
    return _propagator.extract(carrier)


@contextmanager
def consuming(
    name: str, attributes: Mapping[str, str], prefix: str = "ce-"
) -> Iterator[trace.Span]:
    """A span for handling a message, the child of the span that sent it: `attributes` are a
    Pub/Sub message's (`ce-traceparent`), or with `prefix=""` a CloudEvent's own."""
    parent = context_of(attributes, prefix=prefix)
    with tracer.start_as_current_span(name, context=parent, kind=trace.SpanKind.CONSUMER) as span:
        yield span


@contextmanager
def calling(system: str, operation: str) -> Iterator[trace.Span]:
    """A span for a call to another system (`firestore`, ...): a child of the current one."""
    name = f"{system} {operation}"
    with tracer.start_as_current_span(name, kind=trace.SpanKind.CLIENT) as span:
        span.set_attribute("db.system.name", system)
        yield span


def _exporter(name: Exporter) -> SpanExporter | None:
    # The production exporters are imported only where they are chosen: each brings a client.
    if name == "console":
        return ConsoleSpanExporter()
    if name == "otlp":
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter

        return OTLPSpanExporter()
    if name == "gcp":
        from opentelemetry.exporter.cloud_trace import CloudTraceSpanExporter

        return CloudTraceSpanExporter()
    return None
