"""Memory of each container's process under load: the figures k8s/base's requests and limits use.

    eval "$(league dev env)"      # beside `make run`: its emulators and its loaded demo season
    .venv/bin/python -m bench.footprint --seconds 60 --concurrency 16

Starts the four image commands (league-frontend, league-stats, league-playerops, league-transfer:
exactly what each container runs) on free ports, with topics of their own, drives reads and
writes through the frontend, and prints each process's resident memory (VmRSS) when idle and
after the load, its peak (VmHWM), from /proc, and the CPU it used during the load (in cores).
SIGTERM stops them at the end.
"""

import asyncio
import itertools
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import typer
from google.cloud import pubsub_v1

from bench.processes import cpu_seconds, status_kib
from events.commands import SERVICES
from events.settings import Settings
from events.topology import Topology, ensure_topology
from services.devstack.components import free_port, wait_until_answering
from services.devstack.settings import StackSettings
from services.devstack.token_issuer import stack_token

SCRIPTS = {"frontend": "league-frontend", **{name: f"league-{name}" for name in SERVICES}}
READS = [
    "/api/v1/clubs",
    "/api/v1/players/top?position=Forward&count=5",
    "/api/v1/clubs/Chelsea",
    "/api/v1/players?limit=100",
    "/",
]


def main(
    seconds: float = typer.Option(60.0, help="How long the load runs."),
    concurrency: int = typer.Option(16, help="Requests in flight at once."),
) -> None:
    prefix = f"footprint-{uuid.uuid4().hex[:6]}"
    settings = Settings(topic_prefix=prefix)
    ensure_topology(
        Topology.from_settings(settings), pubsub_v1.PublisherClient(), pubsub_v1.SubscriberClient()
    )
    addresses = {name: free_port() for name in SCRIPTS}
    processes = {
        name: _start(script, prefix, str(addresses[name])) for name, script in SCRIPTS.items()
    }
    try:
        for address in addresses.values():
            wait_until_answering(f"{address.url}/readyz", timeout=60, require_ok=True)
        time.sleep(5)  # let start-up allocations settle before the idle figure
        idle = {name: status_kib(process.pid, "VmRSS") for name, process in processes.items()}
        cpu_before = {name: cpu_seconds(process.pid) for name, process in processes.items()}
        done = asyncio.run(_load(addresses["frontend"].url, seconds, concurrency))
        after = {
            name: {field: status_kib(process.pid, field) for field in ("VmRSS", "VmHWM")}
            for name, process in processes.items()
        }
        cpu = {name: cpu_seconds(p.pid) - cpu_before[name] for name, p in processes.items()}
    finally:
        for process in processes.values():
            process.terminate()
        for process in processes.values():
            process.wait(timeout=40)
    typer.echo(f"{done} requests in {seconds:g} s, {concurrency} in flight")
    typer.echo(f"{'process':<18}{'idle MiB':>10}{'loaded MiB':>12}{'peak MiB':>10}{'CPU':>8}")
    for name in SCRIPTS:
        mib = [idle[name] / 1024, after[name]["VmRSS"] / 1024, after[name]["VmHWM"] / 1024]
        share = cpu[name] / seconds  # cores used on average during the load
        typer.echo(f"{SCRIPTS[name]:<18}{mib[0]:>10.1f}{mib[1]:>12.1f}{mib[2]:>10.1f}{share:>8.2f}")


def _start(script: str, prefix: str, address: str) -> subprocess.Popen:
    command = [str(Path(sys.executable).parent / script)]
    environment = {**os.environ, "LEAGUE_TOPIC_PREFIX": prefix, "LEAGUE_HTTP_ADDRESS": address}
    # The load's one writer makes far more changes than a person's write rate allows.
    environment["LEAGUE_AUTH_WRITE_RATE"] = "1000000/minute"
    return subprocess.Popen(
        command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


async def _load(base_url: str, seconds: float, concurrency: int) -> int:
    """Reads of every kind, and a create-transfer-delete round per worker of the load."""
    stop_at = time.monotonic() + seconds
    counter = itertools.count()
    # A writer's token of `make run`'s issuer, as `league dev token` mints it.
    writer = {"Authorization": f"Bearer {stack_token(StackSettings(), 'footprint')}"}
    async with httpx.AsyncClient(base_url=base_url, timeout=30, headers=writer) as client:

        async def one_worker(number: int) -> None:
            while time.monotonic() < stop_at:
                for path in READS:
                    (await client.get(path)).raise_for_status()
                    next(counter)
                await _write_round(client, f"Footprint Player {number}")
                next(counter)

        await asyncio.gather(*(one_worker(number) for number in range(concurrency)))
    return next(counter)


async def _write_round(client: httpx.AsyncClient, name: str) -> None:
    player = {"name": name, "club": "Chelsea", "nationality": "England", "position": "Forward"}
    await client.post("/api/v1/players", json={**player, "price": 1})
    transfer = {"player": name, "from_club": "Chelsea", "to_club": "Arsenal"}
    await client.post("/api/v1/transfers", json=transfer)
    await client.delete(f"/api/v1/players/Arsenal/{name}")


if __name__ == "__main__":
    typer.run(main)
