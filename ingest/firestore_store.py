"""The season store on Firestore: writes the documents that firestore_layout/ describes.

Two generations of one file may load at once (an upload replaced while its first version loads,
a redelivery). The newer one must win whatever the finishing order, so a load first claims its
file (`files/{file}.loading`, in a transaction that refuses a generation older than the file's
loaded or claimed one), and each of its batches commits in a transaction that checks the claim
still holds. Once a newer generation claims the file, the older load's next batch fails and it
stops; every write of the newer one comes after that claim, so none of the older survives it.
"""

from typing import Any

from google.api_core.exceptions import Conflict
from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter

from events.tracing import calling
from events.values import Player, TableRow
from firestore_layout import (
    CLUBS,
    DEFAULT_CAPITAL,
    FILES,
    INGEST_REPORTS,
    PLAYERS,
    club_key,
    file_key,
    player_document,
    player_key,
    season_path,
)
from ingest.batches import Guard, Write, commit_all
from ingest.model import (
    ClubFile,
    IngestReport,
    LoadedFile,
    SeasonFile,
    SeasonObject,
    Superseded,
    TableFile,
)
from ingest.ports import SeasonStore

# The field of a file's document naming the generation that holds the right to load it.
CLAIM = "loading"


class FirestoreSeasonStore(SeasonStore):
    def __init__(self, client: firestore.Client) -> None:
        self._client = client

    def report(self, report_id: str) -> IngestReport | None:
        snapshot = self._client.collection(INGEST_REPORTS).document(report_id).get()
        return IngestReport.model_validate(snapshot.to_dict()) if snapshot.exists else None

    def save_report(self, report: IngestReport) -> None:
        self._client.collection(INGEST_REPORTS).document(report.report_id).set(report.model_dump())

    def loaded_file(self, season: str, file: str) -> LoadedFile | None:
        data = self._file(season, file).get().to_dict() or {}
        if "generation" not in data:
            return None  # never loaded, or claimed by a load that has not finished
        return LoadedFile(generation=data["generation"], rows=data["rows"], club=data.get("club"))

    def load(self, season_object: SeasonObject, season_file: SeasonFile) -> None:
        self.claim(season_object)
        self.write(season_object, season_file)
        self.record(season_object, season_file)

    def claim(self, season_object: SeasonObject) -> None:
        """Takes the right to load the file, unless a newer generation loaded or claimed it."""
        file = self._file(season_object.season, season_object.file)

        @firestore.transactional
        def take(transaction: firestore.Transaction) -> None:
            data = file.get(transaction=transaction).to_dict() or {}
            newest = max(data.get("generation", 0), data.get(CLAIM, 0))
            if newest > season_object.generation:
                raise Superseded(newest)
            transaction.set(file, {CLAIM: season_object.generation}, merge=True)

        with calling("firestore", "claim file"):
            take(self._client.transaction())

    def write(self, season_object: SeasonObject, season_file: SeasonFile) -> None:
        """Writes the file's documents while its claim holds; raises Superseded once it does not."""
        season = self._client.document(season_path(season_object.season))
        if isinstance(season_file, ClubFile):
            writes = self._club_writes(season, season_file)
        else:
            writes = self._table_writes(season, season_file)
        writes.append(Write(season, {"season": season_object.season, **_stamp()}, merge=True))
        commit_all(self._client, writes, guard=self._still_claimed(season_object))

    def record(self, season_object: SeasonObject, season_file: SeasonFile) -> None:
        """Records the generation as the file's loaded one, if its claim still holds. Only once
        every write is in: a retry after a failure loads it all again."""
        file = self._file(season_object.season, season_object.file)
        loaded = {
            "name": season_object.name,
            "generation": season_object.generation,
            "rows": season_file.rows,
            "club": season_file.club if isinstance(season_file, ClubFile) else None,
            **_stamp(),
        }
        still_claimed = self._still_claimed(season_object)

        @firestore.transactional
        def finish(transaction: firestore.Transaction) -> None:
            still_claimed(transaction)
            transaction.set(file, loaded, merge=True)

        with calling("firestore", "record file"):
            finish(self._client.transaction())

    def _still_claimed(self, season_object: SeasonObject) -> Guard:
        file = self._file(season_object.season, season_object.file)

        def guard(transaction: firestore.Transaction) -> None:
            claimed = (file.get(transaction=transaction).to_dict() or {}).get(CLAIM, 0)
            if claimed != season_object.generation:
                raise Superseded(claimed)

        return guard

    def _club_writes(self, season: firestore.DocumentReference, file: ClubFile) -> list[Write]:
        """The club's players become exactly the file's: the missing ones are deleted."""
        players = season.collection(PLAYERS)
        club = club_key(file.club)
        wanted = {
            player_key(file.club, player.name): player_document(_in_club(player, file.club))
            for player in file.players
        }
        writes = [Write(players.document(id_), data) for id_, data in wanted.items()]
        try:
            # Created only if missing, so a league table loading at the same time keeps its rows.
            season.collection(CLUBS).document(club).create(_new_club(file.club))
            # Players are only ever added to existing clubs (here and by the workers), so a club
            # without a document has none to remove: the first load of a club needs no query.
            return writes
        except Conflict:
            pass
        held = players.where(filter=FieldFilter("club_key", "==", club)).select([]).stream()
        return writes + [Write(doc.reference) for doc in held if doc.id not in wanted]

    def _table_writes(self, season: firestore.DocumentReference, file: TableFile) -> list[Write]:
        """Merged, so a table without capitals leaves each club's capital as transfers left it."""
        clubs = season.collection(CLUBS)
        known = {doc.id for doc in clubs.select([]).stream()}
        writes = []
        for standing in file.standings:
            data = standing.model_dump(exclude={"capital"})
            if standing.capital is not None or club_key(standing.club) not in known:
                data["capital"] = DEFAULT_CAPITAL if standing.capital is None else standing.capital
            writes.append(Write(clubs.document(club_key(standing.club)), data, merge=True))
        return writes

    def _file(self, season: str, file: str) -> firestore.DocumentReference:
        return self._client.document(season_path(season)).collection(FILES).document(file_key(file))


def _in_club(player: Player, club: str) -> Player:
    """A row may spell its club otherwise (accents, case): the file's first spelling is kept.
    Copied only then: a copy for every row took a player's document from 1.7 to 3.6 us."""
    return player if player.club == club else player.model_copy(update={"club": club})


def _new_club(club: str) -> dict[str, Any]:
    """A club known from its players only: no games yet, and the default capital."""
    zero = dict.fromkeys(("played", "won", "drawn", "lost", "goals_for", "goals_against"), 0)
    row = TableRow(club=club, **zero, goal_difference=0, points=0, capital=DEFAULT_CAPITAL)
    return row.model_dump()


def _stamp() -> dict[str, Any]:
    return {"updated_at": firestore.SERVER_TIMESTAMP}
