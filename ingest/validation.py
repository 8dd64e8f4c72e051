"""Checks a sheet against the rules of a season file; one bad row rejects the whole file.

The rows are checked as they stream in, once each: a file is held only as the models it becomes,
and a bad file only as the first lines of its report.
"""

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ValidationError

from events.messages import describe_validation_error
from events.values import Player
from firestore_layout import club_key, key
from ingest.cells import OPTIONAL_COLUMNS, CellReader, quoted, reader_of
from ingest.model import (
    MAX_REPORTED_ERRORS,
    ClubFile,
    LineError,
    Rejected,
    SeasonFile,
    Standing,
    TableFile,
)
from ingest.reading import CLUB_COLUMNS, TABLE_COLUMNS, Row, Sheet

Fields = dict[str, Any]
Readers = list[tuple[str, CellReader] | None]
# More problems of a row, found from its fields and the rows before it.
RowCheck = Callable[[int, Fields], list[str]]


class _Errors:
    """A file's bad lines: the first MAX_REPORTED_ERRORS kept for the report, all counted."""

    def __init__(self) -> None:
        self.first: list[LineError] = []
        self.count = 0

    def add(self, line: int, reason: str) -> None:
        self.count += 1
        if len(self.first) < MAX_REPORTED_ERRORS:
            self.first.append(LineError(line=line, reason=reason))


def check(sheet: Sheet) -> SeasonFile:
    """Returns the file's content, or raises `Rejected` naming its bad lines."""
    required = CLUB_COLUMNS if sheet.kind == "club" else TABLE_COLUMNS
    missing = [column for column in required if column not in sheet.columns]
    if missing:
        raise Rejected([LineError(line=1, reason=f"missing column(s): {', '.join(missing)}")])
    errors = _Errors()
    if sheet.kind == "club":
        one_club = _OneClub()
        players = _models(sheet, Player.model_validate, "name", errors, one_club)
        season_file: SeasonFile = ClubFile(club=one_club.club, players=players)
    else:
        season_file = TableFile(standings=_models(sheet, _standing, "club", errors))
    if errors.count:
        raise Rejected(errors.first, errors.count)
    return season_file


def _models(
    sheet: Sheet,
    build: Callable[[Fields], BaseModel],
    unique: str,
    errors: _Errors,
    row_check: RowCheck | None = None,
) -> list[Any]:
    """The model of each row, or nothing once a row is bad: the file is rejected then."""
    models: list[Any] = []
    first_line: dict[str, int] = {}
    readers = _readers(sheet)
    rows = 0
    for row in sheet.rows:
        rows += 1
        if row.unreadable:
            errors.add(row.line, row.unreadable)
            continue
        fields, problems = _fields(sheet, row, readers)
        name = fields.get(unique, "")
        name_key = key(name)
        if name and name_key in first_line:
            problems.append(f"{quoted(name)} is already on line {first_line[name_key]}")
        first_line.setdefault(name_key, row.line)
        if row_check is not None:
            problems.extend(row_check(row.line, fields))
        model = None if problems else _validated(build, fields, problems)
        if problems:
            errors.add(row.line, "; ".join(problems))
        elif not errors.count:
            models.append(model)
    if not rows:
        errors.add(1, "the file has no rows")
    return models


class _OneClub:
    """A club file names exactly one club (accents and case aside): its first row's."""

    def __init__(self) -> None:
        self.club = ""
        self._line = 0

    def __call__(self, line: int, fields: Fields) -> list[str]:
        club = fields.get("club", "")
        if not self.club:
            self.club, self._line = club, line
        elif club and club != self.club and club_key(club) != club_key(self.club):
            first = f"{quoted(self.club)} (line {self._line})"
            return [f"club {quoted(club)} is not {first}: one club a file"]
        return []


def _fields(sheet: Sheet, row: Row, readers: Readers) -> tuple[Fields, list[str]]:
    if len(row.cells) != len(sheet.columns):
        return {}, [f"expected {len(sheet.columns)} columns, found {len(row.cells)}"]
    fields: Fields = {}
    problems: list[str] = []
    for column_reader, cell in zip(readers, row.cells, strict=True):
        if column_reader is None:
            continue
        column, read = column_reader
        try:
            # None is an optional cell left blank: as if the column were not there.
            if (value := read(cell)) is not None:
                fields[column] = value
        except ValueError as error:
            problems.append(f"{column} {error}, got {quoted(cell)}")
    return fields, problems


def _readers(sheet: Sheet) -> Readers:
    """The reader of each column, once a sheet; None for the columns this kind of file ignores."""
    wanted = {*(CLUB_COLUMNS if sheet.kind == "club" else TABLE_COLUMNS), *OPTIONAL_COLUMNS}
    return [(column, reader_of(column)) if column in wanted else None for column in sheet.columns]


def _validated(
    build: Callable[[Fields], BaseModel], fields: Fields, problems: list[str]
) -> BaseModel | None:
    try:
        return build(fields)
    except ValidationError as error:
        problems.append(describe_validation_error(error))
    except ValueError as error:
        problems.append(str(error))
    return None


def _standing(fields: Fields) -> Standing:
    standing = Standing.model_validate(fields)
    problems = [
        f"{name} is {given} but should be {expected}"
        for name, given, expected in (
            ("played", standing.played, standing.won + standing.drawn + standing.lost),
            (
                "goal_difference",
                standing.goal_difference,
                standing.goals_for - standing.goals_against,
            ),
            ("points", standing.points, 3 * standing.won + standing.drawn),
        )
        if given != expected
    ]
    if problems:
        raise ValueError("; ".join(problems))
    return standing
