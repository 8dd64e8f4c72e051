"""Per request: an id for the logs and the `X-Request-Id` header, a log line, and metrics."""

import logging
import re
import time
import uuid

from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from events.logs import request_id

log = logging.getLogger("services.frontend.access")
# A caller's id is kept only if it cannot smuggle anything into the logs or headers.
ACCEPTABLE_ID = re.compile(r"^[A-Za-z0-9._-]{1,100}$")
# A caller may send any token as its method: as a label, any but these is "other".
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class HttpMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.requests = Counter(
            "league_http_requests_total",
            "HTTP requests answered, by method, route template and status.",
            ["method", "route", "status"],
            registry=registry,
        )
        self.seconds = Histogram(
            "league_http_request_seconds",
            "Time to answer an HTTP request.",
            ["method", "route"],
            registry=registry,
        )


class RequestContext:
    """Pure ASGI, so the request id's context variable covers the route and its dependencies."""

    def __init__(self, app: ASGIApp, metrics: HttpMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = Headers(scope=scope).get("x-request-id", "")
        current = given if ACCEPTABLE_ID.match(given) else uuid.uuid4().hex
        started = time.monotonic()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message).append("X-Request-Id", current)
            await send(message)

        with request_id(current):
            try:
                await self.app(scope, receive, send_with_id)
            finally:
                self._record(scope, status, time.monotonic() - started)

    def _record(self, scope: Scope, status: int, seconds: float) -> None:
        route = getattr(scope.get("route"), "path", "unmatched")
        method = scope["method"] if scope["method"] in KNOWN_METHODS else "other"
        self.metrics.requests.labels(method, route, str(status)).inc()
        self.metrics.seconds.labels(method, route).observe(seconds)
        log.info(
            "request answered",
            extra={
                "method": scope["method"],
                "path": scope["path"],
                "status": status,
                "seconds": round(seconds, 4),
            },
        )
