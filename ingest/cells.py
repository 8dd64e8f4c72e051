"""How each column's cells are read: text, a position, a count >= 0, or a signed number.

Each reader takes the cell as the file has it and returns its value trimmed of surrounding
whitespace, or raises ValueError saying what the cell must be.
"""

import re
from collections.abc import Callable
from typing import Any

from events.values import POSITIONS

SIGNED_NUMBER = re.compile(r"[+-]?[0-9]+")
# A blank optional cell is None, "not given": the loader then keeps what the club has.
OPTIONAL_COLUMNS = frozenset({"capital"})
# How much of a cell a report quotes: a report is one Firestore document.
QUOTED_CHARACTERS = 40
CellReader = Callable[[str], Any]


def quoted(cell: str) -> str:
    """A cell as a report quotes it, cut to QUOTED_CHARACTERS."""
    return repr(cell if len(cell) <= QUOTED_CHARACTERS else f"{cell[:QUOTED_CHARACTERS]}...")


def text(cell: str) -> str:
    return cell.strip()


def position(cell: str) -> str:
    known = cell.strip().capitalize()
    if known not in POSITIONS:
        raise ValueError(f"must be one of {', '.join(POSITIONS)}")
    return known


def count(cell: str) -> int:
    value = cell.strip()
    if not (value.isascii() and value.isdigit()):
        raise ValueError("must be a whole number >= 0")
    return int(value)


def signed(cell: str) -> int:
    value = cell.strip().replace("\u2212", "-")
    if not SIGNED_NUMBER.fullmatch(value):
        raise ValueError("must be a whole number")
    return int(value)


def _blank_as_none(read: CellReader) -> CellReader:
    return lambda cell: read(cell) if cell.strip() else None


READERS: dict[str, CellReader] = {
    "club": text,
    "name": text,
    "nationality": text,
    "position": position,
    "goal_difference": signed,
}


def reader_of(column: str) -> CellReader:
    read = READERS.get(column, count)
    return _blank_as_none(read) if column in OPTIONAL_COLUMNS else read
