"""`league upload` and `league ingest bundle`: season files to the bucket, the function to deploy.

An upload is a plain upload: the bucket's finalize event (Eventarc, or a notification on the
uploads topic; locally, the storage emulator's notification) brings each file to the function.
"""

import time
from pathlib import Path
from typing import Annotated

import google.cloud.storage as storage
import typer
from google.cloud import firestore

from events.settings import Settings
from firestore_layout import report_id
from ingest.bundle import bundle as assemble
from ingest.firestore_store import FirestoreSeasonStore
from ingest.model import IngestReport

ingest = typer.Typer(no_args_is_help=True, help="The season-ingestion Cloud Function.")
POLL_SECONDS = 0.5


def upload(
    paths: Annotated[list[Path], typer.Argument(help="CSV files, or folders of them.")],
    season: Annotated[str, typer.Option(help="Season id, e.g. 2018-19.")],
    bucket: Annotated[str | None, typer.Option(help="Defaults to LEAGUE_BUCKET.")] = None,
    wait: Annotated[
        bool, typer.Option(help="Print each file's outcome; fail if one is rejected.")
    ] = False,
    timeout: Annotated[float, typer.Option(help="Seconds --wait waits for each file.")] = 120.0,
) -> None:
    """Upload season files to seasons/<season>/ in the bucket."""
    settings = Settings()
    # This command's composition root: the clients it needs, built once.
    target = storage.Client(project=settings.project_id).bucket(bucket or settings.bucket)
    files = season_files(paths)
    blobs = [_upload_one(target, season, path) for path in files]
    if wait:
        store = FirestoreSeasonStore(firestore.Client(project=settings.project_id))
        outcomes = [_wait_for(store, blob, timeout) for blob in blobs]
        if any(outcome != "loaded" for outcome in outcomes):
            raise typer.Exit(1)


@ingest.command("bundle")
def bundle(
    destination: Annotated[Path, typer.Argument(help="Folder to (re)create.")] = Path(
        "build/ingest-function"
    ),
) -> None:
    """Assemble the function's deployable source folder (for gcloud functions deploy --source)."""
    files = assemble(destination)
    typer.echo(f"{destination}: {len(files)} files; deploy with --source={destination}")


def season_files(paths: list[Path]) -> list[Path]:
    """The CSV files named or found in the named folders, the league table first."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += [p for p in path.iterdir() if p.suffix.lower() == ".csv"]
        elif path.is_file() and path.suffix.lower() == ".csv":
            found.append(path)
        else:
            raise typer.BadParameter(f"{path} is neither a .csv file nor a folder")
    return sorted(found, key=lambda p: (p.stem.lower() != "teams", p.name))


def _upload_one(target: storage.Bucket, season: str, path: Path) -> storage.Blob:
    blob = target.blob(f"seasons/{season}/{path.name}")
    blob.upload_from_filename(str(path), content_type="text/csv")
    typer.echo(f"uploaded gs://{target.name}/{blob.name} (generation {blob.generation})")
    return blob


def _wait_for(store: FirestoreSeasonStore, blob: storage.Blob, timeout: float) -> str:
    wanted = report_id(blob.bucket.name, blob.name, blob.generation or 0)
    give_up = time.monotonic() + timeout
    while (report := store.report(wanted)) is None:
        if time.monotonic() > give_up:
            typer.echo(f"{blob.name}: no report after {timeout:g} s", err=True)
            return "timeout"
        time.sleep(POLL_SECONDS)
    typer.echo(describe(report))
    return report.status


def describe(report: IngestReport) -> str:
    if report.status == "loaded":
        return f"{report.object}: loaded {report.rows} rows"
    lines = [f"{report.object}: {report.status}: {report.reason}"]
    lines += [f"  line {error.line}: {error.reason}" for error in report.errors]
    if report.error_count > len(report.errors):
        lines.append(f"  ... and {report.error_count - len(report.errors)} more")
    return "\n".join(lines)
