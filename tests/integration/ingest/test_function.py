"""The ingest function on the emulators: uploaded files become documents, once and whole."""

import json
import os
import subprocess

import google.cloud.storage as storage
import httpx
import pytest
from google.cloud import firestore

from events.domain_events import SeasonFileLoaded
from firestore_layout import DEFAULT_CAPITAL, INGEST_REPORTS, report_id
from services.devstack.stack import league_command
from tests.conftest import BUCKET
from tests.integration.ingest.conftest import put, trigger
from tests.support.bus import pull_all

pytestmark = pytest.mark.emulators

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


def season_documents(client: firestore.Client, season: str) -> dict[str, dict]:
    root = client.document(f"seasons/{season}")
    snapshot = root.get()
    found = {root.path: snapshot.to_dict() or {}} if snapshot.exists else {}
    for collection in root.collections():
        found.update({doc.reference.path: doc.to_dict() or {} for doc in collection.stream()})
    return found


def report(client: firestore.Client, blob: storage.Blob) -> dict:
    document_id = report_id(blob.bucket.name, blob.name, blob.generation or 0)
    return client.collection(INGEST_REPORTS).document(document_id).get().to_dict() or {}


def test_uploaded_files_become_clubs_and_players_and_are_announced(
    function_url, bucket, season, firestore_client, subscriber, events_subscription
):
    table = put(bucket, f"seasons/{season}/Teams.csv", TABLE)
    club = put(bucket, f"seasons/{season}/Liverpool.csv", LIVERPOOL)
    trigger(function_url, table)
    trigger(function_url, club)

    documents = season_documents(firestore_client, season)
    clubs = f"seasons/{season}/clubs"
    assert documents[f"{clubs}/liverpool"]["capital"] == 450
    assert documents[f"{clubs}/chelsea"]["capital"] == DEFAULT_CAPITAL
    assert documents[f"{clubs}/chelsea"]["goal_difference"] == 24
    matip = documents[f"seasons/{season}/players/liverpool--joel-matip"]
    assert matip["name"] == "Joël Matip"
    assert (matip["club_key"], matip["position"], matip["price"]) == ("liverpool", "Defender", 18)
    assert report(firestore_client, club)["rows"] == 2
    messages = pull_all(subscriber, events_subscription, expected=2)
    announced = sorted((json.loads(m.data) for m in messages), key=lambda data: data["file"])
    assert SeasonFileLoaded.model_validate(announced[0]) == SeasonFileLoaded(
        season=season, file="Liverpool.csv", club="Liverpool", rows=2, generation=club.generation
    )


def test_a_bad_file_gets_a_report_and_writes_no_document(
    function_url, bucket, season, firestore_client
):
    blob = put(bucket, f"seasons/{season}/Liverpool.csv", BAD)
    trigger(function_url, blob)

    rejected = report(firestore_client, blob)
    assert rejected["status"] == "rejected"
    assert [error["line"] for error in rejected["errors"]] == [3]
    assert "position" in rejected["errors"][0]["reason"]
    assert "price" in rejected["errors"][0]["reason"]
    assert season_documents(firestore_client, season) == {}


def test_the_same_event_twice_changes_nothing(
    function_url, bucket, season, firestore_client, subscriber, events_subscription
):
    blob = put(bucket, f"seasons/{season}/Liverpool.csv", LIVERPOOL)
    trigger(function_url, blob)
    first = season_documents(firestore_client, season)
    first_report = report(firestore_client, blob)

    trigger(function_url, blob)

    assert season_documents(firestore_client, season) == first
    assert report(firestore_client, blob) == first_report
    assert len(pull_all(subscriber, events_subscription, expected=2, timeout=3)) == 1


def test_an_older_generation_arriving_after_a_newer_one_is_ignored(
    function_url, bucket, season, firestore_client
):
    older = put(bucket, f"seasons/{season}/Liverpool.csv", LIVERPOOL)
    newer = put(bucket, f"seasons/{season}/Liverpool.csv", WITHOUT_MATIP)
    trigger(function_url, newer)
    trigger(function_url, older)

    assert report(firestore_client, older)["status"] == "ignored"
    players = [p for p in season_documents(firestore_client, season) if "/players/" in p]
    assert players == [f"seasons/{season}/players/liverpool--mohamed-salah"]


def test_a_club_file_uploaded_again_without_a_player_removes_him(
    function_url, bucket, season, firestore_client
):
    trigger(function_url, put(bucket, f"seasons/{season}/Liverpool.csv", LIVERPOOL))
    trigger(function_url, put(bucket, f"seasons/{season}/Liverpool.csv", WITHOUT_MATIP))

    documents = season_documents(firestore_client, season)
    assert f"seasons/{season}/players/liverpool--mohamed-salah" in documents
    assert f"seasons/{season}/players/liverpool--joel-matip" not in documents


def test_an_object_outside_the_seasons_folder_is_ignored_without_error(
    function_url, bucket, firestore_client
):
    trigger(function_url, put(bucket, "notes/readme.csv", LIVERPOOL))
    assert list(firestore_client.collection(INGEST_REPORTS).stream()) == []


def test_an_event_that_is_not_an_object_event_is_answered_without_retry(function_url):
    headers = {"ce-id": "1", "ce-source": "//test", "ce-type": "other", "ce-specversion": "1.0"}
    response = httpx.post(function_url, headers=headers, content=b"{}")
    assert response.status_code == 200


def test_league_upload_loads_the_demo_season_and_waits_for_each_file(
    function_url, emulators, season, repo_root, firestore_client, tmp_path
):
    environment = {
        **os.environ,
        **emulators.environment(),
        "LEAGUE_FUNCTION_URL": function_url,
        "LEAGUE_BUCKET": BUCKET,
    }
    command = league_command("upload", "--season", season, "--wait")
    demo = repo_root / "data" / "seasons" / "2018-19"
    loaded = subprocess.run([*command, str(demo)], env=environment, capture_output=True, text=True)
    assert loaded.returncode == 0, loaded.stderr
    assert f"seasons/{season}/Liverpool.csv: loaded 12 rows" in loaded.stdout
    clubs = firestore_client.collection(f"seasons/{season}/clubs").get()
    assert len(clubs) == 20

    bad = tmp_path / "Liverpool.csv"
    bad.write_text(BAD)
    refused = subprocess.run([*command, str(bad)], env=environment, capture_output=True, text=True)
    assert refused.returncode == 1
    assert "line 3:" in refused.stdout
