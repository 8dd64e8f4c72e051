"""A club file names one club, accents and case aside: its players are stored under the spelling
of its first row, whatever the later rows' is."""

import pytest
from google.cloud import firestore

from ingest.firestore_store import FirestoreSeasonStore
from ingest.model import StoredFile, season_object
from ingest.reading import read_sheet
from ingest.validation import check
from services.workers.reader import FirestoreReader

pytestmark = pytest.mark.emulators

SEASON = "2018-19"
CONTENT = (
    "Atlético Madrid,Jan Oblak,Slovenia,Goalkeeper,37,0,0,900,1,1,0,90\n"
    "atletico madrid,Antoine Griezmann,France,Forward,37,15,9,1200,10,20,15,120\n"
    "ATLÉTICO MADRID,Koke,Spain,Midfielder,38,2,5,2000,40,50,30,60\n"
)


def test_every_player_of_a_club_file_is_stored_under_its_first_rows_spelling(
    firestore_client: firestore.Client,
) -> None:
    found = season_object("bucket", f"seasons/{SEASON}/Atletico.csv", 1)
    assert found is not None

    FirestoreSeasonStore(firestore_client).load(
        found, check(read_sheet(StoredFile.in_memory(CONTENT.encode())))
    )

    players = FirestoreReader(firestore_client).players(SEASON, club="Atlético Madrid")
    assert {player.name: player.club for player in players} == {
        "Jan Oblak": "Atlético Madrid",
        "Antoine Griezmann": "Atlético Madrid",
        "Koke": "Atlético Madrid",
    }
