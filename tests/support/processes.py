"""Starts real processes for tests and makes sure none outlives them."""

import os
import signal
import subprocess
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

from services.devstack.session import descendants, end_session


@contextmanager
def running(
    command: list[str], log_path: Path, env: Mapping[str, str] | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """Runs `command` in a session of its own, logging to `log_path`; ends the whole session after.

    Ending the session, not just the process, matters: `gcloud ... start` runs the Java emulator
    in a process group of its own, which a plain terminate of gcloud would leave behind.
    """
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={**os.environ, **(env or {})},
        )
        try:
            yield process
        finally:
            stop_group(process)


def stop_group(process: subprocess.Popen[bytes], grace: float = 10.0) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    # Whatever the process left behind in its session goes too.
    end_session(process.pid, grace)


def signal_tree(process: subprocess.Popen[bytes], signum: int) -> None:
    """Sends `signum` to the process and to every process descended from it: SIGSTOP and SIGCONT
    hang and resume an emulator (gcloud and its Java child) as a stalled server would."""
    for pid in (process.pid, *descendants(process.pid)):
        with suppress(ProcessLookupError):
            os.kill(pid, signum)


def until_in_flight(url: str, count: int, timeout: float = 30) -> None:
    """Waits until the worker's metrics show `count` commands in flight."""
    give_up = time.monotonic() + timeout
    while time.monotonic() < give_up:
        for family in text_string_to_metric_families(httpx.get(f"{url}/metrics").text):
            in_flight = sum(sample.value for sample in family.samples)
            if family.name == "league_commands_in_flight" and in_flight >= count:
                return
        time.sleep(0.1)
    raise AssertionError(f"never {count} commands in flight")
