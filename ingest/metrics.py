"""Prometheus metrics of the ingest function: files by outcome, rows loaded, time per file."""

from typing import get_args

import flask
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)

from ingest.model import Status

# A load of a club's file takes about a second on the emulator; a large one, a few.
LOAD_BUCKETS = (0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0)


class IngestMetrics:
    """One set per process; the function's /metrics serves the registry it is given."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry
        self.files = Counter(
            "league_ingest_files_total",
            "Season files handled, by outcome (loaded, rejected, ignored).",
            ["status"],
            registry=registry,
        )
        # Every outcome is a series from the start, so a rate of rejections reads 0, not nothing.
        for status in get_args(Status):
            self.files.labels(status)
        self.rows = Counter(
            "league_ingest_rows_total",
            "Rows of the season files loaded.",
            registry=registry,
        )
        self.load_seconds = Histogram(
            "league_ingest_load_seconds",
            "Time to handle one season file's upload, from the event to its report.",
            buckets=LOAD_BUCKETS,
            registry=registry,
        )


def serve_metrics(registry: CollectorRegistry) -> None:
    """Adds `GET /metrics` to the functions-framework app that is importing the function.

    The framework imports `main.py` inside its Flask app's context and routes every other path
    to the function (POST only), so this route answers beside it. Imported elsewhere (a test,
    the bundle check) there is no app, and nothing to add it to.
    """
    if not flask.has_app_context():
        return
    flask.current_app.add_url_rule(
        "/metrics",
        "metrics",
        lambda: flask.Response(generate_latest(registry), content_type=CONTENT_TYPE_LATEST),
        methods=["GET"],
    )
