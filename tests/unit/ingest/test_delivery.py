"""Both deliveries of an uploaded object (Eventarc's event, a storage notification on Pub/Sub)
read the same; anything else is not an upload."""

import pytest

from ingest.delivery import (
    FINALIZED,
    MESSAGE_PUBLISHED,
    NotAnUpload,
    UploadedObject,
    uploaded_object,
)

LIVERPOOL = UploadedObject("league-seasons", "seasons/2018-19/Liverpool.csv", 1795704719386979)


def notification(event_type: str = "OBJECT_FINALIZE", **attributes: str) -> dict:
    """A messagePublished event's data as functions-framework hands it over from a push."""
    return {
        "message": {
            "attributes": {
                "eventType": event_type,
                "bucketId": LIVERPOOL.bucket,
                "objectId": LIVERPOOL.name,
                "objectGeneration": str(LIVERPOOL.generation),
                "payloadFormat": "JSON_API_V1",
                **attributes,
            },
            "data": "e30=",
            "messageId": "7",
        },
        "subscription": "projects/league-local/subscriptions/league-uploads-push",
    }


def test_eventarcs_finalized_event_names_the_object_generation():
    resource = {
        "bucket": LIVERPOOL.bucket,
        "name": LIVERPOOL.name,
        "generation": "1795704719386979",
    }
    assert uploaded_object(FINALIZED, {**resource, "size": "12"}) == LIVERPOOL


def test_a_finalize_notification_on_pubsub_names_the_same_object_generation():
    assert uploaded_object(MESSAGE_PUBLISHED, notification()) == LIVERPOOL


@pytest.mark.parametrize(
    "event_type", ["OBJECT_DELETE", "OBJECT_METADATA_UPDATE", "OBJECT_ARCHIVE"]
)
def test_a_notification_of_another_storage_event_is_not_an_upload(event_type):
    with pytest.raises(NotAnUpload, match=f"Cloud Storage {event_type} notification"):
        uploaded_object(MESSAGE_PUBLISHED, notification(event_type))


def test_a_pubsub_message_that_is_no_storage_notification_is_not_an_upload():
    with pytest.raises(NotAnUpload, match="no storage notification"):
        uploaded_object(MESSAGE_PUBLISHED, {"message": {"attributes": {"colour": "red"}}})


def test_a_finalized_event_without_a_generation_is_not_an_upload():
    with pytest.raises(NotAnUpload, match="without bucket, name and generation"):
        uploaded_object(FINALIZED, {"bucket": LIVERPOOL.bucket, "name": LIVERPOOL.name})


def test_an_event_of_any_other_type_is_not_an_upload():
    with pytest.raises(NotAnUpload, match=r"of type org\.example\.other$"):
        uploaded_object("org.example.other", {})
