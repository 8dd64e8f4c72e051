"""JSON-lines logging for every process, with the id of the command or request being worked on
and the trace and span it belongs to, in the fields Cloud Logging joins with Cloud Trace."""

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from opentelemetry import trace
from pythonjsonlogger.json import JsonFormatter

_current_id: ContextVar[str | None] = ContextVar("league_request_id", default=None)


# No field of a line carries unbounded input (a caller's path, a sender's attribute, a reason
# that quotes them): each string, the message too, is cut to this many characters.
MAX_FIELD_CHARS = 1000
TRACE_FIELD = "logging.googleapis.com/trace"
SPAN_FIELD = "logging.googleapis.com/spanId"
SAMPLED_FIELD = "logging.googleapis.com/trace_sampled"


class _RequestIdFilter(logging.Filter):
    def __init__(self, project_id: str) -> None:
        super().__init__()
        self._project_id = project_id

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = _current_id.get()
        _bound(record)
        span = trace.get_current_span().get_span_context()
        if span.is_valid:
            fields = record.__dict__
            fields[TRACE_FIELD] = f"projects/{self._project_id}/traces/{span.trace_id:032x}"
            fields[SPAN_FIELD] = f"{span.span_id:016x}"
            fields[SAMPLED_FIELD] = span.trace_flags.sampled
        return True


def _bound(record: logging.LogRecord) -> None:
    message = record.getMessage()
    if len(message) > MAX_FIELD_CHARS:
        record.msg, record.args = message[:MAX_FIELD_CHARS] + "…", None
    for name, value in list(record.__dict__.items()):
        if isinstance(value, str) and len(value) > MAX_FIELD_CHARS and name != "msg":
            record.__dict__[name] = value[:MAX_FIELD_CHARS] + "…"


def configure_logging(service: str, level: str, project_id: str) -> None:
    """Sends every log record to stderr as one JSON object a line; call once per process.

    `project_id` is the Google project whose Cloud Trace holds the traces the lines name."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        JsonFormatter(
            "%(asctime)s %(levelname)s %(name)s %(message)s",
            rename_fields={"levelname": "severity", "asctime": "time"},
            static_fields={"service": service},
        )
    )
    handler.addFilter(_RequestIdFilter(project_id))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # A Google client, when built, stops the "google" loggers from reaching ours unless that
    # logger looks configured already (google.api_core.client_logging); then its warnings came
    # out as bare text. Given a level, it is left to propagate to the JSON handler.
    logging.getLogger("google").setLevel(level)


@contextmanager
def request_id(value: str) -> Iterator[None]:
    """Tags the log lines written inside the block (in this thread or task) with `value`."""
    token = _current_id.set(value)
    try:
        yield
    finally:
        _current_id.reset(token)
