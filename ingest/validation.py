"""Checks a sheet against the rules of a season file; one bad row rejects the whole file."""

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ValidationError

from events.messages import describe_validation_error
from events.values import Player
from firestore_layout import club_key, key
from ingest.cells import OPTIONAL_COLUMNS, CellReader, reader_of
from ingest.model import ClubFile, LineError, Rejected, SeasonFile, Standing, TableFile
from ingest.reading import CLUB_COLUMNS, TABLE_COLUMNS, Row, Sheet

Fields = dict[str, Any]
Readers = list[tuple[str, CellReader] | None]


def check(sheet: Sheet) -> SeasonFile:
    """Returns the file's content, or raises `Rejected` naming every bad line."""
    required = CLUB_COLUMNS if sheet.kind == "club" else TABLE_COLUMNS
    missing = [column for column in required if column not in sheet.columns]
    if missing:
        raise Rejected([LineError(line=1, reason=f"missing column(s): {', '.join(missing)}")])
    errors: list[LineError] = []
    if sheet.kind == "club":
        club = _one_club(sheet, errors)
        players = _models(sheet, Player.model_validate, "name", errors)
        season_file: SeasonFile = ClubFile(club=club, players=players)
    else:
        season_file = TableFile(standings=_models(sheet, _standing, "club", errors))
    if errors:
        raise Rejected(errors)
    return season_file


def _models(
    sheet: Sheet, build: Callable[[Fields], BaseModel], unique: str, errors: list[LineError]
) -> list[Any]:
    models: list[Any] = []
    first_line: dict[str, int] = {}
    readers = _readers(sheet)
    for row in sheet.rows:
        fields, problems = _fields(sheet, row, readers)
        name = fields.get(unique, "")
        name_key = key(name)
        if name and name_key in first_line:
            problems.append(f"{name} is already on line {first_line[name_key]}")
        first_line.setdefault(name_key, row.line)
        model = None if problems else _validated(build, fields, problems)
        if problems:
            errors.append(LineError(line=row.line, reason="; ".join(problems)))
        models.append(model)
    return models


def _one_club(sheet: Sheet, errors: list[LineError]) -> str:
    """The club of a club file, which names exactly one club (accents and case aside)."""
    at = sheet.columns.index("club")
    clubs = [(row.line, row.cells[at].strip()) for row in sheet.rows if len(row.cells) > at]
    if not clubs:
        errors.append(LineError(line=1, reason="the file has no rows"))
        return ""
    first_line, club = clubs[0]
    errors.extend(
        LineError(
            line=line, reason=f"club {other} is not {club} (line {first_line}): one club a file"
        )
        for line, other in clubs
        if other != club and club_key(other) != club_key(club)
    )
    return club


def _fields(sheet: Sheet, row: Row, readers: Readers) -> tuple[Fields, list[str]]:
    if len(row.cells) != len(sheet.columns):
        return {}, [f"expected {len(sheet.columns)} columns, found {len(row.cells)}"]
    fields: Fields = {}
    problems: list[str] = []
    for column_reader, cell in zip(readers, row.cells, strict=True):
        value = cell.strip()
        if column_reader is None or (not value and column_reader[0] in OPTIONAL_COLUMNS):
            continue
        column, read = column_reader
        try:
            fields[column] = read(value)
        except ValueError as error:
            problems.append(f"{column} {error}, got {cell!r}")
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
