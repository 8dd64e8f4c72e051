"""The FastAPI application: routers, error shapes, per-request context, and the bus's lifetime."""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.telemetry import TelemetryConfig
from prometheus_client import CollectorRegistry

from events.requester import Requester
from services.frontend.body_limit import BodyLimit
from services.frontend.bus import Bus
from services.frontend.errors import install_error_handlers
from services.frontend.middleware import HttpMetrics, RequestContext
from services.frontend.openapi import install_openapi
from services.frontend.recent_writes import RecentWrites
from services.frontend.routers import (
    clubs,
    docs,
    forms,
    health,
    legacy,
    pages,
    players,
    seasons,
    signin,
    transfers,
)
from services.frontend.security_headers import SecurityHeaders
from services.frontend.tokens import TokenVerifier
from services.frontend.write_rate import WriteRate

# FastAPI's own spans, once a tracer provider is set: each request's server span, the parent of
# the command it sends, but not its operation spans (dependencies, endpoint, serialization). Those
# four more spans a request took about 300 us of the frontend's CPU per read, a third of its HTTP
# stack's, and told nothing that the server span and the bus's spans do not (README,
# "Performance"). Probes and scrapes make no trace.
UNTRACED_PATHS = ("/healthz", "/readyz", "/metrics", "/static/")
TELEMETRY: TelemetryConfig = {
    "operation_spans": False,
    "exclude": lambda scope: scope.get("path", "").startswith(UNTRACED_PATHS),
}


def create_app(
    requester: Requester,
    registry: CollectorRegistry,
    tokens: TokenVerifier,
    write_rate: WriteRate,
    read_your_writes_seconds: float,
) -> FastAPI:
    """The app over `requester`, which it starts with the server and stops (deleting) after;
    writes need a token that `tokens` accepts, at most at `write_rate` per writer."""

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # HTTP serves at once (health, and 503s) while the bus connects; /readyz tells when.
        connecting = asyncio.create_task(requester.connect())
        try:
            yield
        finally:
            connecting.cancel()
            if connecting.done() and not connecting.cancelled():
                await requester.stop()

    app = FastAPI(
        title="League App",
        summary="The league table, players and transfers of a football league.",
        version="1.0.0",
        lifespan=lifespan,
        # One documentation page (/docs, routers/docs.py) and its OpenAPI document: the routes
        # the mesh exposes.
        docs_url=None,
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
        telemetry=TELEMETRY,
    )
    app.state.bus = Bus(requester, RecentWrites(read_your_writes_seconds))
    app.state.registry = registry
    app.state.tokens = tokens
    app.state.write_rate = write_rate
    app.add_middleware(BodyLimit)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(RequestContext, metrics=HttpMetrics(registry))
    install_error_handlers(app)
    # A request is matched against each route in turn, 2 to 3 us a route passed (FastAPI's
    # included routers), so the order puts the page, the heaviest read, first, and the probes and
    # scrapes, a few a minute, last. No two routers share a path: the order changes no answer.
    routers = (pages, seasons, clubs, players, transfers, legacy, forms, signin, docs, health)
    for module in routers:
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    install_openapi(app)
    return app
