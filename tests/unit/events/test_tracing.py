"""What each `LEAGUE_TRACE_EXPORTER` makes of a span: recorded for an exporter, ids only without."""

from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from events.tracing import tracer_provider


def test_without_an_exporter_a_span_is_not_recorded_but_its_context_still_travels():
    tracer = tracer_provider("frontend", "none").get_tracer("test")

    with tracer.start_as_current_span("request") as span:
        recorded = span.is_recording()
        carrier: dict[str, str] = {}
        TraceContextTextMapPropagator().inject(carrier)

    assert not recorded
    assert span.get_span_context().is_valid  # the logs and the messages still name the trace
    trace_id = f"{span.get_span_context().trace_id:032x}"
    assert carrier["traceparent"].split("-")[1] == trace_id


def test_with_an_exporter_a_span_is_recorded():
    provider = tracer_provider("frontend", "console")

    with provider.get_tracer("test").start_as_current_span("request") as span:
        assert span.is_recording()
    provider.shutdown()  # prints it now, while pytest still holds the output
