"""The frontend's own life on the bus: deadlines, late replies, an unreachable bus, shutdown."""

import signal
import time

import httpx
import pytest

from events.commands import GetLeagueTable, ListSeasons
from events.values import SeasonList
from services.devstack.components import free_port, wait_until_answering
from tests.conftest import PROJECT_ID
from tests.e2e.frontend.processes import serving, wait_until_ready
from tests.support.bus import running_worker

pytestmark = pytest.mark.emulators


def frontend_environment(emulators, topology, **more: str) -> dict[str, str]:
    return {**emulators.environment(), "LEAGUE_TOPIC_PREFIX": topology.prefix, **more}


def reply_subscriptions(subscriber, topology) -> list[str]:
    every = subscriber.list_subscriptions(request={"project": f"projects/{PROJECT_ID}"})
    return [s.name for s in every if f"/{topology.prefix}-replies-" in s.name]


def test_no_reply_within_the_deadline_is_a_504_and_the_late_reply_is_counted_and_dropped(
    emulators, topology, subscriber, tmp_path
):
    def slow(command, context):
        time.sleep(2.5)
        return SeasonList(seasons=[], current=None)

    slow_answers = {ListSeasons: slow, GetLeagueTable: slow}
    environment = frontend_environment(emulators, topology, LEAGUE_REQUEST_TIMEOUT_SECONDS="1")
    with (
        running_worker("stats", slow_answers, topology, subscriber),
        serving("services.frontend", environment, tmp_path) as (url, process),
    ):
        wait_until_ready(url, process)
        started = time.monotonic()
        response = httpx.get(f"{url}/api/v1/seasons", timeout=10)
        waited = time.monotonic() - started
        legacy = httpx.get(f"{url}/table", timeout=10)
        time.sleep(3)
        metrics = httpx.get(f"{url}/metrics").text

    assert response.status_code == 504 and waited < 2.5
    assert response.json()["error"]["code"] == "deadline_exceeded"
    assert legacy.status_code == 504 and "no reply" in legacy.json()["error"]
    assert "league_late_replies_total 2.0" in metrics


def test_with_the_bus_unreachable_it_is_live_not_ready_and_answers_503(
    emulators, topology, tmp_path
):
    nowhere = str(free_port())
    environment = frontend_environment(emulators, topology, PUBSUB_EMULATOR_HOST=nowhere)
    with serving("services.frontend", environment, tmp_path) as (url, _):
        wait_until_answering(f"{url}/healthz")
        ready = httpx.get(f"{url}/readyz")
        api = httpx.get(f"{url}/api/v1/seasons")
        legacy = httpx.get(f"{url}/table")

    assert ready.status_code == 503
    assert api.status_code == 503 and api.json()["error"]["code"] == "unavailable"
    assert legacy.status_code == 503 and "bus" in legacy.json()["error"]


def test_a_clean_shutdown_deletes_the_reply_subscription(emulators, topology, subscriber, tmp_path):
    environment = frontend_environment(emulators, topology)
    with serving("services.frontend", environment, tmp_path) as (url, process):
        wait_until_ready(url, process)
        while_running = reply_subscriptions(subscriber, topology)
        process.send_signal(signal.SIGTERM)
        exit_code = process.wait(timeout=20)

    assert len(while_running) == 1
    # Uvicorn re-raises the signal it caught once shutdown is complete, so it "dies" of it.
    assert exit_code in (0, -signal.SIGTERM)
    assert reply_subscriptions(subscriber, topology) == []
