"""The season store on Firestore: writes the documents that firestore_layout/ describes."""

from typing import Any

from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter

from events.values import TableRow
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
from ingest.batches import Write, commit_all
from ingest.model import ClubFile, IngestReport, LoadedFile, SeasonFile, SeasonObject, TableFile
from ingest.ports import SeasonStore


class FirestoreSeasonStore(SeasonStore):
    def __init__(self, client: firestore.Client) -> None:
        self._client = client

    def report(self, report_id: str) -> IngestReport | None:
        snapshot = self._client.collection(INGEST_REPORTS).document(report_id).get()
        return IngestReport.model_validate(snapshot.to_dict()) if snapshot.exists else None

    def save_report(self, report: IngestReport) -> None:
        self._client.collection(INGEST_REPORTS).document(report.report_id).set(report.model_dump())

    def loaded_file(self, season: str, file: str) -> LoadedFile | None:
        snapshot = self._file(season, file).get()
        if not snapshot.exists:
            return None
        data = snapshot.to_dict() or {}
        return LoadedFile(generation=data["generation"], rows=data["rows"], club=data.get("club"))

    def load(self, season_object: SeasonObject, season_file: SeasonFile) -> None:
        season = self._client.document(season_path(season_object.season))
        if isinstance(season_file, ClubFile):
            writes = self._club_writes(season, season_file)
        else:
            writes = self._table_writes(season, season_file)
        writes.append(Write(season, {"season": season_object.season, **_stamp()}, merge=True))
        commit_all(self._client, writes)
        # Recorded only once every write above is in: a retry after a failure loads it all again.
        self._file(season_object.season, season_object.file).set(
            {
                "name": season_object.name,
                "generation": season_object.generation,
                "rows": season_file.rows,
                "club": season_file.club if isinstance(season_file, ClubFile) else None,
                **_stamp(),
            }
        )

    def _club_writes(self, season: firestore.DocumentReference, file: ClubFile) -> list[Write]:
        """The club's players become exactly the file's: the missing ones are deleted."""
        players = season.collection(PLAYERS)
        club = club_key(file.club)
        wanted = {
            player_key(file.club, player.name): player_document(
                player.model_copy(update={"club": file.club})
            )
            for player in file.players
        }
        writes = [Write(players.document(id_), data) for id_, data in wanted.items()]
        club_document = season.collection(CLUBS).document(club)
        if not club_document.get().exists:
            # Players are only ever added to existing clubs (here and by the workers), so a club
            # without a document has none to remove: the first load of a club needs no query.
            return [*writes, Write(club_document, _new_club(file.club))]
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


def _new_club(club: str) -> dict[str, Any]:
    """A club known from its players only: no games yet, and the default capital."""
    zero = dict.fromkeys(("played", "won", "drawn", "lost", "goals_for", "goals_against"), 0)
    row = TableRow(club=club, **zero, goal_difference=0, points=0, capital=DEFAULT_CAPITAL)
    return row.model_dump()


def _stamp() -> dict[str, Any]:
    return {"updated_at": firestore.SERVER_TIMESTAMP}
