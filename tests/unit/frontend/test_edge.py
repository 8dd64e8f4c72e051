"""What every request and the process's life go through: readiness, request ids, metrics."""

import asyncio

from fastapi.testclient import TestClient

from events.commands import ListSeasons
from events.values import SeasonList
from services.frontend.bootstrap import bootstrap
from tests.support.promtool import metrics_problems
from tests.unit.frontend.fakes import FakeRequester


class SlowToConnect(FakeRequester):
    """Subscribes only when told to, like a requester waiting for an unreachable bus."""

    def __init__(self) -> None:
        super().__init__()
        self.may_start = asyncio.Event()

    async def start(self) -> None:
        await self.may_start.wait()
        await super().start()


def test_the_app_is_live_at_once_but_ready_only_once_its_replies_subscription_is():
    requester = SlowToConnect()
    with TestClient(bootstrap(requester=requester)) as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        assert client.get("/readyz").status_code == 503
        assert client.get("/api/v1/seasons").status_code == 503
        client.portal.call(requester.may_start.set)
        client.portal.call(asyncio.sleep, 0.05)
        assert client.get("/readyz").json() == {"status": "ready"}


def test_shutting_down_deletes_the_replies_subscription():
    requester = FakeRequester()
    with TestClient(bootstrap(requester=requester)):
        assert requester.ready
    assert requester.stopped


def test_a_failing_subscribe_is_retried_until_it_works():
    class FailsOnce(FakeRequester):
        attempts = 0

        async def start(self) -> None:
            self.attempts += 1
            if self.attempts == 1:
                raise ConnectionError("bus unreachable")
            await super().start()

    requester = FailsOnce()
    with TestClient(bootstrap(requester=requester)) as client:
        client.portal.call(asyncio.sleep, 1.0)
        assert client.get("/readyz").status_code == 200
    assert requester.attempts == 2


def test_every_answer_carries_a_request_id_and_keeps_a_sensible_one_given(client):
    fresh = client.get("/healthz").headers["X-Request-Id"]
    kept = client.get("/healthz", headers={"X-Request-Id": "abc-123"}).headers["X-Request-Id"]
    replaced = client.get("/healthz", headers={"X-Request-Id": "bad id\n"}).headers["X-Request-Id"]

    assert len(fresh) == 32
    assert kept == "abc-123"
    assert replaced != "bad id\n"


def test_metrics_count_requests_by_route_template_and_bus_round_trips(client, requester):
    requester.handlers[ListSeasons] = lambda c: SeasonList(seasons=[], current=None)
    client.get("/api/v1/seasons")
    client.get("/api/v1/players/Liverpool/Nobody")

    metrics = client.get("/metrics").text

    assert 'route="/api/v1/seasons",status="200"' in metrics
    assert 'route="/api/v1/players/{club}/{name}",status="504"' in metrics
    assert metrics_problems(metrics) == ""


def test_a_caller_s_own_method_or_path_never_becomes_a_label(client):
    for n in range(3):
        client.request(f"BREW{n}", f"/pots/{n}")

    metrics = client.get("/metrics").text

    counted = 'league_http_requests_total{method="other",route="unmatched",status="404"} 3.0'
    assert counted in metrics
    assert "BREW" not in metrics and "/pots" not in metrics


def test_openapi_and_the_docs_are_served(client):
    assert client.get("/openapi.json").json()["info"]["title"] == "League App"
    assert client.get("/docs").status_code == 200
