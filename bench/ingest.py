"""Benchmark: our season loader next to the raw WriteBatch ceiling, on the same Firestore emulator.

    FIRESTORE_EMULATOR_HOST=127.0.0.1:8086 .venv/bin/python -m bench.ingest --rows 100000

Ours: generated CSV bytes -> read, validated, loaded (deterministic ids, replace query, batches).
Raw: the same player documents, prebuilt, set in 500-document WriteBatches by the library's
`WriteBatch.set`, no validation; once one batch at a time, once with as many batches in flight as
our loader uses (the ceiling the target is set against). And the same again with the documents
encoded as our loader encodes them (ingest/plain_writes.py): what is left of ours over raw writes.
Each run starts on an emptied emulator after a warm-up: the emulator's JVM speeds up over its first
writes, and its queries scan every stored document, so leftovers of one run would slow the next.
Ours also commits each batch as a transaction that checks the file's claim (a newer upload
always wins): that cost is part of what is measured.
"""

import os
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import typer
from google.cloud import firestore

from events.messages import DomainEvent
from events.settings import Address, Settings
from events.values import POSITIONS
from ingest.batches import PARALLEL_COMMITS, Write, chunks, commit_all
from ingest.bootstrap import bootstrap, prepare_process
from ingest.firestore_store import FirestoreSeasonStore
from ingest.loader import load_season_file
from ingest.model import SeasonObject, StoredFile, season_object
from ingest.ports import EventPublisher, ObjectSource
from services.devstack.components import clear_firestore


class MemoryObjects(ObjectSource):
    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files

    def open(self, season_object: SeasonObject) -> StoredFile | None:
        content = self.files.get(season_object.name)
        return None if content is None else StoredFile.in_memory(content)


class DiscardingPublisher(EventPublisher):
    def publish(self, event: DomainEvent, event_id: str) -> None:
        """The bus is not what is measured here."""


def generate(season: str, rows: int, clubs: int) -> dict[str, bytes]:
    """Club files of `rows // clubs` players each, in the original app's headerless format."""
    files = {}
    for club in range(clubs):
        lines = [
            f"Club {club},Player {club}-{n},Nation,{POSITIONS[n % 4]},30,{n % 20},3,900,20,30,9,"
            f"{n % 90}"
            for n in range(rows // clubs)
        ]
        files[f"seasons/{season}/Club_{club}.csv"] = "\r\n".join(lines).encode()
    return files


def ours(client: firestore.Client, files: dict[str, bytes], concurrent_files: int) -> float:
    """Each file is one invocation, as Eventarc delivers one event per object; `concurrent_files`
    of them run at once, as the function's instances (or its threads locally) would."""
    settings = Settings(log_level="WARNING")
    prepare_process(settings)  # as the function does: its collector tuning is part of the speed
    deps = bootstrap(
        settings,
        objects=MemoryObjects(files),
        store=FirestoreSeasonStore(client),
        publisher=DiscardingPublisher(),
    )
    objects = [season_object("bench", name, 1) for name in files]
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrent_files) as pool:
        reports = list(pool.map(lambda found: load_season_file(found, deps), objects))
    assert all(report.status == "loaded" for report in reports)
    return time.perf_counter() - started


def raw(client: firestore.Client, season: str, rows: int, parallel: int) -> float:
    """The same batching as ours (500 writes a batch), of prebuilt documents set by the library's
    `WriteBatch.set`, nothing else."""
    writes = _prebuilt(client, season, rows)

    def commit(chunk: Sequence[Write]) -> None:
        batch = client.batch()
        for write in chunk:
            batch.set(write.document, write.data)
        batch.commit()

    started = time.perf_counter()
    with ThreadPoolExecutor(parallel) as pool:
        list(pool.map(commit, chunks(writes)))
    return time.perf_counter() - started


def raw_plain(client: firestore.Client, season: str, rows: int) -> float:
    """The same prebuilt documents committed as our loader commits them (`commit_all`, its plain
    writes), without its reading, checking, claim and guard."""
    writes = _prebuilt(client, season, rows)
    started = time.perf_counter()
    commit_all(client, writes)
    return time.perf_counter() - started


def _prebuilt(client: firestore.Client, season: str, rows: int) -> list[Write]:
    players = client.collection(f"seasons/{season}/players")
    return [Write(players.document(f"p{n}"), _player(n)) for n in range(rows)]


def _player(n: int) -> dict[str, Any]:
    return {
        "name": f"Player {n}", "club": "Club", "nationality": "Nation",
        "position": POSITIONS[n % 4], "appearances": 30, "goals": n % 20, "assists": 3,
        "passes": 900, "interceptions": 20, "tackles": 30, "fouls": 9, "price": n % 90,
        "club_key": "club",
    }  # fmt: skip


@dataclass(frozen=True)
class IngestFigures:
    rows: int
    files: int
    ours_rows_per_second: float
    raw_one_rows_per_second: float
    raw_ceiling_rows_per_second: float
    raw_plain_rows_per_second: float

    @property
    def ratio(self) -> float:
        return self.ours_rows_per_second / self.raw_ceiling_rows_per_second

    @property
    def plain_ratio(self) -> float:
        return self.ours_rows_per_second / self.raw_plain_rows_per_second


def measure(
    client: firestore.Client,
    emulator: Address,
    rows: int,
    clubs: int,
    concurrent_files: int = 1,
    rounds: int = 3,
    say: Callable[[str], None] = typer.echo,
) -> IngestFigures:
    """Ours and the raw ceiling in rounds; empties the emulator's database as it goes."""
    project_id = client.project
    run = uuid.uuid4().hex[:6]
    raw(client, f"bench-warm-{run}", min(rows, 50_000), parallel=PARALLEL_COMMITS)
    clear_firestore(emulator, project_id)
    loaded = clubs * (rows // clubs)
    ours_rates, raw_rates, plain_rates = [], [], []
    # The emulator's speed drifts over minutes: each round measures both, one right after the
    # other, and the ratio of the medians is what counts.
    for number in range(rounds):
        files = generate(f"bench-ours-{run}-{number}", rows, clubs)
        ours_rates.append(loaded / ours(client, files, concurrent_files))
        clear_firestore(emulator, project_id)
        raw_rates.append(rows / raw(client, f"bench-raw-{run}-{number}", rows, PARALLEL_COMMITS))
        clear_firestore(emulator, project_id)
        plain_rates.append(rows / raw_plain(client, f"bench-plain-{run}-{number}", rows))
        clear_firestore(emulator, project_id)
        say(
            f"ingest round {number + 1}: ours {ours_rates[-1]:.0f}, raw {raw_rates[-1]:.0f}, "
            f"raw plain {plain_rates[-1]:.0f} rows/s"
        )
    raw_one = rows / raw(client, f"bench-raw1-{run}", rows, parallel=1)
    clear_firestore(emulator, project_id)
    return IngestFigures(
        rows=loaded,
        files=clubs,
        ours_rows_per_second=statistics.median(ours_rates),
        raw_one_rows_per_second=raw_one,
        raw_ceiling_rows_per_second=statistics.median(raw_rates),
        raw_plain_rows_per_second=statistics.median(plain_rates),
    )


def main(
    rows: int = typer.Option(100_000, help="Rows in the generated season."),
    clubs: int = typer.Option(20, help="Club files the rows are spread over."),
    concurrent_files: int = typer.Option(1, help="Files loaded at once (as parallel events)."),
    rounds: int = typer.Option(3, help="Rounds of ours-then-raw; the medians are compared."),
) -> None:
    """Print rows/s of our loader and of raw 500-document WriteBatches."""
    host = os.environ.get("FIRESTORE_EMULATOR_HOST")
    if not host:
        sys.exit("refusing to run: set FIRESTORE_EMULATOR_HOST to a Firestore emulator")
    client = firestore.Client(project=Settings().project_id)
    found = measure(client, Address.parse(host), rows, clubs, concurrent_files, rounds)
    typer.echo(
        f"ours:                          {found.ours_rows_per_second:9.0f} rows/s "
        f"({found.rows} rows in {clubs} files, {concurrent_files} at a time; median of {rounds})"
    )
    typer.echo(f"raw WriteBatch, 1 in flight:   {found.raw_one_rows_per_second:9.0f} rows/s")
    typer.echo(
        f"raw WriteBatch, {PARALLEL_COMMITS} in flight:   "
        f"{found.raw_ceiling_rows_per_second:9.0f} rows/s"
    )
    plain = found.raw_plain_rows_per_second
    typer.echo(f"raw plain writes, {PARALLEL_COMMITS} in flight: {plain:8.0f} rows/s")
    typer.echo(f"ours / raw ceiling:            {found.ratio:9.2f}  (target >= 0.80)")
    typer.echo(f"ours / raw plain writes:       {found.plain_ratio:9.2f}  (what our checks cost)")


if __name__ == "__main__":
    typer.run(main)
