"""The benchmark's harness at tiny sizes: its timing and its table (the figures are not tested)."""

import asyncio
import json
import os
import time
from pathlib import Path

from bench import cliff, latency, paired, processes, report
from bench.floor import spend_cpu

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
    assert "GET /table: 150, 156, 320 req/s" in printed.split("three fresh frontends")[1]
    ratios = {line.strip().split("  ")[0]: line for line in printed.split("ratios")[1].splitlines()}
    assert "p50 1.01 (<= 1.2x: met)" in ratios["GET /table"]
    assert "c32 throughput 0.52 (>= 0.8x: NOT met)" in ratios["GET /table"]
    assert "c32 throughput 0.90 (no HTTP: no target)" in ratios["top players, bus only"]
    assert "160 MiB (<= 150MiB: NOT met)" in ratios["stats worker peak RSS"]
    assert "0.82 (>= 0.8x: met)" in ratios["ingest / raw ceiling"]
    assert "0.50 (what our checks cost: no target)" in ratios["ingest / raw plain writes"]


def test_the_paired_summary_sets_each_frontend_against_the_echo_and_the_other():
    def rounds(*figures: tuple[float, float | None]) -> list[paired.Round]:
        return [paired.Round(rate, 100.0, cpu) for rate, cpu in figures]

    found = {
        paired.ECHO: rounds((300, None), (320, None), (600, None)),
        paired.THIS: rounds((250, 1.5), (270, 1.7), (240, 1.6)),
        paired.OTHER: rounds((200, 2.0), (220, 2.2), (210, 2.1)),
    }

    printed = paired.summary(found)

    lines = {line.split("  ")[0]: line.split() for line in printed.splitlines()}
    assert lines["this frontend"][2:6] == ["250", "0.78", "100.0", "1.60"]
    assert lines["other frontend"][2:6] == ["210", "0.66", "100.0", "2.10"]
    assert "CPU a request, this / other: 0.76" in printed


def test_a_process_cpu_is_read_from_proc_and_grows_with_work():
    before = processes.cpu_seconds(os.getpid())
    give_up = time.process_time() + 2.0  # /proc counts in ticks of 10 ms
    while processes.cpu_seconds(os.getpid()) == before and time.process_time() < give_up:
        sum(range(10_000))

    assert processes.cpu_seconds(os.getpid()) > before


def test_spend_cpu_computes_for_the_time_asked_in_this_thread():
    before = time.thread_time()

    spend_cpu(0.02)

    assert time.thread_time() - before >= 0.02


def test_the_cliff_table_gives_each_level_of_work_its_medians_and_the_app_its_cpu():
    def figures(*rates: float) -> list[latency.Figures]:
        return [latency.Figures(100, 0, 1.0, 1000 * 32 / rate, 0.0, rate) for rate in rates]

    found = cliff.Found(
        echo={
            (side, work): figures(320 - 40 * work, 300 - 40 * work, 560)
            for side in cliff.SIDES
            for work in cliff.WORK_MS
        },
        app=figures(200, 240, 220),
        app_cpu_ms={"frontend": [2.0, 2.2, 1.9], "stats worker": [1.5, 1.4, 1.6]},
    )

    printed = cliff.table(found)

    levels = {line.split(" ms")[0].strip(): line.split()[3:] for line in printed.splitlines()}
    assert levels["0.0"] == ["320", "100.0", "320", "100.0"]
    assert levels["1.5"] == ["260", "123.1", "260", "123.1"]
    assert "through the stack: 220 req/s, p50 145.5 ms" in printed
    assert "CPU a request: frontend 2.00 ms, stats worker 1.50 ms" in printed
