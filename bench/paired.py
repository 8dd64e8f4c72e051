"""This checkout's frontend against another checkout's, side by side on one stack.

    .venv/bin/python -m bench.paired ../other-checkout [--seconds 5] [--rounds 4]

A change to the frontend moves its figures by a few percent; on a shared machine two runs of
`make bench` minutes apart differ by more than that. So both frontends serve at once, on this
checkout's stack (emulators, workers, demo season), and their reads at 32 concurrent take turns
with an echo's, round after round: whatever the machine does to one round it does to the next.
Around each round the frontend's CPU is read from /proc, all its threads, per request answered.
The other checkout needs its own `.venv` (`make install` there); only its frontend runs.
"""

import asyncio
import statistics
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import aiohttp
import typer

from bench import latency, processes
from bench.__main__ import PROJECT_ID, READS, REPO, emulators_of, read_of, serving
from bench.floor import Echo
from bench.latency import Call
from services.devstack.launch import stack_environment, stack_up

ECHO, THIS, OTHER = "bare bus echo", "this frontend", "other frontend"
CONCURRENCY = 32
LEAGUE = Path(".venv/bin/league")  # in either checkout


@dataclass(frozen=True)
class Round:
    per_second: float
    p50_ms: float
    cpu_ms_per_request: float | None  # None for the echo, which runs in this process


def main(
    other: Annotated[Path, typer.Argument(help="A checkout with its own .venv.")],
    seconds: Annotated[float, typer.Option(help="How long each round runs.")] = 5,
    rounds: Annotated[int, typer.Option(help="Rounds of each (medians).")] = 4,
    read: Annotated[str, typer.Option(help="Which read (one of the bench's).")] = next(iter(READS)),
) -> None:
    """Measure both frontends in turns and print their medians next to the echo's."""
    if read not in READS:
        raise typer.BadParameter(f"{read!r} is none of the bench's reads: {', '.join(READS)}")
    other = other.resolve()
    if not (other / LEAGUE).exists():
        raise typer.BadParameter(f"{other / LEAGUE} is missing: run `make install` in {other}")
    with tempfile.TemporaryDirectory() as state:
        environment = stack_environment(PROJECT_ID, Path(state))
        # Both frontends are started alike, neither being the stack's: that one's log lines go
        # through honcho's pipe, which costs it more CPU a request than a line written elsewhere.
        with (
            stack_up(environment),
            emulators_of(environment),
            serving([str(REPO / LEAGUE), "frontend"], environment, cwd=REPO) as (ours, our_address),
            serving([str(other / LEAGUE), "frontend"], environment, cwd=other) as (
                theirs,
                their_address,
            ),
        ):
            typer.echo("both frontends ready; measuring", err=True)
            found = asyncio.run(
                _take_turns(
                    {THIS: str(our_address), OTHER: str(their_address)},
                    {THIS: ours, OTHER: theirs},
                    READS[read],
                    seconds,
                    rounds,
                )
            )
    typer.echo(f"{read} at {CONCURRENCY} concurrent, {rounds} rounds of {seconds:g} s; "
               f"other: {other}")  # fmt: skip
    typer.echo(summary(found))


def summary(found: dict[str, list[Round]]) -> str:
    """Medians over the rounds, each next to the echo's and the second frontend's next to the
    first's; every round's throughput after them."""
    echo = statistics.median(taken.per_second for taken in found[ECHO])
    lines = [f"{'':<16}{'req/s':>7}{'x echo':>8}{'p50 ms':>8}{'CPU ms/req':>12}  rounds (req/s)"]
    cpu: dict[str, float] = {}
    for name, taken in found.items():
        rate = statistics.median(round_.per_second for round_ in taken)
        p50 = statistics.median(round_.p50_ms for round_ in taken)
        costs = [round_.cpu_ms_per_request for round_ in taken if round_.cpu_ms_per_request]
        cpu_text = ""
        if costs:
            cpu[name] = statistics.median(costs)
            cpu_text = f"{cpu[name]:.2f}"
        every = ", ".join(f"{round_.per_second:.0f}" for round_ in taken)
        lines.append(f"{name:<16}{rate:>7.0f}{rate / echo:>8.2f}{p50:>8.1f}{cpu_text:>12}  {every}")
    if THIS in cpu and OTHER in cpu:
        lines.append(f"CPU a request, this / other: {cpu[THIS] / cpu[OTHER]:.2f}")
    return "\n".join(lines)


async def _take_turns(
    addresses: dict[str, str],
    pids: dict[str, int],
    request: dict[str, Any],
    seconds: float,
    rounds: int,
) -> dict[str, list[Round]]:
    echo = Echo.fresh(PROJECT_ID, "paired")
    found: dict[str, list[Round]] = {ECHO: [], THIS: [], OTHER: []}
    sessions = {
        name: aiohttp.ClientSession(
            f"http://{address}",
            connector=aiohttp.TCPConnector(limit=128),
            raise_for_status=True,
        )
        for name, address in addresses.items()
    }
    try:
        calls: dict[str, Call] = {name: read_of(http, request) for name, http in sessions.items()}
        with echo.running(asyncio.get_running_loop()):
            for call in [echo.round_trip, *calls.values()]:
                await latency.serial(call, 10)  # connections open, read models loaded
            for number in range(rounds):
                # The frontends swap places each round, so neither always follows the echo.
                order = [THIS, OTHER] if number % 2 == 0 else [OTHER, THIS]
                found[ECHO].append(await _round(echo.round_trip, None, seconds))
                for name in order:
                    found[name].append(await _round(calls[name], pids[name], seconds))
    finally:
        for http in sessions.values():
            await http.close()
    return found


async def _round(call: Call, pid: int | None, seconds: float) -> Round:
    before = processes.cpu_seconds(pid) if pid is not None else 0.0
    figures = await latency.concurrent(lambda _: call, CONCURRENCY, seconds)
    cost = None
    if pid is not None and figures.requests:
        cost = (processes.cpu_seconds(pid) - before) / figures.requests * 1000
    return Round(figures.per_second, figures.p50_ms, cost)


if __name__ == "__main__":
    typer.run(main)
