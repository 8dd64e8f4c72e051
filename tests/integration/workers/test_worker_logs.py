"""A worker process's JSON log lines name the trace and span of the command they are about, in
the fields Cloud Logging joins with Cloud Trace: read from the log of the real process."""

import json
import secrets
import time
from pathlib import Path

import pytest

from events.commands import PLAYEROPS, CreatePlayer
from events.envelope import TRACEPARENT
from events.logs import SPAN_FIELD, TRACE_FIELD
from tests.integration.workers.conftest import ask
from tests.unit.workers.fakes import player

pytestmark = pytest.mark.emulators
LOG_TIMEOUT_SECONDS = 20.0


def lines_about(log: Path, command_id: str) -> list[dict]:
    """The JSON lines of the log tagged with the command's id, once there is one."""
    give_up = time.monotonic() + LOG_TIMEOUT_SECONDS
    while True:
        lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
        about = [line for line in lines if line.get("request_id") == command_id]
        if about or time.monotonic() > give_up:
            return about
        time.sleep(0.1)


def test_a_worker_process_logs_the_trace_and_its_own_span_of_a_traced_command(
    start_worker, settings, topology, publisher, subscriber, tmp_path
):
    start_worker(PLAYEROPS)
    trace_id, sender_span = secrets.token_hex(16), secrets.token_hex(8)
    # No season yet: the worker refuses the signing, and says so in a line of its log.
    (refused,) = ask(
        topology, subscriber, [CreatePlayer(player=player("Kane", "Chelsea"))],
        command_id="traced-signing", extensions={TRACEPARENT: f"00-{trace_id}-{sender_span}-01"},
    )  # fmt: skip
    assert not refused.ok

    lines = lines_about(tmp_path / f"{PLAYEROPS}-0.log", "traced-signing")
    assert lines, (tmp_path / f"{PLAYEROPS}-0.log").read_text()[-3000:]
    for line in lines:
        assert line[TRACE_FIELD] == f"projects/{settings.project_id}/traces/{trace_id}"
        # The worker's own span, the sender's child, not the sender's.
        assert len(line[SPAN_FIELD]) == 16 and line[SPAN_FIELD] != sender_span
