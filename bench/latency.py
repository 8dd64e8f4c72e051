"""Timing a call: one at a time, and many at once; the figures every part of the bench prints."""

import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from typing import Any

Call = Callable[[], Awaitable[None]]


@dataclass(frozen=True)
class Figures:
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p99_ms: float
    per_second: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def figures(latencies: list[float], errors: int, seconds: float) -> Figures:
    if not latencies:
        return Figures(0, errors, seconds, float("nan"), float("nan"), 0.0)
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return Figures(
        requests=len(latencies),
        errors=errors,
        seconds=seconds,
        p50_ms=statistics.median(latencies) * 1000,
        p99_ms=cuts[98] * 1000,
        per_second=len(latencies) / seconds,
    )


async def serial(call: Call, count: int) -> Figures:
    """`count` calls, each after the last one answered: the latency of an idle system."""
    latencies: list[float] = []
    errors = 0
    started = time.perf_counter()
    for _ in range(count):
        errors += await _timed(call, latencies)
    return figures(latencies, errors, time.perf_counter() - started)


async def concurrent(call_of: Callable[[int], Call], concurrency: int, seconds: float) -> Figures:
    """`concurrency` callers in a loop for `seconds`: the throughput, and the latency under it.
    Caller `n` makes `call_of(n)`, so a caller may keep state of its own (a player it moves)."""
    latencies: list[float] = []
    errors = 0
    started = time.perf_counter()
    stop_at = started + seconds

    async def caller(number: int) -> None:
        nonlocal errors
        call = call_of(number)
        while time.perf_counter() < stop_at:
            errors += await _timed(call, latencies)

    await asyncio.gather(*(caller(number) for number in range(concurrency)))
    return figures(latencies, errors, time.perf_counter() - started)


async def _timed(call: Call, latencies: list[float]) -> int:
    """Times one call into `latencies`; returns 1 if it failed (its time is not counted)."""
    began = time.perf_counter()
    try:
        await call()
    except Exception:
        return 1
    latencies.append(time.perf_counter() - began)
    return 0
