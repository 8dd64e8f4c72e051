"""Starts real processes for tests and makes sure none outlives them."""

import os
import signal
import subprocess
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path


@contextmanager
def running(
    command: list[str], log_path: Path, env: Mapping[str, str] | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """Runs `command` in its own process group, logging to `log_path`; ends the whole group after.

    The group matters: `gcloud ... start` runs the Java emulator as a child that a plain
    terminate of gcloud would leave behind.
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
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    # The leader may exit before its children (gcloud before Java): sweep the rest of the group.
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
