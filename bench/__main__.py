"""`make bench`: League App against the bare bus floor, on a stack of its own, in one run.

    .venv/bin/python -m bench [--seconds 10] [--serial 100] [--rows 100000]

Starts `make run`'s stack on free ports (the demo season loaded) and measures, one after the
other on the same emulators: the bare Pub/Sub echo (bench/floor.py; the median of three, each on
fresh streams); the top-players read over the bus alone, from a requester here; reads through
the whole stack, one at a time and 32 at once (the median of three, each through a fresh
frontend); transfers 8 at once; the top-players read at 64 at once with one stats worker and
then two; the peak memory of every process; and last the ingest loader next to the raw
WriteBatch ceiling (bench/ingest.py: it empties the database). Prints one table and writes it
as JSON under artifacts/.
"""

import asyncio
import json
import os
import platform
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import aiohttp
import typer
from google.cloud import firestore

from bench import ingest, latency, processes, report
from bench.floor import Echo
from bench.latency import Call
from events.commands import GetTopPlayers
from events.replies import CommandError
from events.settings import Address
from services.cli.bootstrap import bus_clients
from services.devstack.components import free_port, wait_until_answering
from services.devstack.launch import RunningStack, stack_environment, stack_up, writer_token
from services.devstack.stack import league_command

PROJECT_ID = "league-bench"
REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "artifacts"
# The original app's own request for the best forwards: a GET with a JSON body.
BEST_FORWARDS = json.dumps({"position": "Forward"})
READS: dict[str, dict[str, Any]] = {
    "GET /api/v1/players/top": {"method": "GET", "url": "/api/v1/players/top?position=Forward"},
    "GET /bestposition (body)": {"method": "GET", "url": "/bestposition", "data": BEST_FORWARDS},
    "GET /table": {"method": "GET", "url": "/table"},
    "GET /clubs/Chelsea (page)": {"method": "GET", "url": "/clubs/Chelsea"},
}
# The emulator sends each streaming pull what it holds every 50 ms, so at 32 concurrent the echo
# runs in step with its two streams' timers: one round trip a poll or one in two, as their phases
# fall (README, "Performance"). The floor is the median of this many echoes on fresh streams.
FLOOR_DRAWS = 3
# The reads are drawn as the floor is: a frontend's reply stream keeps the phase it drew when it
# opened, and the same code on three fresh stacks made 0.52x, 0.71x and 0.75x of its echo. Each
# draw is a frontend of its own, started for it, serving every read; a read's row is its median.
READ_DRAWS = 3
WARM_UP_SECONDS = 2.0
# Two clubs rich enough to buy a bench player back and forth for as long as the run lasts.
RICH_CLUBS = ("Manchester City", "Liverpool")


def main(
    seconds: Annotated[float, typer.Option(help="How long each concurrent measurement runs.")] = 10,
    serial: Annotated[int, typer.Option(help="Requests in each one-at-a-time measurement.")] = 100,
    rows: Annotated[int, typer.Option(help="Rows of the generated season to ingest.")] = 100_000,
    rounds: Annotated[int, typer.Option(help="Rounds of the ingest part (medians).")] = 3,
    output: Annotated[Path, typer.Option(help="Where the run's JSON is written.")] = ARTIFACTS,
) -> None:
    """Run every measurement, print the table, write the JSON."""
    started = datetime.now(UTC)
    with tempfile.TemporaryDirectory() as state:
        environment = stack_environment(PROJECT_ID, Path(state))
        # The bench is one writer making far more changes than a person's write rate allows.
        environment["LEAGUE_AUTH_WRITE_RATE"] = "1000000/minute"
        with stack_up(environment) as stack, emulators_of(environment):
            typer.echo("stack ready; measuring", err=True)
            results = asyncio.run(
                _measure_bus_and_http(environment, stack, serial, seconds, Path(state))
            )
            emulator = Address.parse(environment["FIRESTORE_EMULATOR_HOST"])
            loads = ingest.measure(
                firestore.Client(project=PROJECT_ID), emulator, rows, clubs=20, rounds=rounds,
                say=lambda line: typer.echo(line, err=True),
            )  # fmt: skip
    results["ingest"] = {**loads.__dict__, "ratio": loads.ratio, "plain_ratio": loads.plain_ratio}
    results["run"] = _describe_run(started, serial, seconds)
    typer.echo(report.table(results))
    output.mkdir(parents=True, exist_ok=True)
    written = output / f"bench-{started:%Y%m%d-%H%M%S}.json"
    written.write_text(json.dumps(results, indent=2))
    typer.echo(f"written to {written}")


async def _measure_bus_and_http(
    environment: dict[str, str], stack: RunningStack, serial: int, seconds: float, logs: Path
) -> dict[str, Any]:
    results: dict[str, Any] = {}
    echoes = [await _echo_draw(serial, seconds) for _ in range(FLOOR_DRAWS)]
    results["floor"], results["floor_draws_c32_per_second"] = _median_draw(echoes)
    results["over_the_bus"] = await _over_the_bus(environment, serial, seconds)
    token = writer_token(environment, "bench")
    reads: dict[str, list[dict[str, Any]]] = {name: [] for name in READS}
    drawn_peak_mib = 0.0
    for number in range(READ_DRAWS):
        frontend = league_command("frontend")
        with serving(frontend, environment, log=logs / f"frontend-{number}.log") as (pid, address):
            async with _client(str(address), token) as http:
                for name, request in READS.items():
                    reads[name].append(await _drawn_read(read_of(http, request), serial, seconds))
            drawn_peak_mib = max(drawn_peak_mib, processes.peak_rss_mib(pid))
    medians = {name: _median_draw(found) for name, found in reads.items()}
    results["reads"] = {name: median for name, (median, _) in medians.items()}
    results["read_draws_c32_per_second"] = {name: rates for name, (_, rates) in medians.items()}
    async with _client(environment["LEAGUE_FRONTEND_ADDRESS"], token) as http:
        movers = await _bench_players(http, count=8)
        transfers = await latency.concurrent(lambda n: movers[n], 8, seconds)
        results["transfers_c8"] = transfers.as_dict()
        top = read_of(http, READS["GET /api/v1/players/top"])
        one = await latency.concurrent(lambda _: top, 64, seconds)
        with serving(league_command("worker", "stats"), environment):
            # Not measured: the new worker's read model loads the season on its first reads,
            # and the first worker's was loaded before it was measured.
            await latency.concurrent(lambda _: top, 64, WARM_UP_SECONDS)
            two = await latency.concurrent(lambda _: top, 64, seconds)
        results["stats_replicas_c64"] = {"one": one.as_dict(), "two": two.as_dict()}
    results["peak_rss_mib"] = {
        component: max(processes.peak_rss_mib(pid) for pid in pids)
        for component, pids in processes.stack_processes(stack.pid).items()
    }
    results["peak_rss_mib"]["frontend"] = max(results["peak_rss_mib"]["frontend"], drawn_peak_mib)
    return results


def _client(address: str, token: str) -> aiohttp.ClientSession:
    # aiohttp, not httpx as elsewhere: the client shares the machine with the stack it measures,
    # and httpx took 71% of a core at 145 req/s where aiohttp takes 5% at 277 (README).
    return aiohttp.ClientSession(
        f"http://{address}",
        connector=aiohttp.TCPConnector(limit=128),
        timeout=aiohttp.ClientTimeout(total=30),
        raise_for_status=True,
        headers={"Authorization": f"Bearer {token}"},
    )


async def _drawn_read(call: Call, serial: int, seconds: float) -> dict[str, Any]:
    await latency.serial(call, 10)  # a fresh frontend: its connections opened first
    return await _both(call, serial, seconds)


def _median_draw(draws: list[dict[str, Any]]) -> tuple[dict[str, Any], list[float]]:
    """The draw of the median c32 rate, and every draw's rate, lowest first."""
    ranked = sorted(draws, key=lambda draw: draw["c32"]["per_second"])
    return ranked[len(ranked) // 2], [draw["c32"]["per_second"] for draw in ranked]


async def _echo_draw(serial: int, seconds: float) -> dict[str, Any]:
    """The echo on topics and streams of its own: a fresh draw of its streams' poll phases."""
    floor = Echo.fresh(PROJECT_ID, "bench")
    with floor.running(asyncio.get_running_loop()):
        return await _both(floor.round_trip, serial, seconds)


async def _over_the_bus(environment: dict[str, str], serial: int, seconds: float) -> dict[str, Any]:
    """The top-players read as the frontend sends it, from a requester in this process: the
    stack's path without HTTP, which tells the bus's and the stats worker's part from the
    frontend's."""
    with _patched_environment(environment):
        requester = bus_clients().requester("bench")
    await requester.start()

    async def top_players() -> None:
        reply = await requester.request(GetTopPlayers(position="Forward"))
        if reply.error is not None:
            raise CommandError.from_reply(reply)

    try:
        return await _both(top_players, serial, seconds)
    finally:
        await requester.stop()


async def _both(call: Call, serial: int, seconds: float) -> dict[str, Any]:
    one_at_a_time = await latency.serial(call, serial)
    many = await latency.concurrent(lambda _: call, 32, seconds)
    return {"serial": one_at_a_time.as_dict(), "c32": many.as_dict()}


def read_of(http: aiohttp.ClientSession, request: dict[str, Any]) -> Call:
    async def call() -> None:
        async with http.request(**request) as answer:
            await answer.read()

    return call


async def _bench_players(http: aiohttp.ClientSession, count: int) -> list[Call]:
    """One cheap player per caller, each moved between the two rich clubs on every call."""
    movers = []
    for _ in range(count):
        name = f"Bench Player {uuid.uuid4().hex[:8]}"
        player = {"name": name, "club": RICH_CLUBS[0], "nationality": "England"}
        async with http.post("/api/v1/players", json={**player, "position": "Forward"}):
            pass
        movers.append(_mover(http, name))
    return movers


def _mover(http: aiohttp.ClientSession, name: str) -> Call:
    at = [0]  # index of the club the player is at

    async def call() -> None:
        transfer = {
            "player": name,
            "from_club": RICH_CLUBS[at[0]],
            "to_club": RICH_CLUBS[1 - at[0]],
        }
        headers = {"Idempotency-Key": uuid.uuid4().hex}
        async with http.post("/api/v1/transfers", json=transfer, headers=headers) as answer:
            await answer.read()
        at[0] = 1 - at[0]

    return call


@contextmanager
def serving(
    command: list[str],
    environment: dict[str, str],
    cwd: Path | None = None,
    log: Path | None = None,
) -> Iterator[tuple[int, Address]]:
    """A server of the stack's (a second worker, a frontend of a draw, another checkout's
    frontend) on a free port, once its /readyz says ready: its pid and address. Its output goes
    to `log` (none: nowhere). Stopped on leaving."""
    address = free_port()
    # The server holds its own copy of the file once started.
    with (log or Path(os.devnull)).open("ab") as output:
        server = subprocess.Popen(
            command,
            cwd=cwd,
            env={**environment, "LEAGUE_HTTP_ADDRESS": str(address)},
            stdout=output,
            stderr=output,
        )
    try:
        wait_until_answering(f"{address.url}/readyz", timeout=60, require_ok=True)
        yield server.pid, address
    finally:
        server.terminate()
        server.wait(timeout=40)


@contextmanager
def emulators_of(environment: dict[str, str]) -> Iterator[None]:
    """Points this process's own clients at the stack's emulators."""
    names = ("PUBSUB_EMULATOR_HOST", "FIRESTORE_EMULATOR_HOST")
    with _patched_environment({name: environment[name] for name in names}):
        yield


@contextmanager
def _patched_environment(values: dict[str, str]) -> Iterator[None]:
    before = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _describe_run(started: datetime, serial: int, seconds: float) -> dict[str, Any]:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return {
        "started": started.isoformat(),
        "commit": commit,
        "machine": _cpu_model(),
        "cores": len(os.sched_getaffinity(0)),
        "python": platform.python_version(),
        "serial_requests": serial,
        "concurrent_seconds": seconds,
    }


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


if __name__ == "__main__":
    typer.run(main)
