"""Prometheus's own checker, `promtool` (Debian's `prometheus` package; `.ci/run` installs it)."""

import shutil
import subprocess
import time

import httpx


def promtool() -> str:
    found = shutil.which("promtool")
    assert found, "promtool is not on PATH: apt-get install prometheus (see the README)"
    return found


def metrics_problems(exposition: str) -> str:
    """What `promtool check metrics` says is wrong with a /metrics answer; '' when nothing."""
    checked = subprocess.run(
        [promtool(), "check", "metrics"], input=exposition, capture_output=True, text=True
    )
    return "" if checked.returncode == 0 else checked.stdout + checked.stderr


def wait_for_metrics(url: str, wanted: str, timeout: float = 10.0) -> httpx.Response:
    """The answer of `url` (a /metrics) once it contains `wanted`; fails after `timeout` s."""
    give_up = time.monotonic() + timeout
    while True:
        answer = httpx.get(url)
        if wanted in answer.text or time.monotonic() > give_up:
            assert wanted in answer.text, f"{url} never showed {wanted!r}:\n{answer.text}"
            return answer
        time.sleep(0.1)
