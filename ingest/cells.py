"""How each column's cells are read: text, a position, a count >= 0, or a signed number."""

import re
from collections.abc import Callable
from typing import Any

from events.values import POSITIONS

SIGNED_NUMBER = re.compile(r"[+\-\u2212]?[0-9]+")
# A blank optional cell means "not given": the loader then keeps what the club has.
OPTIONAL_COLUMNS = frozenset({"capital"})
CellReader = Callable[[str], Any]


def text(value: str) -> str:
    return value


def position(value: str) -> str:
    known = value.capitalize()
    if known not in POSITIONS:
        raise ValueError(f"must be one of {', '.join(POSITIONS)}")
    return known


def count(value: str) -> int:
    if not (value.isascii() and value.isdigit()):
        raise ValueError("must be a whole number >= 0")
    return int(value)


def signed(value: str) -> int:
    if not SIGNED_NUMBER.fullmatch(value):
        raise ValueError("must be a whole number")
    return int(value.replace("\u2212", "-"))


READERS: dict[str, CellReader] = {
    "club": text,
    "name": text,
    "nationality": text,
    "position": position,
    "goal_difference": signed,
}


def reader_of(column: str) -> CellReader:
    return READERS.get(column, count)
