"""The FastAPI application: routers, error shapes, per-request context, and the bus's lifetime."""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from prometheus_client import CollectorRegistry

from events.requester import Requester
from services.frontend.bus import Bus
from services.frontend.errors import install_error_handlers
from services.frontend.middleware import HttpMetrics, RequestContext
from services.frontend.openapi import install_openapi
from services.frontend.recent_writes import RecentWrites
from services.frontend.routers import (
    clubs,
    forms,
    health,
    legacy,
    pages,
    players,
    seasons,
    transfers,
)


def create_app(
    requester: Requester, registry: CollectorRegistry, read_your_writes_seconds: float = 10.0
) -> FastAPI:
    """The app over `requester`, which it starts with the server and stops (deleting) after."""

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
        # One documentation page (/docs) and its OpenAPI document: the routes the mesh exposes.
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
    )
    app.state.bus = Bus(requester, RecentWrites(read_your_writes_seconds))
    app.state.registry = registry
    app.add_middleware(RequestContext, metrics=HttpMetrics(registry))
    install_error_handlers(app)
    for module in (health, seasons, clubs, players, transfers, legacy, pages, forms):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    install_openapi(app)
    return app
