"""The frontend app's routes as (method, path template) pairs, read from the app itself."""

import inspect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from fastapi import FastAPI
from starlette.routing import Mount

from services.frontend.bootstrap import bootstrap
from services.frontend.writers import require_writer
from tests.unit.frontend.fakes import FakeRequester

# Orchestrator and Prometheus endpoints: served to the cluster, never through the gateway.
OPERATIONS_TAG = "health"


@dataclass(frozen=True)
class AppRoute:
    method: str
    path: str  # a template such as /api/v1/clubs/{club}; a mount ends in /*
    # Safe to send twice: a GET that changes nothing (an endpoint that takes a command id writes,
    # as the original app's GET /createplayer does).
    safe: bool
    # Wants a bearer token that may change the league (services/frontend/writers.py).
    writer: bool = False


def exposed_routes() -> set[AppRoute]:
    """Every route but the operations ones, each method apart. HEAD is left out: Starlette
    answers it for every GET route by itself, and the mesh routes what the app declares."""
    app: FastAPI = bootstrap(requester=FakeRequester())
    return set(_walk(app.routes, ""))


def _walk(routes: Iterable[object], prefix: str) -> Iterator[AppRoute]:
    for route in routes:
        if isinstance(route, Mount):
            yield AppRoute("GET", f"{prefix}{route.path}/*", safe=True)
        elif hasattr(route, "include_context"):  # a router the app includes (FastAPI >= 0.16x)
            context = route.include_context
            yield from _walk(context.included_router.routes, prefix + context.prefix)
        elif OPERATIONS_TAG not in (getattr(route, "tags", None) or []):
            writes = "command_id" in inspect.signature(route.endpoint).parameters  # type: ignore[attr-defined]
            dependant = getattr(route, "dependant", None)
            writer = dependant is not None and any(
                dependency.call is require_writer for dependency in dependant.dependencies
            )
            for method in route.methods - {"HEAD"}:  # type: ignore[attr-defined]
                path = prefix + route.path  # type: ignore[attr-defined]
                yield AppRoute(method, path, safe=method == "GET" and not writes, writer=writer)
