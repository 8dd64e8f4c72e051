"""The Cloud Function: loads a season file into Firestore when its object is finalized.

Deployed with `league ingest bundle` (see the README, "Deploying the function"); locally
started with `functions-framework --source ingest/main.py --target load_season_file`.
"""

import logging
from typing import Any

import functions_framework
from cloudevents.http import CloudEvent

from events.logs import request_id
from events.settings import Settings
from ingest import loader
from ingest.bootstrap import bootstrap, prepare_process
from ingest.model import FINALIZED, season_object

log = logging.getLogger("ingest")
# Built on the first event and kept: an instance serves many events with the same clients.
_deps: loader.Ingest | None = None


@functions_framework.cloud_event
def load_season_file(event: CloudEvent) -> None:
    """Returns normally for bad data (no retry would help) and raises on transient failures."""
    with request_id(str(event["id"])):
        data: dict[str, Any] = event.data if isinstance(event.data, dict) else {}
        if event["type"] != FINALIZED or not {"bucket", "name", "generation"} <= data.keys():
            log.error("not an object-finalized event: ignored", extra={"type": event["type"]})
            return
        found = season_object(data["bucket"], data["name"], int(data["generation"]))
        if found is None:
            log.info("not a season file: ignored", extra={"object": data["name"]})
            return
        loader.load_season_file(found, _dependencies())


def _dependencies() -> loader.Ingest:
    global _deps
    if _deps is None:
        settings = Settings()
        prepare_process(settings)
        _deps = bootstrap(settings)
    return _deps
