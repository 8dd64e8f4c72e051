"""Two generations of one file loading at once, on the Firestore emulator: the newer one's data
is what stays and what the workers then serve, whichever load finishes last."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from google.cloud import firestore

from events.messages import DomainEvent
from events.settings import Settings
from ingest.bootstrap import bootstrap
from ingest.firestore_store import FirestoreSeasonStore
from ingest.loader import load_season_file
from ingest.model import IngestReport, SeasonObject, StoredFile, Superseded, season_object
from ingest.ports import EventPublisher, ObjectSource
from ingest.reading import read_sheet
from ingest.validation import check
from services.workers.reader import FirestoreReader

pytestmark = pytest.mark.emulators

SEASON = "2018-19"
NAME = f"seasons/{SEASON}/Liverpool.csv"
OLDER, NEWER = 1, 2
CONTENTS = {
    OLDER: "Liverpool,Mohamed Salah,Egypt,Forward,38,22,8,1079,5,21,25,135\n"
    "Liverpool,Sadio Mane,Senegal,Forward,36,22,1,1184,15,34,34,76\n",
    NEWER: "Liverpool,Mohamed Salah,Egypt,Forward,38,22,8,1079,5,21,25,140\n"
    "Liverpool,Joël Matip,Cameroon,Defender,22,1,0,1341,31,39,11,18\n",
}


class GatedObjects(ObjectSource):
    """Each generation's content; the read of a gated generation waits until its gate opens."""

    def __init__(self) -> None:
        self.gates: dict[int, threading.Event] = {}

    def open(self, season_object: SeasonObject) -> StoredFile | None:
        gate = self.gates.get(season_object.generation)
        if gate is not None:
            assert gate.wait(timeout=30), "the gate was never opened"
        return stored(season_object.generation)


class DiscardingPublisher(EventPublisher):
    def publish(self, event: DomainEvent, event_id: str) -> None:
        """The bus plays no part in who wins."""


def stored(number: int) -> StoredFile:
    return StoredFile.in_memory(CONTENTS[number].encode())


def generation(number: int) -> SeasonObject:
    found = season_object("bucket", NAME, number)
    assert found is not None
    return found


def squad(client: firestore.Client) -> dict[str, int]:
    """The club's players and prices as the workers read them to answer the API."""
    players = FirestoreReader(client).players(SEASON, club="Liverpool")
    return {player.name: player.price for player in players}


def load_finishing_in_order(
    client: firestore.Client, first: int, last: int
) -> tuple[IngestReport, IngestReport]:
    """Starts the load of `last` first but holds it until the load of `first` has finished."""
    objects = GatedObjects()
    objects.gates[last] = threading.Event()
    deps = bootstrap(
        Settings(),
        objects=objects,
        store=FirestoreSeasonStore(client),
        publisher=DiscardingPublisher(),
    )
    with ThreadPoolExecutor(2) as pool:
        held = pool.submit(load_season_file, generation(last), deps)
        finished_first = pool.submit(load_season_file, generation(first), deps).result()
        objects.gates[last].set()
        return finished_first, held.result()


def test_the_newer_generation_stays_when_the_older_load_finishes_last(firestore_client):
    newer, older = load_finishing_in_order(firestore_client, first=NEWER, last=OLDER)

    assert (newer.status, older.status) == ("loaded", "ignored")
    assert squad(firestore_client) == {"Mohamed Salah": 140, "Joël Matip": 18}


def test_the_newer_generation_stays_when_the_newer_load_finishes_last(firestore_client):
    older, newer = load_finishing_in_order(firestore_client, first=OLDER, last=NEWER)

    assert (older.status, newer.status) == ("loaded", "loaded")
    assert squad(firestore_client) == {"Mohamed Salah": 140, "Joël Matip": 18}


def test_a_load_overtaken_by_a_newer_claim_writes_nothing_more(firestore_client):
    store = FirestoreSeasonStore(firestore_client)
    older_file, newer_file = (check(read_sheet(stored(n))) for n in (OLDER, NEWER))
    store.claim(generation(OLDER))
    store.claim(generation(NEWER))

    with pytest.raises(Superseded):
        store.write(generation(OLDER), older_file)
    with pytest.raises(Superseded):
        store.record(generation(OLDER), older_file)

    assert squad(firestore_client) == {}
    store.write(generation(NEWER), newer_file)
    store.record(generation(NEWER), newer_file)
    loaded = store.loaded_file(SEASON, "Liverpool.csv")
    assert loaded is not None and loaded.generation == NEWER


def test_an_older_generation_cannot_claim_a_file_that_a_newer_one_holds(firestore_client):
    store = FirestoreSeasonStore(firestore_client)
    store.claim(generation(NEWER))

    with pytest.raises(Superseded, match="generation 2 of this file is newer"):
        store.claim(generation(OLDER))
