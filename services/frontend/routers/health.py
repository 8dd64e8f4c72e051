"""Health for the orchestrator and metrics for Prometheus: live, ready, and what happened."""

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from services.frontend.bus import BusDep
from services.frontend.schemas import Health, Readiness

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
async def healthz() -> Health:
    """The process is alive and serving HTTP."""
    return Health(status="ok")


@router.get(
    "/readyz",
    response_model=Readiness,
    response_model_exclude_none=True,
    responses={503: {"model": Readiness}},
)
async def readyz(bus: BusDep) -> Readiness | JSONResponse:
    """Ready while replies reach this frontend, so no request waits for nothing; else says why."""
    problem = await bus.requester.check()
    if problem is not None:
        down = Readiness(status="not ready", down={"pubsub": problem})
        return JSONResponse(down.model_dump(), status_code=503)
    return Readiness(status="ready")


@router.get("/metrics", response_model=None, include_in_schema=False)
async def metrics(request: Request) -> Response:
    """Prometheus metrics of this process: HTTP requests and bus round trips."""
    return Response(generate_latest(request.app.state.registry), media_type=CONTENT_TYPE_LATEST)
