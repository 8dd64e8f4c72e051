"""The spans a test process ends, kept in memory, whatever tracer provider the process has."""

from collections.abc import Iterator

from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter


def recorded_spans() -> Iterator[InMemorySpanExporter]:
    """A fixture's body: every span this process ends from now on, until the fixture ends. The
    process's tracer provider is set once (OpenTelemetry refuses a second), by the first to ask."""
    exporter = InMemorySpanExporter()
    provider = trace.get_tracer_provider()
    if not isinstance(provider, TracerProvider):
        provider = TracerProvider()
        trace.set_tracer_provider(provider)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    yield exporter
    exporter.shutdown()
