"""Runs a component so that stopping it stops everything it started.

`gcloud ... emulators ... start` moves itself into a process group of its own and runs the
emulator as a Java child, so signalling the group honcho (or a test) started misses both, and a
Java process would outlive the stack holding its port. They all stay in the session, though:
the component's runner starts it in a session of its own and signals every process of it.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import NoReturn

# honcho sends SIGKILL 5 s after SIGTERM, which would orphan what is still running: finish first.
STOP_GRACE_SECONDS = 4.0


def run_supervised(command: list[str], environment: Mapping[str, str]) -> NoReturn:
    """Runs `command` in a new session; on SIGTERM or SIGINT, or when it exits, ends that session.

    A session of its own, so that ending it never touches the caller's (a terminal, honcho).
    """
    child = subprocess.Popen(command, env=dict(environment), start_new_session=True)

    def stop(signum: int, _frame: object) -> None:
        end_session(child.pid, STOP_GRACE_SECONDS)
        sys.exit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    code = child.wait()
    end_session(child.pid, STOP_GRACE_SECONDS)
    sys.exit(code)


def end_session(session_id: int, grace: float = 10.0) -> None:
    """SIGTERM to every other process of the session, SIGKILL to those left after `grace`."""
    _signal_all(session_id, signal.SIGTERM)
    give_up = time.monotonic() + grace
    while _members(session_id) and time.monotonic() < give_up:
        time.sleep(0.1)
    _signal_all(session_id, signal.SIGKILL)


def _signal_all(session_id: int, signum: int) -> None:
    for pid in _members(session_id):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signum)


def descendants(root: int) -> list[int]:
    """Every live process below `root`: its children, theirs, and so on."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # After the command's name in parentheses: the state, then the parent's id.
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue  # ended while we looked
        children.setdefault(parent, []).append(int(stat.parent.name))
    found, waiting = [], [root]
    while waiting:
        for child in children.get(waiting.pop(), []):
            found.append(child)
            waiting.append(child)
    return found


def _members(session_id: int) -> list[int]:
    """Live processes of the session but this one (zombies are dead already)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        state, session = fields[0], int(fields[3])
        pid = int(stat.parent.name)
        if session == session_id and pid != os.getpid() and state != "Z":
            found.append(pid)
    return found
