"""schemathesis over /openapi.json against the whole stack: every check, a fixed seed, zero
failures. What the OpenAPI document allows is accepted, what it forbids is refused, and every
answer is one the document states (status, media type, schema, an Allow header on a 405)."""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.emulators, pytest.mark.slow]

SEED = 20261126
EXAMPLES_PER_OPERATION = 40
SCHEMATHESIS = Path(sys.executable).with_name("st")
HOOKS = Path(__file__).with_name("fuzzing_hooks.py")


def schemathesis_run(url: str, workdir: Path) -> subprocess.CompletedProcess[str]:
    command = [
        str(SCHEMATHESIS), "run", f"{url}/openapi.json",
        "--checks", "all",
        "--seed", str(SEED),
        "--max-examples", str(EXAMPLES_PER_OPERATION),
        # One case at a time, and no examples remembered from an earlier run: the same cases
        # every run, in the same order, against the same seeded league.
        "--workers", "1",
        "--generation-database", "none",
        # The stack's deadline is 20 s; a request never waits on the client's clock first.
        "--request-timeout", "60",
        "--no-color",
        "--report", "junit", "--report-junit-path", str(workdir / "junit.xml"),
    ]  # fmt: skip
    # In a folder of its own: schemathesis keeps the failures it found (.schemathesis/) and
    # replays them first next time, which a run must not inherit from an earlier one.
    environment = {**os.environ, "SCHEMATHESIS_HOOKS": str(HOOKS)}
    return subprocess.run(
        command, cwd=workdir, env=environment, capture_output=True, text=True, timeout=1200,
        check=False,
    )  # fmt: skip


def figures(output: str) -> str:
    """The summary's figures: operations tested, cases generated, failures."""
    tested = re.search(r"Tested: (\d+)", output)
    cases = re.search(r"Test cases:\s*\n\s*(.+)", output)
    return (
        f"{tested.group(1) if tested else '?'} operations; "
        f"{cases.group(1).strip() if cases else 'no summary'}"
    )


def test_schemathesis_finds_no_failure_in_any_operation(league, tmp_path, capsys):
    started = time.monotonic()
    run = schemathesis_run(league.url, tmp_path)
    seconds = time.monotonic() - started

    with capsys.disabled():
        print(f"\nfuzzing (seed {SEED}, {EXAMPLES_PER_OPERATION} examples per operation): "
              f"{figures(run.stdout)} in {seconds:.0f} s")  # fmt: skip
    assert run.returncode == 0, run.stdout[-20000:] + run.stderr[-5000:]
