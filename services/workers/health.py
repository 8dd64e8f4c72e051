"""The HTTP side of a worker: `/healthz` (alive), `/readyz` (what is down, if anything),
`/metrics`."""

import json
import logging
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from events.settings import Address

log = logging.getLogger(__name__)

# A dependency's check: why it is down, or None when it is up. Each answers within a second or so.
Check = Callable[[], str | None]


class HealthServer:
    """Binds its port only in `start`, so a worker built but never run holds no port."""

    def __init__(
        self, address: str, registry: CollectorRegistry, checks: Mapping[str, Check]
    ) -> None:
        self._address = Address.parse(address)
        self._handler = _handler(registry, checks)
        self._server: ThreadingHTTPServer | None = None

    def start(self) -> None:
        where = (self._address.host, self._address.port)
        self._server = ThreadingHTTPServer(where, self._handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, name="http", daemon=True).start()
        log.info("health and metrics listening", extra={"address": str(self._address)})

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


def readiness(checks: Mapping[str, Check]) -> dict[str, object]:
    """`{"status": "ready"}`, or `{"status": "not ready", "down": {name: why}}`; checks at once."""
    with ThreadPoolExecutor(max(len(checks), 1)) as pool:
        answers = dict(zip(checks, pool.map(lambda check: check(), checks.values()), strict=True))
    down = {name: why for name, why in answers.items() if why is not None}
    return {"status": "not ready", "down": down} if down else {"status": "ready"}


def _handler(
    registry: CollectorRegistry, checks: Mapping[str, Check]
) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/healthz":
                self._answer(200, b"ok\n", "text/plain")
            elif self.path == "/readyz":
                answer = readiness(checks)
                status = 200 if answer["status"] == "ready" else 503
                self._answer(status, json.dumps(answer).encode(), "application/json")
            elif self.path == "/metrics":
                self._answer(200, generate_latest(registry), CONTENT_TYPE_LATEST)
            else:
                self._answer(404, b"not found\n", "text/plain")

        def _answer(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            # Probes every few seconds would drown the JSON log; requests are not worth a line.
            pass

    return Handler
