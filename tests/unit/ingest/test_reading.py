"""Reading a file as it streams in: the size limit, bytes that are not UTF-8, cells the csv module
refuses, and a report that stays small however bad the file."""

import io
from typing import TYPE_CHECKING

import pytest

from ingest.lines import MAX_FILE_BYTES
from ingest.model import MAX_REPORTED_ERRORS, Rejected, StoredFile, UnreadableContent
from ingest.reading import read_sheet
from ingest.validation import check

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

ROW = b"Liverpool,Mohamed Salah,Egypt,Forward,38,22,8,1079,5,21,25,135\r\n"


class CountingStream(io.RawIOBase):
    """`size` bytes of club rows, made as they are read; counts what was read."""

    def __init__(self, size: int) -> None:
        self.size, self.given = size, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: "WriteableBuffer") -> int:
        into = memoryview(buffer)
        wanted = min(len(into), self.size - self.given)
        start = self.given % len(ROW)
        data = (ROW * (wanted // len(ROW) + 2))[start : start + wanted]
        into[: len(data)] = data
        self.given += len(data)
        return len(data)


def rejection(stored: StoredFile) -> Rejected:
    with pytest.raises(Rejected) as rejected:
        check(read_sheet(stored))
    return rejected.value


def numbered_rows(count: int) -> bytes:
    """Club rows with a player of their own each, so they are all valid together."""
    return b"".join(ROW.replace(b"Mohamed Salah", b"Player %d" % n) for n in range(count))


def test_a_file_whose_stored_size_is_over_the_limit_is_refused_unread() -> None:
    stream = CountingStream(50 * 1024 * 1024)

    refused = rejection(StoredFile(size=stream.size, content=stream))  # type: ignore[arg-type]

    assert stream.given == 0
    assert [error.line for error in refused.errors] == [1]
    assert "52,428,800 bytes, over the limit of 1,048,576 bytes" in refused.errors[0].reason


def test_a_file_that_unpacks_past_the_limit_is_refused_where_reading_stopped() -> None:
    stream = CountingStream(50 * 1024 * 1024)  # a small stored size, as of a gzip-encoded object

    refused = rejection(StoredFile(size=1000, content=stream))  # type: ignore[arg-type]

    assert stream.given <= MAX_FILE_BYTES + 64 * 1024
    (error,) = refused.errors
    assert error.line == MAX_FILE_BYTES // len(ROW) + 1
    assert "over the limit of 1,048,576 bytes (1 MiB): nothing from this line on" in error.reason


def test_a_file_of_exactly_the_limit_is_read_and_one_byte_more_is_not() -> None:
    rows = numbered_rows(MAX_FILE_BYTES // len(ROW) + 1)
    at_limit = rows[: rows.rindex(b"\n", 0, MAX_FILE_BYTES) + 1]
    padded = at_limit + b" " * (MAX_FILE_BYTES - len(at_limit))

    assert check(read_sheet(StoredFile.in_memory(padded))).rows == at_limit.count(b"\n")
    assert "over the limit" in rejection(StoredFile.in_memory(padded + b" ")).errors[0].reason


def test_rows_come_while_the_file_is_still_being_read() -> None:
    stream = CountingStream(MAX_FILE_BYTES)
    sheet = read_sheet(StoredFile(size=stream.size, content=stream))  # type: ignore[arg-type]

    next(sheet.rows)

    assert stream.given < MAX_FILE_BYTES // 10


def test_every_line_that_is_not_utf8_is_named_with_its_byte() -> None:
    latin1 = "Liverpool,Jörg Müller,Germany,Defender,1,0,0,0,0,0,0,1\n".encode("latin-1")
    content = ROW + latin1 + ROW.replace(b"Salah", b"Salah II") + latin1.replace(b"J", b"K")

    refused = rejection(StoredFile.in_memory(content))

    assert {error.line: error.reason for error in refused.errors} == {
        2: "not UTF-8 text: byte 0xF6 at character 12; save it as UTF-8",
        4: "not UTF-8 text: byte 0xF6 at character 12; save it as UTF-8",
    }


def test_a_header_that_is_not_utf8_rejects_the_file_at_line_1() -> None:
    refused = rejection(StoredFile.in_memory("Club;Played;Wön\n".encode("latin-1")))
    assert [(error.line, error.reason[:16]) for error in refused.errors] == [
        (1, "not UTF-8 text: ")
    ]


def test_a_cell_too_long_for_the_csv_reader_is_a_bad_line_and_reading_goes_on() -> None:
    content = ROW + b"Liverpool," + b"x" * 200_000 + b"\n" + ROW.replace(b"Salah", b"Salah II")
    refused = rejection(StoredFile.in_memory(content))
    assert [error.line for error in refused.errors] == [2]
    assert refused.errors[0].reason.startswith("not CSV: field larger than field limit")


def test_a_report_keeps_the_first_bad_lines_and_counts_them_all() -> None:
    content = b"Liverpool,A,B,Striker,1,0,0,0,0,0,0,1\n" * 5_000

    refused = rejection(StoredFile.in_memory(content))

    assert refused.count == 5_000
    assert [error.line for error in refused.errors] == list(range(1, MAX_REPORTED_ERRORS + 1))


def test_a_report_quotes_no_more_than_a_little_of_a_long_cell() -> None:
    content = ROW + b"Liverpool,Joe Gomez,England,Defender,1,0,0,0,0,0,0," + b"9x" * 50_000
    (error,) = rejection(StoredFile.in_memory(content)).errors
    assert len(error.reason) < 120


def test_blank_lines_before_the_first_row_count_as_lines() -> None:
    content = b"\r\n\r\nClub;Played;Won;Drawn;Lost;GF;GA;GD;Points\r\nA;1;1;0;0;1;0;1;2\r\n"
    assert {error.line for error in rejection(StoredFile.in_memory(content)).errors} == {4}


@pytest.mark.parametrize(
    "content", [b"", b"\r\n\n", b"\xef\xbb\xbf", b"Club;Played;Won;Drawn;Lost;GF;GA;GD;Points\n"]
)
def test_a_file_without_rows_is_refused(content: bytes) -> None:
    refused = rejection(StoredFile.in_memory(content))
    assert [(error.line, error.reason) for error in refused.errors] == [(1, "the file has no rows")]


class BrokenAfter(io.RawIOBase):
    """Gives `content`, then fails as a broken gzip stream does in the storage adapter."""

    def __init__(self, content: bytes) -> None:
        self.content = io.BytesIO(content)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: "WriteableBuffer") -> int:
        if data := self.content.read(len(memoryview(buffer))):
            memoryview(buffer)[: len(data)] = data
            return len(data)
        raise UnreadableContent("not gzip as its Content-Encoding says")


def test_content_that_breaks_off_is_refused_at_the_line_where_it_broke() -> None:
    stream = BrokenAfter(ROW * 3 + b"Liverpool,Jo")

    refused = rejection(StoredFile(size=100, content=stream))  # type: ignore[arg-type]

    assert [(error.line, error.reason) for error in refused.errors] == [
        (4, "not gzip as its Content-Encoding says: nothing from this line on could be read")
    ]
