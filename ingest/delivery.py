"""The two ways an uploaded object reaches the function, read into one `UploadedObject`.

- Eventarc's `google.cloud.storage.object.v1.finalized` (a function deployed with
  `--trigger-bucket`): the data is the object's resource (bucket, name, generation, ...).
- Pub/Sub's `google.cloud.pubsub.topic.v1.messagePublished` carrying a Cloud Storage notification
  (a bucket notification topic and a function with a Pub/Sub trigger; locally, the storage
  emulator's notification pushed to the function): the message attributes name the event and
  the object, whatever the notification's payload format.
Anything else is not an upload, and the function ignores it.
"""

from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

FINALIZED = "google.cloud.storage.object.v1.finalized"
MESSAGE_PUBLISHED = "google.cloud.pubsub.topic.v1.messagePublished"
OBJECT_FINALIZE = "OBJECT_FINALIZE"

Model = TypeVar("Model", bound=BaseModel)


@dataclass(frozen=True)
class UploadedObject:
    """One generation of one object, just finalized."""

    bucket: str
    name: str
    generation: int


class NotAnUpload(Exception):
    """An event that announces no finalized object; its message says what it was instead."""


class _ObjectResource(BaseModel):
    """The fields of Eventarc's StorageObjectData the function needs (it has many more)."""

    bucket: str
    name: str
    generation: int


class _NotificationAttributes(BaseModel):
    """The attributes of a Cloud Storage notification (JSON_API_V1 or NONE payload)."""

    model_config = ConfigDict(populate_by_name=True)

    event_type: str = Field(alias="eventType")
    bucket: str = Field(alias="bucketId")
    name: str = Field(alias="objectId")
    generation: int = Field(alias="objectGeneration")


def uploaded_object(event_type: str, data: Any) -> UploadedObject:
    """The object a delivery announces; raises NotAnUpload for any other event."""
    if event_type == FINALIZED:
        resource = _parse(
            _ObjectResource, data, "a finalized event without bucket, name and generation"
        )
        return UploadedObject(resource.bucket, resource.name, resource.generation)
    if event_type == MESSAGE_PUBLISHED:
        message = data.get("message") if isinstance(data, dict) else None
        attributes = message.get("attributes") if isinstance(message, dict) else None
        notification = _parse(
            _NotificationAttributes, attributes, "a Pub/Sub message that is no storage notification"
        )
        if notification.event_type != OBJECT_FINALIZE:
            raise NotAnUpload(f"a Cloud Storage {notification.event_type} notification")
        return UploadedObject(notification.bucket, notification.name, notification.generation)
    raise NotAnUpload(f"an event of type {event_type}")


def _parse(model: type[Model], data: Any, otherwise: str) -> Model:
    try:
        return model.model_validate(data)
    except ValidationError:
        raise NotAnUpload(otherwise) from None
