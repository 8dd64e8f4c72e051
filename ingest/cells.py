"""How each column's cells are read: text, a position, a count >= 0, or a signed number.

Each reader takes the cell as the file has it and returns its value trimmed of surrounding
whitespace, or raises ValueError saying what the cell must be.
"""

import re
from collections.abc import Callable
from typing import Any

from events.values import LARGEST_NUMBER, POSITIONS

SIGNED_NUMBER = re.compile(r"[+-]?[0-9]+")
# A blank optional cell is None, "not given": the loader then keeps what the club has.
OPTIONAL_COLUMNS = frozenset({"capital"})
# What makes a spreadsheet run a cell as a formula once our data is exported and opened in one
# (OWASP, "CSV Injection"). Trimming would take a leading tab or carriage return off, so those
# count as the cell's first character; the rest as the first of its trimmed value.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Numbers longer than the contract's largest are refused before int() spends time on them (and
# before it refuses 4,300 digits in words of its own); the rest are the models' to bound.
LARGEST_DIGITS = len(str(LARGEST_NUMBER))
# How much of a cell a report quotes: a report is one Firestore document.
QUOTED_CHARACTERS = 40
CellReader = Callable[[str], Any]


def quoted(cell: str) -> str:
    """A cell as a report quotes it, cut to QUOTED_CHARACTERS."""
    return repr(cell if len(cell) <= QUOTED_CHARACTERS else f"{cell[:QUOTED_CHARACTERS]}...")


def text(cell: str) -> str:
    """Refused when a spreadsheet would take it for a formula: names are never formulas."""
    value = cell.strip()
    first = cell[:1] if cell[:1] in ("\t", "\r") else value[:1]
    if first in FORMULA_STARTS:
        raise ValueError(f"must not start with {first!r}, which makes it a spreadsheet formula")
    return value


def position(cell: str) -> str:
    known = cell.strip().capitalize()
    if known not in POSITIONS:
        raise ValueError(f"must be one of {', '.join(POSITIONS)}")
    return known


def count(cell: str) -> int:
    value = cell.strip()
    if not (value.isascii() and value.isdigit()):
        raise ValueError("must be a whole number >= 0")
    if len(value) >= LARGEST_DIGITS:
        _refuse_beyond_range(value)
    return int(value)


def signed(cell: str) -> int:
    """A whole number with a sign or without: `-5` is a number here, and a formula in a text
    column."""
    value = cell.strip().replace("\u2212", "-")
    if not SIGNED_NUMBER.fullmatch(value):
        raise ValueError("must be a whole number")
    if len(value) >= LARGEST_DIGITS:
        _refuse_beyond_range(value)
    return int(value)


def _refuse_beyond_range(value: str) -> None:
    if len(value.lstrip("+-0")) > LARGEST_DIGITS:
        raise ValueError(f"must be at most {LARGEST_NUMBER} in size")


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
