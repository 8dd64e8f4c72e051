"""JSON-lines logging for every process, with the id of the command or request being worked on."""

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from pythonjsonlogger.json import JsonFormatter

_current_id: ContextVar[str | None] = ContextVar("league_request_id", default=None)


class _RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = _current_id.get()
        return True


def configure_logging(service: str, level: str = "INFO") -> None:
    """Sends every log record to stderr as one JSON object a line; call once per process."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        JsonFormatter(
            "%(asctime)s %(levelname)s %(name)s %(message)s",
            rename_fields={"levelname": "severity", "asctime": "time"},
            static_fields={"service": service},
        )
    )
    handler.addFilter(_RequestIdFilter())
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
