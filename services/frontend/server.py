"""Serves the frontend with uvicorn on `Settings.http_address`, for `python -m` and the CLI."""

import uvicorn

from events.collector import prepare_collector
from events.logs import configure_logging
from events.settings import Address, Settings
from events.tracing import configure_tracing
from services.frontend.bootstrap import bootstrap


def serve(settings: Settings | None = None) -> None:
    """Runs until SIGINT or SIGTERM; then in-flight requests finish and the replies go away."""
    settings = settings or Settings()
    configure_logging("frontend", settings.log_level, settings.project_id)
    configure_tracing("frontend", settings.trace_exporter)
    address = Address.parse(settings.http_address)
    app = bootstrap(settings)
    prepare_collector()
    # Our JSON logging stays in charge (log_config=None); our middleware logs each request.
    uvicorn.run(
        app,
        host=address.host,
        port=address.port,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=int(settings.request_timeout_seconds) + 5,
    )
