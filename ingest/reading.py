"""Turns an uploaded CSV file, as it streams in, into numbered rows under named columns.

Both the original app's files (club files without a header, `;`-separated `Teams.csv`) and
files with a header naming their columns in any order are read here, so validation sees one shape.
Nothing here holds the whole file: lines are decoded and split as they arrive, and validation
takes each row as it comes. A file over MAX_FILE_BYTES is refused unread when its stored size
says so, and as soon as its content passes the limit otherwise (a gzip-encoded object unpacks to
more than it stores).
"""

import csv
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, Literal

from ingest.lines import MAX_FILE_BYTES, OVER_THE_LIMIT, FileTooLarge, TextLines
from ingest.model import LineError, Rejected, StoredFile, UnreadableContent

# The order of the original app's club files, which have no header row.
CLUB_COLUMNS = (
    "club", "name", "nationality", "position", "appearances", "goals", "assists",
    "passes", "interceptions", "tackles", "fouls", "price",
)  # fmt: skip
TABLE_COLUMNS = (
    "club", "played", "won", "drawn", "lost",
    "goals_for", "goals_against", "goal_difference", "points",
)  # fmt: skip
ALIASES = {
    "team": "club",
    "player": "name",
    "gf": "goals_for",
    "ga": "goals_against",
    "gd": "goal_difference",
    "pts": "points",
}
KNOWN_COLUMNS = {*CLUB_COLUMNS, *TABLE_COLUMNS, "capital"}


@dataclass(frozen=True)
class Row:
    """The cells of one record, at the line it starts on; or why a line of it could not be read."""

    line: int
    cells: list[str]
    unreadable: str | None = None


@dataclass(frozen=True)
class Sheet:
    kind: Literal["club", "table"]
    columns: tuple[str, ...]
    rows: Iterator[Row]  # read once, as the file streams in


def read_sheet(stored: StoredFile) -> Sheet:
    if stored.size > MAX_FILE_BYTES:
        reason = f"the file is {stored.size:,} bytes, {OVER_THE_LIMIT}: it was not read"
        raise Rejected([LineError(line=1, reason=reason)])
    rows = _rows(stored.content)
    first = next(rows, None)
    if first is None:
        raise Rejected([LineError(line=1, reason="the file has no rows")])
    if first.unreadable:
        raise Rejected([LineError(line=first.line, reason=first.unreadable)])
    if not _is_header(first.cells):
        return Sheet("club", CLUB_COLUMNS, itertools.chain([first], rows))
    header = tuple(column_name(cell) for cell in first.cells)
    if len(set(header)) != len(header):
        raise Rejected([LineError(line=first.line, reason="the header repeats a column")])
    return Sheet("table" if "played" in header else "club", header, rows)


def column_name(cell: str) -> str:
    """`Goals For`, `goals-for` and `GOALS_FOR` all name the column `goals_for`."""
    name = "_".join(cell.strip().lower().replace("-", " ").split())
    return ALIASES.get(name, name)


def _rows(content: BinaryIO) -> Iterator[Row]:
    lines = TextLines(content)
    try:
        first = lines.first_filled()
        if first is None:
            return
        # The separator is whichever of `;` and `,` the first line has more of.
        delimiter = ";" if first.count(";") > first.count(",") else ","
        reader = csv.reader(itertools.chain([first], lines), delimiter=delimiter)
        done = lines.number - 1  # the lines before the record the reader reads next
        while (row := _next_row(reader, lines, done)) is not None:
            done = lines.number
            # Blank lines are skipped; a line of empty cells (",,,") is a row, and a bad one.
            if row.unreadable or len(row.cells) > 1 or (row.cells and row.cells[0].strip()):
                yield row
    # Either is the one reason that counts then: whatever else there is, the file cannot load.
    except FileTooLarge:
        reason = f"the file is {OVER_THE_LIMIT}: nothing from this line on was read"
        raise Rejected([LineError(line=lines.number + 1, reason=reason)]) from None
    except UnreadableContent as error:
        reason = f"{error}: nothing from this line on could be read"
        raise Rejected([LineError(line=lines.number + 1, reason=reason)]) from None


def _next_row(reader: Iterator[list[str]], lines: TextLines, done: int) -> Row | None:
    """The next record, at the line it starts on (a quoted cell may span lines), or why its
    lines cannot be read; None at the end of the file."""
    try:
        cells = next(reader)
    except StopIteration:
        return None
    except csv.Error as error:  # a cell over the csv module's limit (128 kB)
        return Row(done + 1, [], f"not CSV: {error}")
    if lines.not_utf8 is not None and lines.not_utf8.line > done:
        return Row(lines.not_utf8.line, [], lines.not_utf8.reason)
    return Row(done + 1, cells)


def _is_header(cells: list[str]) -> bool:
    # A data row always has numbers; a header names at least two columns we know.
    known = sum(column_name(cell) in KNOWN_COLUMNS for cell in cells)
    return known >= 2 and not any(cell.strip().lstrip("+-").isdigit() for cell in cells)
