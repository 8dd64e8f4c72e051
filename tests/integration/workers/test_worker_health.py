"""A worker process serves its health, readiness and metrics."""

import httpx
import pytest

pytestmark = pytest.mark.emulators


def test_a_worker_serves_health_readiness_and_metrics(start_worker):
    _, address = start_worker("stats")
    assert httpx.get(f"{address.url}/healthz").status_code == 200
    assert httpx.get(f"{address.url}/readyz").status_code == 200
    metrics = httpx.get(f"{address.url}/metrics")
    assert metrics.status_code == 200 and "league_command_seconds" in metrics.text
