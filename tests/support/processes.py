"""Starts real processes for tests and makes sure none outlives them."""

import os
import signal
import subprocess
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from services.devstack.session import end_session


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
