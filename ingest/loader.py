"""The handler: loads one generation of a season file into Firestore, once, and announces it."""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from events.domain_events import SeasonFileLoaded
from events.tracing import tracer
from ingest.metrics import IngestMetrics
from ingest.model import (
    ClubFile,
    IngestReport,
    LoadedFile,
    Rejected,
    SeasonObject,
    Status,
    Superseded,
)
from ingest.ports import EventPublisher, ObjectSource, SeasonStore
from ingest.reading import read_sheet
from ingest.validation import check

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Ingest:
    """The loader's dependencies, built by `ingest.bootstrap.bootstrap()`."""

    objects: ObjectSource
    store: SeasonStore
    publisher: EventPublisher
    metrics: IngestMetrics


def load_season_file(season_object: SeasonObject, deps: Ingest) -> IngestReport:
    """Idempotent: a redelivered event gets the report of the first delivery and changes nothing."""
    with tracer.start_as_current_span("load season file") as span, deps.metrics.load_seconds.time():
        span.set_attributes(
            {
                "league.season": season_object.season,
                "league.file": season_object.file,
                "league.generation": season_object.generation,
            }
        )
        report = _load_once(season_object, deps)
        span.set_attribute("league.ingest.status", report.status)
        return report


def _load_once(season_object: SeasonObject, deps: Ingest) -> IngestReport:
    earlier = deps.store.report(season_object.report_id)
    if earlier is not None:
        log.info("already handled", extra={"object": season_object.name, "status": earlier.status})
        return earlier
    loaded = deps.store.loaded_file(season_object.season, season_object.file)
    if loaded is not None and loaded.generation > season_object.generation:
        reason = f"generation {loaded.generation} of this file is newer and already loaded"
        return _record(deps, _report(season_object, "ignored", reason=reason))
    if loaded is None or loaded.generation < season_object.generation:
        outcome = _load(season_object, deps)
        if isinstance(outcome, IngestReport):
            return _record(deps, outcome)
        loaded = outcome
    # Reached also when the data went in but the event or the report did not: finish the job.
    announced = SeasonFileLoaded(
        season=season_object.season,
        file=season_object.file,
        club=loaded.club,
        rows=loaded.rows,
        generation=season_object.generation,
    )
    deps.publisher.publish(announced, event_id=f"season-file-loaded--{season_object.report_id}")
    return _record(deps, _report(season_object, "loaded", rows=loaded.rows, club=loaded.club))


def _load(season_object: SeasonObject, deps: Ingest) -> LoadedFile | IngestReport:
    stored = deps.objects.open(season_object)
    if stored is None:
        return _report(season_object, "ignored", reason="this generation no longer exists")
    try:
        season_file = check(read_sheet(stored))
    except Rejected as rejection:
        return _report(
            season_object,
            "rejected",
            reason=f"{rejection.count} bad line(s): nothing of the file was written",
            errors=rejection.errors,
            error_count=rejection.count,
        )
    try:
        deps.store.load(season_object, season_file)
    except Superseded as newer:
        # Its writes so far are harmless: the newer generation's all come after its claim.
        return _report(season_object, "ignored", reason=str(newer))
    club = season_file.club if isinstance(season_file, ClubFile) else None
    return LoadedFile(generation=season_object.generation, rows=season_file.rows, club=club)


def _report(season_object: SeasonObject, status: Status, **details: Any) -> IngestReport:
    return IngestReport(
        bucket=season_object.bucket,
        object=season_object.name,
        generation=season_object.generation,
        season=season_object.season,
        file=season_object.file,
        status=status,
        at=datetime.now(UTC),
        **details,
    )


def _record(deps: Ingest, report: IngestReport) -> IngestReport:
    deps.store.save_report(report)
    deps.metrics.files.labels(report.status).inc()
    deps.metrics.rows.inc(report.rows or 0)
    level = logging.WARNING if report.status == "rejected" else logging.INFO
    log.log(level, "season file %s", report.status, extra=report.model_dump(mode="json"))
    return report
