"""How much work a request may cost before the bus floor gives way, and what the app costs.

    .venv/bin/python -m bench.cliff [--seconds 4] [--rounds 2]

The emulator delivers to each streaming pull every 50 ms, so at 32 concurrent the requests move
in convoys: all the work a convoy brings must fit between two streams' polls, or the stragglers
wait for the next poll. The bare echo (bench/floor.py) is run with CPU spent on each request, on
the requester's side (as a frontend spends it) or on the responder's (as a worker does), at each
of WORK_MS, on one pair of streams so that every level meets the same timer phases, the levels
taking turns round after round. Then the top-players read goes through the whole stack at 32
concurrent, with the CPU a request of the frontend and the stats worker read from /proc: where
each sits against the echo's cliff says which side keeps the app from the floor. (Without work
the echo may also settle into one poll a round trip, about 560 req/s; any work puts it back.)
"""

import asyncio
import statistics
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import aiohttp
import typer

from bench import latency, processes
from bench.__main__ import PROJECT_ID, READS, emulators_of, read_of
from bench.floor import Echo
from services.devstack.launch import stack_environment, stack_up

CONCURRENCY = 32
WORK_MS = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0)
SIDES = ("requester", "responder")
READ = "GET /api/v1/players/top"
# The processes whose CPU a request is shown, as bench.processes names them.
MEASURED = ("frontend", "stats worker", "pubsub emulator")


@dataclass
class Found:
    """Every round's figures: the echo's by side and work in ms, the app's, and the CPU a request
    of each process the app's rounds took."""

    echo: dict[tuple[str, float], list[latency.Figures]] = field(default_factory=dict)
    app: list[latency.Figures] = field(default_factory=list)
    app_cpu_ms: dict[str, list[float]] = field(default_factory=dict)


def main(
    seconds: Annotated[float, typer.Option(help="How long each measurement runs.")] = 4,
    rounds: Annotated[int, typer.Option(help="Rounds of every level (medians).")] = 2,
) -> None:
    """Measure the echo at every level of work on either side, then the app; print both."""
    with tempfile.TemporaryDirectory() as state:
        environment = stack_environment(PROJECT_ID, Path(state))
        with stack_up(environment) as stack, emulators_of(environment):
            pids = {
                name: found[0]
                for name, found in processes.stack_processes(stack.pid).items()
                if name in MEASURED
            }
            typer.echo("stack ready; measuring", err=True)
            found = asyncio.run(
                _measure(environment["LEAGUE_FRONTEND_ADDRESS"], pids, seconds, rounds)
            )
    typer.echo(f"{CONCURRENCY} concurrent, {rounds} rounds of {seconds:g} s (medians)")
    typer.echo(table(found))


def table(found: Found) -> str:
    """The echo's throughput and p50 at each level of work on each side (medians of the rounds);
    under it the app's, and its processes' CPU a request."""
    lines = [
        f"{'work a request':<16}" + "".join(f"{'on the ' + side + ' side':>24}" for side in SIDES),
        f"{'':<16}" + f"{'req/s':>14}{'p50 ms':>10}" * len(SIDES),
    ]
    for work in WORK_MS:
        cells = ""
        for side in SIDES:
            rate, p50 = _medians(found.echo[(side, work)])
            cells += f"{rate:>14.0f}{p50:>10.1f}"
        lines.append(f"{work:>7.1f} ms CPU  {cells}")
    rate, p50 = _medians(found.app)
    costs = ", ".join(
        f"{name} {statistics.median(cpu):.2f} ms" for name, cpu in found.app_cpu_ms.items()
    )
    lines.append(f"{READ} through the stack: {rate:.0f} req/s, p50 {p50:.1f} ms")
    lines.append(f"  CPU a request: {costs}")
    return "\n".join(lines)


def _medians(rounds: list[latency.Figures]) -> tuple[float, float]:
    """The median throughput and the median p50 of the rounds."""
    return (
        statistics.median(figures.per_second for figures in rounds),
        statistics.median(figures.p50_ms for figures in rounds),
    )


async def _measure(address: str, pids: dict[str, int], seconds: float, rounds: int) -> Found:
    echo = Echo.fresh(PROJECT_ID, "cliff")
    found = Found()
    async with aiohttp.ClientSession(
        f"http://{address}", connector=aiohttp.TCPConnector(limit=128), raise_for_status=True
    ) as http:
        read = read_of(http, READS[READ])
        with echo.running(asyncio.get_running_loop()):
            await latency.serial(echo.round_trip, 10)
            await latency.serial(read, 10)  # connections open, the read model loaded
            for _ in range(rounds):
                for side in SIDES:
                    for work in WORK_MS:
                        echo.request_work = work / 1000 if side == "requester" else 0.0
                        echo.reply_work = work / 1000 if side == "responder" else 0.0
                        figures = await _concurrent(echo.round_trip, seconds)
                        found.echo.setdefault((side, work), []).append(figures)
                echo.request_work = echo.reply_work = 0.0
                before = {name: processes.cpu_seconds(pid) for name, pid in pids.items()}
                figures = await _concurrent(read, seconds)
                found.app.append(figures)
                for name, pid in pids.items():
                    spent = processes.cpu_seconds(pid) - before[name]
                    found.app_cpu_ms.setdefault(name, []).append(
                        spent / max(figures.requests, 1) * 1000
                    )
    return found


async def _concurrent(call: latency.Call, seconds: float) -> latency.Figures:
    return await latency.concurrent(lambda _: call, CONCURRENCY, seconds)


if __name__ == "__main__":
    typer.run(main)
