"""`make run`'s stack with its Prometheus: traffic through the frontend, the bus and the function,
then every query of every dashboard panel through Prometheus's HTTP API, each answered with at
least one series, every metric a panel names exported, every /metrics clean for promtool, and an
alert raised by a real dead letter."""

import json
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from google.cloud import pubsub_v1

from events.settings import Settings
from events.topology import Topology
from services.devstack.launch import stack_environment, stack_up, writer_token
from tests.support.promtool import metrics_problems

pytestmark = [pytest.mark.emulators, pytest.mark.slow]

DASHBOARD = Path(__file__).parents[2] / "k8s" / "monitoring" / "league-dashboard.json"
# What Grafana puts for its variables; the stack's Prometheus scrapes every 5 s.
GRAFANA_VARIABLES = {"$__rate_interval": "1m"}
SERIES_TIMEOUT_SECONDS = 120.0
DEAD_LETTERS_BEFORE = 'league_dead_letters_total{job="stats", code="bad_message"} == 0'
TRANSFER = {"player": "Alisson", "from_club": "Liverpool", "to_club": "Chelsea"}


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    environment = stack_environment("league-observed", tmp_path_factory.mktemp("state"))
    with stack_up(environment):
        yield environment


@pytest.fixture(scope="module")
def prometheus(stack: dict[str, str]) -> Callable[[str, str], Any]:
    url = f"http://{stack['LEAGUE_PROMETHEUS_ADDRESS']}"

    def api(path: str, query: str = "") -> Any:
        answer = httpx.get(f"{url}/api/v1/{path}", params={"query": query} if query else None)
        answer.raise_for_status()
        return answer.json()["data"]

    return api


@pytest.fixture(scope="module")
def traffic(
    stack: dict[str, str],
    prometheus: Callable[[str, str], Any],
    monkeypatch_module: pytest.MonkeyPatch,
) -> None:
    """Reads, a refusal, a transfer sent twice with one Idempotency-Key (a duplicate for the
    worker), and a message no worker can read (a dead letter); the stack loaded the demo season.

    Sent once Prometheus holds the stats worker's dead-letter series at 0: a counter whose first
    sample already counts the dead letter has no increase, and its alert would never fire."""
    assert eventually(lambda: prometheus("query", DEAD_LETTERS_BEFORE)["result"]), (
        "Prometheus never scraped the stats worker's dead-letter series"
    )
    frontend = f"http://{stack['LEAGUE_FRONTEND_ADDRESS']}"
    writer = {"Authorization": f"Bearer {writer_token(stack, 'observability')}"}
    with httpx.Client(base_url=frontend, timeout=30, headers=writer) as http:
        for path in ("/table", "/api/v1/players/top?position=Forward&count=3", "/api/v1/seasons"):
            assert http.get(path).status_code == 200
        assert http.get("/api/v1/players/Liverpool/Nobody").status_code == 404
        key = {"Idempotency-Key": "observed-transfer"}
        for _ in range(2):
            assert http.post("/api/v1/transfers", json=TRANSFER, headers=key).status_code == 200
    for variable in ("PUBSUB_EMULATOR_HOST", "LEAGUE_PROJECT_ID"):
        monkeypatch_module.setenv(variable, stack[variable])
    topology = Topology.from_settings(Settings())
    publisher = pubsub_v1.PublisherClient()
    publisher.publish(topology.topic_path(topology.command_topic("stats")), b"not json").result()


@pytest.fixture(scope="module")
def monkeypatch_module() -> Iterator[pytest.MonkeyPatch]:
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def panel_queries() -> list[tuple[str, str]]:
    dashboard = json.loads(DASHBOARD.read_text())
    return [
        (panel["title"], target["expr"])
        for panel in dashboard["panels"]
        for target in panel.get("targets", [])
    ]


def as_prometheus_reads_it(expression: str) -> str:
    for variable, value in GRAFANA_VARIABLES.items():
        expression = expression.replace(variable, value)
    return expression


def eventually(ask: Callable[[], Any], timeout: float = SERIES_TIMEOUT_SECONDS) -> Any:
    """What `ask` answers once it is truthy; its last answer after `timeout` s."""
    give_up = time.monotonic() + timeout
    while not (answer := ask()) and time.monotonic() < give_up:
        time.sleep(1)
    return answer


@pytest.mark.parametrize(("panel", "expression"), panel_queries())
def test_every_panel_query_returns_series_from_the_stacks_prometheus(
    panel: str, expression: str, prometheus, traffic
):
    query = as_prometheus_reads_it(expression)
    series = eventually(lambda: prometheus("query", query)["result"])
    assert series, f"{panel}: {query} returned no series"


def test_every_metric_the_dashboard_names_is_exported(prometheus, traffic):
    named = {
        re.sub(r"_(bucket|count|sum)$", "", name)
        for _, expression in panel_queries()
        for name in re.findall(r"\bleague_[a-z_]+\b", expression)
    }
    exported = {
        re.sub(r"_(bucket|count|sum|created)$", "", n) for n in prometheus("label/__name__/values")
    }
    assert named - exported == set()


def test_prometheus_scrapes_every_process_and_each_passes_promtool(prometheus, traffic):
    targets = eventually(
        lambda: [t for t in prometheus("targets")["activeTargets"] if t["health"] == "up"]
    )
    scraped = {target["labels"]["job"]: target["scrapeUrl"] for target in targets}
    assert set(scraped) == {"frontend", "stats", "playerops", "transfer", "ingest"}
    for job, url in scraped.items():
        assert metrics_problems(httpx.get(url).text) == "", job


def test_a_dead_letter_raises_the_dead_letters_alert(prometheus, traffic):
    def raised() -> list[dict[str, Any]]:
        return [
            a
            for a in prometheus("alerts")["alerts"]
            if a["labels"]["alertname"] == "LeagueDeadLetters"
        ]

    (alert,) = eventually(raised)
    assert (alert["labels"]["job"], alert["labels"]["code"]) == ("stats", "bad_message")
