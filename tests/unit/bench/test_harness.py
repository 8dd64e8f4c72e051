"""The benchmark's harness at tiny sizes: its timing and its table (the figures are not tested)."""

import asyncio
import json
from pathlib import Path

from bench import latency, report

EXAMPLE = Path(__file__).parent / "example-run.json"


def test_serial_counts_every_call_and_leaves_failures_out_of_the_latencies():
    calls = 0

    async def flaky() -> None:
        nonlocal calls
        calls += 1
        if calls % 4 == 0:
            raise RuntimeError("refused")

    found = asyncio.run(latency.serial(flaky, 8))

    assert (found.requests, found.errors) == (6, 2)
    assert found.per_second > 0 and found.p50_ms <= found.p99_ms


def test_concurrent_gives_each_caller_its_own_call():
    seen: set[int] = set()

    def call_of(number: int) -> latency.Call:
        async def call() -> None:
            seen.add(number)
            await asyncio.sleep(0.001)

        return call

    found = asyncio.run(latency.concurrent(call_of, 5, seconds=0.05))

    assert seen == {0, 1, 2, 3, 4}
    assert found.requests >= 5 and found.errors == 0


def test_the_table_holds_every_path_and_judges_each_ratio_against_its_target():
    results = json.loads(EXAMPLE.read_text())

    printed = report.table(results)

    every_path = [*results["reads"], "bare bus echo", "bus only", "transfers c8"]
    for path in [*every_path, "ingest of 100000 rows"]:
        assert path in printed
    assert "echoes on fresh streams: 290, 300, 560 req/s" in printed
    ratios = {line.strip().split("  ")[0]: line for line in printed.split("ratios")[1].splitlines()}
    assert "p50 1.01 (<= 1.2x: met)" in ratios["GET /table"]
    assert "c32 throughput 0.52 (>= 0.8x: NOT met)" in ratios["GET /table"]
    assert "c32 throughput 0.90 (no HTTP: no target)" in ratios["top players, bus only"]
    assert "160 MiB (<= 150MiB: NOT met)" in ratios["stats worker peak RSS"]
