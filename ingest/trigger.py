"""The local stand-in for Eventarc: the finalize CloudEvent of an uploaded object, over HTTP.

The storage emulator emits no events, so `league upload` (and the tests) deliver to the function
the same event, built from the object's real metadata, that Eventarc delivers in production.
"""

import time
from typing import Any

import google.cloud.storage as storage
import httpx
from cloudevents.conversion import to_binary
from cloudevents.http import CloudEvent

from ingest.model import FINALIZED

DELIVERY_ATTEMPTS = 3


def finalized_event(blob: storage.Blob) -> CloudEvent:
    """The event for `blob` as fetched or uploaded (its generation, size, times are set then)."""
    data = object_resource(blob)
    attributes = {
        "id": f"{data['bucket']}/{data['name']}/{data['generation']}",
        "type": FINALIZED,
        "source": f"//storage.googleapis.com/projects/_/buckets/{data['bucket']}",
        "subject": f"objects/{data['name']}",
        "specversion": "1.0",
        "time": data["updated"] or data["timeCreated"],
        "datacontenttype": "application/json",
    }
    return CloudEvent(attributes, data)


def object_resource(blob: storage.Blob) -> dict[str, Any]:
    """The StorageObjectData fields Eventarc sends, from the blob's public properties."""
    assert blob.bucket is not None and blob.generation is not None, "upload or reload it first"
    return {
        "kind": "storage#object",
        "id": blob.id,
        "bucket": blob.bucket.name,
        "name": blob.name,
        "generation": str(blob.generation),
        "metageneration": str(blob.metageneration),
        "contentType": blob.content_type,
        "size": str(blob.size),
        "md5Hash": blob.md5_hash,
        "crc32c": blob.crc32c,
        "etag": blob.etag,
        "storageClass": blob.storage_class,
        "timeCreated": _rfc3339(blob.time_created),
        "updated": _rfc3339(blob.updated),
    }


def deliver(http: httpx.Client, url: str, event: CloudEvent) -> None:
    """Posts in binary mode, retrying a failed delivery a little as Eventarc would."""
    headers, body = to_binary(event)
    for attempt in range(1, DELIVERY_ATTEMPTS + 1):
        try:
            http.post(url, headers=headers, content=body).raise_for_status()
            return
        except httpx.HTTPError:
            if attempt == DELIVERY_ATTEMPTS:
                raise
            time.sleep(attempt)


def _rfc3339(moment: Any) -> str | None:
    return None if moment is None else moment.isoformat().replace("+00:00", "Z")
