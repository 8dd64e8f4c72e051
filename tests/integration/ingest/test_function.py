"""The ingest function on the emulators: uploaded files become documents, once and whole.

Files reach it as on the local stack: the storage emulator's notification on the uploads topic,
pushed to the function as a messagePublished CloudEvent. Tests that need another delivery, or a
delivery at a moment of their own, make it by hand, as Eventarc would.
"""

import base64
import json
import re
import secrets
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from cloudevents.conversion import to_binary
from cloudevents.http import CloudEvent

from events.domain_events import SeasonFileLoaded
from firestore_layout import DEFAULT_CAPITAL, INGEST_REPORTS
from ingest.delivery import MESSAGE_PUBLISHED
from services.devstack.stack import league_command
from tests.integration.ingest.conftest import (
    Uploads,
    deliver_as_eventarc,
    put,
    report_of,
    season_documents,
    stop_notifications,
)
from tests.support.bus import pull_all
from tests.support.promtool import metrics_problems, wait_for_metrics

pytestmark = pytest.mark.emulators
# The console exporter's batches leave every 5 s.
SPANS_TIMEOUT_SECONDS = 30.0

TABLE = (
    "\ufeffClub;Played;Won;Drawn;Lost;GF;GA;GD;Points;Capital\r\n"
    "Liverpool;38;30;7;1;89;22;67;97;450\r\n"
    "Chelsea;38;21;9;8;63;39;24;72;\r\n"
)
LIVERPOOL = (
    "Liverpool,Mohamed Salah,Egypt,Forward,38,22,8,1079,5,21,25,135\r\n"
    "Liverpool,Joël Matip,Cameroon,Defender,22,1,0,1341,31,39,11,18\r\n"
)
WITHOUT_MATIP = LIVERPOOL.splitlines(keepends=True)[0]
BAD = LIVERPOOL + "Liverpool,Sadio Mane,Senegal,Winger,36,22,1,1184,15,34,34,-76\r\n"


def test_uploaded_files_become_clubs_and_players_and_are_announced(
    uploads, season, firestore_client, subscriber, events_subscription
):
    table = put(uploads.bucket, f"seasons/{season}/Teams.csv", TABLE)
    club = put(uploads.bucket, f"seasons/{season}/Liverpool.csv", LIVERPOOL)

    assert report_of(firestore_client, table)["status"] == "loaded"
    assert report_of(firestore_client, club)["rows"] == 2
    documents = season_documents(firestore_client, season)
    clubs = f"seasons/{season}/clubs"
    assert documents[f"{clubs}/liverpool"]["capital"] == 450
    assert documents[f"{clubs}/chelsea"]["capital"] == DEFAULT_CAPITAL
    assert documents[f"{clubs}/chelsea"]["goal_difference"] == 24
    matip = documents[f"seasons/{season}/players/liverpool--joel-matip"]
    assert matip["name"] == "Joël Matip"
    assert (matip["club_key"], matip["position"], matip["price"]) == ("liverpool", "Defender", 18)
    messages = pull_all(subscriber, events_subscription, expected=2)
    announced = sorted((json.loads(m.data) for m in messages), key=lambda data: data["file"])
    assert SeasonFileLoaded.model_validate(announced[0]) == SeasonFileLoaded(
        season=season, file="Liverpool.csv", club="Liverpool", rows=2, generation=club.generation
    )


def test_the_function_serves_its_metrics_which_count_what_it_loaded(
    uploads, season, firestore_client
):
    blob = put(uploads.bucket, f"seasons/{season}/Liverpool.csv", LIVERPOOL)
    assert report_of(firestore_client, blob)["status"] == "loaded"

    # The function counts a file right after it saves the report that the test waited for.
    loaded = 'league_ingest_files_total{status="loaded"} 1.0'
    metrics = wait_for_metrics(f"{uploads.function_url}/metrics", loaded)

    assert metrics.status_code == 200
    assert "league_ingest_rows_total 2.0" in metrics.text
    assert metrics_problems(metrics.text) == ""


def test_eventarcs_finalized_event_loads_a_file_as_a_notification_does(
    uploads, topology, subscriber, season, firestore_client
):
    stop_notifications(topology, subscriber)
    blob = put(uploads.bucket, f"seasons/{season}/Liverpool.csv", LIVERPOOL)

    assert deliver_as_eventarc(uploads.function_url, blob).status_code == 200

    assert report_of(firestore_client, blob)["status"] == "loaded"
    players = [p for p in season_documents(firestore_client, season) if "/players/" in p]
    assert len(players) == 2


def exported_spans(log: Path, wanted: set[str]) -> dict[str, dict]:
    """The spans named in `wanted` that the function printed to its log (the console exporter
    writes each as an indented JSON object), once it has printed them all."""
    decoder = json.JSONDecoder()
    give_up = time.monotonic() + SPANS_TIMEOUT_SECONDS
    while True:
        text = log.read_text(errors="replace")
        starts = (match.start() for match in re.finditer(r'^\{\n\s+"name"', text, re.MULTILINE))
        spans = {span["name"]: span for span in (decoder.raw_decode(text, at)[0] for at in starts)}
        if wanted <= set(spans) or time.monotonic() > give_up:
            assert wanted <= set(spans), f"{sorted(spans)} in {log}"
            return spans
        time.sleep(0.2)


def test_the_function_exports_a_span_per_load_in_the_trace_eventarc_sent_as_its_setting_says(
    console_traced_uploads: Uploads, topology, subscriber, season, firestore_client, tmp_path
):
    stop_notifications(topology, subscriber)
    blob = put(console_traced_uploads.bucket, f"seasons/{season}/Liverpool.csv", LIVERPOOL)
    trace_id, eventarc_span = secrets.token_hex(16), secrets.token_hex(8)
    traced = {"traceparent": f"00-{trace_id}-{eventarc_span}-01"}

    answer = deliver_as_eventarc(console_traced_uploads.function_url, blob, traced)
    assert answer.status_code == 200, answer.text

    spans = exported_spans(tmp_path / "function.log", {"receive storage event", "load season file"})
    received, load = spans["receive storage event"], spans["load season file"]
    assert received["context"]["trace_id"] == f"0x{trace_id}"
    assert received["parent_id"] == f"0x{eventarc_span}"
    assert load["parent_id"] == received["context"]["span_id"]
    assert load["attributes"]["league.ingest.status"] == "loaded"


def test_a_bad_file_gets_a_report_and_writes_no_document(uploads, season, firestore_client):
    blob = put(uploads.bucket, f"seasons/{season}/Liverpool.csv", BAD)

    rejected = report_of(firestore_client, blob)
    assert rejected["status"] == "rejected"
    assert [error["line"] for error in rejected["errors"]] == [3]
    assert "position" in rejected["errors"][0]["reason"]
    assert "price" in rejected["errors"][0]["reason"]
    assert season_documents(firestore_client, season) == {}


def test_the_same_event_twice_changes_nothing(
    uploads, season, firestore_client, subscriber, events_subscription
):
    blob = put(uploads.bucket, f"seasons/{season}/Liverpool.csv", LIVERPOOL)
    first_report = report_of(firestore_client, blob)
    first = season_documents(firestore_client, season)

    assert deliver_as_eventarc(uploads.function_url, blob).status_code == 200

    assert season_documents(firestore_client, season) == first
    assert report_of(firestore_client, blob) == first_report
    assert len(pull_all(subscriber, events_subscription, expected=2, timeout=3)) == 1


def test_an_older_generation_arriving_after_a_newer_one_is_ignored(
    uploads, topology, subscriber, season, firestore_client
):
    stop_notifications(topology, subscriber)
    older = put(uploads.bucket, f"seasons/{season}/Liverpool.csv", LIVERPOOL)
    newer = put(uploads.bucket, f"seasons/{season}/Liverpool.csv", WITHOUT_MATIP)
    deliver_as_eventarc(uploads.function_url, newer)
    deliver_as_eventarc(uploads.function_url, older)

    assert report_of(firestore_client, older)["status"] == "ignored"
    players = [p for p in season_documents(firestore_client, season) if "/players/" in p]
    assert players == [f"seasons/{season}/players/liverpool--mohamed-salah"]


def test_a_club_file_uploaded_again_without_a_player_removes_him(uploads, season, firestore_client):
    first = put(uploads.bucket, f"seasons/{season}/Liverpool.csv", LIVERPOOL)
    assert report_of(firestore_client, first)["status"] == "loaded"
    again = put(uploads.bucket, f"seasons/{season}/Liverpool.csv", WITHOUT_MATIP)
    assert report_of(firestore_client, again)["status"] == "loaded"

    documents = season_documents(firestore_client, season)
    assert f"seasons/{season}/players/liverpool--mohamed-salah" in documents
    assert f"seasons/{season}/players/liverpool--joel-matip" not in documents


def test_an_object_outside_the_seasons_folder_is_ignored_without_error(uploads, firestore_client):
    blob = put(uploads.bucket, "notes/readme.csv", LIVERPOOL)

    assert deliver_as_eventarc(uploads.function_url, blob).status_code == 200

    assert list(firestore_client.collection(INGEST_REPORTS).stream()) == []


def test_an_event_that_is_not_an_object_event_is_answered_without_retry(uploads):
    headers = {"ce-id": "1", "ce-source": "//test", "ce-type": "other", "ce-specversion": "1.0"}
    response = httpx.post(uploads.function_url, headers=headers, content=b"{}")
    assert response.status_code == 200


def test_a_storage_notification_of_a_deletion_is_ignored_without_retry(uploads, firestore_client):
    attributes = {
        "eventType": "OBJECT_DELETE",
        "bucketId": uploads.bucket.name,
        "objectId": "seasons/2018-19/Liverpool.csv",
        "objectGeneration": "1",
        "payloadFormat": "JSON_API_V1",
    }
    message = {"attributes": attributes, "data": base64.b64encode(b"{}").decode()}
    event = CloudEvent(
        {"type": MESSAGE_PUBLISHED, "source": "//pubsub.googleapis.com/projects/p/topics/t"},
        {"message": message, "subscription": "projects/p/subscriptions/s"},
    )
    headers, body = to_binary(event)

    response = httpx.post(uploads.function_url, headers=headers, content=body)

    assert response.status_code == 200
    assert list(firestore_client.collection(INGEST_REPORTS).stream()) == []


def test_league_upload_loads_the_demo_season_and_waits_for_each_file(
    uploads, season, repo_root, firestore_client, tmp_path
):
    command = league_command("upload", "--season", season, "--wait")
    demo = repo_root / "data" / "seasons" / "2018-19"
    loaded = subprocess.run(
        [*command, str(demo)], env=uploads.environment, capture_output=True, text=True
    )
    assert loaded.returncode == 0, loaded.stderr
    assert f"seasons/{season}/Liverpool.csv: loaded 12 rows" in loaded.stdout
    clubs = firestore_client.collection(f"seasons/{season}/clubs").get()
    assert len(clubs) == 20

    bad = tmp_path / "Liverpool.csv"
    bad.write_text(BAD)
    refused = subprocess.run(
        [*command, str(bad)], env=uploads.environment, capture_output=True, text=True
    )
    assert refused.returncode == 1
    assert "line 3:" in refused.stdout
