"""Turns the bytes of an uploaded CSV file into numbered rows under named columns.

Both the original app's files (club files without a header, `;`-separated `Teams.csv`) and
files with a header naming their columns in any order are read here, so validation sees one shape.
"""

import csv
import io
from dataclasses import dataclass
from typing import Literal

from ingest.model import LineError, Rejected

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
    line: int
    cells: list[str]


@dataclass(frozen=True)
class Sheet:
    kind: Literal["club", "table"]
    columns: tuple[str, ...]
    rows: list[Row]


def read_sheet(content: bytes) -> Sheet:
    text = _decode(content)
    first_line = text.partition("\n")[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    # Blank lines are skipped; a line of empty cells (",,,") is a row, and a bad one.
    rows = [Row(reader.line_num, cells) for cells in reader if len(cells) > 1 or _filled(cells)]
    if not rows:
        raise Rejected([LineError(line=1, reason="the file has no rows")])
    if not _is_header(rows[0].cells):
        return Sheet("club", CLUB_COLUMNS, rows)
    header = tuple(column_name(cell) for cell in rows[0].cells)
    if len(set(header)) != len(header):
        raise Rejected([LineError(line=rows[0].line, reason="the header repeats a column")])
    return Sheet("table" if "played" in header else "club", header, rows[1:])


def column_name(cell: str) -> str:
    """`Goals For`, `goals-for` and `GOALS_FOR` all name the column `goals_for`."""
    name = "_".join(cell.strip().lower().replace("-", " ").split())
    return ALIASES.get(name, name)


def _filled(cells: list[str]) -> bool:
    return bool(cells) and bool(cells[0].strip())


def _is_header(cells: list[str]) -> bool:
    # A data row always has numbers; a header names at least two columns we know.
    known = sum(column_name(cell) in KNOWN_COLUMNS for cell in cells)
    return known >= 2 and not any(cell.strip().lstrip("+-").isdigit() for cell in cells)


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content.count(b"\n", 0, error.start) + 1
        raise Rejected([LineError(line=line, reason="not UTF-8 text")]) from error
