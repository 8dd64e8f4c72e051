"""The Cloud Function: loads a season file into Firestore when its object is finalized.

Deployed with `league ingest bundle` (see the README, "Deploying the function"), triggered by
the bucket through Eventarc or through a notification topic; locally started by `make run`.
"""

import logging

import functions_framework
from cloudevents.http import CloudEvent
from prometheus_client import CollectorRegistry

from events.logs import request_id
from events.settings import Settings
from events.tracing import consuming
from ingest import loader
from ingest.bootstrap import bootstrap, prepare_process
from ingest.delivery import NotAnUpload, uploaded_object
from ingest.metrics import IngestMetrics, serve_metrics
from ingest.model import season_object

log = logging.getLogger("ingest")
# Built on the first event and kept: an instance serves many events with the same clients.
_deps: loader.Ingest | None = None
# Built at import, so the function's /metrics serves every series before the first event.
_metrics = IngestMetrics(CollectorRegistry())
serve_metrics(_metrics.registry)


@functions_framework.cloud_event
def load_season_file(event: CloudEvent) -> None:
    """Returns normally for bad data (no retry would help) and raises on transient failures."""
    deps = _dependencies()  # first: it also sets up the JSON logs that say why an event is ignored
    # The child of the upload's trace when the trigger sent one (Eventarc does).
    received = consuming("receive storage event", event.get_attributes(), prefix="")
    with request_id(str(event["id"])), received:
        try:
            uploaded = uploaded_object(event["type"], event.data)
        except NotAnUpload as other:
            log.info("not an uploaded object: ignored", extra={"event": str(other)})
            return
        found = season_object(uploaded.bucket, uploaded.name, uploaded.generation)
        if found is None:
            log.info("not a season file: ignored", extra={"object": uploaded.name})
            return
        loader.load_season_file(found, deps)


def _dependencies() -> loader.Ingest:
    global _deps
    if _deps is None:
        settings = Settings()
        prepare_process(settings)
        _deps = bootstrap(settings, metrics=_metrics)
    return _deps
