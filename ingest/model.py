"""What ingestion works with: the uploaded object, a checked season file, and the report of it."""

import io
import re
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO, Literal

from pydantic import BaseModel

import firestore_layout as layout
from events.values import Count, Player, SeasonId, TableRow

# `seasons/<season-id>/<file>.csv`; anything else in the bucket is not ours to load.
SEASON_OBJECTS_PREFIX = "seasons/"
OBJECT_NAME = re.compile(
    re.escape(SEASON_OBJECTS_PREFIX)
    + r"(?P<season>[A-Za-z0-9][A-Za-z0-9_-]{0,39})/(?P<file>[^/]+\.csv)"
)
Status = Literal["loaded", "rejected", "ignored"]
# A report is one Firestore document (at most 1 MiB), so a wholly bad file lists its first errors.
MAX_REPORTED_ERRORS = 100


@dataclass(frozen=True)
class SeasonObject:
    """One generation of an uploaded object whose name says it is a season file."""

    bucket: str
    name: str
    generation: int
    season: str
    file: str

    @property
    def report_id(self) -> str:
        return layout.report_id(self.bucket, self.name, self.generation)


def season_object(bucket: str, name: str, generation: int) -> SeasonObject | None:
    match = OBJECT_NAME.fullmatch(name)
    if match is None:
        return None
    return SeasonObject(bucket, name, generation, match["season"], match["file"])


@dataclass(frozen=True)
class StoredFile:
    """One generation's content, read as it is needed, and its size as stored (compressed, for a
    gzip-encoded object)."""

    size: int
    content: BinaryIO

    @classmethod
    def in_memory(cls, content: bytes) -> "StoredFile":
        """A file whose bytes are at hand already (the benchmark's generated season)."""
        return cls(size=len(content), content=io.BytesIO(content))


class UnreadableContent(Exception):
    """The stored bytes cannot be made into the file's (a gzip stream that is cut short)."""


class Standing(TableRow):
    """A league-table row as a file gives it: the capital is optional there."""

    capital: Count | None = None  # type: ignore[assignment]


@dataclass(frozen=True)
class ClubFile:
    club: str
    players: list[Player]

    @property
    def rows(self) -> int:
        return len(self.players)


@dataclass(frozen=True)
class TableFile:
    standings: list[Standing]

    @property
    def rows(self) -> int:
        return len(self.standings)


SeasonFile = ClubFile | TableFile


@dataclass(frozen=True)
class LoadedFile:
    """What the season remembers of the last generation of a file it loaded."""

    generation: int
    rows: int
    club: str | None


class LineError(BaseModel):
    line: int
    reason: str


class IngestReport(BaseModel):
    """What happened to one object generation; stored in Firestore and logged."""

    bucket: str
    object: str
    generation: int
    season: SeasonId
    file: str
    status: Status
    rows: Count = 0
    club: str | None = None
    reason: str | None = None
    errors: list[LineError] = []
    error_count: Count = 0
    at: datetime

    @property
    def report_id(self) -> str:
        return layout.report_id(self.bucket, self.object, self.generation)


class Superseded(Exception):
    """A newer generation of the file claimed it while this one was loading: the newer one wins,
    and this one writes no more."""

    def __init__(self, newer: int) -> None:
        super().__init__(f"generation {newer} of this file is newer and claimed it first")
        self.newer = newer


class Rejected(Exception):
    """A season file that breaks a rule; nothing of it may be written.

    `errors` are the first bad lines (at most MAX_REPORTED_ERRORS), `count` all of them.
    """

    def __init__(self, errors: list[LineError], count: int | None = None) -> None:
        self.count = len(errors) if count is None else count
        super().__init__(f"{self.count} bad line(s)")
        self.errors = sorted(errors, key=lambda error: error.line)
