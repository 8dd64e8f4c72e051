"""Health for the orchestrator and metrics for Prometheus: live, ready, and what happened."""

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from services.frontend.bus import BusDep
from services.frontend.schemas import Health

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
async def healthz() -> Health:
    """The process is alive and serving HTTP."""
    return Health(status="ok")


@router.get("/readyz", response_model=Health, responses={503: {"model": Health}})
async def readyz(bus: BusDep) -> Health | JSONResponse:
    """Ready only once the reply subscription is live, so no request waits for nothing."""
    if not bus.requester.ready:
        return JSONResponse({"status": "waiting for the bus"}, status_code=503)
    return Health(status="ready")


@router.get("/metrics", response_model=None, include_in_schema=False)
async def metrics(request: Request) -> Response:
    """Prometheus metrics of this process: HTTP requests and bus round trips."""
    return Response(generate_latest(request.app.state.registry), media_type=CONTENT_TYPE_LATEST)
