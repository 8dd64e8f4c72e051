"""The benchmark's generated season is one our loader accepts, so the figures measure loads."""

from bench.ingest import generate
from ingest.model import ClubFile, StoredFile
from ingest.reading import read_sheet
from ingest.validation import check


def test_the_generated_club_files_are_valid_and_hold_the_rows_asked_for() -> None:
    files = generate("bench", rows=1_000, clubs=4)
    loaded = [check(read_sheet(StoredFile.in_memory(content))) for content in files.values()]
    assert all(isinstance(club_file, ClubFile) for club_file in loaded)
    assert sum(club_file.rows for club_file in loaded) == 1_000
